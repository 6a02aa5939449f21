"""Accounts: hashing, lockout, the per-address throttle, forced password change, sessions and
their idle expiry, the audit log, the command line, and the sign-in pages under AppTest."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from accounts import AccountError, Store, create_demo_accounts, store as store_mod
from accounts.__main__ import main as cli
from apptest import PASSWORD, page_test, account_for
from queries.scope import EVERYTHING, NOTHING, Scope


@pytest.fixture()
def clock(monkeypatch):
    """A clock the test moves: clock.t += 60."""
    class Clock:
        t = 1_790_000_000.0
    c = Clock()
    monkeypatch.setattr(store_mod, "_now", lambda: c.t)
    return c


@pytest.fixture()
def store(tmp_path, monkeypatch) -> Store:
    path = tmp_path / "accounts.sqlite"
    monkeypatch.setenv("COCKPIT_ACCOUNTS", str(path))
    return Store(path)


def actions(store: Store) -> list[str]:
    return [r["action"] for r in reversed(store.audit_log())]


def test_passwords_are_hashed_with_argon2(store):
    store.add("zhangsan", "unit", password="s3cret-pass", unit="云州区", name="张三")
    raw = sqlite3.connect(store.path).execute("select password_hash from accounts").fetchone()[0]
    assert raw.startswith("$argon2id$") and "s3cret-pass" not in raw
    assert store.sign_in("zhangsan", "s3cret-pass").ok
    assert not store.sign_in("zhangsan", "S3cret-pass").ok


@pytest.mark.parametrize("login, role, unit, password, message", [
    ("", "centre", None, "long-enough", "账号不能为空"),
    ("a b", "centre", None, "long-enough", "不能含空格"),
    ("x", "boss", None, "long-enough", "角色须为"),
    ("x", "unit", None, "long-enough", "须指定所属单位"),
    ("x", "centre", None, "short", "至少8位"),
    ("longlogin", "centre", None, "LongLogin", "不能与账号相同"),
])
def test_refused_accounts(store, login, role, unit, password, message):
    with pytest.raises(AccountError, match=message):
        store.add(login, role, password=password, unit=unit)


def test_roles_give_scopes(store):
    assert store.add("l", "leader", password="password-1").scope == EVERYTHING
    assert store.add("c", "centre", password="password-1").scope == EVERYTHING
    assert store.add("u", "unit", password="password-1", unit="大同市平城区").scope == Scope("unit", "140213")
    assert store.add("d", "unit", password="password-1", unit="市住房和城乡建设局").scope == Scope("sender", "市住房和城乡建设局")
    assert store.set_disabled("u").scope == NOTHING


def test_five_failures_lock_the_account_for_15_minutes(store, clock):
    store.add("zs", "unit", password="right-pass", unit="平城区")
    for _ in range(4):
        assert store.sign_in("zs", "wrong", "10.0.0.1").message == "账号或密码不正确"
    assert not store.get("zs").locked()
    assert not store.sign_in("zs", "wrong", "10.0.0.1").ok  # the fifth
    assert store.get("zs").locked()
    refused = store.sign_in("zs", "right-pass", "10.0.0.1")  # even the right password
    assert not refused.ok and "账号已锁定" in refused.message
    clock.t += 15 * 60 + 1
    assert store.sign_in("zs", "right-pass", "10.0.0.1").ok
    assert actions(store).count("lockout") == 1
    log = store.audit_log()
    assert log[0]["action"] == "login" and log[0]["address"] == "10.0.0.1" and log[0]["login"] == "zs"


def test_an_address_with_many_failures_is_throttled(store, clock):
    store.add("zs", "unit", password="right-pass", unit="平城区")
    for i in range(store_mod.ADDRESS_MAX_FAILURES):
        store.sign_in(f"nobody{i}", "guess", "10.9.9.9")
    refused = store.sign_in("zs", "right-pass", "10.9.9.9")
    assert not refused.ok and "该地址登录失败次数过多" in refused.message
    assert store.sign_in("zs", "right-pass", "10.0.0.2").ok  # another address is not
    clock.t += 15 * 60 + 1
    assert store.sign_in("zs", "right-pass", "10.9.9.9").ok


def test_a_password_the_administrator_set_must_be_changed(store):
    store.add("zs", "unit", password="first-pass", unit="平城区")
    assert store.get("zs").must_change
    with pytest.raises(AccountError, match="当前密码不正确"):
        store.change_password("zs", "wrong-pass", "second-pass")
    with pytest.raises(AccountError, match="不能与当前密码相同"):
        store.change_password("zs", "first-pass", "first-pass")
    assert not store.change_password("zs", "first-pass", "second-pass").must_change
    new = store.reset_password("zs", by="centre")
    assert store.get("zs").must_change and store.sign_in("zs", new).ok and not store.sign_in("zs", "second-pass").ok


def test_sessions_expire_after_the_idle_time(store, clock):
    store.add("zs", "unit", password="right-pass", unit="平城区")
    token = store.open_session("zs", "10.0.0.1")
    clock.t += 7 * 3600
    assert store.resume(token, idle_hours=8)[0].login == "zs"  # touched: idle starts again
    clock.t += 7.9 * 3600
    assert store.resume(token, idle_hours=8)[1] == "ok"
    clock.t += 8 * 3600 + 1
    assert store.resume(token, idle_hours=8) == (None, "expired")
    assert store.resume(token, idle_hours=8) == (None, "unknown")
    assert "session_expired" in actions(store)


def test_sign_out_disable_and_reset_end_sessions(store):
    store.add("zs", "unit", password="right-pass", unit="平城区")
    t1, t2 = store.open_session("zs"), store.open_session("zs")
    store.close_session(t1, "10.0.0.1")
    assert store.resume(t1)[0] is None and store.resume(t2)[0] is not None
    store.set_disabled("zs", by="centre")
    assert store.resume(t2)[0] is None
    assert store.sign_in("zs", "right-pass").message == "该账号已停用，请联系推进中心"
    assert actions(store)[-3:] == ["logout", "account_disabled", "login_failed"]


def test_demo_accounts_only_in_an_empty_store(store):
    made = create_demo_accounts(store)
    assert {a["role"] for a in made} == {"leader", "centre", "unit"}
    for a in made:
        assert store.sign_in(a["login"], a["password"]).ok
    assert [a.login for a, _ in store.demo_accounts()] == ["leader", "centre", "pingcheng"]
    store.reset_password("centre", "a-new-password")  # no longer shown once the password changed
    assert [a.login for a, _ in store.demo_accounts()] == ["leader", "pingcheng"]
    assert create_demo_accounts(store) == []


# ---------------------------------------------------------------- the command line

def run_cli(monkeypatch, capsys, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_line(store, monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "add", "zs", "--role", "unit", "--unit", "云州区", "--name", "张三",
                           "--password-stdin", stdin="zs-password-1\n")
    assert code == 0 and "已新增账号 zs" in out and "zs-password-1" not in out
    assert store.sign_in("zs", "zs-password-1").ok
    code, out, _ = run_cli(monkeypatch, capsys, "add", "ww", "--role", "centre")
    generated = out.split("初始密码（只显示这一次）：")[1].strip()
    assert store.sign_in("ww", generated).ok
    code, out, err = run_cli(monkeypatch, capsys, "add", "zs", "--role", "centre", "--password-stdin", stdin="whatever-1\n")
    assert code == 2 and "账号「zs」已存在" in err
    code, out, _ = run_cli(monkeypatch, capsys, "list", "--json")
    rows = {r["login"]: r for r in json.loads(out)}
    assert rows["zs"]["unit"] == "云州区" and rows["zs"]["must_change"] and rows["ww"]["role"] == "centre"
    assert run_cli(monkeypatch, capsys, "disable", "zs")[0] == 0 and store.get("zs").disabled
    code, out, _ = run_cli(monkeypatch, capsys, "reset-password", "ww")
    assert store.sign_in("ww", out.split("新密码（只显示这一次）：")[1].strip()).ok
    code, out, _ = run_cli(monkeypatch, capsys, "audit", "--json")
    log = json.loads(out)
    assert [r["action"] for r in log[:3]] == ["login", "password_reset", "account_disabled"]
    assert log[1]["target"] == "ww" and log[1]["login"].startswith("命令行:")
    code, out, _ = run_cli(monkeypatch, capsys, "audit")
    assert "重置密码\tww" in out
    code, out, err = run_cli(monkeypatch, capsys, "disable", "nobody")
    assert code == 2 and "没有账号「nobody」" in err


# ---------------------------------------------------------------- the sign-in pages (AppTest)

def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [t.value for t in at.title] + [i.value for i in at.info] + [w.value for w in at.warning]
    return " ".join(str(p) for p in parts)


def test_a_visitor_sees_only_the_sign_in_form(fixture_db):
    at = page_test("app", role=None).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["账号", "密码"]
    assert at.button[0].label == "登录"
    assert "总览" not in _texts(at) and "数据截至" not in _texts(at)


def test_a_page_run_without_signing_in_shows_nothing(fixture_db):
    at = page_test("progress", role=None).run()
    assert not at.exception
    assert "请先登录" in _texts(at) and not at.dataframe


def test_sign_in_through_the_form(fixture_db):
    account = account_for("unit", "云州区")
    at = page_test("app", role=None).run()
    at.text_input[0].input(account.login)
    at.text_input[1].input("not-the-password")
    at.button[0].click().run()
    assert "账号或密码不正确" in _texts(at)
    at.text_input[0].input(account.login)
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    # signed in: the run ends with the cookie written and the page opened anew (ui.auth._enter)
    assert [c.value for c in at.caption] == ["正在进入驾驶舱…"] and not at.title
    at.run()  # what the browser's reload runs
    assert at.title[0].value.endswith("项目建设总览")
    assert "退出登录" in [b.label for b in at.button]
    assert "云州区" in _texts(at)
    # (AppTest drops what the frame drew before the navigation on later runs: signing out is
    # tested in the browser, tests/test_browser_accounts.py)
    assert [r["action"] for r in Store().audit_log(2, login=account.login)] == ["login", "login_failed"]


def test_forced_password_change(fixture_db):
    store = Store()
    store.add("must-change", "centre", password="initial-pass")
    at = page_test("app", role=None).run()
    at.text_input[0].input("must-change")
    at.text_input[1].input("initial-pass")
    at.button[0].click().run()
    at.run()  # the browser's reload after signing in
    assert "请先修改密码" in _texts(at)
    labels = [t.label for t in at.text_input]
    assert labels == ["当前密码", "新密码", "再次输入新密码"]
    at.text_input[0].input("initial-pass")
    at.text_input[1].input("changed-pass")
    at.text_input[2].input("changed-pass")
    at.button[0].click().run()
    assert not at.exception and "正在进入驾驶舱…" in [c.value for c in at.caption]
    at.run()  # the browser's reload
    assert at.title[0].value.endswith("项目建设总览")
    assert not store.get("must-change").must_change and store.sign_in("must-change", "changed-pass").ok


def test_demo_accounts_on_the_sign_in_page_only_in_demo_mode(fixture_db, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_ACCOUNTS", str(tmp_path / "demo.sqlite"))
    monkeypatch.delenv("COCKPIT_DEMO", raising=False)
    create_demo_accounts()
    # by default only for the sample: the fixture warehouse holds files loaded by someone else
    assert not page_test("app", role=None).run().code
    monkeypatch.setenv("COCKPIT_DEMO", "1")
    at = page_test("app", role=None).run()
    assert "账号 pingcheng  密码 demo-pingcheng" in " ".join(c.value for c in at.code)
    monkeypatch.setenv("COCKPIT_DEMO", "0")
    assert not page_test("app", role=None).run().code


def test_demo_command_only_without_an_accounts_store(store, monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "demo")
    assert code == 0 and "账号 centre  密码 demo-centre" in out and "市领导" in out
    store.set_disabled("leader")
    code, out, _ = run_cli(monkeypatch, capsys, "demo")
    assert out == "" and store.get("leader").disabled


def test_unit_user_asking_for_another_unit_gets_its_own(fixture_db):
    at = page_test("overview", role="unit", unit="云州区")
    at.query_params["unit"] = "140213"
    at.run()
    assert not at.exception
    assert "无权查看平城区的数据，已显示云州区的数据" in _texts(at)
    assert at.session_state["_keep_unit"] == "140215"  # 云州区
    assert at.selectbox(key="flt_unit").options == ["全市", "云州区"]


@pytest.mark.parametrize("page, param", [("dossier", "project"), ("leaders", "leader")])
def test_text_from_the_url_is_never_markup(fixture_db, page, param):
    at = page_test(page)
    at.query_params[param] = "[点此重新登录](http://evil.example/x) ![](http://evil.example/i.png)"
    at.run()
    assert not at.exception
    shown = " ".join(w.value for w in at.warning)
    assert "点此重新登录" in shown and "](http" not in shown and "&#91;点此重新登录&#93;(http&#58;" in shown


@pytest.mark.parametrize("peer, header, trusted, expected", [
    ("198.51.100.9", None, frozenset(), "198.51.100.9"),  # no proxy
    ("198.51.100.9", "203.0.113.7", frozenset(), "198.51.100.9"),  # a client writing the header itself
    ("198.51.100.9", "203.0.113.7", frozenset({"127.0.0.1"}), "198.51.100.9"),  # untrusted peer: ignored
    ("127.0.0.1", "203.0.113.7", frozenset({"127.0.0.1"}), "203.0.113.7"),  # behind deploy.sh's nginx
    ("127.0.0.1", "6.6.6.6, 203.0.113.7", frozenset({"127.0.0.1"}), "203.0.113.7"),  # a forged first hop
    ("127.0.0.1", "203.0.113.7, 10.0.0.2", frozenset({"127.0.0.1", "10.0.0.2"}), "203.0.113.7"),  # two proxies
    ("127.0.0.1", None, frozenset({"127.0.0.1"}), "127.0.0.1"),  # the proxy itself
    (None, "203.0.113.7", frozenset({"127.0.0.1"}), None),  # no request (AppTest)
])
def test_the_client_address_behind_a_trusted_proxy(peer, header, trusted, expected):
    from ui.auth import forwarded_client

    assert forwarded_client(peer, header, trusted) == expected


@pytest.mark.parametrize("peer, trusted, recorded", [
    ("127.0.0.1", "127.0.0.1", "203.0.113.7"),  # nginx forwards for the client
    ("198.51.100.9", "127.0.0.1", "198.51.100.9"),  # a spoofed header from an untrusted peer
])
def test_audit_log_and_throttle_take_the_forwarded_address(fixture_db, store, monkeypatch, peer, trusted, recorded):
    """Sign-ins through the form record and throttle the address forwarded_client gives: one
    client's failures behind the proxy do not lock out another client behind the same proxy."""
    from ui import auth

    monkeypatch.setenv("COCKPIT_TRUSTED_PROXIES", trusted)
    header = {"value": "203.0.113.7"}
    monkeypatch.setattr(auth, "_request_addresses", lambda: (peer, header["value"]))
    account = account_for("centre")
    for _ in range(store_mod.ADDRESS_MAX_FAILURES):
        store.audit("login_failed", login="someone", address=recorded)

    def sign_in():
        at = page_test("app", role=None).run()
        at.text_input[0].input(account.login)
        at.text_input[1].input(PASSWORD)
        at.button[0].click().run()
        assert not at.exception
        return at.run() if "正在进入驾驶舱…" in [c.value for c in at.caption] else at  # signed in: the reload

    assert "该地址登录失败次数过多" in _texts(sign_in())
    assert store.audit_log(1)[0]["action"] == "login_throttled" and store.audit_log(1)[0]["address"] == recorded
    header["value"] = "203.0.113.8"  # another client behind the same proxy (or the same untrusted peer)
    at = sign_in()
    if recorded == "203.0.113.7":
        assert at.title[0].value.endswith("项目建设总览")
        assert store.audit_log(1, login=account.login)[0]["address"] == "203.0.113.8"
    else:  # the header counts for nothing: still the same address, still throttled
        assert "该地址登录失败次数过多" in _texts(at)
