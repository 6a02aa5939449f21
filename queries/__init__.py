"""Named SQL queries over the warehouse.

Each `queries/<name>.sql` is one query; values are bound as named parameters
(`$period`, `$unit`, …), never pasted into the text. `run("name", period=...)` returns a
polars DataFrame. No streamlit here: pages reach these through ui.data, which caches.

Row scope (queries/scope.py) is applied here and nowhere else. A query file's first line says
what it returns: `-- scope: project` (project-level rows) or `-- scope: public` (aggregates per
unit or for the city, published to every user). A project query for a user who does not see
everything runs on a cursor where every project-level relation of the warehouse (any relation
with a `project_code` column, found in the catalog, so a relation added later is covered too)
is shadowed by a temporary view holding only the projects in scope (a semi join with them, or,
for the relations that carry each project's unit and sender as `projects` has them —
`scope_unit`, `scope_sender`: the flat marts —, a plain filter on those); a scope that names
nothing sees no project rows. A file without the line does not run.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import warnings
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from etl import config
from etl.warehouse import current_state
from queries.scope import EVERYTHING, NOTHING, Scope

SQL_DIR = Path(__file__).resolve().parent
_PARAM = re.compile(r"(?<![:$\w])\$([a-z_][a-z0-9_]*)")
_SCOPE_LINE = re.compile(r"--\s*scope:\s*(project|public)\s*$")


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


@lru_cache(maxsize=None)
def scope_kind(name: str) -> str:
    """'project' or 'public', from the query file's first line; a file without it does not run."""
    first = sql_text(name).split("\n", 1)[0].strip()
    m = _SCOPE_LINE.fullmatch(first)
    if not m:
        raise ValueError(f"查询「{name}」的第一行须写明 `-- scope: project` 或 `-- scope: public`")
    return m.group(1)


def names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))


class Warehouse:
    """Read-only access to one published state; a cursor per query (one connection is not
    thread-safe, and Streamlit runs each session on its own thread). Cursors prepared for a
    scope are kept and reused: setting up the views costs more than most queries."""

    def __init__(self, path: Path):
        self.path = path
        self._con = duckdb.connect(str(path), read_only=True)
        self._lock = threading.Lock()
        self._catalog = self._con.sql("select current_database()").fetchall()[0][0]
        self._idle: dict[Scope, list] = {}
        self.project_relations = tuple(r for (r,) in self._con.sql(
            "select distinct table_name from duckdb_columns() where database_name = $db "
            "and schema_name = 'main' and column_name = 'project_code' order by 1",
            params={"db": self._catalog}).fetchall())
        # relations that carry whose account sees each row (the flat marts): scoped by a plain filter
        self.scope_columned = frozenset(r for (r,) in self._con.sql(
            "select table_name from duckdb_columns() where database_name = $db and schema_name = 'main' "
            "and column_name in ('scope_unit', 'scope_sender') group by 1 having count(*) = 2",
            params={"db": self._catalog}).fetchall())

    def run(self, name: str, scope: Scope = EVERYTHING, **params) -> pl.DataFrame:
        expected = parameters(name)
        missing = expected - params.keys()
        if missing:
            raise TypeError(f"查询「{name}」缺少参数：{', '.join(sorted(missing))}")
        bound = {k: _bindable(v) for k, v in params.items() if k in expected}
        if not isinstance(scope, Scope):
            scope = NOTHING
        scoped = scope_kind(name) == "project" and not scope.sees_everything
        cur = self._cursor(scope) if scoped else self._plain()
        try:
            result = _frame(cur, sql_text(name), bound)
        except BaseException:
            cur.close()
            raise
        if scoped:
            self._release(scope, cur)
        else:
            cur.close()
        return result

    def _plain(self):
        with self._lock:
            return self._con.cursor()

    def _cursor(self, scope: Scope):
        """A cursor whose project-level relations show only `scope`'s projects."""
        with self._lock:
            idle = self._idle.get(scope)
            if idle:
                return idle.pop()
            cur = self._con.cursor()
        main = f'"{self._catalog}".main'
        if scope.kind == "unit":
            where, bound, column = "unit_code = $value", {"value": scope.value}, "scope_unit"
        elif scope.kind == "sender":
            where, bound, column = "sender = $value", {"value": scope.value}, "scope_sender"
        else:
            where, bound, column = "false", None, None
        cur.execute(f"create temp table scope_projects as select distinct project_code "
                    f"from {main}.projects where {where}", bound)
        # the same projects, for the relations that carry their unit and sender as `projects` has them
        cur.execute("set variable cockpit_scope_value = $value", {"value": scope.value if column else None})
        for rel in self.project_relations:
            if column and rel in self.scope_columned:
                filter_ = f"{column} = getvariable('cockpit_scope_value')"
            elif column is None:
                filter_ = "false"
            else:
                filter_ = "project_code in (select project_code from temp.main.scope_projects)"
            cur.execute(f'create temp view "{rel}" as select * from {main}."{rel}" where {filter_}')
        return cur

    def _release(self, scope: Scope, cur) -> None:
        with self._lock:
            idle = self._idle.setdefault(scope, [])
            if len(idle) < 4:
                idle.append(cur)
                return
        cur.close()

    def close(self):
        with self._lock:
            for idle in self._idle.values():
                for cur in idle:
                    cur.close()
            self._idle.clear()
        self._con.close()


def _frame(cur, sql: str, bound: dict) -> pl.DataFrame:
    """Run one statement and take its rows as a polars frame.

    `execute` hands the text to the engine as it is; `cur.sql(...).pl()` first tokenises the
    whole text in Python and binds it twice (once for the relation's schema), which costs more
    than most of these queries take to run (≈ 7 ms of CPU for a 60-line query)."""
    cur.execute(sql, bound or None)
    with warnings.catch_warnings():  # the copy it warns about is of a few hundred rows at most
        warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)
        table = cur.to_arrow_table()
    return pl.from_arrow(table)


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


def run(name: str, db: Path | None = None, scope: Scope = EVERYTHING, **params) -> pl.DataFrame:
    """Run a named query on the current state for `scope` (the command line and the briefing
    pack run for the centre, who sees everything; pages pass the signed-in user's scope)."""
    return warehouse(db).run(name, scope, **params)


def state_name(db: Path | None = None) -> str | None:
    state = current_state(db or config.db_path())
    return state.name if state else None
