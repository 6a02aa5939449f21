"""Every page in the real server, in headless Chromium, at desktop and phone size, on the fixture
warehouse: the page's title and its key figures show, none of the English or raw values users must
never read (tests/visible.py), no Streamlit error box, no console error
from our code, no request outside our own server. Then three users' sessions at once.

Screenshots go to artifacts/screenshots/pages_<url>_<size>.png (git-ignored).
Expected figures are the fixture's hand-worked answers (tests/fixtures.py), 2026-10.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import (DESKTOP, PHONE, PageErrors, error_boxes, open_page, screenshot, signed_in_state, tabs_by_size,
                     wait_frames_drawn, wait_ready)
from visible import forbidden_in, visible_text

playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "本页面正在建设中"
DATE = "数据截至2026年10月31日"
# the data date shows and Streamlit has stopped running the script
RENDERED_JS = """() => document.body.innerText.includes("数据截至")
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""

# url_path → (extra URL query, the page's own title, texts that must show on it)
EXPECTED: dict[str, tuple[str, str, list[str]]] = {
    # 预计全年完成 7.32亿元 = 61000 × 12 ÷ 10 万元
    "overview": ("", "全市项目建设总览", ["8.80亿元", "6.10亿元", "完成率 69.3%", "红 2 · 黄 0 · 绿 2", "全市预计全年完成",
                                    "7.32亿元"]),
    "progress": ("", "全市投资进度", ["8.80亿元", "6.10亿元", "0.60亿元", "落后序时进度14.0个百分点", "全市预计全年完成",
                                  "7.32亿元"]),
    "league": ("", "比亮晒", ["红榜：大同经济技术开发区", "末位：云州区", "85.7分", "重点工程动态调整"]),
    "map": ("", "重点工程地图", ["4个重点工程", "总投资 13.00亿元", "红 2 黄 0 绿 2"]),
    "mobile": ("", "掌上地图", ["4个重点工程", "平城区供热管网改造工程", "完成率50.0%"]),
    "dossier": ("project=2024-140213-44-01-000002", "项目档案",
                ["平城区供热管网改造工程", "8.00亿元", "完成率 50.0%", "已逾期31天"]),
    "leaders": ("", "领导包联重点工程", ["王建国", "李明", "未明确包联领导的重点工程（1个）"]),
    "problems": ("", "全市项目问题清单", ["资金缺口3000万元", "用地未落实", "超期61天", "25.0%"]),
    "approvals": ("", "全市审批与要素保障", ["审批事项超时限", "其中仍在办理 1项", "市生态环境局"]),
    # the briefing draws its title inside its 16:9 view (an SVG)
    "briefing": ("", "周报", ["8.80亿元", "6.10亿元", "占年度计划投资8.80亿元的69.3%"]),
    "data": ("", "数据管理", ["上传与加载", "加载历史与回退"]),
}


def registered_pages() -> list[str]:
    """url_path of every page file app.py registers, in its order."""
    return re.findall(r'st\.Page\("pages/[a-z_]+\.py"[^)]*url_path="([^"]+)"',
                      (ROOT / "app.py").read_text(encoding="utf-8"))


def address(base: str, url: str) -> str:
    """Every page at its own url_path, the overview too (「/」 forwards to 「/overview」)."""
    query = EXPECTED[url][0]
    return f"{base}/{url}?{query + '&' if query else ''}period=2026-10"


def test_every_page_has_expectations():
    assert set(registered_pages()) == set(EXPECTED), "每个页面都应在 EXPECTED 中写明标题和关键数字"


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse (tests/conftest.py)


def problems_on(page, errors: PageErrors, url: str) -> list[str]:
    """Everything wrong with a rendered page, as readable lines (empty: all good)."""
    _, title, texts = EXPECTED[url]
    body = page.inner_text("body")
    headings = [h.text_content() for h in page.query_selector_all("h1, svg text")]
    found: list[str] = []
    if PLACEHOLDER in body:
        found.append(f"{url}: still a placeholder (「{PLACEHOLDER}」)")
    if not any(title in h for h in headings):
        found.append(f"{url}: title 「{title}」 not in headings {headings[:5]}")
    if DATE not in body:
        found.append(f"{url}: no 「{DATE}」")
    missing = [t for t in texts if t not in body]
    if missing:
        found.append(f"{url}: missing {missing}")
    boxes = error_boxes(page)
    if boxes:
        found.append(f"{url}: error boxes {[b[:200] for b in boxes]}")
    if errors.external:
        found.append(f"{url}: external requests {errors.external[:5]}")
    if errors.ours():
        found.append(f"{url}: console errors {[e[:200] for e in errors.ours()[:5]]}")
    return found


@pytest.fixture(scope="module")
def tabs(browser):
    """One tab per screen size for the page tour: each page is loaded from its address into it."""
    with tabs_by_size(browser, desktop=DESKTOP, phone=PHONE) as made:
        yield made


@pytest.mark.parametrize("size_name", ["desktop", "phone"])
@pytest.mark.parametrize("url", list(EXPECTED))
def test_page_in_browser(server, tabs, url, size_name):
    page = tabs[size_name]
    errors = PageErrors(page)  # this page's own: recorded from its load on
    try:
        open_page(page, address(server, url), wait_text="数据截至")
        found = problems_on(page, errors, url)
        wait_frames_drawn(page)  # the map and chart frames draw after the script has finished
        found += [f"{url}: {f}" for f in forbidden_in(visible_text(page))]
        screenshot(page, f"pages_{url}_{size_name}")
    finally:
        errors.stop()
    assert found == []


# three users at once: what each one's 投资进度 shows and the other two must not (their scopes'
# 年度计划投资: the city 88000万元, 平城区 A+B+C 35000万元, 云州区 E+F 23000万元)
USERS = {("centre", None): "8.80亿元", ("unit", "平城区"): "3.50亿元", ("unit", "云州区"): "2.30亿元"}


def test_three_users_at_once_each_get_their_own_data(server, browser):
    """Three users' sessions run the same page at the same moment in one server process, and each
    gets its own scope's figures (a session's scope leaking into another's would show another
    total). The load measurement — many sessions at once — is tests/bench.py's."""
    ctxs = [browser.new_context(viewport=DESKTOP, storage_state=signed_in_state(browser, server + "/", role=r, unit=u))
            for r, u in USERS]
    try:
        tabs = [c.new_page() for c in ctxs]
        errors = [PageErrors(t) for t in tabs]
        for tab in tabs:
            tab.goto(f"{server}/progress?period=2026-10", wait_until="commit")
        found: list[str] = []
        for tab, (user, own) in zip(tabs, USERS.items()):
            try:  # a correctness check, not a measurement: time enough for a busy machine
                tab.wait_for_function(RENDERED_JS, timeout=240_000, polling=250)
            except Exception as e:  # a page that never renders is reported with the others
                found.append(f"{user}: did not render ({type(e).__name__})")
                screenshot(tab, f"sessions_{user[0]}_{user[1] or 'city'}_not_rendered")
                continue
            wait_ready(tab, "数据截至", timeout_ms=30_000)
            body = tab.inner_text("body")
            others = [t for t in USERS.values() if t != own and t in body]
            if own not in body or others:
                found.append(f"{user}: shows {others or 'not'} {own}")
            if error_boxes(tab) or errors[tabs.index(tab)].ours():
                found.append(f"{user}: errors {error_boxes(tab)[:2]} {errors[tabs.index(tab)].ours()[:2]}")
            screenshot(tab, f"sessions_{user[0]}_{user[1] or 'city'}")
    finally:
        for c in ctxs:
            c.close()
    assert found == []


def test_table_download_made_on_click(server, tabs, tmp_path):
    """Table files are made when the button is clicked (ui.widgets.downloads): the overview's
    county table arrives as an xlsx with its title and Chinese headers, and as a csv."""
    import openpyxl

    page = tabs["desktop"]  # its context accepts downloads (Playwright's default)
    open_page(page, address(server, "overview"), wait_text="数据截至")
    with page.expect_download(timeout=60_000) as xlsx_dl:
        page.get_by_role("button", name="下载 Excel").first.click()
    xlsx = tmp_path / xlsx_dl.value.suggested_filename
    xlsx_dl.value.save_as(xlsx)
    with page.expect_download(timeout=60_000) as csv_dl:
        page.get_by_role("button", name="下载 CSV").first.click()
    csv_text = Path(csv_dl.value.path()).read_bytes().decode("utf-8-sig")
    assert xlsx.suffix == ".xlsx" and "2026-10" in xlsx.name
    cells = [c for row in openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True) for c in row if c]
    assert any("分县区投资完成情况" in str(c) for c in cells)
    assert "县区/开发区" in cells and "平城区" in cells
    assert csv_text.startswith("县区/开发区") and "平城区" in csv_text
