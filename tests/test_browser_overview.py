"""The real server in headless Chromium: the overview shows its key figures, no error box,
and makes no request outside its own server."""

from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, PageErrors, cockpit_server, error_boxes, launch, open_page, screenshot, wait_ready

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(fixture_db):
    with cockpit_server(fixture_db) as url:
        yield url


@pytest.mark.parametrize("size,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_overview_in_browser(server, size, name):
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=size)
        errors = PageErrors(page)
        open_page(page, server + "/?period=2026-10")  # the default page lives at "/"
        wait_ready(page, "全市项目建设总览")
        body = page.inner_text("body")
        boxes = error_boxes(page)
        screenshot(page, f"overview_{name}")
        browser.close()
    assert "数据截至2026年10月31日" in body
    assert "8.80亿元" in body  # plan: 88000万元
    assert "6.10亿元" in body  # year to date: 61000万元
    assert "完成率 69.3%" in body
    assert boxes == []
    assert errors.external == []
    assert errors.ours() == []
