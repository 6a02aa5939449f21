"""The briefing (周报) in headless Chromium at 1920×1080: the whole 16:9 view is on screen with its
figures, no error box, no request outside the server; its page PNG and pack download."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from browser import PHONE, PageErrors, error_boxes, open_page, screenshot, tabs_by_size

playwright = pytest.importorskip("playwright.sync_api")

SCREEN = {"width": 1920, "height": 1080}
URL = "/briefing?period=2026-10"


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse, warmed up (tests/conftest.py)


@pytest.fixture(scope="module")
def tabs(browser):
    """A 1920×1080 tab and a phone's, each test loading the briefing from its address into one."""
    with tabs_by_size(browser, screen=SCREEN, phone={"viewport": PHONE, "device_scale_factor": 2}) as made:
        yield made


def _view_box(page) -> dict:
    return page.eval_on_selector(".briefing-view svg", "e => { const r = e.getBoundingClientRect();"
                                 " return {x: r.x, y: r.y, w: r.width, h: r.height}; }")


def test_briefing_view_fits_a_1920x1080_screen(server, tabs):
    page = tabs["screen"]
    errors = PageErrors(page)
    open_page(page, server + URL, wait_text="数据分析")
    box = _view_box(page)
    view_text = page.inner_text(".briefing-view")
    boxes = error_boxes(page)
    screenshot(page, "briefing_1920")
    errors.stop()
    # the whole view is on screen, at 16:9 and a readable size
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["w"] <= SCREEN["width"] and box["y"] + box["h"] <= SCREEN["height"], box
    assert abs(box["w"] / box["h"] - 16 / 9) < 0.01, box
    assert box["w"] >= 1400, box
    for expected in ["2026年10月", "数据截至2026年10月31日", "8.80亿元", "6.10亿元", "69.3%", "1. 大同经济技术开发区",
                     "平城区供热管网改造工程", "新转红", "资金缺口3000万元", "61天"]:
        assert expected in view_text, expected
    assert boxes == []
    assert errors.external == []
    assert errors.ours() == []


def test_briefing_on_a_phone_is_stacked_and_readable(server, tabs):
    """A phone gets the same content stacked (title, data date, notices, figures,
    charts) instead of the 16:9 drawing shrunk to a third of its size; the drawing stays
    for the download."""
    page = tabs["phone"]
    open_page(page, server + URL, wait_text="数据分析")
    view_shown = page.evaluate("() => { const v = document.querySelector('.briefing-view');"
                               " return !!v && v.getBoundingClientRect().width > 0; }")
    phone_text = " ".join(page.locator(".st-key-briefing_phone, .st-key-briefing_phone_body").all_inner_texts())
    overflow = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    screenshot(page, "briefing_phone")
    assert not view_shown
    assert "周报（2026年10月）" in phone_text and "数据截至2026年10月31日" in phone_text
    assert "6.10亿元" in phone_text, phone_text[:400]
    assert overflow <= PHONE["width"]


def test_briefing_downloads_page_png_and_pack(server, tabs):
    page = tabs["screen"]  # its context accepts downloads (Playwright's default)
    open_page(page, server + URL, wait_text="数据分析")
    with page.expect_download(timeout=120_000) as png_dl:
        page.get_by_text("下载单页PNG").click()
    with page.expect_download(timeout=120_000) as zip_dl:
        page.get_by_text("下载周报包").click()
    png_name, png = png_dl.value.suggested_filename, open(png_dl.value.path(), "rb").read()
    zip_name, pack = zip_dl.value.suggested_filename, open(zip_dl.value.path(), "rb").read()
    assert png_name == "周报_2026-10.png"
    assert Image.open(io.BytesIO(png)).size == (3072, 1728)
    assert zip_name == "周报_2026-10.zip"
    names = zipfile.ZipFile(io.BytesIO(pack)).namelist()
    assert {"周报_2026-10.png", "周报_2026-10.pdf", "周报数据_2026-10.xlsx", "数据分析_2026-10.txt"} <= set(names)
