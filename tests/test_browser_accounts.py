"""Accounts in headless Chromium: a deep link survives signing in, each role gets exactly its
rows, URL tampering shows 「无权查看」, sign-out, the lockout, session expiry and the demo
accounts on the sign-in page."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from accounts import Store
from accounts.store import _token_hash
from browser import (DESKTOP, PHONE, SERVERS, account_for_server, error_boxes, open_page, rerun, screenshot, sign_in,
                     tabs_by_size, wait_ready)
from etl import config
from fixtures import CODES

playwright = pytest.importorskip("playwright.sync_api")

B = CODES["B"]  # 平城区
E = CODES["E"]  # 云州区


@pytest.fixture(scope="module")
def server(fixture_server):
    return fixture_server  # the test process's server on the fixture warehouse (tests/conftest.py)


@pytest.fixture(scope="module")
def tab(browser):
    with tabs_by_size(browser, desktop=DESKTOP) as made:
        yield made["desktop"]


@pytest.fixture()
def page(tab):
    """The module's desktop tab, as a new visitor's: no cookie, no signed-in user, desktop size
    (one tab for the module keeps the app's scripts compiled between its tests)."""
    tab.context.clear_cookies()
    tab.context._cockpit_user = None  # open_page signs in anew
    tab.set_viewport_size(DESKTOP)
    yield tab
    for other in tab.context.pages:
        if other is not tab:
            other.close()


def body(page) -> str:
    return page.inner_text("body")


def test_deep_link_kept_through_sign_in(server, page):
    page.goto(f"{server}/dossier?project={B}")
    page.get_by_label("账号").wait_for(timeout=90_000)
    text = body(page)
    assert "登录" in text and "平城区供热管网改造工程" not in text  # nothing of the page before signing in
    screenshot(page, "accounts_sign_in_desktop")
    sign_in(page, None, role="centre")  # on the form the deep link showed
    wait_ready(page, "平城区供热管网改造工程")
    assert page.url == f"{server}/dossier?project={B}"
    assert not error_boxes(page)
    # a reload and a new tab stay signed in (the session cookie)
    page.reload()
    wait_ready(page, "平城区供热管网改造工程")
    tab = page.context.new_page()
    tab.goto(f"{server}/progress?period=2026-10")
    wait_ready(tab, "数据截至")
    assert "账号" not in [e.inner_text() for e in tab.query_selector_all("label")]
    # signing out ends the session in every tab
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("账号").wait_for(timeout=60_000)
    assert "已退出登录" in body(page)
    tab.reload()
    tab.get_by_label("账号").wait_for(timeout=60_000)


@pytest.mark.parametrize("path", ["//evil.test/x", "/%2F%2Fevil.test/x", "/%5Cevil.test/x"])
def test_no_page_at_an_address_read_as_another_site(server, path):
    """Signing in opens the address kept when the form showed, a path of this site only
    (ui/auth.py): a path a browser would read as another site ("//host") is not served at all, so
    no sign-in form can keep it."""
    import urllib.error
    import urllib.request

    try:
        status = urllib.request.urlopen(server + path, timeout=30).status
    except urllib.error.HTTPError as e:
        status = e.code
    assert status in (400, 404)


@pytest.mark.parametrize("role, unit, own, other", [
    ("unit", "平城区", "平城区供热管网改造工程", "云州区光伏制氢项目"),
    ("unit", "云州区", "云州区光伏制氢项目", "平城区供热管网改造工程"),
])
def test_a_unit_sees_exactly_its_projects(server, page, role, unit, own, other):
    open_page(page, f"{server}/progress?period=2026-10&unit=", role=role, unit=unit, wait_text="数据截至")
    open_page(page, f"{server}/problems?period=2026-10", role=role, unit=unit, wait_text="数据截至")
    # another unit's project file: refused, and nothing of the project shown
    other_code = E if unit == "平城区" else B
    open_page(page, f"{server}/dossier?project={other_code}", role=role, unit=unit, wait_text="无权查看该项目")
    assert other not in body(page)
    screenshot(page, f"accounts_refused_dossier_{unit}")
    own_code = B if unit == "平城区" else E
    open_page(page, f"{server}/dossier?project={own_code}", role=role, unit=unit, wait_text=own)
    # ?unit= of another unit: the user's own unit, said so
    other_unit = "140215" if unit == "平城区" else "140213"
    open_page(page, f"{server}/?period=2026-10&unit={other_unit}", role=role, unit=unit, wait_text="无权查看")
    assert f"已显示{unit}的数据" in body(page)


def test_the_map_shows_a_unit_only_its_key_projects(server, page):
    open_page(page, f"{server}/map?period=2026-10", role="unit", unit="云州区", wait_text="数据截至")
    text = body(page)
    assert "平城区新型碳材料项目" not in text and "平城区供热管网改造工程" not in text
    page.set_viewport_size(PHONE)
    screenshot(page, "accounts_unit_map_phone")


def test_leader_and_centre_see_every_unit(server, page):
    for role in ("leader", "centre"):
        open_page(page, f"{server}/dossier?project={E}", role=role, wait_text="云州区光伏制氢项目")
        open_page(page, f"{server}/dossier?project={B}", role=role, wait_text="平城区供热管网改造工程")


def test_lockout_after_five_failures(server, page):
    # an account of its own: the server is shared with other test files
    login = account_for_server(server, "unit", "云州区", login="test-lockout").login
    page.goto(f"{server}/")
    for i in range(5):
        page.get_by_label("账号").fill(login)
        page.get_by_label("密码").fill(f"wrong-{i}")
        # from the second try on the message of the one before is still there: wait for the answer
        with rerun(page, "账号或密码不正确"):
            page.get_by_role("button", name="登录").click()
    page.get_by_label("账号").fill(login)
    from apptest import PASSWORD
    page.get_by_label("密码").fill(PASSWORD)
    with rerun(page, "账号已锁定"):
        page.get_by_role("button", name="登录").click()
    screenshot(page, "accounts_locked")
    store = Store(SERVERS[server])
    assert store.get(login).locked()
    store.reset_password(login, "a-new-password-1")  # the centre lifts it


def _age_session(store: Path, token: str, seconds: float) -> None:
    """Move a session's last use `seconds` into the past in the accounts store (the server reads
    it from there at every page run): idle time without waiting for it."""
    with closing(sqlite3.connect(store)) as con, con:
        con.execute("update sessions set last_seen = last_seen - ? where token_hash = ?", (seconds, _token_hash(token)))


def test_a_session_ends_after_the_idle_time(server, page):
    # a session of its own (not the one open_page shares), signed in through the form
    sign_in(page, f"{server}/progress?period=2026-10", role="leader")
    wait_ready(page, "数据截至")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "cockpit_session")
    idle = config.session_idle_hours() * 3600  # the server's too: it runs with this environment
    _age_session(SERVERS[server], token, idle - 120)  # not yet idle long enough: still signed in (and touched)
    page.reload()
    wait_ready(page, "数据截至")
    assert "账号" not in [e.inner_text() for e in page.query_selector_all("label")]
    _age_session(SERVERS[server], token, idle + 120)  # two minutes past the idle time
    page.reload()
    page.get_by_text("长时间未操作，已自动退出，请重新登录").wait_for(timeout=60_000)
    page.get_by_label("账号").wait_for(timeout=60_000)
    login = account_for_server(server, "leader").login
    assert [e["action"] for e in Store(SERVERS[server]).audit_log(login=login)][:1] == ["session_expired"]


@pytest.mark.parametrize("setting, idle_minutes, ended", [
    (None, 8 * 60 - 1, False), (None, 8 * 60 + 1, True),  # 8 hours by default
    ("0.5", 29, False), ("0.5", 31, True),
])
def test_idle_time_setting(tmp_path, monkeypatch, setting, idle_minutes, ended):
    """COCKPIT_SESSION_IDLE_HOURS sets the idle time after which a session ends."""
    if setting is None:
        monkeypatch.delenv("COCKPIT_SESSION_IDLE_HOURS", raising=False)
    else:
        monkeypatch.setenv("COCKPIT_SESSION_IDLE_HOURS", setting)
    store = Store(tmp_path / "accounts.sqlite")
    store.add("someone", "leader", password="a-password-123", name="某人", must_change=False, by="测试")
    token = store.open_session("someone", "127.0.0.1")
    _age_session(tmp_path / "accounts.sqlite", token, idle_minutes * 60)
    account, reason = store.resume(token)
    assert (account is None, reason) == ((True, "expired") if ended else (False, "ok"))
