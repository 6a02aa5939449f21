"""Shared fixtures: one small real warehouse built by the real ETL from tests/fixtures.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402


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
