"""Named SQL queries over the warehouse.

Each `queries/<name>.sql` is one query; values are bound as named parameters
(`$period`, `$unit`, …), never pasted into the text. `run("name", period=...)` returns a
polars DataFrame. No streamlit here: pages reach these through ui.data, which caches.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from etl import config
from etl.warehouse import current_state

SQL_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"(?<![:$\w])\$([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file() or path.parent != SQL_DIR:
        raise KeyError(f"没有名为「{name}」的查询")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def parameters(name: str) -> frozenset[str]:
    """The named parameters a query expects."""
    text = re.sub(r"--[^\n]*", "", sql_text(name))
    return frozenset(_PARAM.findall(text))


def names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


class Warehouse:
    """Read-only access to one published state; a fresh cursor per query (thread-safe)."""

    def __init__(self, path: Path):
        self.path = path
        self._con = duckdb.connect(str(path), read_only=True)
        self._lock = threading.Lock()

    def run(self, name: str, **params) -> pl.DataFrame:
        expected = parameters(name)
        missing = expected - params.keys()
        if missing:
            raise TypeError(f"查询「{name}」缺少参数：{', '.join(sorted(missing))}")
        bound = {k: _bindable(v) for k, v in params.items() if k in expected}
        with self._lock:
            cur = self._con.cursor()
        try:
            return cur.sql(sql_text(name), params=bound or None).pl()
        finally:
            cur.close()

    def close(self):
        self._con.close()


def _bindable(v):
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return dt.date.fromisoformat(v)
    return v


_open: dict[Path, Warehouse] = {}
_open_lock = threading.Lock()


def warehouse(db: Path | None = None) -> Warehouse:
    """The current state's Warehouse; a new load is picked up on the next call."""
    state = current_state(db or config.db_path())
    if state is None:
        raise FileNotFoundError("数据仓库尚未建立")
    state = state.resolve()
    with _open_lock:
        wh = _open.get(state)
        if wh is None:
            wh = _open[state] = Warehouse(state)
            # keep the previous state open for queries still running on it; close older ones
            for old in list(_open)[:-2]:
                _open.pop(old).close()
        return wh


def run(name: str, db: Path | None = None, **params) -> pl.DataFrame:
    """Run a named query on the current state."""
    return warehouse(db).run(name, **params)


def state_name(db: Path | None = None) -> str | None:
    state = current_state(db or config.db_path())
    return state.name if state else None
