"""The Word documents downloaded in headless Chromium (季度分析 and 项目专报 on the 周报 page, 排队通报
on 比亮晒), opened with python-docx. The forecast and review blocks on screen, desktop and phone, are
checked with every page in test_browser_pages (one visit per page and width)."""

from __future__ import annotations

import io

import docx
import pytest

from browser import DESKTOP, PageErrors, error_boxes, open_page, tabs_by_size

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse, warmed up (tests/conftest.py)


@pytest.fixture(scope="module")
def tab(browser):
    """One desktop tab (its context accepts downloads, Playwright's default) for both tests."""
    with tabs_by_size(browser, desktop=DESKTOP) as made:
        yield made["desktop"]


def _download(page, label: str) -> tuple[str, docx.Document]:
    with page.expect_download(timeout=180_000) as dl:
        page.get_by_role("button", name=label).click()
    data = open(dl.value.path(), "rb").read()
    return dl.value.suggested_filename, docx.Document(io.BytesIO(data))


def test_quarterly_and_special_download(server, tab):
    page = tab
    errors = PageErrors(page)
    try:
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
    finally:
        errors.stop()


def test_notice_download(server, tab):
    page = tab
    open_page(page, server + "/league?period=2026-10&view=notice", wait_text="下载排队通报（Word）")
    name, doc = _download(page, "下载排队通报（Word）")
    assert name == "排队通报_2026-10.docx"
    assert doc.paragraphs[0].text == "2026年10月全市项目建设\n“比亮晒”排队通报"
    assert [c.text for c in doc.tables[0].rows[1].cells[:2]] == ["1", "大同经济技术开发区"]
    name, doc = _download(page, "下载大同经济技术开发区通报（Word）")  # the first ranked unit is chosen
    assert name == "排队通报_2026-10_大同经济技术开发区.docx"
    assert doc.paragraphs[0].text.endswith("（大同经济技术开发区）")
    assert error_boxes(page) == []
