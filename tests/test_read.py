"""Reading the counties' files: headers, units, sections and totals, quarantine reasons,
file-level faults."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import xlsxwriter

import fixtures
from etl.read import FileError, read_file


def test_merged_header_sections_totals_and_footnotes(tmp_path):
    path = fixtures.write_pingcheng(tmp_path, "2026-10")
    r = read_file(path)
    assert r.period == dt.date(2026, 10, 1)
    assert r.sender == "平城区"  # from 「填报单位：平城区发展和改革局」
    progress = r.sheet("progress")
    assert progress.header_rows == 2
    # the merged group 投资完成情况 over 本月 / 年累计 / 开工累计
    assert progress.mapping["投资完成情况（万元）/本月"] == "completed_month_wan"
    assert progress.mapping["投资完成情况（万元）/年累计"] == "completed_ytd_wan"
    assert progress.mapping["年度计划投资（万元）"] == "annual_plan_wan"
    # section rows, 小计 and 合计 are not projects
    assert progress.rows_read == 3
    acc = progress.accepted.sort("project_code")
    assert acc["project_code"].to_list() == [fixtures.CODES[k] for k in ("B", "A", "C")]
    assert acc["annual_plan_wan"].sum() == 35000
    # 大同市平城区 → 平城区; dates written 2026年3月 / 2026.3 / 2026-05
    row_c = acc.filter(pl.col("project_code") == fixtures.CODES["C"]).row(0, named=True)
    assert row_c["county_code"] == "140213"
    assert row_c["planned_start"] == dt.date(2026, 5, 1)
    row_a = acc.filter(pl.col("project_code") == fixtures.CODES["A"]).row(0, named=True)
    assert (row_a["planned_start"], row_a["actual_start"]) == (dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    assert row_a["library"] == "new_start" and row_a["key_level"] == "municipal"
    assert r.warnings == []  # 合计 matches the rows


def test_gbk_csv_in_yi_yuan_with_bad_rows(tmp_path):
    r = read_file(fixtures.write_yunzhou_csv(tmp_path))
    assert r.period == dt.date(2026, 10, 1) and r.sender == "云州区"
    s = r.sheet("progress")
    assert s.unit == "亿元"
    acc = s.accepted.sort("project_code")
    # 亿元 → 万元
    assert acc["annual_plan_wan"].to_list() == [15000.0, 8000.0]
    assert acc["completed_ytd_wan"].to_list() == [12000.0, 4000.0]
    q = s.quarantine.sort("source_row")
    assert q.select("source_row", "column_name", "value", "rule").rows() == [
        (6, "本月完成投资（万元）", "约500", "非数值金额"),
        (7, "所在县区", "大同市北城区", "未知县区"),
    ]
    # the message names the file, the row, the column and the value
    assert q["message"][0] == "文件「云州区_2026年10月.csv」工作表「云州区_2026年10月」第6行：「本月完成投资（万元）」「约500」不是数字"
    assert "约500" in q["raw"][0]  # the original row is kept


def test_zone_file_without_footnote_gets_sender_from_its_rows(tmp_path):
    r = read_file(fixtures.write_zone(tmp_path))
    assert r.sender == "大同经济技术开发区"
    row = r.sheet("progress").accepted.row(0, named=True)
    assert row["zone_code"] == "140271" and row["county_code"] == "140213"
    assert row["planned_start"] == dt.date(2026, 3, 1)  # written as the Excel serial 46082
    assert r.period == dt.date(2026, 10, 1)  # 「2026年1-10月」


def _write(tmp_path, name, rows, title="2026年10月平城区项目进展情况表"):
    path = tmp_path / name
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, title)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    wb.close()
    return path


HEAD = ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资", "经度", "纬度"]


@pytest.mark.parametrize("row,column,rule", [
    ([None, "无代码项目", "平城区", 100, 10, 50, None, None], "项目代码", "缺少项目代码"),
    (["2026-140213-44-01-12", "代码太短", "平城区", 100, 10, 50, None, None], "项目代码", "项目代码格式错误"),
    (["2026-140213-44-01-000101", "未知县区", "北城区", 100, 10, 50, None, None], "所在县区", "未知县区"),
    (["2026-140213-44-01-000102", "负数", "平城区", -100, 10, 50, None, None], "年度计划投资（万元）", "金额为负"),
    (["2026-140213-44-01-000103", "非数值", "平城区", "约100", 10, 50, None, None], "年度计划投资（万元）",
     "非数值金额"),
    (["2026-140213-44-01-000104", "年累计小于本月", "平城区", 100, 60, 50, None, None], "年累计完成投资（万元）",
     "年累计小于本月"),
    (["2026-140213-44-01-000105", "坐标在北京", "平城区", 100, 10, 50, 116.39, 39.9], "经度", "坐标不在大同市范围内"),
    (["2026-140213-44-01-000106", "经纬度写反", "平城区", 100, 10, 50, 40.08, 113.3], "经度", "坐标不在大同市范围内"),
    (["2026-140213-44-01-000107", "缺少计划", "平城区", None, 10, 50, None, None], "年度计划投资（万元）",
     "缺少年度计划投资"),
])
def test_quarantine_reasons(tmp_path, row, column, rule):
    good = ["2026-140213-44-01-000100", "正常项目", "平城区", 100, 10, 50, 113.30347, 40.08510]
    r = read_file(_write(tmp_path, "2026-10_平城区.xlsx", [HEAD, good, row]))
    s = r.sheet("progress")
    assert s.accepted["project_code"].to_list() == ["2026-140213-44-01-000100"]
    assert s.rows_read == 2 and s.rows_quarantined == 1
    q = s.quarantine.row(0, named=True)
    # row 1 is the title, row 2 the header, row 3 the good project: the bad one is row 4
    assert (q["source_row"], q["column_name"], q["rule"]) == (4, column, rule)
    assert q["message"].startswith("文件「2026-10_平城区.xlsx」工作表「项目进展」第4行：")


def test_duplicates_identical_kept_once_conflicting_both_withheld(tmp_path):
    a = ["2026-140213-44-01-000201", "项目甲", "平城区", 100, 10, 50, None, None]
    b = ["2026-140213-44-01-000202", "项目乙", "平城区", 200, 10, 50, None, None]
    b2 = ["2026-140213-44-01-000202", "项目乙", "平城区", 250, 10, 50, None, None]
    r = read_file(_write(tmp_path, "2026-10_平城区.xlsx", [HEAD, a, a, b, b2]))
    s = r.sheet("progress")
    assert s.accepted["project_code"].to_list() == ["2026-140213-44-01-000201"]
    rules = sorted(s.quarantine.select("source_row", "rule").rows())
    assert rules == [(4, "重复行"), (5, "重复项目数据冲突"), (6, "重复项目数据冲突")]


@pytest.mark.parametrize("name,content,message", [
    ("空文件.xlsx", b"", "是空文件"),
    ("说明.docx", b"PK\x03\x04whatever", "不是支持的表格文件"),
    ("伪装.xlsx", b"this is not a spreadsheet at all", "不是有效的 Excel 文件"),
    ("乱码.csv", b"\x00\x01\x02\x03binary", "不是文本表格"),
    ("无表头.csv", "2026年10月\n1,2,3\n4,5,6\n".encode(), "没有找到项目表"),
])
def test_file_level_faults(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileError) as e:
        read_file(path)
    assert f"文件「{name}」" in str(e.value) and message in str(e.value)


def test_missing_required_column_names_it_and_its_aliases(tmp_path):
    path = _write(tmp_path, "2026-10_平城区.xlsx",
                  [["项目代码", "项目名称", "所在县区", "本月完成投资", "年累计完成投资"],
                   ["2026-140213-44-01-000100", "甲", "平城区", 10, 50]])
    with pytest.raises(FileError) as e:
        read_file(path)
    assert "缺少必需列「年度计划投资（万元）」" in str(e.value)
    assert "年计划投资" in str(e.value)  # the aliases it would have accepted


def test_no_period_is_a_file_error_unless_given(tmp_path):
    rows = [HEAD, ["2026-140213-44-01-000100", "甲", "平城区", 100, 10, 50, None, None]]
    path = _write(tmp_path, "平城区月报.xlsx", rows, title="平城区项目进展情况表")
    with pytest.raises(FileError, match="无法确定数据期间"):
        read_file(path)
    assert read_file(path, period=dt.date(2026, 10, 1)).period == dt.date(2026, 10, 1)


def test_wrong_period_is_refused(tmp_path):
    path = fixtures.write_pingcheng(tmp_path, "2026-10")
    with pytest.raises(FileError, match="期间为2026年10月，与指定的期间2026年9月不符"):
        read_file(path, period=dt.date(2026, 9, 1))


def test_unknown_headers_are_listed_not_fatal(tmp_path):
    path = _write(tmp_path, "2026-10_平城区.xlsx",
                  [HEAD + ["奇怪的列"], ["2026-140213-44-01-000100", "甲", "平城区", 100, 10, 50, None, None, "x"]])
    s = read_file(path).sheet("progress")
    assert s.unrecognised == ["奇怪的列"]
    assert s.accepted.height == 1


def test_yi_yuan_declared_in_header(tmp_path):
    path = _write(tmp_path, "2026-10_平城区.xlsx",
                  [["项目代码", "项目名称", "所在县区", "年度计划投资（亿元）", "年累计完成投资（亿元）"],
                   ["2026-140213-44-01-000100", "甲", "平城区", 1.25, 0.5]])
    acc = read_file(path).sheet("progress").accepted
    assert acc["annual_plan_wan"].to_list() == [12500.0]
    assert acc["completed_ytd_wan"].to_list() == [5000.0]


def test_every_sheet_kind_has_row_rules_columns_and_a_key():
    from etl.read import NORMALISERS
    from etl.schema import SHEET_KINDS, kind_columns

    for k in SHEET_KINDS:
        assert k.name in NORMALISERS, k.name
        names = {c.name for c in kind_columns(k.name)}
        assert set(k.required) <= names and set(k.key) <= names | set(k.derived), k.name
        for sig in (*k.signatures, k.named_signature):
            assert set(sig) <= names, (k.name, sig)


@pytest.mark.parametrize("sheet,headers,title,kind", [
    ("Sheet1", ["项目代码", "项目名称", "年度计划投资"], "", "progress"),
    ("Sheet1", ["项目代码", "项目名称", "本月完成投资"], "", "progress"),  # refused later for the plan
    ("储备库", ["项目代码", "项目名称", "总投资"], "", "reserve"),
    ("Sheet2", ["项目代码", "项目名称", "总投资"], "2026年10月储备项目库", "reserve"),
    ("Sheet2", ["项目代码", "项目名称", "总投资", "前期工作进展"], "", "reserve"),
    # a project list with nothing to say which: not read as reserve by default
    ("Sheet2", ["项目代码", "项目名称", "总投资"], "2026年10月项目清单", None),
    ("问题清单", ["项目代码", "问题描述"], "", "problems"),
    ("Sheet3", ["项目代码", "问题类型", "问题描述"], "", "problems"),
    ("Sheet3", ["项目代码", "存在问题"], "", None),
    ("挂图作战", ["项目代码", "节点名称"], "", "milestones"),
    ("Sheet4", ["项目代码", "节点名称", "计划完成时间"], "", "milestones"),
    ("说明", ["填报说明"], "", None),
])
def test_sheet_kind_from_its_columns(sheet, headers, title, kind):
    from etl.parse import normalise_header
    from etl.read import detect_kind

    assert detect_kind(sheet, [normalise_header(h)[0] for h in headers], title) == kind
