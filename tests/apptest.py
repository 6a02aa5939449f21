"""AppTest for one page as a signed-in user: every page test starts here, so the way a test
signs in is written once."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

# the unit a "unit" user belongs to when a test does not say
DEFAULT_UNIT = "平城区"
PASSWORD = "test-password"


def account_for(role: str = "centre", unit: str | None = None, login: str | None = None, name: str = ""):
    """The account a test runs as, made in the accounts store (COCKPIT_ACCOUNTS, by default
    beside the test's warehouse) the first time it is asked for."""
    from accounts import Store

    if role == "unit":
        unit = unit or DEFAULT_UNIT
    login = login or (f"test-{role}" if role != "unit" else f"test-unit-{unit}")
    store = Store()
    account = store.get(login)
    if account is None:
        account = store.add(login, role, password=PASSWORD, unit=unit, name=name or f"测试{role}",
                            must_change=False, by="测试")
    return account


def page_test(page: str, *, role: str = "centre", unit: str | None = None, login: str | None = None,
              timeout: float = 60) -> AppTest:
    """AppTest of `pages/<page>.py` (or app.py when page == "app"), not yet run, signed in as a
    user of `role` (centre sees everything; a unit user belongs to `unit`, 平城区 by default).
    `role=None` runs it for a visitor who has not signed in."""
    from accounts import Store
    from ui.auth import TOKEN

    path = ROOT / ("app.py" if page == "app" else f"pages/{page.removesuffix('.py')}.py")
    at = AppTest.from_file(str(path), default_timeout=timeout)
    if role is not None:
        account = account_for(role, unit, login)
        at.session_state[TOKEN] = Store().open_session(account.login, "127.0.0.1")
    return at


def markup(at: AppTest) -> str:
    """Every markdown and HTML body a run page placed, joined (cards, answers and a project's head
    are HTML blocks, ui.widgets.html_block; texts and tiles are markdown)."""
    return " ".join([m.value for m in at.markdown] + [h.value for h in at.html])
