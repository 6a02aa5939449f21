"""The warehouse: immutable published states, atomic loads, roll back.

Every load builds a complete new DuckDB file apart (a copy of the current state plus the
new files), then publishes it in one step:

    data/states/state-<time>-<id>.duckdb   every published state, never written again
    data/cockpit.duckdb                    hard link to the current state (for any tool)
    data/cockpit.current                   name of the current state file (for the cockpit)

Readers open a state file read-only. A state file's name is never reused, so a reader in
the same process never gets DuckDB's cached instance of an older state, and no reader
ever blocks a load (the writer only writes to its own new file).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import math
import os
import re
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import config, divisions, workdays
from etl.read import FileReport
from etl.schema import QUARANTINE_SCHEMA, staging_schema
from etl.status import LINEAR, SEASONAL, schedule_mode, status_sql

SCHEMA_VERSION = 1
PLAUSIBLE_PLAN_WAN = 1e8  # 10,000亿元: a held row's plan above this is not counted as plan
SQL_DIR = Path(__file__).with_name("sql")
_SQL_TYPES = {pl.String: "varchar", pl.Float64: "double", pl.Date: "date", pl.Boolean: "boolean",
              pl.Int32: "integer", pl.Int64: "bigint"}
STG_TABLES = {"progress": "stg_progress", "reserve": "stg_reserve", "problems": "stg_problems",
              "milestones": "stg_milestones", "approvals": "stg_approvals", "factors": "stg_factors"}


# ---------------------------------------------------------------- locations

def pointer_path(db: Path) -> Path:
    return db.with_suffix(".current")


def current_state(db: Path | None = None) -> Path | None:
    """The file holding the current state, or None when there is no warehouse yet."""
    db = Path(db or config.db_path())
    ptr = pointer_path(db)
    if ptr.exists():
        name = ptr.read_text(encoding="utf-8").strip()
        path = config.states_dir(db) / name
        if path.exists():
            return path
    return db if db.exists() else None


def connect_read(db: Path | None = None) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A read-only connection to the current state, and the state's path."""
    state = current_state(db)
    if state is None:
        raise FileNotFoundError("数据仓库尚未建立")
    return duckdb.connect(str(state), read_only=True), state


@contextmanager
def _load_lock(db: Path):
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.parent / ".load.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ---------------------------------------------------------------- schema

def _ddl(table: str, schema: dict) -> str:
    cols = ",\n    ".join(f"{name} {_SQL_TYPES[dtype]}" for name, dtype in schema.items())
    return f"create table if not exists {table} (\n    {cols}\n)"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables of an empty warehouse (derived ones are rebuilt on every load)."""
    existing: dict[str, set[str]] = {}  # one catalog query: which tables and columns there are
    for table, column in con.execute("select table_name, column_name from duckdb_columns() "
                                     "where schema_name = 'main'").fetchall():
        existing.setdefault(table, set()).add(column)
    for kind, table in STG_TABLES.items():
        schema = {"period": pl.Date, "sender": pl.String, "load_id": pl.Int32, **staging_schema(kind)}
        con.execute(_ddl(table, schema))
        for name, dtype in schema.items():  # a warehouse made before a column was added gets it
            if table in existing and name not in existing[table]:
                con.execute(f"alter table {table} add column {name} {_SQL_TYPES[dtype]}")
    con.execute(_ddl("quarantine", {"load_id": pl.Int32, "period": pl.Date, "sender": pl.String,
                                    **QUARANTINE_SCHEMA, "superseded": pl.Boolean}))
    con.execute("""
        create table if not exists load_log (
            load_id integer, loaded_at timestamp, action varchar, file_name varchar, sha256 varchar,
            period date, sender varchar, kinds varchar, rows_read integer, rows_accepted integer,
            rows_quarantined integer, status varchar, message varchar, user_name varchar,
            state_file varchar, duration_s double, filled_date date
        )""")
    # warehouses built before the 填报日期 and the plan of held rows were kept
    con.execute("alter table load_log add column if not exists filled_date date")
    con.execute("alter table quarantine add column if not exists plan_wan double")
    con.execute("""
        create table if not exists partitions (
            period date, sender varchar, kind varchar, load_id integer, file_name varchar, sha256 varchar
        )""")
    con.execute("create table if not exists meta (key varchar primary key, value varchar)")
    con.execute("create or replace table units (code varchar, name varchar, kind varchar, "
                "sort_order integer, host_code varchar)")
    rows = [(c, n, "county", i, None) for i, (c, n) in enumerate(divisions.COUNTIES)]
    rows += [(c, n, "zone", 100 + i, h) for i, (c, n, h) in enumerate(divisions.ZONES)]
    rows += [(divisions.CITY_LEVEL[0], divisions.CITY_LEVEL[1], "city", 200, None)]
    con.executemany("insert into units values (?, ?, ?, ?, ?)", rows)
    # project_month (and projects, its latest rows) of a warehouse built before the
    # approvals/factors inputs of the status rule
    for table in ("project_month", "projects"):
        for name in ("has_overdue_approval", "has_overdue_factor"):
            if table in existing and name not in existing[table]:
                _drop_indexes(con)  # an index blocks alter table
                con.execute(f"alter table {table} add column {name} boolean default false")
    # the official calendar (法定节假日与调休) for working days in SQL: seq(b) − seq(a)
    # (rebuilt when the installed calendar knows other years than the stored one)
    last_day = dt.date(workdays.known_years()[1], 12, 31)
    if "workday_calendar" not in existing or \
            con.execute("select max(day) from workday_calendar").fetchall()[0][0] != last_day:
        con.register("incoming_calendar", workdays.calendar_frame())
        con.execute("create or replace table workday_calendar as select * from incoming_calendar order by day")
        con.unregister("incoming_calendar")


# columns later versions added to tables of existing warehouses (ensure_schema adds them)
ADDED_COLUMNS = {"load_log": ("filled_date",), "quarantine": ("plan_wan",)}


# derived relations this version added, built from project_month when an older state lacks them
ADDED_TABLES = {"period_schedule": "period_schedule.sql", "mart_league_month": "mart_league_month.sql",
                # a state from before the approvals sheets: their (empty) relations, before the marts on them
                "approval_month": "approval_month.sql", "approvals": "approvals.sql",
                "factor_month": "factor_month.sql", "factors": "factors.sql",
                "mart_approval_month": "mart_approval_month.sql", "mart_factor_month": "mart_factor_month.sql",
                "mart_progress_month": "mart_progress_month.sql", "mart_project_month": "mart_project_month.sql",
                "mart_key_month": "mart_key_month.sql", "mart_policy_month": "mart_policy_month.sql",
                "mart_consistency_month": "mart_consistency_month.sql"}
# marts whose file builds `<name>_build` for the months of mart_periods (the others build their table)
PERIOD_MARTS = frozenset({"mart_league_month", "mart_progress_month", "mart_project_month", "mart_key_month",
                          "mart_policy_month", "mart_consistency_month"})

# the rows of an as-of relation a load can change: the months from the first one it changed
# (rebuild_scope) and every month of the projects whose attributes taken from `projects`
# changed (changed_projects)
_FROM_FIRST_MONTH = ("period >= (select from_period from rebuild_scope) "
                     "or project_code in (select project_code from changed_projects)")
# relations whose file etl/sql/<name>.sql builds the view `<name>_build` of the rows being
# rebuilt: name → (storage order, the rows a load replaces with the view's)
SCOPED = {
    "approval_month": ("period, project_code, item_seq, accepted_date nulls last, item_name", _FROM_FIRST_MONTH),
    "approvals": ("project_code, item_seq, accepted_date nulls last, item_name",
                  "project_code in (select project_code from approval_codes)"),
    "factor_month": ("period, project_code, kind_seq, detail", _FROM_FIRST_MONTH),
    "factors": ("project_code, kind_seq, detail", "project_code in (select project_code from factor_codes)"),
    # ordered by month, and within it what the approvals page's lists read together
    "mart_approval_month": ("period, is_waiting desc, is_overdue desc, library, project_code", _FROM_FIRST_MONTH),
    "mart_factor_month": ("period, is_key desc, gap > 0 desc, is_overdue desc, project_code", _FROM_FIRST_MONTH),
}


def needs_upgrade(db: Path | None = None) -> bool:
    """True when the current state lacks a column this version's queries read."""
    state = current_state(db or config.db_path())
    if state is None:
        return False
    con = duckdb.connect(str(state), read_only=True)
    try:
        have = set(con.execute("select table_name, column_name from duckdb_columns()").fetchall())
    finally:
        con.close()
    tables = {t for t, _ in have}
    return any((t, c) not in have for t, cols in ADDED_COLUMNS.items() for c in cols if t in tables) or (
        "project_month" in tables and any(t not in tables for t in ADDED_TABLES))


def upgrade(db: Path | None = None) -> Path | None:
    """Publish a copy of the current state with the columns this version adds, when they are
    missing (a warehouse built by an earlier version). The data does not change."""
    db = Path(db or config.db_path())
    if not needs_upgrade(db):
        return None
    with _load_lock(db):
        _remove_stale_building(db)
        if not needs_upgrade(db):
            return None
        with _building(db) as (con, target):  # ensure_schema on the copy adds the missing columns
            _full_scope(con)
            for table, sql_file in ADDED_TABLES.items():
                if _has_table(con, table):
                    continue
                if table in SCOPED:
                    _build(con, table, full=True)
                elif table in PERIOD_MARTS:
                    build_period_mart(con, table)
                else:
                    _run_sql_file(con, sql_file)
        _prune(db, config.keep_states())
    return target


def build_period_mart(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Build a mart of PERIOD_MARTS whole from the relations it reads (every month)."""
    _temp(con, "mart_periods", "select period from project_month union select period from problem_month")
    _run_sql_file(con, f"{name}.sql")  # the file builds the months of mart_periods
    con.execute(f"create or replace table {name} as select * from {name}_build order by period").fetchall()


def _run_sql_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute((SQL_DIR / name).read_text(encoding="utf-8"))


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("select count(*) from duckdb_tables() where table_name = ?", [name]).fetchall()[0][0])


# relations built from the raw tables, in build order (each from etl/sql/<name>.sql)
DERIVED = ("project_month", "projects", "problem_month", "problems", "milestones", "mart_annual_month",
           "mart_league_month", "mart_progress_month", "approval_month", "approvals", "factor_month", "factors",
           "mart_approval_month", "mart_factor_month", "mart_project_month", "mart_key_month",
           "mart_policy_month", "mart_consistency_month", "period_schedule")
# one project's rows are read by code (its months, its file): without an index every such read
# scans the whole relation (project_month is ordered by month; projects is after a load's inserts)
INDEXES = {"project_month_code": ("project_month", "project_code"), "projects_code": ("projects", "project_code")}


KEEP_INDEXES_MONTHS = 2  # an incremental load that rewrites more months of project_month drops them


# the months of project_month an incremental rebuild of the changed months (?) rewrites: each
# changed month and the later months of its year (本月 is derived from the change in 年累计)
_AFFECTED_PERIODS = ("select distinct u.period from (select period from stg_progress union "
                     "select period from stg_reserve union select period from project_month) as u "
                     "join (select unnest(?::date[]) as changed) as c "
                     "on year(u.period) = year(c.changed) and u.period >= c.changed")


def _months_rewritten(con: duckdb.DuckDBPyConnection, changed: list[dt.date]) -> int:
    return con.execute(f"select count(*) from ({_AFFECTED_PERIODS})", [changed]).fetchall()[0][0]


def _drop_indexes(con: duckdb.DuckDBPyConnection) -> None:
    for name in INDEXES:
        con.execute(f"drop index if exists {name}")
# the columns of `projects` that problem_month, milestones, approval_month and factor_month take over
# (and the flat marts' scope_unit, scope_sender: unit_code, sender)
_PROJECT_COLUMNS_USED = ("name", "county_code", "county_name", "unit_code", "unit_name", "key_level", "leader",
                         "zone_code", "is_key", "library", "invest_kind", "sector", "planned_start", "actual_start",
                         "sender")


def _temp(con: duckdb.DuckDBPyConnection, name: str, select: str, params: list | dict | None = None) -> None:
    con.execute(f"create or replace temp table {name} as {select}", params or None).fetchall()


def _build(con: duckdb.DuckDBPyConnection, name: str, full: bool) -> None:
    """Build a relation of SCOPED from its file: whole, or only the rows in the rebuild's scope."""
    order, replaced = SCOPED[name]
    _run_sql_file(con, f"{name}.sql")
    if full:
        con.execute(f"create or replace table {name} as select * from {name}_build order by {order}").fetchall()
        return
    con.execute(f"delete from {name} where {replaced}").fetchall()
    con.execute(f"insert into {name} by name select * from {name}_build order by {order}").fetchall()


def _full_scope(con: duckdb.DuckDBPyConnection) -> None:
    """The scope tables of the SQL files for a full build: every month, every project."""
    _temp(con, "rebuild_scope", "select date '0001-01-01' as from_period")
    _temp(con, "changed_projects", "select null::varchar as project_code where false")
    _temp(con, "rebuilt_problems", "select problem_id from stg_problems limit 0")
    _temp(con, "approval_codes", "select distinct project_code from stg_approvals")
    _temp(con, "factor_codes", "select distinct project_code from stg_factors")


def _rebuild_approvals(con: duckdb.DuckDBPyConnection, first: dt.date | None) -> None:
    """approval_month and factor_month (after projects, whose attributes they take), then
    approvals and factors: whole, or from `first` on plus the projects in changed_projects."""
    if first is not None:  # the items whose latest report can change (read before approvals is rebuilt)
        for table, stg, codes in (("approvals", "stg_approvals", "approval_codes"),
                                  ("factors", "stg_factors", "factor_codes")):
            _temp(con, codes, f"select project_code from {table} where report_period >= $first "
                              f"union select project_code from {stg} where period >= $first "
                              f"union select project_code from changed_projects", {"first": first})
    for name in ("approval_month", "approvals", "factor_month", "factors"):
        _build(con, name, full=first is None)


def rebuild_derived(con: duckdb.DuckDBPyConnection, periods: list[dt.date] | None = None) -> None:
    """Rebuild the relations the pages read from the raw tables (runs inside the load).

    `periods`: the months a load changed; None (or a warehouse without derived relations
    yet, another 序时进度 schedule or another official calendar than the state was built
    with) rebuilds everything. Otherwise only what those months can change is rebuilt:
    project_month for those months and the later months of the same years (本月 is derived
    from the change in 年累计 within a year); projects for the projects of those months;
    problem_month, approval_month and factor_month from the first changed month on, plus
    every month of the projects whose attributes they take from `projects` (name, unit,
    level, leader, library, start…) changed; approvals and factors for the projects whose
    items or factors that touched; milestones for the projects whose nodes or name changed
    (and, when the data date moves, every other node judged again as stored); the marts (mart_*.sql) from the first changed
    month (the approval marts also for the projects that changed). Either way the result
    is the same as a full rebuild (tests/test_load.py).
    """
    changed = sorted({p for p in periods or [] if p is not None})
    old_period = None
    mode = schedule_mode()
    info = meta(con)
    calendar = str(con.execute("select max(day) from workday_calendar").fetchall()[0][0])
    # a new official calendar moves the working days of every approval (and the states on them)
    incremental = bool(changed) and all(_has_table(con, t) for t in DERIVED) \
        and info.get("status_schedule", LINEAR) == mode and info.get("calendar_through") == calendar
    if incremental and mode == SEASONAL:  # an earlier year's months move the seasonal 序时进度 of every later year
        later = con.execute("select distinct year(period) from stg_progress where year(period) > ?",
                            [changed[0].year]).fetchall()
        changed = sorted(set(changed) | {dt.date(y, 1, 1) for (y,) in later})
    # the indexes follow a month's delete and insert for less than building them again (1 s of CPU at
    # ten times the scale); kept up to date row by row over many months they would cost more than
    # the rebuild itself
    if not incremental or _months_rewritten(con, changed) > KEEP_INDEXES_MONTHS:
        _drop_indexes(con)
    if incremental:
        old_period = info.get("data_period") or None
        _rebuild_changed(con, changed, old_period)
    else:
        _rebuild_all(con)
    _run_sql_file(con, "period_schedule.sql")  # each month's 序时进度 for the city and unit figures
    for name, (table, column) in INDEXES.items():
        con.execute(f"create index if not exists {name} on {table} ({column})")
    period = con.execute("select max(period) from stg_progress").fetchall()[0][0]
    info = {
        "schema_version": str(SCHEMA_VERSION),
        "data_period": period.isoformat() if period else "",
        "status_schedule": mode,  # the 序时进度 the 红黄绿 rule was computed with (etl/status.py)
        "calendar_through": calendar,  # the last day of the working-day calendar the approvals were counted on
        "built_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    for k, v in info.items():
        con.execute("insert or replace into meta values (?, ?)", [k, v])


def _rebuild_all(con: duckdb.DuckDBPyConnection) -> None:
    _temp(con, "pm_years", "select distinct year(period) as y "
                           "from (select period from stg_progress union select period from stg_reserve)")
    _run_sql_file(con, "pm_base.sql")
    con.execute(f"create or replace table project_month as {status_sql('pm_base')} order by period, project_code")
    _temp(con, "rebuild_codes", "select distinct project_code from project_month")
    _run_sql_file(con, "projects.sql")
    con.execute("create or replace table projects as select * from projects_build order by project_code")
    _full_scope(con)
    _rebuild_approvals(con, None)
    _run_sql_file(con, "problem_asof.sql")
    _run_sql_file(con, "problem_month.sql")
    _run_sql_file(con, "problems.sql")
    _temp(con, "milestone_codes", "select distinct project_code from stg_milestones")
    _temp(con, "milestone_kept", _MILESTONE_KEPT_NONE)
    _run_sql_file(con, "milestones.sql")
    con.execute("create or replace table milestones as select * from milestones_build")
    _rebuild_marts(con, None)


# the stored nodes milestones.sql judges again (none: every node comes from its report)
_MILESTONE_KEPT_NONE = ("select null::varchar as project_code, null::varchar as project_name, null::integer as node_seq, "
                        "null::varchar as node_name, null::date as planned_date, null::date as actual_date, "
                        "null::date as reported_period, null::varchar as remarks where false")


def _rebuild_marts(con: duckdb.DuckDBPyConnection, first: dt.date | None) -> None:
    """The shared marts the queries read (etl/sql/mart_*.sql): all months, or those from `first`
    on plus the months of the problems rebuilt for changed projects (their unit may have moved)."""
    _run_sql_file(con, "mart_annual_month.sql")  # rebuild_scope: from the first changed month
    if first is None:
        con.execute("create or replace table mart_annual_month as "
                    "select * from mart_annual_month_build order by period, cut, unit_code")
        _temp(con, "mart_periods", "select period from project_month union select period from problem_month")
    else:
        con.execute("delete from mart_annual_month where period >= ?", [first]).fetchall()
        con.execute("insert into mart_annual_month by name select * from mart_annual_month_build "
                    "order by period, cut, unit_code").fetchall()
        _temp(con, "mart_periods",
              "select period from project_month where period >= $first "
              "union select period from problem_month where period >= $first "
              "union select period from problem_month where problem_id in (select problem_id from rebuilt_problems)",
              {"first": first})
    con.execute("drop table if exists mart_unit_month")  # an earlier version's unit roll-ups, now in the league's
    for name, order in (("mart_league_month", "period, unit_kind, unit_code, unit_name"),
                        ("mart_progress_month", "period, cut, dim, unit_code, group_key"),
                        ("mart_project_month", "period, project_code"),
                        ("mart_key_month", "period, project_code"),
                        ("mart_policy_month", "period, is_city, unit_code"),
                        ("mart_consistency_month", "period, unit_sort, project_code, rule_seq")):
        _run_sql_file(con, f"{name}.sql")
        if first is None:
            con.execute(f"create or replace table {name} as select * from {name}_build order by {order}")
        else:
            con.execute(f"delete from {name} where period in (select period from mart_periods)").fetchall()
            con.execute(f"insert into {name} by name select * from {name}_build order by {order}").fetchall()
    if first is not None:  # whose account sees a project's earlier months: its unit and sender as of now
        for name in ("mart_project_month", "mart_key_month"):
            con.execute(f"update {name} as m set scope_unit = p.unit_code, scope_sender = p.sender "
                        f"from projects as p where p.project_code = m.project_code "
                        f"and p.project_code in (select project_code from changed_projects) "
                        f"and (m.scope_unit is distinct from p.unit_code or m.scope_sender is distinct from p.sender)"
                        ).fetchall()
    # each month's approval items and factors as last reported by then (the approvals page's)
    for name in ("mart_approval_month", "mart_factor_month"):
        _build(con, name, full=first is None)


def _rebuild_changed(con: duckdb.DuckDBPyConnection, changed: list[dt.date], old_period: str | None) -> None:
    first = changed[0]
    _temp(con, "pm_years", "select distinct year(p) as y from (select unnest(?::date[]) as p)", [changed])
    _run_sql_file(con, "pm_base.sql")
    _temp(con, "affected_periods", _AFFECTED_PERIODS, [changed])
    # project_month: the changed months and the later months of their years
    _temp(con, "rebuild_codes", "select distinct project_code from project_month "
                                "where period in (select period from affected_periods)")
    con.execute("delete from project_month where period in (select period from affected_periods)").fetchall()
    # in month order, as a full rebuild writes it: a query of one month then reads only that
    # month's row groups (inserted unordered, every month's filter scanned the whole relation)
    con.execute(f"insert into project_month by name select * from ({status_sql('pm_base')}) "
                f"where period in (select period from affected_periods) order by period, project_code").fetchall()
    con.execute("insert into rebuild_codes select distinct project_code from project_month "
                "where period in (select period from affected_periods) "
                "except select project_code from rebuild_codes").fetchall()
    # projects: those with a changed month
    used = ", ".join(_PROJECT_COLUMNS_USED)
    _temp(con, "old_projects", f"select project_code, {used} from projects "
                               "where project_code in (select project_code from rebuild_codes)")
    con.execute("delete from projects where project_code in (select project_code from rebuild_codes)").fetchall()
    _run_sql_file(con, "projects.sql")
    con.execute("insert into projects by name select * from projects_build").fetchall()
    con.execute("update projects set in_latest_period = (period = (select max(period) from project_month)) "
                "where in_latest_period is distinct from (period = (select max(period) from project_month))"
                ).fetchall()
    differs = " or ".join(f"o.{c} is distinct from n.{c}" for c in _PROJECT_COLUMNS_USED)
    _temp(con, "changed_projects",
          f"select coalesce(n.project_code, o.project_code) as project_code from old_projects as o "
          f"full join (select project_code, {used} from projects "
          f"           where project_code in (select project_code from rebuild_codes)) as n using (project_code) "
          f"where n.project_code is null or o.project_code is null or {differs}")
    # problem_month and problems: from the first changed month, and the problems of changed projects
    _temp(con, "rebuild_scope", "select ?::date as from_period", [first])
    _temp(con, "rebuilt_problems", "select distinct problem_id from stg_problems "
                                   "where project_code in (select project_code from changed_projects)")
    _run_sql_file(con, "problem_asof.sql")
    con.execute("delete from problem_month where period >= ? "
                "or problem_id in (select problem_id from rebuilt_problems)", [first]).fetchall()
    con.execute("insert into problem_month by name select * from problem_asof order by period, problem_id").fetchall()
    _run_sql_file(con, "problems.sql")
    _rebuild_approvals(con, first)
    _rebuild_marts(con, first)
    # milestones: the nodes of the projects whose nodes or name changed from their reports; when the
    # data date moves, every other node is judged again against it as stored
    new_period = con.execute("select max(period) from stg_progress").fetchall()[0][0]
    _temp(con, "milestone_codes",
          "select project_code from milestones where reported_period >= ? "
          "union select project_code from stg_milestones where period >= ? "
          "union select project_code from changed_projects", [first, first])
    if (new_period.isoformat() if new_period else None) != old_period:
        _temp(con, "milestone_kept", "select m.* exclude (node_state, days_overdue) from milestones as m "
                                     "anti join milestone_codes as c using (project_code)")
        con.execute("delete from milestones").fetchall()
    else:
        _temp(con, "milestone_kept", _MILESTONE_KEPT_NONE)
        con.execute("delete from milestones where project_code in (select project_code from milestone_codes)"
                    ).fetchall()
    _run_sql_file(con, "milestones.sql")
    con.execute("insert into milestones by name select * from milestones_build").fetchall()


# ---------------------------------------------------------------- one name per unit

UNIT_COLUMNS = {"stg_progress": "responsible_unit", "stg_problems": "responsible_unit"}


def _unit_map(names) -> dict[str, str]:
    """name as stored → canonical name (config/unit_synonyms.toml), only for names that change."""
    out = {}
    for n in names:
        if n is not None and (c := divisions.canonical_unit(n)) is not None and c != n:
            out[n] = c
    return out


def canonical_units(report: FileReport) -> FileReport:
    """The report with its sender and every 责任单位 under their one canonical name."""
    if report.sender:
        report.sender = divisions.canonical_unit(report.sender) or report.sender
    for sheet in report.sheets:
        if "responsible_unit" in sheet.accepted.columns and sheet.accepted.height:
            m = _unit_map(sheet.accepted["responsible_unit"].unique().to_list())
            if m:
                sheet.accepted = sheet.accepted.with_columns(pl.col("responsible_unit").replace(m))
    return report


def _unify_stored_units(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """Rename 责任单位 already in the warehouse to their canonical names (after the synonyms
    table was edited); returns the months whose rows changed, to be rebuilt."""
    touched: set[dt.date] = set()
    for table, col in UNIT_COLUMNS.items():
        names = [r[0] for r in con.execute(f"select distinct {col} from {table}").fetchall()]
        m = _unit_map(names)
        if not m:
            continue
        frame = pl.DataFrame({"alias": list(m), "canonical": list(m.values())})
        con.register("unit_renames", frame)
        touched |= {r[0] for r in con.execute(
            f"select distinct period from {table} where {col} in (select alias from unit_renames)").fetchall()}
        con.execute(f"update {table} as t set {col} = r.canonical from unit_renames as r "
                    f"where t.{col} = r.alias").fetchall()
        con.unregister("unit_renames")
    return sorted(touched)


# ---------------------------------------------------------------- loads

@dataclass
class FileOutcome:
    file_name: str
    status: str  # loaded, unchanged, error
    message: str
    period: dt.date | None = None
    sender: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    conflicts: int = 0


@dataclass
class LoadResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    state: Path | None = None
    seconds: float = 0.0
    # seconds of the write side's steps: copy_state, insert, rebuild, commit, publish
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(o.status != "error" for o in self.outcomes)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "state": self.state.name if self.state else None,
            "seconds": round(self.seconds, 3),
            "files": [
                {**o.__dict__, "period": o.period.isoformat() if o.period else None} for o in self.outcomes
            ],
        }


def _new_state_path(db: Path) -> Path:
    d = config.states_dir(db)
    d.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return d / f"state-{stamp}-{uuid.uuid4().hex[:6]}.duckdb"


STATE_NAME = re.compile(r"^state-\d{8}-\d{6}-[0-9a-f]{6}\.duckdb$")


def _remove_stale_building(db: Path) -> None:
    """Remove what a killed load left behind (its *.building copy and WAL). Runs under the load
    lock, so no live load owns any of them."""
    d = config.states_dir(db)
    if d.is_dir():
        for p in list(d.glob("*.building")) + list(d.glob("*.building.wal")):
            p.unlink(missing_ok=True)


def _publish(db: Path, state: Path) -> None:
    """Make `state` the current one: pointer file and the db path, each replaced atomically."""
    tmp_link = db.with_name(f".{db.name}.{uuid.uuid4().hex[:6]}")
    try:
        os.link(state, tmp_link)
    except OSError:  # another file system: fall back to a copy
        shutil.copyfile(state, tmp_link)
    os.replace(tmp_link, db)
    ptr = pointer_path(db)
    tmp_ptr = ptr.with_name(f".{ptr.name}.{uuid.uuid4().hex[:6]}")
    tmp_ptr.write_text(state.name, encoding="utf-8")
    os.replace(tmp_ptr, ptr)


def _prune(db: Path, keep: int) -> None:
    states = sorted(config.states_dir(db).glob("state-*.duckdb"))
    current = current_state(db)
    for old in states[:-keep] if keep > 0 else []:
        if old != current:
            old.unlink(missing_ok=True)


@contextmanager
def _building(db: Path, stages: dict[str, float] | None = None):
    """A writable copy of the current state; published on success, removed on failure.
    `stages` gets the seconds of the copy and of the publication (checkpoint, rename, pointer)."""
    stages = {} if stages is None else stages
    current = current_state(db)
    target = _new_state_path(db)
    tmp = target.with_suffix(".building")
    t0 = time.perf_counter()
    if current is not None:
        shutil.copyfile(current, tmp)
    con = duckdb.connect(str(tmp))
    try:
        ensure_schema(con)
        stages["copy_state"] = time.perf_counter() - t0
        yield con, target
        t0 = time.perf_counter()
        con.execute("checkpoint")
        con.close()
        os.replace(tmp, target)
        _publish(db, target)
        stages["publish"] = time.perf_counter() - t0
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise


def _loaded_partitions(db: Path) -> dict[tuple, str]:
    """(period, sender, kind) → sha256 of the file that currently provides it."""
    state = current_state(db)
    if state is None:
        return {}
    con = duckdb.connect(str(state), read_only=True)
    try:
        try:
            rows = con.execute("select period, sender, kind, sha256 from partitions").fetchall()
        except duckdb.CatalogException:
            return {}
    finally:
        con.close()
    return {(p, s, k): sha for p, s, k, sha in rows}


def _conflict_rows(clash: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Quarantine rows for projects another sender already reported for the month."""
    return clash.select(
        pl.col("load_id"), pl.col("period"), pl.col("sender"),
        pl.col("source_file"), pl.col("sheet"), pl.col("source_row"), pl.lit(kind).alias("kind"),
        pl.col("project_code"), pl.lit("项目代码").alias("column_name"),
        pl.col("project_code").alias("value"), pl.lit("多单位重复上报").alias("rule"),
        pl.format("文件「{}」工作表「{}」第{}行：项目「{}」本期已由「{}」上报（文件「{}」），不重复计入",
                  "source_file", "sheet", "source_row", "project_code", "other", "other_file").alias("message"),
        pl.lit("{}").alias("raw"), pl.lit(False).alias("superseded"),
        (pl.col("annual_plan_wan") if "annual_plan_wan" in clash.columns else pl.lit(None, pl.Float64)).alias("plan_wan"))


def _held_plan(sheet) -> pl.Series:
    """The annual plan (万元) each quarantined row of a progress sheet carries, as its file wrote
    it (null where the cell is blank or not a number): what 待核实 holds back from the figures."""
    from etl.parse import CellError, normalise_header, parse_money

    q = sheet.quarantine
    written = next((w for w, c in sheet.mapping.items() if c == "annual_plan_wan"), None)
    if sheet.kind != "progress" or written is None or not q.height:
        return pl.Series("plan_wan", [None] * q.height, dtype=pl.Float64)
    factor = {"亿元": 10000.0, "元": 0.0001}.get(normalise_header(written)[1] or sheet.unit, 1.0)
    out = []
    for raw in q["raw"].to_list():
        try:
            v = parse_money(json.loads(raw or "{}").get(written))
        except (CellError, ValueError, AttributeError):
            v = None
        v = None if v is None else v * factor
        out.append(v if v is not None and math.isfinite(v) and v <= PLAUSIBLE_PLAN_WAN else None)
    return pl.Series("plan_wan", out, dtype=pl.Float64)


def _apply_all(con: duckdb.DuckDBPyConnection, todo: list[FileReport], first_id: int) -> dict[int, tuple[int, int]]:
    """Replace the partitions the files bring with their rows, in a few set-based statements.

    Returns load_id → (rows accepted, conflicts). Within one batch, a later file for the same
    (period, sender, kind) wins, and a project reported by two senders for one month goes to
    the sender loaded first; the other's row is quarantined as a conflict.
    """
    ids = {i: first_id + i for i in range(len(todo))}
    # the last file for each partition wins
    owner: dict[tuple, int] = {}
    for i, r in enumerate(todo):
        for sheet in r.sheets:
            owner[(r.period, r.sender, sheet.kind)] = i
    accepted = {ids[i]: 0 for i in ids}
    conflicts = {ids[i]: 0 for i in ids}
    quarantine_frames: list[pl.DataFrame] = []
    parts = pl.DataFrame(
        [(p, s, k, ids[i], todo[i].file_name, todo[i].sha256) for (p, s, k), i in owner.items()],
        schema={"period": pl.Date, "sender": pl.String, "kind": pl.String, "load_id": pl.Int32,
                "file_name": pl.String, "sha256": pl.String}, orient="row")
    con.register("incoming_parts", parts)
    con.execute("delete from partitions as t using incoming_parts as p "
                "where t.period = p.period and t.sender = p.sender and t.kind = p.kind").fetchall()
    con.execute("update quarantine as t set superseded = true from incoming_parts as p "
                "where t.period = p.period and t.sender = p.sender and t.kind = p.kind").fetchall()
    con.execute("insert into partitions by name select * from incoming_parts").fetchall()
    for kind, table in STG_TABLES.items():
        frames = []
        for (p, s, k), i in owner.items():
            if k != kind:
                continue
            sheet = todo[i].sheet(kind)
            frames.append(sheet.accepted.with_columns(
                pl.lit(p).alias("period"), pl.lit(s).alias("sender"),
                pl.lit(ids[i], dtype=pl.Int32).alias("load_id")))
            q = sheet.quarantine
            if q.height:
                quarantine_frames.append(q.cast(QUARANTINE_SCHEMA).with_columns(
                    pl.lit(ids[i], dtype=pl.Int32).alias("load_id"), pl.lit(p).alias("period"),
                    pl.lit(s).alias("sender"), pl.lit(False).alias("superseded"), _held_plan(sheet)))
        if not frames:
            continue
        con.execute(f"delete from {table} as t using incoming_parts as p "
                    f"where p.kind = '{kind}' and t.period = p.period and t.sender = p.sender").fetchall()
        rows = pl.concat(frames, how="diagonal_relaxed")
        if kind in ("progress", "reserve") and rows.height:
            # already reported this month by another sender (kept from earlier loads) …
            taken = con.sql(
                f"select period, project_code, any_value(sender) as other, any_value(source_file) as other_file "
                f"from {table} where period in (select distinct period from incoming_parts) "
                f"group by period, project_code").pl()
            clash = rows.join(taken, on=["period", "project_code"], how="inner")
            rows = rows.join(taken.select("period", "project_code"), on=["period", "project_code"], how="anti")
            # … or by a sender earlier in this batch
            rows = rows.with_row_index("_order")
            first = rows.sort("load_id", "_order").group_by("period", "project_code", maintain_order=True).first()
            later = rows.join(first.select("period", "project_code", pl.col("sender").alias("other"),
                                           pl.col("source_file").alias("other_file"), pl.col("_order").alias("_first")),
                              on=["period", "project_code"]).filter(pl.col("_order") != pl.col("_first"))
            rows = rows.join(later.select("_order"), on="_order", how="anti").drop("_order")
            clash = pl.concat([clash, later.drop("_order", "_first")], how="diagonal_relaxed")
            if clash.height:
                quarantine_frames.append(_conflict_rows(clash, kind))
                for lid, n in clash.group_by("load_id").len().iter_rows():
                    conflicts[lid] += n
        if rows.height:
            con.register("incoming_rows", rows)
            con.execute(f"insert into {table} by name select * from incoming_rows").fetchall()
            con.unregister("incoming_rows")
            for lid, n in rows.group_by("load_id").len().iter_rows():
                accepted[lid] += n
    con.unregister("incoming_parts")
    if quarantine_frames:
        q = pl.concat(quarantine_frames, how="diagonal_relaxed")
        con.register("incoming_quarantine", q)
        con.execute("insert into quarantine by name select * from incoming_quarantine").fetchall()
        con.unregister("incoming_quarantine")
    return {lid: (accepted[lid], conflicts[lid]) for lid in accepted}


@dataclass(frozen=True)
class Refused:
    """A file refused before loading, recorded in the load history with its reason."""

    file_name: str
    message: str
    sha256: str | None = None


_LOG_COLUMNS = ("load_id", "loaded_at", "action", "file_name", "sha256", "period", "sender", "kinds", "rows_read",
                "rows_accepted", "rows_quarantined", "status", "message", "user_name", "state_file", "duration_s",
                "filled_date")


def _insert_log(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    cols = ", ".join(_LOG_COLUMNS)
    marks = ", ".join("?" for _ in _LOG_COLUMNS)
    con.executemany(f"insert into load_log ({cols}) values ({marks})", rows)


def _refused_rows(refused: list[Refused], first_id: int, now: dt.datetime, user: str | None,
                  state: str) -> list[tuple]:
    return [(first_id + i, now, "refused", r.file_name, r.sha256, None, None, None, None, None, None, "refused",
             r.message, user, state, None, None) for i, r in enumerate(refused)]


def _record_refused_locked(refused: list[Refused], db: Path, user: str | None) -> Path | None:
    if not refused or current_state(db) is None:
        return None
    with _building(db) as (con, target):
        con.execute("begin transaction")
        next_id = con.execute("select coalesce(max(load_id), 0) + 1 from load_log").fetchall()[0][0]
        _insert_log(con, _refused_rows(refused, next_id, dt.datetime.now(), user, target.name))
        con.execute("commit")
    _prune(db, config.keep_states())
    return target


def record_refused(refused: list[Refused], db: Path | None = None, user: str | None = None) -> Path | None:
    """Record refused files in the load history as a new state (the data stays as it was).
    Nothing is recorded when there is no warehouse yet."""
    db = Path(db or config.db_path())
    with _load_lock(db):
        _remove_stale_building(db)
        return _record_refused_locked(list(refused), db, user)


def load_reports(reports: list[FileReport], db: Path | None = None, user: str | None = None,
                 progress=None, refused: list[Refused] | None = None) -> LoadResult:
    """Load checked files into a new warehouse state and publish it (all or nothing).

    `refused`: files of the same batch refused before loading; they are recorded in the
    load history of the new state (or of a state of their own when nothing else loads)."""
    db = Path(db or config.db_path())
    result = LoadResult()
    refused = list(refused or [])
    reports = [canonical_units(r) for r in reports]
    t0 = time.perf_counter()
    with _load_lock(db):
        _remove_stale_building(db)
        have = _loaded_partitions(db)
        todo = []
        for r in reports:
            if all(have.get((r.period, r.sender, s.kind)) == r.sha256 for s in r.sheets):
                result.outcomes.append(FileOutcome(r.file_name, "unchanged", "该文件已加载过（内容相同），未作更改",
                                                   r.period, r.sender, r.rows_read, r.rows_accepted,
                                                   r.rows_quarantined))
            else:
                todo.append(r)
        if not todo:
            result.state = _record_refused_locked(refused, db, user)
            result.seconds = time.perf_counter() - t0
            return result
        stages = result.stages
        with _building(db, stages) as (con, target):
            con.execute("begin transaction")
            next_id = con.execute("select coalesce(max(load_id), 0) + 1 from load_log").fetchall()[0][0]
            now = dt.datetime.now()
            t1 = time.perf_counter()
            counts = _apply_all(con, todo, next_id)
            stages["insert"] = time.perf_counter() - t1
            per_file = stages["insert"] / len(todo)
            log = []
            for i, r in enumerate(todo):
                accepted, conflicts = counts[next_id + i]
                quarantined = r.rows_quarantined + conflicts
                msg = "；".join(r.warnings)
                log.append((next_id + i, now, "load", r.file_name, r.sha256, r.period, r.sender,
                            ",".join(s.kind for s in r.sheets), r.rows_read, accepted, quarantined, "loaded", msg,
                            user, target.name, per_file, getattr(r, "filled_date", None)))
                result.outcomes.append(FileOutcome(r.file_name, "loaded", msg or "已加载", r.period, r.sender,
                                                   r.rows_read, accepted, quarantined, conflicts))
            log += _refused_rows(refused, next_id + len(todo), now, user, target.name)
            _insert_log(con, log)
            if progress:
                progress(len(todo), len(todo))
            renamed = _unify_stored_units(con)
            t1 = time.perf_counter()
            rebuild_derived(con, periods=[r.period for r in todo] + renamed)
            t2 = time.perf_counter()
            con.execute("commit")
            stages.update(rebuild=t2 - t1, commit=time.perf_counter() - t2)
        result.state = target
        _prune(db, config.keep_states())
    result.seconds = time.perf_counter() - t0
    return result


def _end_with_parent() -> None:
    """Worker initialiser: the kernel stops this worker when the process that started it dies
    (a killed load must not leave readers running)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the line above
        os._exit(1)


def _read_chunk(args):
    from etl.read import read_files

    paths, period, unit, today = args
    return read_files(paths, period=period, unit=unit, today=today)


def _chunks(paths: list[Path], n: int) -> list[list[int]]:
    """The files' indexes in n chunks of about equal bytes (largest first, each to the lightest chunk)."""
    size = {}
    for i, p in enumerate(paths):
        try:
            size[i] = p.stat().st_size
        except OSError:
            size[i] = 0
    chunks: list[list[int]] = [[] for _ in range(max(1, min(n, len(paths))))]
    weight = [0] * len(chunks)
    for i in sorted(size, key=lambda i: (-size[i], i)):
        k = weight.index(min(weight))
        chunks[k].append(i)
        weight[k] += size[i] + 4096  # a file's fixed cost, beside its bytes
    return [sorted(c) for c in chunks if c]


# files per read_files call: enough that the cost of a call (a conversion pass, the frame rules of
# each kind) is spread over many files, few enough that progress moves and memory stays small
READ_CHUNK = 48
# reading in worker processes pays from a few MB of input (config.read_workers_from_mb): a worker
# costs ≈ 0.8 s of CPU to start (importing polars, fastexcel and the reader) and to send its reports
# back, and the reader takes ≈ 0.7 s of CPU a MB; below that a load reads in its own process (a 10×
# month, 3.6 MB: 2.8 s of CPU alone against 4.5 s in two workers, and no later on two cores)


def _total_bytes(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total


def _read_all(paths: list[Path], period, unit, today, progress=None) -> list:
    """Read and check files, some dozens at a time (etl.read.read_files), in parallel processes
    when there are many (the first start reads hundreds). Each result is a FileReport or the
    FileError that refused the file."""
    import threading

    workers = min(os.cpu_count() or 1, 4)
    out = [None] * len(paths)
    # worker processes only from a plain command line: inside a server (threads running,
    # a __main__ that is not ours) they cannot be started safely
    if workers < 2 or threading.active_count() > 1 or _total_bytes(paths) < config.read_workers_from_mb() * (1 << 20):
        for k in range(0, len(paths), READ_CHUNK):
            chunk = paths[k:k + READ_CHUNK]
            out[k:k + len(chunk)] = _read_chunk((chunk, period, unit, today))
            if progress:
                progress("read", k + len(chunk), len(paths))
        return out
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # at least four chunks a worker, so that a worker slowed by other work leaves the rest to the others
    chunks = _chunks(paths, max(4 * workers, len(paths) // READ_CHUNK))
    ctx = multiprocessing.get_context("spawn")  # no fork: the caller may hold DuckDB connections and threads
    done = 0
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_end_with_parent) as pool:
        futures = {pool.submit(_read_chunk, ([paths[i] for i in c], period, unit, today)): c for c in chunks}
        for fut in as_completed(futures):
            for i, res in zip(futures[fut], fut.result()):
                out[i] = res
            done += len(futures[fut])
            if progress:
                progress("read", done, len(paths))
    return out


def _sha256(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def load_files(paths, db: Path | None = None, period: dt.date | None = None, unit: str | None = None,
               user: str | None = None, progress=None, today: dt.date | None = None) -> LoadResult:
    """Read, check and load files. Files with a file-level fault are reported and skipped."""
    from etl.read import FileError

    reports, errors = [], []
    paths = [Path(p) for p in paths]
    outcomes = _read_all(paths, period, unit, today, progress)
    for p, out in zip(paths, outcomes):
        if isinstance(out, FileError):
            errors.append(FileOutcome(p.name, "error", str(out)))
        else:
            reports.append(out)
    refused = [Refused(o.file_name, o.message, _sha256(p)) for p, o in
               zip((p for p, out in zip(paths, outcomes) if isinstance(out, FileError)), errors)]
    result = load_reports(reports, db, user=user, refused=refused,
                          progress=(lambda d, t: progress("load", d, t)) if progress else None)
    result.outcomes = errors + result.outcomes
    return result


# ---------------------------------------------------------------- history and roll back

def history(db: Path | None = None) -> pl.DataFrame:
    """Every load and roll back recorded in the current state."""
    con, _ = connect_read(db)
    try:
        return con.sql("select * from load_log order by load_id desc").pl()
    finally:
        con.close()


def available_states(db: Path | None = None) -> list[Path]:
    """The kept states, newest first."""
    db = Path(db or config.db_path())
    return sorted((p for p in config.states_dir(db).glob("state-*.duckdb") if STATE_NAME.fullmatch(p.name)),
                  reverse=True)


def rollback(state_name: str, db: Path | None = None, user: str | None = None) -> Path:
    """Make an earlier state current again, as a new state that records the roll back.

    `state_name` must be the name of a kept state (as `available_states` lists them), never a
    path. The new state counts against COCKPIT_KEEP_STATES like a load."""
    db = Path(db or config.db_path())
    kept = {p.name: p for p in available_states(db)}
    if not isinstance(state_name, str) or not STATE_NAME.fullmatch(state_name) or state_name not in kept:
        raise FileNotFoundError(f"找不到历史状态「{state_name}」：只能回退到保留的历史状态"
                                f"（用 history 命令查看，如 state-20261105-101500-ab12cd.duckdb）")
    source = kept[state_name]
    with _load_lock(db):
        _remove_stale_building(db)
        current = current_state(db)
        later = pl.DataFrame()
        if current is not None:
            c = duckdb.connect(str(current), read_only=True)
            later = c.sql("select * from load_log").pl()
            c.close()
        target = _new_state_path(db)
        tmp = target.with_suffix(".building")
        shutil.copyfile(source, tmp)
        con = duckdb.connect(str(tmp))
        try:
            ensure_schema(con)  # a state from before a schema addition gets it too
            con.execute("begin transaction")
            have = con.sql("select load_id from load_log").pl()["load_id"].to_list()
            undone = later.filter(~pl.col("load_id").is_in(have)) if later.height else later
            if undone.height:
                undone = undone.with_columns(pl.lit("rolled_back").alias("status"))
                con.register("undone", undone)
                con.execute("insert into load_log by name select * from undone")
                con.unregister("undone")
            next_id = con.execute("select coalesce(max(load_id), 0) + 1 from load_log").fetchall()[0][0]
            con.execute("insert into load_log (load_id, loaded_at, action, file_name, status, message, user_name, "
                        "state_file) values (?, ?, 'rollback', ?, 'rolled_back_to', ?, ?, ?)",
                        [next_id, dt.datetime.now(), state_name, f"回退到历史状态 {state_name}，撤销了 "
                         f"{undone.height} 次加载", user, target.name])
            con.execute("commit")
            con.execute("checkpoint")
            con.close()
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, target)
        _publish(db, target)
        _prune(db, config.keep_states())
    return target


def meta(con: duckdb.DuckDBPyConnection) -> dict:
    return dict(con.sql("select key, value from meta").fetchall())


def quarantine_json(df: pl.DataFrame) -> str:
    return json.dumps(df.to_dicts(), ensure_ascii=False, default=str)
