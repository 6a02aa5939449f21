"""审批与要素 and the project file's approvals in the real server, headless Chromium, desktop and
phone, on the fixture warehouse: the figures show (tests/fixtures.py), the approval timeline draws
(only a browser shows the plotly SVG), no error box, no console error, nothing fetched from outside.

Screenshots: artifacts/screenshots/approvals_<view>_<size>.png (git-ignored).
"""

from __future__ import annotations

import pytest

from browser import DESKTOP, PHONE, PageErrors, error_boxes, open_page, screenshot, tabs_by_size

playwright = pytest.importorskip("playwright.sync_api")

B = "2024-140213-44-01-000002"
VIEWS = {
    "page": ("approvals?period=2026-10", ["全市审批与要素保障", "数据截至2026年10月31日", "审批事项超时限",
                                         "其中仍在办理 1项", "开工受审批制约的项目（1个）",
                                         "低风险小型项目全流程审批不超过20个工作日", "逾期未落实 1项"]),
    "dossier": (f"dossier?project={B}", ["平城区供热管网改造工程", "项目阶段", "在建",
                                          "正在等待：环评（市生态环境局）已用60个工作日", "要素保障",
                                          "审批事项办理（计划时限与实际用时，工作日）"]),
    "problems": ("problems?period=2026-10", ["13710督办时限（未办结问题 3个）", "超7日未办结"]),
}


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse (tests/conftest.py)


@pytest.fixture(scope="module")
def tabs(browser):
    """One tab per screen size: each view is loaded from its address into it (tests/browser.py)."""
    with tabs_by_size(browser, desktop=DESKTOP, phone=PHONE) as made:
        yield made


@pytest.mark.parametrize("size,size_name", [(DESKTOP, "desktop"), (PHONE, "phone")])
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_in_browser(server, tabs, view, size, size_name):
    path, texts = VIEWS[view]
    page = tabs[size_name]
    page.set_viewport_size({**size, "height": 2400 if view != "problems" else size["height"]})
    errors = PageErrors(page)
    try:
        open_page(page, f"{server}/{path}", wait_text="数据截至")
        body = page.inner_text("body")
        missing = [t for t in texts if t not in body]
        svg_titles = [t.text_content() for t in page.query_selector_all(".js-plotly-plot svg text.gtitle")]
        boxes = error_boxes(page)
        screenshot(page, f"approvals_{view}_{size_name}")
        overflow = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')"
                                 "?.scrollWidth > window.innerWidth + 1")
    finally:
        errors.stop()
    assert missing == [] and boxes == []
    assert errors.external == [] and errors.ours() == []
    if view == "dossier":
        assert any("审批事项办理" in t for t in svg_titles), svg_titles  # the timeline actually drew
    if view == "page":
        assert any("各审批部门审批事项办理情况" in t for t in svg_titles), svg_titles
    assert not overflow  # nothing wider than the phone
