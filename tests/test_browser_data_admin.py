"""数据管理 in headless Chromium on the real server: files go through the browser's file input
(Playwright's set_input_files), are checked, and load only after confirmation; a file name
full of markup stays text. Runs on its own warehouse, never the shared one."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixtures
from browser import DESKTOP, PHONE, PageErrors, cockpit_server, error_boxes, open_page, rerun, screenshot, wait_ready
from visible import forbidden_in, visible_text

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
    with rerun(page):
        page.get_by_text("我已核对上面的检查结果，确认加载").click()
    assert load.is_enabled()
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


def _uploader_scan(page, state: str) -> list[str]:
    return [f"{state}: {f}" for f in forbidden_in(visible_text(page))]


def _after(page, selector: str) -> str:
    """The Chinese text CSS draws after the first element matching `selector`."""
    return page.eval_on_selector(selector, "e => getComputedStyle(e, '::after').content")


def test_every_uploader_state_speaks_chinese_on_a_phone(server, browser, tmp_path):
    """Each state of the uploader a user can reach, scanned for Streamlit's English: the empty box,
    a file dragged over it, a file too large, a file of the wrong type, the chip hovered (its
    English tooltip is not shown), a file uploading, an upload that failed on the way."""
    found: list[str] = []
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, has_touch=True)
    open_page(page, server + "/data")
    wait_ready(page, "上传各单位报表")
    found += _uploader_scan(page, "空")
    button = _after(page, "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer']")

    # a file dragged over the box
    drag = page.evaluate_handle("""() => { const dt = new DataTransfer();
        dt.items.add(new File(['a,b'], '平城区.csv', {type: 'text/csv'})); return dt; }""")
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    zone.dispatch_event("dragenter", {"dataTransfer": drag})
    page.locator("[data-testid='stFileUploaderDropzone'] > div > span").first.wait_for(state="attached")
    found += _uploader_scan(page, "拖入")
    dragging = _after(page, "[data-testid='stFileUploaderDropzone'] > div:has(> span)")
    screenshot(page, "uploader_drag_phone")
    zone.dispatch_event("dragleave", {"dataTransfer": drag})

    # too large (refused in the browser, never sent) and of a type the box does not take
    big = tmp_path / "太大的报表.csv"  # a path, not a buffer: the browser reads it from disk
    with big.open("wb") as out:
        out.truncate(21 * 1024 * 1024)
    pdf = tmp_path / "说明.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    _dropzone(page).set_input_files([big, pdf])
    chips = page.locator("[data-testid='stFileChip'][aria-invalid='true']")
    chips.nth(1).wait_for()
    found += _uploader_scan(page, "拒收")
    refused = _after(page, "[data-testid='stFileChip'][aria-invalid='true']")
    chips.first.hover()
    page.locator("[data-testid='stTooltipErrorContent']").first.wait_for(state="attached")
    found += _uploader_scan(page, "拒收提示")
    tooltip = page.locator("[data-testid='stTooltipErrorContent']").first.bounding_box()
    screenshot(page, "uploader_refused_phone")
    for _ in range(2):
        page.locator("[data-testid='stFileChipDeleteBtn'] button").first.click()
    page.locator("[data-testid='stFileChip']").first.wait_for(state="detached")  # both chips gone

    # uploading (the server holds the file a while), then failed on the way
    held: list = []
    page.route("**/_stcore/upload_file/**", lambda route: held.append(route))
    _dropzone(page).set_input_files([{"name": "平城区_2026年10月.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"}])
    page.locator("[data-testid='stFileChipIconSpinner']").first.wait_for()
    found += _uploader_scan(page, "上传中")
    screenshot(page, "uploader_uploading_phone")
    while not held:
        page.wait_for_timeout(100)
    held[0].abort()
    page.locator("[data-testid='stFileChip'][aria-invalid='true']").first.wait_for()
    found += _uploader_scan(page, "上传失败")
    failed = _after(page, "[data-testid='stFileChip'][aria-invalid='true']")
    screenshot(page, "uploader_failed_phone")
    assert found == []
    assert button == '"选择文件"' and dragging == '"松开即可添加文件"'
    assert refused == failed == '"未接收：超过20MB、格式不符或上传中断"'
    assert tooltip is None  # Streamlit's English tooltip is not shown
