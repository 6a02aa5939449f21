"""The Word documents downloaded in headless Chromium (季度分析 and 项目专报 on the 周报 page, 排队通报
on 比亮晒), opened with python-docx; and the forecast and review blocks on screen, desktop and phone."""

from __future__ import annotations

import io

import docx
import pytest

from browser import DESKTOP, PHONE, PageErrors, cockpit_server, error_boxes, launch, open_page, screenshot

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(fixture_db):
    with cockpit_server(fixture_db) as url:
        with playwright.sync_playwright() as p:
            # the first page a fresh server runs decides its navigation: open the app's root first
            browser = launch(p)
            open_page(browser.new_page(), url + "/", wait_text="数据截至")
            browser.close()
        yield url


def _download(page, label: str) -> tuple[str, docx.Document]:
    with page.expect_download(timeout=180_000) as dl:
        page.get_by_role("button", name=label).click()
    data = open(dl.value.path(), "rb").read()
    return dl.value.suggested_filename, docx.Document(io.BytesIO(data))


def test_quarterly_and_special_download(server):
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
        errors = PageErrors(page)
        open_page(page, server + "/briefing?period=2026-10", wait_text="季度分析与项目专报")
        name, doc = _download(page, "下载季度分析（Word）")
        assert name == "季度分析_2026Q3.docx"
        assert doc.paragraphs[4].text == "大同市2026年第三季度项目建设情况分析"
        assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
            "一、总体情况", "二、分县区、开发区情况", "三、重点工程", "四、存在的问题", "五、下步工作建议"]
        assert len(doc.inline_shapes) == 2
        name, doc = _download(page, "下载项目专报（Word）")
        assert name == "项目专报_2026-10.docx"
        assert {p.text for p in doc.paragraphs if p.style.name == "Heading 1"} == {
            "1. 平城区供热管网改造工程", "2. 云州区黄花产业园"}  # the red key projects, 33.3 behind each
        assert error_boxes(page) == [] and errors.ours() == []
        browser.close()


def test_notice_download(server):
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
        open_page(page, server + "/league?period=2026-10&view=notice", wait_text="下载排队通报（Word）")
        name, doc = _download(page, "下载排队通报（Word）")
        assert name == "排队通报_2026-10.docx"
        assert doc.paragraphs[0].text == "2026年10月全市项目建设“比亮晒”排队通报"
        assert [c.text for c in doc.tables[0].rows[1].cells[:2]] == ["1", "大同经济技术开发区"]
        name, doc = _download(page, "下载大同经济技术开发区通报（Word）")  # the first ranked unit is chosen
        assert name == "排队通报_2026-10_大同经济技术开发区.docx"
        assert doc.paragraphs[0].text.endswith("（大同经济技术开发区）")
        assert error_boxes(page) == []
        browser.close()


@pytest.mark.parametrize("viewport, tag", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_blocks_on_screen(server, viewport, tag):
    """The forecast tiles and the review list render (screenshots for a person to look at)."""
    with playwright.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": viewport["width"], "height": 2400})
        for url, text, name in (("/?period=2026-10", "全市预计全年完成", "overview"),
                                ("/progress?period=2026-10", "全市预计全年完成", "progress"),
                                ("/league?period=2026-10", "重点工程动态调整", "league")):
            open_page(page, server + url, wait_text=text)
            page.get_by_text(text).first.scroll_into_view_if_needed()
            if name != "league":
                assert page.get_by_text("7.32亿元").count() > 0  # 61000 × 12 ÷ 10 万元
            assert error_boxes(page) == []
            screenshot(page, f"documents_{name}_{tag}")
        browser.close()
