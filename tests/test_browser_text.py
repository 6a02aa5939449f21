"""What users read, in the real server and headless Chromium: every page's visible text at desktop
and phone width (the page, the text inside its map and chart frames, the cells of its tables, and
the tooltips that show on hover) holds none of the English or raw values that leaked before:
Streamlit's uploader and running indicator, plotly's toolbar, Leaflet's attribution, 「None」/「nan」
in table cells, Streamlit's 「Page not found」, file names and command lines.

Screenshots: artifacts/screenshots/text_<url>_<size>.png (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from browser import DESKTOP, PHONE, cockpit_server, launch, open_page, screenshot
from test_browser_pages import EXPECTED, address

playwright = pytest.importorskip("playwright.sync_api")

# (what, pattern): each found anywhere a user reads is a failure
FORBIDDEN: list[tuple[str, re.Pattern]] = [
    ("空值显示为None", re.compile(r"\bNone\b")),
    ("空值显示为nan/NaN/null", re.compile(r"\b(nan|NaN|null|undefined|NaT)\b")),
    ("上传控件的英文", re.compile(r"\bUpload\b|Drag and drop|per file|or smaller|Browse files")),
    ("plotly工具栏的英文", re.compile(r"Download plot|Autoscale|Zoom in|Zoom out|Reset axes|Pan\b|Box Select|"
                                 r"Produced with Plotly")),
    ("Leaflet署名和国旗", re.compile(r"Leaflet|🇺🇦")),
    ("Streamlit的英文提示", re.compile(r"Page not found|Running\.\.\.|\bStop\b|Made with Streamlit|"
                                   r"Deploy|Please wait|Connecting")),
    ("文件名或命令行", re.compile(r"\.toml\b|python -m|\.venv|\bconfig/")),
]

# the visible text of the page and of its frames, the table cells glide-data-grid draws on a
# canvas (its accessibility table holds the same text), and the titles shown on hover
TEXT_JS = """() => {
    const out = [document.body.innerText];
    for (const el of document.querySelectorAll('[title], [data-title], [placeholder]')) {
        for (const a of ['title', 'data-title', 'placeholder']) { if (el.getAttribute(a)) out.push(el.getAttribute(a)); }
    }
    for (const cell of document.querySelectorAll('[data-testid="stDataFrame"] td, [data-testid="stDataFrame"] th')) {
        out.push(cell.textContent);
    }
    return out.join('\\n');
}"""


def visible_text(page) -> str:
    parts = [page.evaluate(TEXT_JS)]
    for frame in page.frames[1:]:
        try:
            parts.append(frame.evaluate(TEXT_JS))
        except Exception:  # noqa: BLE001 - a frame that went away while reading
            pass
    return "\n".join(parts)


def forbidden_in(text: str) -> list[str]:
    found = []
    for what, pattern in FORBIDDEN:
        for m in pattern.finditer(text):
            around = text[max(0, m.start() - 30): m.end() + 30].replace("\n", " ⏎ ")
            found.append(f"{what}: 「{m.group(0)}」 in …{around}…")
    return found


@pytest.mark.parametrize("text,expected", [
    ("责任单位 None 超期", ["空值显示为None"]),
    ("完成率 nan", ["空值显示为nan/NaN/null"]),
    ("Upload 20MB per file • XLSX", ["上传控件的英文", "上传控件的英文"]),
    ("Download plot as a png", ["plotly工具栏的英文"]),
    ("🇺🇦 Leaflet | 大同", ["Leaflet署名和国旗", "Leaflet署名和国旗"]),
    ("权重在 config/league.toml 中", ["文件名或命令行", "文件名或命令行"]),
    ("南宁 Nanjing 2026年10月 数据截至 无 —", []),
])
def test_the_scan_finds_what_it_should(text, expected):
    assert [f.split(":")[0] for f in forbidden_in(text)] == expected


@pytest.fixture(scope="module")
def server(fixture_db):
    with cockpit_server(fixture_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.mark.parametrize("size,size_name", [(DESKTOP, "desktop"), (PHONE, "phone")])
@pytest.mark.parametrize("url", list(EXPECTED))
def test_no_english_or_raw_values(server, browser, url, size, size_name):
    ctx = browser.new_context(viewport=size)
    page = ctx.new_page()
    try:
        open_page(page, address(server, url), wait_text="数据截至")
        page.wait_for_timeout(800)  # the map and chart frames draw after the script has finished
        found = forbidden_in(visible_text(page))
        screenshot(page, f"text_{url}_{size_name}")
    finally:
        ctx.close()
    assert found == []


def test_root_and_overview_urls_open_the_overview(server, browser):
    """The README's 「/」 and 「/overview」 both open the overview, with the period kept."""
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    try:
        for path in ("/?period=2026-10", "/overview?period=2026-10"):
            open_page(page, server + path, wait_text="数据截至")
            body = page.inner_text("body")
            assert "全市项目建设总览" in body and "Page not found" not in body, path
            assert page.url.split("?")[0].endswith("/overview") and "period=2026-10" in page.url, page.url
    finally:
        ctx.close()
