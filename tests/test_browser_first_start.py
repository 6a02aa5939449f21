"""A first start: no warehouse yet, so the cockpit builds it from the sample (here the fixture
files, already generated). The build starts at the first request — the sign-in page — so it is
under way while the first user signs in; after sign-in the sidebar shows the Chinese menu (never
the file names app, briefing, data, …), Streamlit's "Stop" is not offered, and whoever arrives
during the build sees its real progress through the three stages.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest

from browser import cockpit_server, screenshot, sign_in
from etl.warehouse import current_state

playwright = pytest.importorskip("playwright.sync_api")

MENU = {"总览", "投资进度", "比亮晒", "重点工程地图", "掌上地图", "项目档案", "领导包联", "问题清单", "审批与要素", "周报",
        "数据管理"}

WATCH_JS = """() => ({
    nav: [...document.querySelectorAll('[data-testid="stSidebarNav"] a')]
        .map(a => a.innerText.trim().split(/\\s+/).pop()),  // the label after the icon's name
    bar: [...document.querySelectorAll('[data-testid="stProgress"]')].map(p => p.innerText.trim()),
    stop: [...document.querySelectorAll('[data-testid="stStatusWidget"] button')]
        .filter(b => b.offsetParent !== null).map(b => b.innerText.trim()),
    done: document.body.innerText.includes("数据截至"),
})"""


def _sample_folder(tmp_path, fixture_files, monkeypatch) -> None:
    """The fixture files as the bundled sample (COCKPIT_SAMPLE) that a first start builds from."""
    sample = tmp_path / "sample"
    sample.mkdir()
    for f in fixture_files:
        shutil.copy(f, sample / f.name)
    (sample / "manifest.json").write_text(json.dumps({"generator": "test"}), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_SAMPLE", str(sample))

def test_first_start_builds_while_signing_in_then_shows_chinese_menu(tmp_path, monkeypatch, fixture_files, browser):
    _sample_folder(tmp_path, fixture_files, monkeypatch)
    db = tmp_path / "wh" / "cockpit.duckdb"
    seen_nav: set[str] = set()
    seen_bar: list[str] = []
    seen_stop: set[str] = set()
    with cockpit_server(db) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        # the sign-in page alone starts the build: nobody has signed in yet when the warehouse appears
        page.goto(url + "/overview")
        page.get_by_label("账号").wait_for(timeout=90_000)
        assert not [a for a in page.query_selector_all('[data-testid="stSidebarNav"] a') if a.is_visible()]
        deadline = time.time() + 120
        while current_state(db) is None and time.time() < deadline:
            page.wait_for_timeout(200)
        assert current_state(db) is not None, "the warehouse was not built while the sign-in page showed"
        sign_in(page, url + "/overview")
        deadline = time.time() + 120
        state = {"done": False}
        while time.time() < deadline:
            try:
                state = page.evaluate(WATCH_JS)
            except playwright.Error as e:  # the page is still loading
                if "Execution context" not in str(e) and "navigat" not in str(e):
                    raise
                page.wait_for_timeout(50)
                continue
            seen_nav.update(state["nav"])
            seen_bar += [b for b in state["bar"] if b and (not seen_bar or seen_bar[-1] != b)]
            if state["bar"]:
                seen_stop.update(state["stop"])
            if state["done"]:
                break
            page.wait_for_timeout(50)
        screenshot(page, "first_start_done")
    assert state["done"], "the overview did not appear after the first start"
    assert seen_nav and seen_nav <= MENU, f"menu items seen: {sorted(seen_nav)}"
    assert not seen_stop, seen_stop
    assert not seen_bar, f"the build had finished before sign-in, yet a bar showed: {seen_bar}"


def test_first_start_bar_reports_each_stage(tmp_path, monkeypatch, fixture_files):
    """Whoever signs in while the build runs sees its real progress: the shared build's bar text
    moves through the three stages with counts (the sign-in page itself starts the build)."""
    from ui.data import FirstBuild, _build

    _sample_folder(tmp_path, fixture_files, monkeypatch)
    db = tmp_path / "wh" / "cockpit.duckdb"
    monkeypatch.setenv("COCKPIT_DB", str(db))
    build, texts = FirstBuild(), []

    def watch():
        while not build.done:
            if not texts or texts[-1] != build.text:
                texts.append(build.text)
            time.sleep(0.005)

    import threading

    watcher = threading.Thread(target=watch)
    watcher.start()
    _build(str(db), build)
    watcher.join()
    assert build.error is None and current_state(db) is not None
    assert texts[0] == "准备示例数据"
    assert any(t.startswith("第2步（共3步）：检查报表") and t.endswith("个文件") for t in texts), texts
    assert build.share == 1.0 or any(t.startswith("第3步（共3步）") for t in texts), texts
