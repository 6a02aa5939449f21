"""Shared fixtures: one small real warehouse built by the real ETL from tests/fixtures.py."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402

# Test processes and the servers they start do not start kaleido's browser up front: the tests
# that draw a 周报 start it when they draw (tests/test_briefing.py tests the warm-up itself).
os.environ.setdefault("COCKPIT_WARM_RENDERER", "0")


def pytest_configure(config):
    """The pages' modules imported here, in the test process's main thread, before any test: the
    frame (app.py) starts their import in a background thread (ui/warm.py), and in a test process
    that thread would still be importing while the next AppTests run in the main thread — an
    import changes dicts (sys.modules, packages' namespaces) that the running code may be
    iterating ("dictionary changed size during iteration"). With everything imported the thread
    finds nothing left to do. A fresh server's warm-up itself is tested in tests/test_warm.py."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        return  # pytest-xdist's controller runs no test
    from ui.warm import _import_all, page_modules

    _import_all(page_modules())


# Seconds the longest files took in a whole run (scripts/test.sh, 3 processes on a busy 2-core
# machine, browser files sharing tabs): only their order matters, so a rough figure will do.
LONG_FILES = {
    "test_load.py": 260, "test_browser_pages.py": 250, "test_browser_accounts.py": 180,
    "test_browser_escaping.py": 130, "test_browser_phone_questions.py": 120, "test_accounts.py": 120,
    "test_browser_approvals.py": 100, "test_browser_map.py": 90, "test_bootstrap.py": 90, "test_scope.py": 90,
    "test_browser_deploy.py": 80, "test_browser_data_admin.py": 80, "test_browser_oidc.py": 70,
    "test_load_safety.py": 70, "test_gaps.py": 60, "test_browser_briefing.py": 60,
}


def pytest_collection_modifyitems(items):
    """The longest files first (LONG_FILES), then the other browser files, then the others, each
    group with its largest files first (tests keep their order within a file). scripts/test.sh
    runs the files side by side in this order (pytest-xdist --dist loadfile
    --no-loadscope-reorder), so the long files start at once and the many short ones fill in at
    the end, and no process is left with a long file when the others are done."""
    from collections import Counter

    per_file = Counter(item.path for item in items)
    items.sort(key=lambda item: (-LONG_FILES.get(item.path.name, 0), not item.path.name.startswith("test_browser_"),
                                 -per_file[item.path]))


@pytest.fixture(scope="session")
def fixture_files(tmp_path_factory) -> list[Path]:
    """The hand-made county files (answers worked out in tests/fixtures.py)."""
    return fixtures.write_all(tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory, fixture_files) -> Path:
    """A warehouse loaded from the fixture files; COCKPIT_DB points at it for the session."""
    from etl.warehouse import load_files

    db = tmp_path_factory.mktemp("warehouse") / "cockpit.duckdb"
    result = load_files(fixture_files, db=db)
    assert result.ok, result.as_dict()
    os.environ["COCKPIT_DB"] = str(db)
    return db


@pytest.fixture()
def empty_db(tmp_path, monkeypatch) -> Path:
    """A path for a fresh warehouse, with COCKPIT_DB pointing at it for one test."""
    db = tmp_path / "wh" / "cockpit.duckdb"
    monkeypatch.setenv("COCKPIT_DB", str(db))
    return db


@pytest.fixture()
def copy_warehouse(tmp_path, monkeypatch):
    """Copy a base warehouse (state files and pointer) and point the cockpit at the copy,
    with 「today」 fixed at 2026-11-27; returns the copy's db path."""
    import shutil

    def _copy(base: Path) -> Path:
        target = tmp_path / "wh"
        shutil.copytree(base.parent, target)
        db = target / base.name
        monkeypatch.setenv("COCKPIT_DB", str(db))
        monkeypatch.delenv("COCKPIT_STATES", raising=False)
        monkeypatch.setenv("COCKPIT_TODAY", "2026-11-27")
        return db
    return _copy


# ------------------------------------------------------------------ browser tests
# One Playwright, one Chromium and one server on the fixture warehouse per test process: browser
# test files share them (pytest-xdist runs each file in one process), and every test opens its
# own browser context, so cookies and pages are never shared between tests.

@pytest.fixture(scope="session")
def playwright_session():
    """Playwright for the whole test process. Two cannot run in one thread, so while it runs a
    test that starts its own (`with sync_playwright() as p:`) is handed this one instead."""
    sync_api = pytest.importorskip("playwright.sync_api")
    original = sync_api.sync_playwright
    with original() as p:
        @contextlib.contextmanager
        def shared():
            yield p

        sync_api.sync_playwright = shared
        try:
            yield p
        finally:
            sync_api.sync_playwright = original


@pytest.fixture(scope="session")
def browser(playwright_session):
    """One headless Chromium per test process; a test opens its own context (`new_context`,
    `new_page`) and closes only that."""
    from browser import launch

    b = launch(playwright_session)
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _close_browser_contexts(request):
    """Whatever a test opened in the shared browser is closed after it, even when it failed midway."""
    if "browser" not in request.fixturenames:
        yield
        return
    b = request.getfixturevalue("browser")
    before = set(b.contexts)
    yield
    for ctx in set(b.contexts) - before:
        ctx.close()


@pytest.fixture(scope="session")
def fixture_server(fixture_db, browser) -> str:
    """The cockpit on the fixture warehouse, started once per test process and warmed up: every
    browser test file that only reads the fixture data uses it (a test that changes a user's
    state in it — a lockout, a password — uses an account of its own)."""
    from browser import cockpit_server, warm_up

    with cockpit_server(fixture_db) as url:
        warm_up(browser, url)
        yield url
