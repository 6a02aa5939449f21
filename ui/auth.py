"""Signing in and out, and who the session's user is (accounts/ holds the store).

`gate()` is called once by app.py before the navigation: it shows the sign-in form (账号,
密码, 登录) until a user is signed in, then the forced password change, and returns the
user. The page the user asked for stays in the address bar with its query string, so a
deep link or a QR code lands where it points once signed in. A session is a random token
kept in the store and in a browser cookie (a reload or a new tab stays signed in); it ends
on 退出登录, after COCKPIT_SESSION_IDLE_HOURS without use, or when the account is disabled.
With COCKPIT_AUTH=oidc the user signs in at the city's identity provider (st.login).
"""

from __future__ import annotations

import json
import os
import time
from typing import NoReturn

import streamlit as st

import queries
from accounts import ROLE_LABEL, Account, AccountError, Store
from etl import config
from queries.scope import NOTHING, Scope
from ui.labels import APP_TITLE

SAMPLE_USER = "示例数据"  # who etl.bootstrap records as loading the sample
TOKEN = "_auth_token"
COOKIE = "cockpit_session"
_USER = "_auth_user"
_CHECKED = "_auth_checked"
_NOTICE = "_auth_notice"
_COOKIE_JS = "_auth_cookie_js"
RECHECK_SECONDS = 5


def store() -> Store:
    return Store(config.accounts_path())


LOCAL_PEER = "127.0.0.1"  # Streamlit reports a peer on this machine (nginx, a local browser) as no address


def forwarded_client(peer: str | None, forwarded: str | None, trusted: frozenset[str]) -> str | None:
    """The client's address: the direct peer, or, when the peer is a trusted proxy, the
    rightmost address in its X-Forwarded-For that is not itself a trusted proxy (what a client
    writes in the header before the proxy's own entry is never taken)."""
    if peer not in trusted or not forwarded:
        return peer
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else peer


def _request_addresses() -> tuple[str | None, str | None]:
    """(direct peer, X-Forwarded-For) of this session's request; (None, None) without one."""
    try:
        headers = st.context.headers
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request behind AppTest
        return None, None
    if not headers:  # AppTest: no request at all
        return None, None
    peer = address if isinstance(address, str) else LOCAL_PEER
    return peer, headers.get("X-Forwarded-For")


def client_address() -> str | None:
    """The address recorded in the audit log and throttled on failed sign-ins: behind a trusted
    proxy (COCKPIT_TRUSTED_PROXIES) the client it forwards for."""
    peer, forwarded = _request_addresses()
    return forwarded_client(peer, forwarded, config.trusted_proxies())


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request behind AppTest
        return None
    return token if isinstance(token, str) else None


def current_user(force: bool = False) -> Account | None:
    """The signed-in account of this session, or None. Checked against the store at most every
    few seconds (and on every run of the gate), so a sign-out, an expiry or a disabled account
    takes effect at once."""
    ss = st.session_state
    if not force and ss.get(_USER) is not None and time.monotonic() - ss.get(_CHECKED, 0) < RECHECK_SECONDS:
        return ss[_USER]
    token = ss.get(TOKEN) or _cookie_token()
    account, why = store().resume(token)
    if account is None:
        for k in (TOKEN, _USER):
            ss.pop(k, None)
        if why == "expired":
            ss[_NOTICE] = "长时间未操作，已自动退出，请重新登录"
        return None
    ss[TOKEN], ss[_USER], ss[_CHECKED] = token, account, time.monotonic()
    return account


def scope() -> Scope:
    """The row scope of this session's user (nothing when nobody is signed in)."""
    user = current_user()
    return user.scope if user is not None else NOTHING


def own_leader(names: list[str]) -> str | None:
    """A leader opens on his or her own 包联 projects: the signed-in leader's name when it is one
    of `names`."""
    user = current_user()
    return user.name if user is not None and user.role == "leader" and user.name in names else None


def audit(action: str, target: str | None = None, detail=None, user: Account | None = None) -> None:
    """Record an action of `user` (by default the signed-in user) in the audit log."""
    user = user or current_user()
    store().audit(action, login=user.login if user else None, address=client_address(), target=target, detail=detail)


def audited_download(make, file_name: str):
    """`make` (the bytes of a download, built when the button is clicked) that first records the
    download in the audit log, for the user who saw the button."""
    user, address = current_user(), client_address()

    def made():
        store().audit("download", login=user.login if user else None, address=address, target=file_name)
        return make()

    return made


def _set_cookie(token: str | None, reload: bool = False) -> None:
    """Write (or clear) the session cookie in the browser; the token is ours (URL-safe). With
    `reload`, the browser then opens the address asked for (see _enter)."""
    if token:
        js = f"document.cookie = '{COOKIE}={token}; path=/; SameSite=Strict';"
    else:
        js = f"document.cookie = '{COOKIE}=; path=/; max-age=0; SameSite=Strict';"
    if reload:
        js += _RETURN
    st.html(f"<script>{js}</script>", unsafe_allow_javascript=True)


# The address asked for is kept in the tab while the sign-in form shows, and opened again once
# signed in (also after the identity provider, which returns to "/": a sign-in form shown at "/"
# keeps an address kept before it). Only paths of this site are opened: not "//host" or "/\\host",
# which a browser reads as another site. The address is chosen once per page, so running the
# script again (Streamlit may mount the element twice) cannot change where the page goes.
_NEXT = "cockpit_next"
_KEEP_JS = ("(() => { const here = location.pathname + location.search;"
            f" if (here !== '/' || !sessionStorage.getItem('{_NEXT}')) sessionStorage.setItem('{_NEXT}', here); }})();")
_KEEP = f"<script>{_KEEP_JS}</script>"
_RETURN = (" if (!window.cockpitNext) {"
           f" const next = sessionStorage.getItem('{_NEXT}') || location.pathname + location.search;"
           " window.cockpitNext = /^[/](?![/\\\\])/.test(next) ? next : '/';"
           f" sessionStorage.removeItem('{_NEXT}'); }}"
           " window.location.replace(window.cockpitNext);")


def _enter(token: str) -> NoReturn:
    """Signed in: write the session cookie and open the address asked for, and end this run. The
    first run of a session decides which page it shows, and the one before signing in could not,
    so the browser loads the page anew. Nothing else is drawn in this run: a page drawn here could
    run again before the browser has loaded the script (the first st.html of a tab waits for its
    code), the script's element would be replaced, and the browser would stay where it is."""
    _set_cookie(token, reload=True)
    st.caption("正在进入驾驶舱…")
    st.stop()


def _flush_cookie() -> None:
    if _COOKIE_JS in st.session_state:
        _set_cookie(st.session_state.pop(_COOKIE_JS))


def start_session(account: Account) -> str:
    token = store().open_session(account.login, client_address())
    st.session_state[TOKEN], st.session_state[_USER] = token, account
    st.session_state[_CHECKED] = time.monotonic()
    return token


def sign_out() -> None:
    store().close_session(st.session_state.get(TOKEN) or _cookie_token(), client_address())
    for k in list(st.session_state.keys()):
        del st.session_state[k]
    st.session_state[_COOKIE_JS] = None
    st.session_state[_NOTICE] = "已退出登录"
    if config.auth_mode() == "oidc" and _oidc_logged_in():
        st.logout()
    st.rerun()


# ---------------------------------------------------------------- the pages of signing in

# Before signing in there is no navigation: hide the sidebar (Streamlit would list the page files)
_NO_SIDEBAR = ("<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
               "[data-testid='stSidebarNav'], [data-testid='stExpandSidebarButton'] {display: none;}</style>")


def _sign_in_form() -> None:
    """The sign-in form; once signed in, the form is cleared and the browser opens the address it
    asked for, now with the session cookie (_enter)."""
    box = st.empty()
    with box.container():
        st.markdown(_NO_SIDEBAR, unsafe_allow_html=True)
        st.title(APP_TITLE)
        st.html(_KEEP, unsafe_allow_javascript=True)
        if st.session_state.get(_NOTICE):
            st.info(st.session_state.pop(_NOTICE))
        if config.auth_mode() == "oidc":
            _oidc_sign_in()
            return None
        with st.form("sign_in", border=True, enter_to_submit=True):
            st.subheader("登录")
            login = st.text_input("账号", key="sign_in_login", autocomplete="username")
            password = st.text_input("密码", type="password", key="sign_in_password", autocomplete="current-password")
            submitted = st.form_submit_button("登录", type="primary")
        if submitted:
            result = store().sign_in(login, password, client_address())
            if not result.ok:
                st.error(result.message)
        _demo_hint()
    if not submitted or not result.ok:
        return None
    box.empty()
    _enter(start_session(result.account))


def demo_shown(s: Store) -> bool:
    """Demo mode (COCKPIT_DEMO); by default on while demo accounts exist and every load in the
    warehouse is the bundled sample's, off as soon as real data is loaded."""
    flag = config.demo_mode()
    if flag is not None:
        return flag
    if not s.demo_accounts():
        return False
    try:
        users = set(queries.run("admin_history")["user_name"].to_list())
    except Exception:  # noqa: BLE001 - no warehouse yet: the sample is about to be built
        return True
    return users <= {SAMPLE_USER}


def _demo_hint() -> None:
    s = store()
    if not demo_shown(s):
        return
    rows = s.demo_accounts()
    if rows:
        lines = [f"{a.unit or ROLE_LABEL[a.role]}：账号 {a.login}  密码 {pw}" for a, pw in rows]  # short for phones
        st.caption("示例数据演示账号")
        st.code("\n".join(lines), language=None)


def _change_password(user: Account) -> None:
    """The forced change of a password an administrator set; once changed, the page is opened
    anew (_enter)."""
    box = st.empty()
    with box.container():
        st.markdown(_NO_SIDEBAR, unsafe_allow_html=True)
        st.title(APP_TITLE)
        st.warning("您的密码由管理员设置，请先修改密码再使用。")
        with st.form("change_password", border=True):
            st.subheader("修改密码")
            old = st.text_input("当前密码", type="password", key="cp_old")
            new = st.text_input("新密码", type="password", key="cp_new", help="至少8位，不能与账号相同")
            again = st.text_input("再次输入新密码", type="password", key="cp_again")
            submitted = st.form_submit_button("修改密码", type="primary")
        changed = None
        if submitted:
            if new != again:
                st.error("两次输入的新密码不一致")
            else:
                try:
                    changed = store().change_password(user.login, old, new, address=client_address())
                except AccountError as e:
                    st.error(str(e))
        if changed is None and st.button("退出登录", key="cp_sign_out"):
            sign_out()
    if changed is None:
        return None
    box.empty()
    current_user(force=True)
    _enter(st.session_state.get(TOKEN))


def _sidebar(user: Account) -> None:
    with st.sidebar:
        who = user.display_name + " · " + ROLE_LABEL[user.role]
        if user.role == "unit" and user.unit:
            who += f"（{user.unit}）"
        st.caption(who)
        if st.button("退出登录", key="sign_out", icon=":material/logout:"):
            sign_out()


def gate() -> Account:
    """Show the sign-in (or the forced password change) until a user is signed in; return the user.
    Stops the script otherwise, so nothing of a page runs for a visitor."""
    _flush_cookie()
    user = current_user(force=True)
    if user is None and config.auth_mode() == "oidc":
        if st.session_state.get(_NOTICE) and _oidc_logged_in():  # idle too long: end the provider's session too
            st.logout()
        _oidc_user()  # a user the provider sent back is signed in, and the page opened anew
    if user is None:
        _sign_in_form()
        st.stop()
    if user.must_change and config.auth_mode() == "builtin":
        _change_password(user)
        st.stop()
    _sidebar(user)
    return user


# ---------------------------------------------------------------- the city's identity provider

OIDC_LOGIN_CLAIM = "COCKPIT_OIDC_LOGIN_CLAIM"  # which claim is the login name (preferred_username)
OIDC_ROLE_CLAIM = "COCKPIT_OIDC_ROLE_CLAIM"  # a claim with leader/centre/unit (cockpit_role)
OIDC_UNIT_CLAIM = "COCKPIT_OIDC_UNIT_CLAIM"  # a claim with the unit's name (cockpit_unit)


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - auth not configured
        return False


def account_from_claims(claims: dict, s: Store) -> tuple[Account | None, str]:
    """The account for an identity provider's claims: role and unit from the claims when the
    provider sends them, otherwise from the accounts table by login name."""
    login_claim = os.environ.get(OIDC_LOGIN_CLAIM, "preferred_username")
    login = str(claims.get(login_claim) or claims.get("email") or claims.get("sub") or "").strip()
    if not login:
        return None, "身份认证未提供账号名"
    known = s.get(login)
    if known is not None and known.disabled:
        return None, "该账号已停用，请联系推进中心"
    role = claims.get(os.environ.get(OIDC_ROLE_CLAIM, "cockpit_role"))
    unit = claims.get(os.environ.get(OIDC_UNIT_CLAIM, "cockpit_unit"))
    name = str(claims.get("name") or "")
    if role in ROLE_LABEL and (role != "unit" or unit):
        return Account(login=login, name=name or (known.name if known else ""), role=role,
                       unit=str(unit) if role == "unit" else None, must_change=False, disabled=False), ""
    if known is not None:
        return Account(login=known.login, name=known.name or name, role=known.role, unit=known.unit,
                       must_change=False, disabled=False), ""
    return None, f"账号「{login}」尚未开通驾驶舱权限，请联系推进中心"


def _oidc_user() -> None:
    """A user the identity provider has signed in: refused with the reason, or given a session
    and the page asked for (_enter). Nothing when the provider has not signed anyone in."""
    if not _oidc_logged_in():
        return None
    s = store()
    account, message = account_from_claims(dict(st.user.to_dict()), s)
    if account is None:
        s.audit("login_failed", login=str(st.user.get("email") or st.user.get("sub") or ""),
                address=client_address(), detail=message)
        st.title(APP_TITLE)
        st.error(message)
        if st.button("退出登录"):
            st.logout()
        st.stop()
    if s.get(account.login) is None:  # first sign-in of a provider-managed user: remembered for sessions
        s.add(account.login, account.role, password=None, unit=account.unit, name=account.name,
              must_change=False, by="统一身份认证", address=client_address())
    s.audit("login", login=account.login, address=client_address(), detail="统一身份认证")
    _enter(start_session(account))  # the provider sent the user back to "/"


def _oidc_sign_in() -> None:
    """The button that sends the user to the identity provider. The address asked for is kept
    first, by the same script that then leaves for the provider: st.login() would leave as soon
    as the server says so, possibly before the browser has run the script that keeps it (the
    first st.html of a tab waits for its code to load), and the user would come back to "/"."""
    st.subheader("登录")
    st.write("请使用全市统一身份认证账号登录。")
    if st.button("统一身份认证登录", type="primary"):
        try:
            from streamlit.user_info import generate_login_redirect_url, validate_auth_credentials

            validate_auth_credentials("default")
            target = generate_login_redirect_url("default")
        except ImportError:  # another Streamlit: its own redirect (the deep link may then be lost)
            st.login()
            return
        st.html(f"<script>{_KEEP_JS} window.location.assign({json.dumps(target)});</script>",
                unsafe_allow_javascript=True)
