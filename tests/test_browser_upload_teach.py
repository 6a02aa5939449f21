"""The upload page in headless Chromium: a department's .xls with a header nobody taught the
cockpit and no 填报单位 line. Staff teach the header (「这一列是：…」), the file is re-checked
at once and asks for its sender next to the 填报单位 control; they choose it from the list and
the file can load. Runs on its own warehouse and its own taught-aliases file."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

import fixtures
from browser import DESKTOP, PHONE, PageErrors, cockpit_server, error_boxes, open_page, rerun, screenshot, wait_ready

playwright = pytest.importorskip("playwright.sync_api")
xlwt = pytest.importorskip("xlwt")

HEAD = ["项目代码", "项目名称", "所在县区", "今年盘子（万元）", "本月完成投资", "年累计完成投资", "责任单位"]
ROWS = [["2026-140213-44-01-000301", "城区供水管网项目", "平城区", 2000, 100, 1500, "市发改委"],
        ["2026-140215-44-01-000302", "云州区污水处理项目", "云州区", 3000, 200, 2400, "市发改委"]]
NAME = "发改委_2026年10月.xls"


def _xls() -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("项目进展")
    ws.write(0, 0, "2026年10月市级项目进展情况表")
    for j, h in enumerate(HEAD):
        ws.write(1, j, h)
    for i, r in enumerate(ROWS, start=2):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def taught_file(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser_taught") / "aliases-taught.toml"


@pytest.fixture(scope="module")
def server(tmp_path_factory, taught_file):
    from etl.warehouse import load_files

    files = fixtures.write_all(tmp_path_factory.mktemp("browser_teach_files"))
    db = tmp_path_factory.mktemp("browser_teach") / "cockpit.duckdb"
    assert load_files([f for f in files if f.name.startswith("2026-09")], db=db).ok
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COCKPIT_TODAY", "2026-11-27")
        mp.setenv("COCKPIT_TAUGHT_ALIASES", str(taught_file))
        with cockpit_server(db) as url:
            yield url


def _choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit selectbox labelled `label`."""
    box = page.get_by_role("combobox", name=label).first
    box.click()
    page.keyboard.type(option)  # the list is long and drawn lazily: filter it first
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def test_teach_a_header_and_choose_the_sender(server, taught_file, browser):
    page = browser.new_page(viewport={**DESKTOP, "height": 2000})
    errors = PageErrors(page)
    open_page(page, server + "/data", wait_text="上传各单位报表")  # the centre, who records the lesson
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        [{"name": NAME, "mimeType": "application/vnd.ms-excel", "buffer": _xls()}])
    page.get_by_text("缺少必需列").first.wait_for(timeout=60_000)
    wait_ready(page)
    screenshot(page, "upload_teach_1_unknown_header_desktop")
    assert "教会表头：本文件有 1 列表头未识别" in page.inner_text("body")

    _choose(page, "这一列是：", "年度计划投资（万元）")
    page.get_by_role("button", name="保存表头识别并重新检查").click()
    page.get_by_text("已保存 1 个表头的识别").first.wait_for(timeout=60_000)
    wait_ready(page)
    body = page.inner_text("body")
    screenshot(page, "upload_teach_2_needs_sender_desktop")
    # re-checked at once: now the only fault is the sender, said next to the control
    assert "缺少必需列" not in body
    assert f"「{NAME}」没有「填报单位：」落款" in body

    _choose(page, "填报单位", "市发展和改革委员会")
    page.get_by_text("1 个可以加载").first.wait_for(timeout=60_000)
    wait_ready(page)
    body = page.inner_text("body")
    screenshot(page, "upload_teach_3_ready_desktop")
    boxes = error_boxes(page)

    phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
    open_page(phone, server + "/data", wait_text="上传各单位报表")
    screenshot(phone, "upload_teach_phone")
    phone_body = phone.inner_text("body")
    assert "填报单位 市发展和改革委员会 · 读取 2 行，采用 2 行，隔离 0 行" in body
    assert boxes == []
    assert errors.external == [] and errors.ours() == []
    entry = tomllib.loads(taught_file.read_text(encoding="utf-8"))["taught"][0]
    assert (entry["header"], entry["column"], entry["by"], entry["file"]) == (
        "今年盘子（万元）", "annual_plan_wan", "测试centre", NAME)
    assert "填报单位" in phone_body and "None" not in phone_body
