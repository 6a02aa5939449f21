"""Approvals (审批事项) and factor guarantees (要素保障): header aliases, row checks and their
quarantine reasons, the relations' working days on the fixture, and the 红黄绿 additions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

import fixtures
from etl.read import read_file
from etl.status import RULE_TEXT, status_sql
from etl.warehouse import connect_read, load_files

CODE = "2026-140213-44-01-000101"
CODE2 = "2026-140213-44-01-000102"


def write_sheet(path: Path, sheet: str, title: str, header: list, rows: list[list],
                sender="平城区行政审批服务管理局") -> Path:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet(sheet)
    ws.write(0, 0, title)
    ws.write_row(1, 0, header)
    for i, r in enumerate(rows, start=2):
        ws.write_row(i, 0, r)
    ws.write(len(rows) + 3, 0, f"填报单位：{sender}")
    wb.close()
    return path


# ---------------------------------------------------------------- aliases

@pytest.mark.parametrize("header", [
    ["项目代码", "审批事项", "审批部门", "受理时间", "办结时间", "办理时限（工作日）", "是否承诺制", "是否代办"],
    ["统一项目代码", "办理事项", "办理部门", "受理日期", "办结日期", "承诺时限", "告知承诺制", "帮办代办"],
    ["项目编码", "手续名称", "受理部门", "申报时间", "批复时间", "法定时限", "承诺制", "代办"],
    ["项目代码", "审批事项\n名称", "承办部门", "收件时间", "出证时间", "办理时限\n（工作日）", "是否实行承诺制", "代办服务"],
])
def test_approval_header_aliases(tmp_path, header):
    path = write_sheet(tmp_path / "a.xlsx", "审批事项", "2026年10月审批事项办理情况", header,
                       [[CODE, "施工许可", "平城区行政审批服务管理局", "2026-09-28", "2026-10-12", 5, "是", "否"]])
    sheet = read_file(path, today=dt.date(2026, 11, 5)).sheet("approvals")
    assert sheet is not None and not sheet.quarantine.height
    row = sheet.accepted.row(0, named=True)
    assert (row["project_code"], row["approval_item"], row["item"], row["department"]) == (
        CODE, "施工许可", "construction", "平城区行政审批服务管理局")
    assert (row["accepted_date"], row["completed_date"], row["limit_days"]) == (
        dt.date(2026, 9, 28), dt.date(2026, 10, 12), 5)
    assert (row["is_promise"], row["is_agent"], row["approval_state"]) == (True, False, "done")


@pytest.mark.parametrize("written, item", [
    ("赋码备案", "project"), ("项目核准", "project"), ("立项（审批/核准/备案）", "project"),
    ("用地预审与选址意见书", "land_site"), ("建设工程规划许可证", "planning"), ("环境影响评价", "eia"),
    ("能评", "energy"), ("节能审查（能评）", "energy"), ("建筑工程施工许可证", "construction"),
    ("联合验收", "acceptance"), ("不动产权证", "property"), ("水土保持方案", "other"),
])
def test_approval_item_words(written, item):
    from etl.read_approvals import approval_item

    assert approval_item(written) == item


@pytest.mark.parametrize("header", [
    ["项目代码", "要素类型", "要素细项", "计量单位", "需求量", "已落实", "责任部门", "计划落实时间"],
    ["项目编码", "保障要素", "资金来源", "单位", "需求数量", "已到位", "保障部门", "计划保障时间"],
    ["统一项目代码", "要素类别", "具体内容", "计量\n单位", "申请量", "已保障", "牵头部门", "保障时限"],
])
def test_factor_header_aliases(tmp_path, header):
    path = write_sheet(tmp_path / "f.xlsx", "要素保障", "2026年10月要素保障情况", header,
                       [[CODE, "资金", "地方政府专项债", "亿元", 0.5, 0.2, "市财政局", "2026-12-31"]],
                       sender="平城区发展和改革局")
    sheet = read_file(path, today=dt.date(2026, 11, 5)).sheet("factors")
    assert sheet is not None and not sheet.quarantine.height
    row = sheet.accepted.row(0, named=True)
    # 亿元 converted to 万元 by its listed factor, the unit named as stored
    assert (row["factor_kind"], row["factor_detail"], row["factor_unit"], row["needed"], row["secured"]) == (
        "funding", "地方政府专项债", "万元", 5000.0, 2000.0)
    assert (row["factor_department"], row["planned_date"]) == ("市财政局", dt.date(2026, 12, 31))


@pytest.mark.parametrize("kind, unit, needed, stored", [
    ("用地", "亩", 30, ("land", "亩", 30.0)),
    ("土地指标", "公顷", 2, ("land", "亩", 30.0)),
    ("能耗", "万吨标准煤", 0.5, ("energy", "吨标准煤", 5000.0)),
    ("用能", None, 800, ("energy", "吨标准煤", 800.0)),  # blank unit: the kind's own
    ("排污权", "千克", 500, ("emission", "吨", 0.5)),
    ("资金", "万元", 1200, ("funding", "万元", 1200.0)),
])
def test_factor_units(tmp_path, kind, unit, needed, stored):
    path = write_sheet(tmp_path / "f.xlsx", "要素保障", "2026年10月要素保障情况",
                       ["项目代码", "要素类型", "计量单位", "需求量", "已落实"], [[CODE, kind, unit, needed, 0]])
    row = read_file(path, today=dt.date(2026, 11, 5)).sheet("factors").accepted.row(0, named=True)
    assert (row["factor_kind"], row["factor_unit"], row["needed"]) == stored


# ---------------------------------------------------------------- row checks

APPROVAL_HEADER = ["项目代码", "审批事项", "审批部门", "受理时间", "办结时间", "办理时限（工作日）", "办理状态"]


@pytest.mark.parametrize("row, column, rule", [
    ([None, "环评", "市生态环境局", "2026-09-01", None, 30, "办理中"], "项目代码", "缺少项目代码"),
    (["2026-1402-1", "环评", "市生态环境局", "2026-09-01", None, 30, "办理中"], "项目代码", "项目代码格式错误"),
    ([CODE, None, "市生态环境局", "2026-09-01", None, 30, "办理中"], "审批事项", "缺少审批事项"),
    ([CODE, "环评", "市生态环境局", "2026-09-10", "2026-09-01", 30, "已办结"], "办结时间", "办结时间早于受理时间"),
    ([CODE, "环评", "市生态环境局", None, "2026-09-01", 30, "已办结"], "受理时间", "缺少受理时间"),
    ([CODE, "环评", "市生态环境局", "2026-11-03", None, 30, "办理中"], "受理时间", "受理时间晚于报表月份"),
    ([CODE, "环评", "市生态环境局", "2026-09-01", None, 0, "办理中"], "办理时限（工作日）", "办理时限不合理"),
    ([CODE, "环评", "市生态环境局", "2026-09-01", None, 2.5, "办理中"], "办理时限（工作日）", "办理时限不合理"),
    ([CODE, "环评", "市生态环境局", "2026-09-01", None, "三十天", "办理中"], "办理时限（工作日）", "非数值"),
    ([CODE, "环评", "市生态环境局", "2026-09-01", None, 30, "已办结"], "办结时间", "已办结但缺少办结时间"),
    ([CODE, "环评", "市生态环境局", "2026-09-01", "2026-09-20", 30, "办理中"], "办理状态", "办理状态与办结时间矛盾"),
    ([CODE, "环评", "市生态环境局", "2026-09-01", None, 30, "搁置"], "办理状态", "办理状态无法识别"),
    ([CODE, "环评", "市生态环境局", "2026年13月", None, 30, "办理中"], "受理时间", None),
])
def test_approval_rows_quarantined_with_their_reason(tmp_path, row, column, rule):
    good = [CODE2, "施工许可", "平城区行政审批服务管理局", "2026-09-01", "2026-09-04", 5, "已办结"]
    path = write_sheet(tmp_path / "审批.xlsx", "审批事项", "2026年10月审批事项办理情况", APPROVAL_HEADER, [good, row])
    sheet = read_file(path, today=dt.date(2026, 11, 5)).sheet("approvals")
    assert sheet.accepted["project_code"].to_list() == [CODE2]  # the good row is kept
    q = sheet.quarantine.row(0, named=True)
    assert q["source_row"] == 4 and q["column_name"] == column and q["kind"] == "approvals"
    if rule:
        assert q["rule"] == rule
    assert q["message"].startswith("文件「审批.xlsx」工作表「审批事项」第4行：")


FACTOR_HEADER = ["项目代码", "要素类型", "要素细项", "计量单位", "需求量", "已落实", "计划落实时间"]


@pytest.mark.parametrize("row, column, rule", [
    ([None, "用地", None, "亩", 30, 10, "2026-12-31"], "项目代码", "缺少项目代码"),
    ([CODE, None, None, "亩", 30, 10, "2026-12-31"], "要素类型", "缺少要素类型"),
    ([CODE, "用水", None, "吨", 30, 10, "2026-12-31"], "要素类型", "要素类型无法识别"),
    ([CODE, "用地", None, "平方公里", 30, 10, "2026-12-31"], "计量单位", "计量单位无法识别"),
    ([CODE, "资金", "专项债", "美元", 30, 10, "2026-12-31"], "计量单位", "计量单位无法识别"),
    ([CODE, "用地", None, "亩", None, 10, "2026-12-31"], "需求量", "缺少需求量"),
    ([CODE, "用地", None, "亩", 0, 0, "2026-12-31"], "需求量", "需求量应大于0"),
    ([CODE, "用地", None, "亩", 30, -5, "2026-12-31"], "已落实", "已落实量为负"),
    ([CODE, "用地", None, "亩", "约30", 10, "2026-12-31"], "需求量", "非数值"),
])
def test_factor_rows_quarantined_with_their_reason(tmp_path, row, column, rule):
    good = [CODE2, "用能", None, "吨标准煤", 800, 800, "2026-06-30"]
    path = write_sheet(tmp_path / "要素.xlsx", "要素保障", "2026年10月要素保障情况", FACTOR_HEADER, [good, row],
                       sender="平城区发展和改革局")
    sheet = read_file(path, today=dt.date(2026, 11, 5)).sheet("factors")
    assert sheet.accepted["project_code"].to_list() == [CODE2]
    q = sheet.quarantine.row(0, named=True)
    assert (q["source_row"], q["column_name"], q["rule"], q["kind"]) == (4, column, rule, "factors")


def test_duplicate_approval_rows_are_quarantined(tmp_path):
    row = [CODE, "环评", "市生态环境局", "2026-09-01", None, 30, "办理中"]
    other = [CODE, "环评", "市生态环境局", "2026-09-01", None, 20, "办理中"]
    path = write_sheet(tmp_path / "a.xlsx", "审批事项", "2026年10月审批事项", APPROVAL_HEADER, [row, other])
    sheet = read_file(path, today=dt.date(2026, 11, 5)).sheet("approvals")
    assert sheet.accepted.height == 0 and set(sheet.quarantine["rule"]) == {"重复项目数据冲突"}


# ---------------------------------------------------------------- relations on the fixture

def test_approvals_relation_counts_official_working_days(fixture_db):
    con, _ = connect_read(fixture_db)
    rows = con.execute("select project_code, item_name, working_days, limit_days, is_overdue, is_waiting, days_over "
                       "from approvals").fetchall()
    con.close()
    got = {(c, n): tuple(rest) for c, n, *rest in rows}
    C = fixtures.CODES
    assert got == {
        (C["A"], "备案"): (1, 1, False, False, 0),
        (C["A"], "施工许可"): (5, 5, False, False, 0),        # across 春节, Saturday 02-14 worked
        (C["B"], "施工许可"): (6, 5, True, False, 1),          # across 清明, Sunday 2024-04-07 worked
        (C["B"], "环评"): (60, 30, True, True, 30),            # still waiting at 2026-10-31
        (C["C"], "立项审批"): (14, 20, False, False, 0),
        (C["C"], "用地预审与选址"): (20, 20, False, True, 0),   # across 国庆: exactly at its limit
    }


def test_factors_relation(fixture_db):
    con, _ = connect_read(fixture_db)
    rows = con.execute("select project_code, kind, detail, unit, needed, secured, gap, is_overdue from factors").fetchall()
    con.close()
    C = fixtures.CODES
    assert sorted(rows) == sorted([
        (C["A"], "energy", "", "吨标准煤", 4800.0, 4800.0, 0.0, False),
        (C["A"], "emission", "氮氧化物", "吨", 12.5, 12.5, 0.0, False),
        (C["B"], "funding", "地方政府专项债", "万元", 3000.0, 1000.0, 2000.0, True),
        (C["B"], "land", "", "亩", 12.0, 12.0, 0.0, False),
        (C["C"], "land", "", "亩", 52.5, 0.0, 52.5, False),  # 3.5 公顷
    ])


def test_fixture_statuses_unchanged_and_waits_flagged(fixture_db):
    con, _ = connect_read(fixture_db)
    rows = con.execute("select project_code, status, has_overdue_approval, has_overdue_factor from project_month "
                       "where period = '2026-10-01' and library <> 'reserve'").fetchall()
    con.close()
    C = fixtures.CODES
    got = {c: tuple(rest) for c, *rest in rows}
    assert got[C["A"]] == ("green", False, False)
    assert got[C["B"]] == ("red", True, True)
    assert got[C["C"]] == ("red", False, False)


# ---------------------------------------------------------------- the 红黄绿 additions

STATUS_ROWS = """
select * from (values
    ('K1', 'municipal', false, false),   -- key, nothing waiting: green
    ('K2', 'municipal', true, false),    -- key, approval past its limit: yellow
    ('K3', 'province_managed', false, true),  -- key, factor past its planned date: yellow
    ('N1', null, true, true)             -- not key: the waits do not colour it
) as t(project_code, key_level, has_overdue_approval, has_overdue_factor)
"""


def test_status_key_project_waiting_is_at_least_yellow():
    con = duckdb.connect()
    con.execute(f"""
        create table src as
        select project_code, date '2026-10-01' as period, 'continuing' as library, 1000.0 as annual_plan_wan,
               800.0 as completed_ytd_wan, 8000.0 as completed_cum_wan, date '2025-03-01' as planned_start,
               date '2025-03-01' as actual_start, false as is_done, false as has_overdue_problem,
               key_level, has_overdue_approval, has_overdue_factor
        from ({STATUS_ROWS})""")
    got = dict((c, (s, r)) for c, s, r in con.execute(
        f"select project_code, status, status_reason from ({status_sql('src')})").fetchall())
    assert got == {
        "K1": ("green", "落后序时进度3.3个百分点（10个百分点以内）"),
        "K2": ("yellow", "等待审批超过办理时限"),
        "K3": ("yellow", "要素保障过了计划落实时间未到位"),
        "N1": ("green", "落后序时进度3.3个百分点（10个百分点以内）"),
    }
    # a red project stays red
    con.execute("update src set completed_ytd_wan = 100.0")
    assert {s for (s,) in con.execute(f"select status from ({status_sql('src')})").fetchall()} == {"red"}


def test_status_rule_text_names_the_waits():
    assert "审批事项已超过办理时限" in RULE_TEXT and "要素保障" in RULE_TEXT and "法定工作日" in RULE_TEXT


def test_filled_template_sheets_read_cleanly():
    import io

    import openpyxl

    from etl.template import SHEETS, template_xlsx

    assert [k for _, k, _ in SHEETS][-2:] == ["approvals", "factors"]
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(dt.date(2026, 10, 1), "平城区")))
    a, f = wb["审批事项"], wb["要素保障"]
    ha = [c.value for c in a[3]]
    hf = [c.value for c in f[3]]
    row = {"项目代码": CODE, "审批事项": "立项（审批/核准/备案）", "审批部门": "平城区行政审批服务管理局",
           "受理时间": dt.date(2026, 9, 30), "办结时间": dt.date(2026, 10, 12), "办理时限（工作日）": 5,
           "承诺制": "是", "代办": "否", "办理状态": "已办结"}
    for k, v in row.items():
        a.cell(row=4, column=ha.index(k) + 1, value=v)
    frow = {"项目代码": CODE, "要素类型": "资金", "要素细项": "地方政府专项债", "计量单位": "亿元", "需求量": 1.2,
            "已落实": 0.4, "计划落实时间": dt.date(2026, 12, 31)}
    for k, v in frow.items():
        f.cell(row=4, column=hf.index(k) + 1, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    r = read_file("模板.xlsx", data=buf.getvalue(), today=dt.date(2026, 11, 5))
    sa, sf = r.sheet("approvals"), r.sheet("factors")
    assert sa.unrecognised == [] and not sa.quarantine.height and sa.accepted["item"].to_list() == ["project"]
    assert sf.unrecognised == [] and sf.accepted["needed"].to_list() == [12000.0]


def test_dates_beyond_the_calendar_are_a_warning_and_get_no_working_days(tmp_path, monkeypatch):
    """A calendar that knows only up to 2025: a 2026 item is loaded, warned about, and not counted."""
    from etl import workdays

    real = workdays.known_years()
    monkeypatch.setattr(workdays, "known_years", lambda: (real[0], 2025))
    path = write_sheet(tmp_path / "a.xlsx", "审批事项", "2026年10月审批事项办理情况", APPROVAL_HEADER,
                       [[CODE, "环评", "市生态环境局", "2025-12-20", "2026-01-10", 30, "已办结"],
                        [CODE2, "施工许可", "平城区行政审批服务管理局", "2025-06-02", "2025-06-06", 5, "已办结"]])
    rep = read_file(path, today=dt.date(2026, 11, 5))
    assert rep.sheet("approvals").accepted.height == 2
    assert rep.warnings == ["工作表「审批事项」第3行共1项审批事项的日期超出法定节假日日历的已知年份（"
                            f"{real[0]}—2025年），未计算工作日；请在国务院公布该年节假日安排后更新 chinesecalendar"]
    # loaded: the warehouse's calendar ends with 2025 too, so the 2026 item has no working days
    workdays.calendar_frame.cache_clear()
    try:
        db = tmp_path / "wh" / "cockpit.duckdb"
        assert load_files([path], db=db).ok
        con, _ = connect_read(db)
        rows = con.execute("select item_name, working_days, calendar_known, is_overdue from approvals "
                           "order by item_name").fetchall()
        con.close()
    finally:
        workdays.calendar_frame.cache_clear()
        workdays._index.cache_clear()
    assert rows == [("施工许可", 4, True, False), ("环评", None, False, False)]
