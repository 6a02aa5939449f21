"""AppTest for one page as a signed-in user: every page test starts here, so the way a test
signs in is written once."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def page_test(page: str, *, role: str = "centre", unit: str | None = None, login: str | None = None,
              timeout: float = 60) -> AppTest:
    """AppTest of `pages/<page>.py` (or app.py when page == "app"), not yet run.

    `role`/`unit`/`login` name the user the page runs for (centre sees everything)."""
    path = ROOT / ("app.py" if page == "app" else f"pages/{page.removesuffix('.py')}.py")
    return AppTest.from_file(str(path), default_timeout=timeout)
