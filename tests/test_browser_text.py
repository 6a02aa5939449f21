"""The scan for English and raw values users must never read (tests/visible.py) finds what it
should; every page at desktop and phone width is scanned with it in test_browser_pages (one visit
per page and width serves both checks). And the README's addresses open the overview."""

from __future__ import annotations

import pytest

from browser import DESKTOP, open_page, tabs_by_size
from visible import forbidden_in, visible_text

playwright = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("text,expected", [
    ("责任单位 None 超期", ["空值显示为None"]),
    ("完成率 nan", ["空值显示为nan/NaN/null"]),
    ("Upload 20MB per file • XLSX", ["上传控件的英文", "上传控件的英文"]),
    ("Download plot as a png", ["plotly工具栏的英文"]),
    ("Download as CSV · Fullscreen", ["表格和图表工具栏的英文", "表格和图表工具栏的英文"]),
    ("🇺🇦 Leaflet | 大同", ["Leaflet署名和国旗", "Leaflet署名和国旗"]),
    ("No results", ["下拉框的英文"]),
    ("权重在 config/league.toml 中", ["文件名或命令行", "文件名或命令行"]),
    ("南宁 Nanjing 2026年10月 数据截至 无 —", []),
])
def test_the_scan_finds_what_it_should(text, expected):
    assert [f.split(":")[0] for f in forbidden_in(text)] == expected


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse (tests/conftest.py)


@pytest.fixture(scope="module")
def tab(browser):
    """One desktop tab for this module's tests: each loads the overview from its address into it."""
    with tabs_by_size(browser, desktop=DESKTOP) as made:
        yield made["desktop"]


def test_root_and_overview_urls_open_the_overview(server, tab):
    """The README's 「/」 and 「/overview」 both open the overview, with the period kept."""
    page = tab
    for path in ("/?period=2026-10", "/overview?period=2026-10"):
        open_page(page, server + path, wait_text="数据截至")
        body = page.inner_text("body")
        assert "全市项目建设总览" in body and "Page not found" not in body, path
        assert page.url.split("?")[0].endswith("/overview") and "period=2026-10" in page.url, page.url


TOOLTIP_JS = """() => [...document.querySelectorAll('[data-testid="stTooltipContent"]')]
    .map(e => getComputedStyle(e, '::after').content).join(' ')"""


def test_table_toolbar_speaks_chinese(server, tab):
    """A table's own toolbar, hovered: no CSV button of its own (the page's Chinese downloads write
    percent and units), and each button's tooltip in Chinese."""
    page = tab
    found, tips = [], {}
    open_page(page, server + "/overview?period=2026-10", wait_text="数据截至")
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    table.hover()
    buttons = page.locator("[data-testid='stDataFrame'] [data-testid='stElementToolbarButton']").first
    buttons.wait_for()
    shown = [b for b in page.locator("[data-testid='stDataFrame']").first
             .locator("[data-testid='stElementToolbarButton'] button").all() if b.is_visible()]
    for button in shown:
        table.hover()
        button.hover()
        page.locator("[data-testid='stTooltipContent']").first.wait_for(state="attached")
        page.wait_for_timeout(200)
        tips[button.get_attribute("aria-label")] = page.evaluate(TOOLTIP_JS)
        found += forbidden_in(visible_text(page))
    assert "Download as CSV" not in tips  # hidden
    assert tips == {"Show/hide columns": '"显示或隐藏列"', "Search": '"搜索"', "Fullscreen": '"全屏"'}
    assert found == []


def test_a_search_that_matches_nothing_says_so_in_chinese(server, tab):
    """Typing into a select box what no option holds: Streamlit's 「No results」 gives way to
    「没有匹配的选项」 (CSS on the empty-state span of the pinned Streamlit; a new version that
    renames it fails here)."""
    page = tab
    open_page(page, server + "/overview?period=2026-10", wait_text="数据截至")
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="县区").first
    box.locator("input").click()
    page.keyboard.type("没有这个县")
    empty = page.locator("span.equpb2c9").first
    empty.wait_for(state="attached")
    shown = empty.evaluate("e => getComputedStyle(e, '::after').content")
    found = forbidden_in(visible_text(page))
    assert shown == '"没有匹配的选项"'
    assert "No results" not in page.inner_text("body")
    assert found == []
