"""The upload page as county and department staff use it: .xls files, the 填报单位 chosen from
the units list (a file that needs it says so next to the control), and a header taught once
(「这一列是：…」) that re-checks the file at once and serves every later file."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import tomllib
from pathlib import Path

import polars as pl
import pytest
import xlwt

import fixtures
import queries
from apptest import page_test
from etl import schema, taught
from etl.read import read_file
from etl.warehouse import load_files
from ui import admin

TODAY = dt.date(2026, 11, 27)
HEAD = ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资", "责任单位"]
ROWS = [["2026-140213-44-01-000301", "城区供水管网项目", "平城区", 2000, 100, 1500, "市发改委"],
        ["2026-140215-44-01-000302", "云州区污水处理项目", "云州区", 3000, 200, 2400, "市发改委"]]


def xls(title: str, head: list[str], rows: list[list], footer: str | None = None) -> bytes:
    """An Excel 97-2003 workbook as a department saves it."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("项目进展")
    ws.write(0, 0, title)
    for j, h in enumerate(head):
        ws.write(1, j, h)
    for i, r in enumerate(rows, start=2):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    if footer:
        ws.write(len(rows) + 3, 0, footer)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    files = fixtures.write_all(tmp_path_factory.mktemp("teach_files"))
    db = tmp_path_factory.mktemp("teach_base") / "wh" / "cockpit.duckdb"
    assert load_files([f for f in files if f.name.startswith("2026-09")], db=db, today=TODAY).ok
    return db


@pytest.fixture()
def page(base, copy_warehouse, tmp_path, monkeypatch):
    """The data page on a private copy of the warehouse, with a private taught-aliases file."""
    copy_warehouse(base)
    monkeypatch.setenv("COCKPIT_TAUGHT_ALIASES", str(tmp_path / "aliases-taught.toml"))
    taught.refresh()
    at = page_test("data").run()
    assert not at.exception, [e.value for e in at.exception]
    yield at
    monkeypatch.delenv("COCKPIT_TAUGHT_ALIASES")
    taught.refresh()


def upload(at, name: str, data: bytes):
    at.file_uploader(key=f"adm_files_{at.session_state['adm_upload_n']}").set_value(
        [(name, data, "application/octet-stream")]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(elements) -> str:
    return " ".join(html.unescape(re.sub(r"\\(.)", r"\1", e.value)) for e in elements)


def test_an_xls_file_is_checked_like_any_other(page):
    data = xls("2026年10月平城区项目进展情况表", HEAD, ROWS[:1], "填报单位：平城区发展和改革局")
    at = upload(page, "平城区_2026年10月.xls", data)
    assert not at.error, shown(at.error)
    assert "读取 1 行，采用 1 行，隔离 0 行" in shown(at.markdown)


def test_the_sender_is_chosen_from_the_units_and_a_file_that_needs_it_says_so(page):
    choices = page.selectbox(key="adm_unit").options
    assert choices[:3] == ["按文件落款识别", "平城区", "云冈区"]
    assert "市本级" in choices and "市发展和改革委员会" in choices and "市发改委" not in choices
    data = xls("2026年10月项目进展情况表", HEAD, ROWS)  # no 填报单位 line, two counties
    at = upload(page, "部门报表_2026年10月.xls", data)
    assert "无法确定填报单位" in shown(at.error) and "请在上方「填报单位」中选择" in shown(at.error)
    assert "「部门报表_2026年10月.xls」没有「填报单位：」落款" in shown(at.warning)
    at.selectbox(key="adm_unit").set_value("市发展和改革委员会").run()
    assert not at.exception and not at.error, shown(at.error)
    assert "填报单位 **市发展和改革委员会**" in shown(at.markdown).replace("\\", "")
    assert "没有「填报单位：」落款" not in shown(at.warning)


def test_a_header_taught_once_rechecks_the_file_and_serves_later_files(page, tmp_path):
    head = [*HEAD[:3], "今年盘子（万元）", *HEAD[4:]]  # a spelling no alias knows
    data = xls("2026年10月平城区项目进展情况表", head, ROWS[:1], "填报单位：平城区")
    at = upload(page, "平城区_2026年10月.xls", data)
    assert "缺少必需列「年度计划投资（万元）」" in shown(at.error)
    key = next(s.key for s in at.selectbox if s.key.endswith("_teach_0"))
    assert at.selectbox(key=key).label == "这一列是："
    at.selectbox(key=key).set_value("annual_plan_wan").run()
    next(b for b in at.button if b.key.endswith("_teach_save")).click().run()  # taught by the signed-in user
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, shown(at.error)
    assert "已保存 1 个表头的识别" in shown(at.success)
    assert "读取 1 行，采用 1 行，隔离 0 行" in shown(at.markdown)
    # saved with who, when and from which file, in a file people can read
    text = (tmp_path / "aliases-taught.toml").read_text(encoding="utf-8")
    entry = tomllib.loads(text)["taught"][0]
    assert (entry["header"], entry["column"], entry["by"], entry["file"]) == (
        "今年盘子（万元）", "annual_plan_wan", "测试centre", "平城区_2026年10月.xls")
    assert re.search(r"# \d{4}-\d\d-\d\d \d\d:\d\d 测试centre 教会：「今年盘子（万元）」是「年度计划投资（万元）」", text)
    # a later file from another county, read by the command line's reader, knows it too
    later = xls("2026年10月云州区项目进展情况表", head, ROWS[1:], "填报单位：云州区")
    r = read_file(Path("云州区.xls"), data=later, today=TODAY)
    assert r.rows_accepted == 1 and r.sheets[0].accepted["annual_plan_wan"].to_list() == [3000.0]


def test_teaching_refuses_a_header_that_already_means_another_column(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_TAUGHT_ALIASES", str(tmp_path / "t.toml"))
    taught.refresh()
    with pytest.raises(ValueError, match="已表示「年累计完成投资（万元）」"):
        taught.teach([taught.Lesson("年累计完成投资", "annual_plan_wan")], "张三")
    with pytest.raises(ValueError, match="操作人"):
        taught.teach([taught.Lesson("某列", "annual_plan_wan")], " ")
    assert not (tmp_path / "t.toml").exists()
    monkeypatch.delenv("COCKPIT_TAUGHT_ALIASES")
    taught.refresh()


def test_a_two_row_header_is_taught_as_top_and_sub():
    assert taught.lesson_header("投资完成情况/今年以来", 2) == "投资完成情况|今年以来"
    assert taught.lesson_header("总投资/万元", 1) == "总投资/万元"


def test_the_refused_upload_is_in_the_history_when_others_load(page):
    at = page
    good = xls("2026年10月平城区项目进展情况表", HEAD, ROWS[:1], "填报单位：平城区")
    bad = xls("2026年10月项目进展情况表", HEAD, ROWS)
    at.file_uploader(key="adm_files_0").set_value([("平城区.xls", good, "application/octet-stream"),
                                                  ("部门.xls", bad, "application/octet-stream")]).run()
    at.checkbox(key="adm_confirm_0").check().run()
    at.button(key="adm_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    log = queries.run("admin_history")
    refused = log.filter(pl.col("action") == "refused").row(0, named=True)
    assert refused["file_name"] == "部门.xls" and "无法确定填报单位" in refused["message"]
    history = admin.history_frame(log)
    assert "拒收" in set(history["操作"])


def test_sender_choices_put_units_first_and_departments_once():
    units = pl.DataFrame({"name": ["云冈区", "平城区", "市本级"], "sort_order": [1, 0, 200]})
    got = admin.sender_choices(units, ["市发改委", "市项目推进中心", "平城区"])
    assert got[:4] == ["", "平城区", "云冈区", "市本级"]
    assert got.count("市发展和改革委员会") == 1 and "市发改委" not in got and "市项目推进中心" in got
    assert schema.columns()  # the aliases still read after the taught file moved back


def test_every_sheet_is_listed_with_skipped_ones_saying_why():
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("填报说明").write(0, 0, "请按要求填写，金额单位为万元")
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, "2026年10月平城区项目进展情况表")
    ws.write_row(1, 0, HEAD)
    ws.write_row(2, 0, ROWS[0])
    ws.write(4, 0, "填报单位：平城区")
    wb.close()
    c = admin.check_upload("平城区.xlsx", buf.getvalue(), today=TODAY)
    frame = admin.sheets_frame(c.report)
    assert frame["工作表"].to_list() == ["项目进展", "填报说明"]
    assert frame["内容"][0] == "项目进展" and frame["内容"][1].startswith("已跳过：")
    assert frame["读取行数"].to_list() == [1, None]


def test_a_taught_header_with_line_breaks_and_quotes_stays_one_entry(tmp_path, monkeypatch):
    """A header as written may hold anything: it must not break the file or add entries."""
    target = tmp_path / "t.toml"
    monkeypatch.setenv("COCKPIT_TAUGHT_ALIASES", str(target))
    taught.refresh()
    header = '今年\n盘子"]]\n[[taught]]\ncolumn = "name'
    taught.teach([taught.Lesson(header, "annual_plan_wan")], '张"三\n', file_name="a\nb.xlsx")
    entries = tomllib.loads(target.read_text(encoding="utf-8"))["taught"]
    assert len(entries) == 1 and entries[0]["header"] == header and entries[0]["column"] == "annual_plan_wan"
    monkeypatch.delenv("COCKPIT_TAUGHT_ALIASES")
    taught.refresh()


def test_untaught_headers_of_a_file_that_was_read():
    head = [*HEAD, "项目代码", "今年的备注栏"]  # a repeated column is not «untaught»; a new header is
    data = xls("2026年10月平城区项目进展情况表", head, [[*ROWS[0], ROWS[0][0], "无"]], "填报单位：平城区")
    c = admin.check_upload("平城区.xls", data, today=TODAY)
    assert c.ok and [u.written for u in c.untaught] == ["今年的备注栏"]
    assert taught.untaught_headers("平城区.xls", data) == c.untaught
