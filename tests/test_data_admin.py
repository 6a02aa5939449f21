"""数据管理: the upload page driven through AppTest's file_uploader on private warehouses,
the template read back through the ETL, the freshness query, and ui/admin.py's functions.

Every test that loads works on its own copy of a small warehouse built by the real ETL from
tests/fixtures.py (never the shared one); 「today」 is fixed at 2026-11-27 (COCKPIT_TODAY).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from apptest import page_test

import fixtures
import queries
from etl.read import FileError, read_file
from etl.template import SHEETS, choices, template_columns, template_xlsx
from etl.warehouse import current_state, load_files
from ui import admin

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "data.py")
TODAY = dt.date(2026, 11, 27)
OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
PC_OCT, PC_SEP, PC_2025 = "2026-10_平城区.xlsx", "2026-09_平城区.xlsx", "2025-10_平城区.xlsx"
YZ, ZONE = "云州区_2026年10月.csv", "经开区月报.xlsx"


# ---------------------------------------------------------------- warehouses

@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return {p.name: p for p in fixtures.write_all(tmp_path_factory.mktemp("admin_files"))}


def _build(tmp_path_factory, files, names) -> Path:
    db = tmp_path_factory.mktemp("admin_base") / "wh" / "cockpit.duckdb"
    result = load_files([files[n] for n in names], db=db, user="初始化", today=TODAY)
    assert result.ok, result.as_dict()
    return db


@pytest.fixture(scope="module")
def base_september(tmp_path_factory, files) -> Path:
    """Only 平城区 for 2025-10 and 2026-09: the data date is 2026-09-30."""
    return _build(tmp_path_factory, files, [PC_2025, PC_SEP])


@pytest.fixture(scope="module")
def base_no_zone(tmp_path_factory, files) -> Path:
    """Every fixture file but the development zone's."""
    return _build(tmp_path_factory, files, [PC_2025, PC_SEP, PC_OCT, YZ])


@pytest.fixture()
def use(copy_warehouse):
    """Copy a base warehouse (state files and pointer) and point the cockpit at the copy."""
    return copy_warehouse


def totals(db: Path, period: dt.date = OCT) -> dict:
    k = queries.run("overview_kpis", db=db, period=period, unit=None, library=None).row(0, named=True)
    return {key: k[key] for key in ("plan_wan", "month_wan", "ytd_wan", "projects")}


# ---------------------------------------------------------------- the page

def unescape(text: str) -> str:
    """What a reader sees of markdown that ui.format.escape() made inert."""
    return html.unescape(text).replace("\u2060", "")


def run_page() -> AppTest:
    at = page_test("data").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, *items) -> AppTest:
    """Upload files: Paths, or (name, bytes) pairs."""
    payload = [(p.name, p.read_bytes(), "application/octet-stream") if isinstance(p, Path)
               else (p[0], p[1], "application/octet-stream") for p in items]
    at.file_uploader(key=f"adm_files_{at.session_state['adm_upload_n']}").set_value(payload).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def confirm_and_load(at: AppTest) -> AppTest:
    n = at.session_state["adm_upload_n"]
    assert at.button(key="adm_load").disabled  # nothing loads before the user confirms
    at.checkbox(key=f"adm_confirm_{n}").check().run()
    assert not at.button(key="adm_load").disabled
    at.button(key="adm_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [unescape(e.value) for e in elements]


def data_date(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("<div class='cockpit-date'>"))


def test_good_files_load_after_confirmation_and_the_page_shows_the_new_data_date(base_september, use, files):
    db = use(base_september)
    at = run_page()
    assert "数据截至2026年9月30日" in data_date(at)
    before = current_state(db)
    upload(at, files[PC_OCT], files[ZONE])
    assert not at.error
    shown = " ".join(texts(at.markdown))
    report = admin.check_upload(PC_OCT, files[PC_OCT].read_bytes(), today=TODAY).report
    assert (f"数据期间 **2026年10月** · 填报单位 **平城区** · 读取 {report.rows_read} 行，"
            f"采用 {report.rows_read} 行，隔离 0 行") in shown
    assert "填报单位 **大同经济技术开发区**" in shown
    assert "与平城区2026年9月的报送相比" in shown
    # header mapping: which column became which field
    mapping = next(d.value for d in at.dataframe if "文件中的表头" in d.value.columns)
    assert ("投资完成情况（万元）/年累计", "年累计完成投资（万元）") in set(zip(mapping["文件中的表头"], mapping["识别为"]))
    # against last month: C is new, totals of the progress sheet
    summary = next(d.value for d in at.dataframe if "本次文件" in d.value.columns)
    row = summary[summary["指标"] == "新增项目（个）"].iloc[0]
    assert row["本次文件"] == "1"
    plan = summary[summary["指标"] == "年度计划投资（万元）"].iloc[0]
    assert (plan["本次文件"], plan["上期"], plan["增减"]) == ("35,000.00", "30,000.00", "+5,000.00")
    assert current_state(db) == before  # checking wrote nothing

    confirm_and_load(at)
    assert "数据截至2026年10月31日" in data_date(at)
    assert any("加载完成：2 个文件已加载" in s.value for s in at.success)
    assert at.session_state["adm_upload_n"] == 1  # the uploader starts empty again
    assert totals(db) == {"plan_wan": 65000.0, "month_wan": 4500.0, "ytd_wan": 45000.0, "projects": 4}
    log = queries.run("admin_history", db=db)
    assert log.filter(pl.col("file_name") == PC_OCT)["sha256"].to_list() == [report.sha256]


def test_bad_rows_in_a_gbk_csv_are_reported_and_the_good_rows_load(base_september, use, files):
    db = use(base_september)
    at = upload(run_page(), files[YZ])
    assert not at.error
    assert "读取 4 行，采用 2 行，隔离 2 行" in " ".join(texts(at.markdown))
    assert any("有 2 行未通过检查" in w for w in texts(at.warning))
    bad = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert sorted(bad["问题"]) == ["未知县区", "非数值金额"]
    assert sorted(bad["行号"]) == [6, 7]
    # the rows to send back, as xlsx
    report = admin.check_upload(YZ, files[YZ].read_bytes(), today=TODAY).report
    wb = openpyxl.load_workbook(io.BytesIO(admin.quarantine_xlsx(report)))
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert "「大同市北城区」" in " ".join(map(str, cells)) and "约500" in cells

    confirm_and_load(at)
    con = duckdb.connect(str(current_state(db)), read_only=True)
    try:
        kept = con.sql("select project_code from stg_progress where sender = '云州区' order by 1").fetchall()
        held = con.sql("select rule from quarantine where sender = '云州区' and not superseded order by 1").fetchall()
    finally:
        con.close()
    assert [k for (k,) in kept] == [fixtures.CODES["E"], fixtures.CODES["F"]]
    assert [h for (h,) in held] == ["未知县区", "非数值金额"]


MISSING_PLAN = ("2026年10月阳高县项目进展情况表\n项目代码,项目名称,所在县区,年累计完成投资\n"
                "2026-140221-44-01-000001,阳高县测试项目,阳高县,100\n").encode("utf-8")


@pytest.mark.parametrize("name,content,message", [
    ("报表.xlsx", b"%PDF-1.4 not a spreadsheet", "不是有效的 Excel 文件"),
    ("报表.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本表格"),
    ("空文件.csv", b"", "是空文件"),
    ("阳高县_2026年10月.csv", MISSING_PLAN, "缺少必需列「年度计划投资（万元）」"),
    (PC_SEP, None, "期间为2026年9月，与指定的期间2026年10月不符"),
])
def test_faulty_files_get_a_clear_message_and_nothing_loads(base_september, use, files, name, content, message):
    db = use(base_september)
    before = current_state(db)
    data = files[name].read_bytes() if content is None else content
    at = upload(run_page(), (name, data))
    errors = texts(at.error)
    assert len(errors) == 1 and message in errors[0] and f"「{name}」" in errors[0]
    assert not [b for b in at.button if b.key == "adm_load"]
    assert current_state(db) == before


def test_a_file_of_another_month_loads_when_that_month_is_chosen(base_september, use, files):
    use(base_september)
    at = run_page()
    at.selectbox(key="adm_period").set_value("auto").run()  # 自动识别
    upload(at, files[PC_SEP])
    assert not at.error
    assert any("内容相同），加载时会跳过" in i for i in texts(at.info))


def test_roll_back_restores_the_earlier_totals_exactly(base_no_zone, use, files):
    db = use(base_no_zone)
    earlier, earlier_state = totals(db), current_state(db).name
    at = run_page()  # as the centre's test account: its name goes into the load history
    confirm_and_load(upload(at, files[ZONE]))
    assert totals(db)["plan_wan"] == earlier["plan_wan"] + 30000

    at.selectbox(key="adm_state").set_value(earlier_state).run()
    assert at.button(key="adm_rollback").disabled
    at.checkbox(key="adm_rb_confirm").check().run()
    at.button(key="adm_rollback").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert totals(db) == earlier
    assert any("已回退到" in s.value for s in at.success)
    log = queries.run("admin_history", db=db)
    back = log.filter(pl.col("action") == "rollback").row(0, named=True)
    assert back["user_name"] == "测试centre" and back["file_name"] == earlier_state
    from accounts import Store
    assert [r["action"] for r in Store().audit_log(2, login="test-centre")] == ["rollback", "load"]
    assert log.filter(pl.col("file_name") == ZONE)["status"].to_list() == ["rolled_back"]
    history = next(d.value for d in at.dataframe if "SHA-256" in d.value.columns)
    assert {"回退", "加载"} <= set(history["操作"]) and "已被回退撤销" in set(history["状态"])
    row = history[history["操作"] == "回退"].iloc[0]
    assert (row["操作人"], row["文件名"], row["读取行数"]) == ("测试centre", f"（恢复到{admin.state_time(earlier_state)}的数据）", "")


def test_uploaded_names_are_never_markup(base_september, use):
    use(base_september)
    name = "<img src=x onerror=alert(1)>[点我](javascript:alert(1))_2026年10月.csv"
    at = upload(run_page(), (name, b"not,a,project,sheet\n1,2,3,4\n"))
    raw = at.error[0].value
    assert not re.search(r"[<>\[\]`*_]", raw)  # every markup character a character reference
    assert unescape(raw).startswith(f"文件「{name}」")


def test_overview_shows_who_has_not_reported(base_september, use):
    use(base_september)
    at = page_test("overview").run()
    assert not at.exception
    line = next(m.value for m in at.markdown if "数据报送" in m.value)
    assert "2026年10月数据报送（截止11月5日）：应报15个单位，已报0个；逾期未报等15个：平城区（22天）" in line


# ---------------------------------------------------------------- the template

def fill_template(period: dt.date, sender: str | None, rows: list[dict], sheet: str = "项目进展") -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(period, sender)))
    ws = wb[sheet]
    labels = [c.value for c in ws[3]]
    for i, row in enumerate(rows):
        for label, value in row.items():
            ws.cell(row=4 + i, column=labels.index(label) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TEMPLATE_ROW = {"项目代码": "2026-140221-44-01-000101", "项目名称": "阳高县测试项目", "所在县区": "阳高县",
                "项目类别": "新开工", "重点工程级别": "市级", "所属行业": "工业", "六新类型": "新材料",
                "投资类型": "企业投资", "总投资（万元）": 5000, "年度计划投资（万元）": 1234.5,
                "本月完成投资（万元）": 100, "年累计完成投资（万元）": 600,
                "计划开工时间": dt.datetime(2026, 3, 1), "经度": 113.75, "纬度": 40.36, "招商引资项目": "是"}


def test_filled_template_reads_cleanly():
    data = fill_template(OCT, "阳高县", [TEMPLATE_ROW])
    r = read_file("模板.xlsx", data=data, today=TODAY)
    assert (r.period, r.sender, r.rows_read, r.rows_accepted, r.rows_quarantined) == (OCT, "阳高县", 1, 1, 0)
    assert [s.sheet for s in r.sheets] == ["项目进展"]  # the empty sheets are left alone
    sheet = r.sheets[0]
    assert sheet.unrecognised == [] and len(sheet.mapping) == len(template_columns("progress"))
    row = sheet.accepted.row(0, named=True)
    assert (row["county_code"], row["library"], row["key_level"], row["annual_plan_wan"], row["planned_start"],
            row["is_promotion"]) == ("140221", "new_start", "municipal", 1234.5, dt.date(2026, 3, 1), True)


def test_every_sheet_of_the_template_is_recognised():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(OCT, None)))
    assert wb.sheetnames == [name for name, _, _ in SHEETS] + ["填报须知"]
    for name, kind, _ in SHEETS:
        assert [c.value for c in wb[name][3] if c.value] == [c.label for c in template_columns(kind)]
    # drop-down lists, with the vocabulary the ETL understands
    ws = wb["项目进展"]
    lists = {next(iter(dv.sqref.ranges)).min_col: dv.formula1 for dv in ws.data_validations.dataValidation
             if dv.type == "list"}
    labels = [c.value for c in ws[3]]
    for col, values in choices("progress").items():
        label = next(c.label for c in template_columns("progress") if c.name == col)
        assert lists[labels.index(label) + 1] == '"' + ",".join(values) + '"'
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(labels.index("年度计划投资（万元）") + 1)
    assert ws.column_dimensions[letter].number_format == "#,##0.00"


def test_template_without_sender_needs_rows_of_one_county_and_an_empty_one_is_refused():
    r = read_file("模板.xlsx", data=fill_template(OCT, None, [TEMPLATE_ROW]), today=TODAY)
    assert r.sender == "阳高县"
    with pytest.raises(FileError, match="只有表头，没有数据行"):
        read_file("模板.xlsx", data=template_xlsx(OCT, "阳高县"), today=TODAY)


def test_department_named_in_the_title_rows_is_the_sender():
    # regression: 「填报单位：」 above the header was ignored, so a department's file spanning
    # several counties was refused for want of a sender
    rows = [TEMPLATE_ROW, {**TEMPLATE_ROW, "项目代码": "2026-140213-44-01-000102", "所在县区": "平城区"}]
    r = read_file("模板.xlsx", data=fill_template(OCT, "市发展和改革委员会", rows), today=TODAY)
    assert r.sender == "市发展和改革委员会" and r.rows_accepted == 2


def test_blank_sender_in_a_footnote_is_not_the_next_label(tmp_path):
    # regression: 「填报单位：    填报人：张三」 gave the sender 「市填报人」
    path = tmp_path / "阳高县_2026年10月.csv"
    path.write_text("2026年10月项目进展\n项目代码,项目名称,所在县区,年度计划投资,年累计完成投资\n"
                    "2026-140221-44-01-000001,测试,阳高县,100,50\n填报单位：    填报人：张三\n", encoding="utf-8")
    assert read_file(path, today=TODAY).sender == "阳高县"


# ---------------------------------------------------------------- freshness

def test_freshness_query(base_no_zone):
    def run(deadline, today):
        return queries.run("admin_freshness", db=base_no_zone, period=OCT, deadline=deadline, today=today, months=3)

    later = dt.date.today() + dt.timedelta(days=1)  # loads are stamped with the real clock
    df = run(later, later + dt.timedelta(days=3))
    assert df.height == 15  # 10 counties and 5 zones
    assert df.filter(pl.col("reported"))["sender"].to_list() == ["平城区", "云州区"]
    assert set(df.filter(pl.col("reported"))["state"]) == {"on_time"}
    missing = df.filter(pl.col("state") == "missing")
    assert missing.height == 13 and set(missing["days_late"]) == {3}
    assert df.filter(pl.col("sender") == "平城区")["projects"].item() == 3

    earlier = dt.date.today() - dt.timedelta(days=4)
    late = run(earlier, dt.date.today()).filter(pl.col("reported"))
    assert set(late["state"]) == {"late"} and set(late["days_late"]) == {4}
    assert set(run(later, later - dt.timedelta(days=1))["state"]) == {"on_time", "pending"}


def test_freshness_expects_recent_departments(tmp_path):
    db = tmp_path / "wh" / "cockpit.duckdb"
    rows = [TEMPLATE_ROW, {**TEMPLATE_ROW, "项目代码": "2026-140213-44-01-000102", "所在县区": "平城区"}]
    path = tmp_path / "部门_2026-09.xlsx"
    path.write_bytes(fill_template(SEP, "市发展和改革委员会", rows))
    assert load_files([path], db=db, today=TODAY).ok
    df = queries.run("admin_freshness", db=db, period=OCT, deadline=dt.date(2026, 11, 5), today=TODAY, months=3)
    dept = df.filter(pl.col("sender") == "市发展和改革委员会").row(0, named=True)
    assert (dept["kind"], dept["state"], dept["days_late"]) == ("department", "missing", 22)
    line = admin.freshness_summary(df, OCT, dt.date(2026, 11, 5)).line()
    assert line.startswith("2026年10月数据报送（截止11月5日）：应报16个单位，已报0个；逾期未报等16个：")


# ---------------------------------------------------------------- ui/admin.py

@pytest.mark.parametrize("today,latest,period,due", [
    (dt.date(2026, 11, 27), None, dt.date(2026, 10, 1), dt.date(2026, 11, 5)),
    (dt.date(2026, 1, 3), None, dt.date(2025, 12, 1), dt.date(2026, 1, 5)),
    (dt.date(2026, 11, 27), dt.date(2026, 11, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 5)),
])
def test_reporting_period_and_deadline(today, latest, period, due):
    assert admin.reporting_period(today, latest) == period
    assert admin.deadline(period, 5) == due


def test_deadline_day_past_month_end_and_period_choices():
    assert admin.deadline(dt.date(2026, 1, 1), 31) == dt.date(2026, 2, 28)
    months = admin.period_choices(TODAY, [dt.date(2020, 1, 1)], back=2)
    assert months == [dt.date(2026, 11, 1), OCT, SEP, dt.date(2020, 1, 1)]


def test_check_upload_refuses_big_files_and_other_types():
    big = admin.check_upload("大.xlsx", b"PK" + b"0" * (1024 * 1024 + 1), max_mb=1)
    assert not big.ok and "超过1MB的上限" in big.error
    assert "只接受 xlsx、xls、csv、parquet" in admin.check_upload("报表.pdf", b"%PDF").error
    xls = admin.check_upload("旧.xls", b"\xd0\xcf\x11\xe0")  # accepted as a type, then found damaged
    assert not xls.ok and "不是支持的格式" not in xls.error
    assert admin.check_upload("../../etc/passwd.csv", b"").name == "passwd.csv"


def test_compare_with_last_month(files):
    report = read_file(files[PC_OCT], today=TODAY)
    previous = pl.DataFrame({
        "kind": ["progress", "progress"], "period": [SEP, SEP],
        "project_code": [fixtures.CODES["A"], "2020-140213-44-01-999999"], "name": ["A", "旧项目"],
        "annual_plan_wan": [10000.0, 1000.0], "completed_month_wan": [1500.0, 0.0],
        "completed_ytd_wan": [7000.0, 500.0], "total_investment_wan": [None, None]})
    summary, changes = admin.compare(report, previous)
    got = {(r["内容"], r["指标"]): (r["本次文件"], r["上期"], r["增减"]) for r in summary.iter_rows(named=True)}
    assert got[("项目进展", "项目数（个）")] == ("3", "2", "+1")
    assert got[("项目进展", "新增项目（个）")][0] == "2"  # B and C
    assert got[("项目进展", "减少项目（个）")][0] == "1"
    assert got[("项目进展", "年累计完成投资（万元）")] == ("18,000.00", "7,500.00", "+10,500.00")
    assert got[("储备项目", "项目数（个）")] == ("1", "—", "—")  # no reserve last month
    assert changes.filter(pl.col("变化").str.starts_with("减少"))["项目名称"].to_list() == ["旧项目"]


def test_state_choices_label_loads_and_roll_backs():
    log = pl.DataFrame({"state_file": ["state-20261127-100000-aaaaaa.duckdb"] * 3 + ["state-20261127-110000-bbbbbb.duckdb"],
                        "action": ["load"] * 3 + ["rollback"], "status": ["loaded"] * 3 + ["rolled_back_to"],
                        "file_name": ["a.xlsx", "b.xlsx", "c.csv", "state-x"]})
    states = ["state-20261127-100000-aaaaaa.duckdb", "state-20261127-110000-bbbbbb.duckdb",
              "state-20261127-120000-cccccc.duckdb", "state-20261127-090000-dddddd.duckdb"]
    got = admin.state_choices(log, states, current="state-20261127-120000-cccccc.duckdb")
    assert list(got) == [states[1], states[0], states[3]]
    assert got[states[0]] == "2026-11-27 10:00:00 加载「a.xlsx、b.xlsx 等3个文件」后的数据"
    assert got[states[1]] == "2026-11-27 11:00:00 回退后的数据"
    assert got[states[3]] == "2026-11-27 09:00:00 的数据"
