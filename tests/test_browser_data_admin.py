"""数据管理 in headless Chromium on the real server: files go through the browser's file input
(Playwright's set_input_files), are checked, and load only after confirmation; a file name
full of markup stays text. Runs on its own warehouse, never the shared one."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixtures
from browser import DESKTOP, PHONE, PageErrors, cockpit_server, error_boxes, open_page, screenshot, wait_ready

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return {p.name: p for p in fixtures.write_all(tmp_path_factory.mktemp("browser_admin_files"))}


@pytest.fixture(scope="module")
def server(tmp_path_factory, files):
    """A cockpit holding only 平城区's 2025-10 and 2026-09 reports; today is 2026-11-27."""
    from etl.warehouse import load_files

    db = tmp_path_factory.mktemp("browser_admin") / "cockpit.duckdb"
    assert load_files([files["2025-10_平城区.xlsx"], files["2026-09_平城区.xlsx"]], db=db).ok
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COCKPIT_TODAY", "2026-11-27")
        with cockpit_server(db) as url:
            yield url


def _dropzone(page):
    return page.locator("[data-testid='stFileUploaderDropzoneInput']").first


def test_upload_check_confirm_load(server, files, browser):
    page = browser.new_page(viewport={**DESKTOP, "height": 2200})
    errors = PageErrors(page)
    open_page(page, server + "/data")
    wait_ready(page, "上传各单位报表")
    assert "数据截至2026年9月30日" in page.inner_text("body")
    _dropzone(page).set_input_files([files["2026-10_平城区.xlsx"], files["云州区_2026年10月.csv"]])
    page.get_by_text("2 个可以加载").first.wait_for(timeout=60_000)
    wait_ready(page)
    body = page.inner_text("body")
    screenshot(page, "data_admin_check_desktop")
    assert "填报单位 云州区 · 读取 4 行，采用 2 行，隔离 2 行" in body
    assert "有 2 行未通过检查" in body and "下载未导入行清单（Excel）" in body
    load = page.get_by_role("button", name="加载 2 个文件到驾驶舱")
    assert load.is_disabled()
    page.get_by_text("我已核对上面的检查结果，确认加载").click()
    wait_ready(page)
    load.click()
    page.get_by_text("加载完成").first.wait_for(timeout=60_000)
    wait_ready(page)
    body = page.inner_text("body")
    screenshot(page, "data_admin_loaded_desktop")
    boxes = error_boxes(page)
    assert "数据截至2026年10月31日" in body
    assert "加载完成：2 个文件已加载" in body
    assert boxes == []
    assert errors.external == []
    assert errors.ours() == []


def test_markup_in_a_file_name_stays_text_on_a_phone(server, browser):
    name = "<img src=x onerror=alert(1)><b>粗<i>[点我](javascript:alert(1)).csv"  # no 「/」: not in file names
    page = browser.new_page(viewport=PHONE, device_scale_factor=2)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, server + "/data")
    wait_ready(page, "上传各单位报表")
    _dropzone(page).set_input_files([{"name": name, "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"}])
    page.get_by_text("中没有找到项目表").first.wait_for(timeout=60_000)
    wait_ready(page)
    alert = page.locator("[data-testid='stAlertContentError']").first
    shown = alert.inner_text()
    injected = alert.locator("img, b, i, a").count()
    screenshot(page, "data_admin_error_phone")
    assert f"文件「{name}」" in shown
    assert injected == 0 and dialogs == []
