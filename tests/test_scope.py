"""Row scope: every query in queries/ under every role returns no row outside the role's scope,
public queries return no project at all, and the mechanism covers any relation with a
project_code column (queries/scope.py, queries/__init__.py)."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

import queries
from etl.problem_rules import NO_PROBLEM_PATTERN
from queries.scope import EVERYTHING, NOTHING, Scope, for_unit
from ui.leaders import CITY_LEADER_PATTERN

P = dt.date(2026, 10, 1)

# role -> scope, as ui/auth.py derives them for the fixture's accounts
ROLES = {
    "centre": EVERYTHING,
    "leader": EVERYTHING,
    "unit 平城区": for_unit("平城区"),
    "unit 云州区": for_unit("云州区"),
    "unit 经开区": for_unit("大同经济技术开发区"),
    "unit 市住建局 (a department: sends nothing in the fixture)": for_unit("市住房和城乡建设局"),
    "nobody": NOTHING,
}


@pytest.fixture(scope="module")
def projects(fixture_db) -> dict[str, dict]:
    """project_code -> {name, unit_code, sender} of every project in the fixture warehouse."""
    con = duckdb.connect(str(fixture_db), read_only=True)
    rows = con.sql("select project_code, name, unit_code, sender from projects").fetchall()
    con.close()
    return {c: {"name": n, "unit_code": u, "sender": s} for c, n, u, s in rows}


def in_scope(scope: Scope, project: dict) -> bool:
    if scope.kind == "all":
        return True
    if scope.kind == "unit":
        return project["unit_code"] == scope.value
    if scope.kind == "sender":
        return project["sender"] == scope.value
    return False


def param_values(projects: dict) -> dict[str, list]:
    """Values to run each parameter with: the first is the default, the others are tried one at
    a time (every project code and unit, to show that naming another unit's gets nothing)."""
    codes = sorted(projects)
    units = [None] + sorted({p["unit_code"] for p in projects.values()})
    return {
        "period": [P, dt.date(2026, 9, 1), dt.date(2025, 10, 1)],
        "unit": units,
        "library": [None, "key", "new_start", "continuing"],
        "code": codes + ["no-such-project"],
        "codes": [codes + ["no-such-project"]],
        "project": codes,
        "text": ["项目", "平城", "2026"],
        "leader": [None, "王建国", "李明"],
        "days": [30],
        "city_pattern": [CITY_LEADER_PATTERN],
        "level": [None],
        "status": [None, "red,yellow"],
        "six_new": [None],
        "dim": ["unit", "sector", "library", "key_level", "six_new", "invest_kind"],
        "sender": ["平城区", "云州区", "大同经济技术开发区"],
        "deadline": [dt.date(2026, 11, 5)],
        "today": [dt.date(2026, 11, 27)],
        "months": [3],
        "no_problem_pattern": [NO_PROBLEM_PATTERN],
        "limit": [500, 1],
        "target_days": [20],
    }


def runs(name: str, values: dict[str, list]):
    """Parameter sets for one query: every parameter's default, then each alternative alone."""
    expected = sorted(queries.parameters(name))
    unknown = [p for p in expected if p not in values]
    assert not unknown, f"{name}.sql takes {unknown}: give them values in tests/test_scope.py"
    base = {p: values[p][0] for p in expected}
    yield base
    for p in expected:
        for v in values[p][1:]:
            yield {**base, p: v}


def strings_in(df) -> set[str]:
    out = set()
    for col, dtype in zip(df.columns, df.dtypes):
        if dtype.is_nested() or str(dtype).startswith("String"):
            for v in df[col].cast(str, strict=False).to_list() if not dtype.is_nested() else map(str, df[col].to_list()):
                if v:
                    out.add(v)
    return out


def leaked(texts: set[str], forbidden: dict[str, dict]) -> list[str]:
    return sorted({f"{code} {p['name']}" for code, p in forbidden.items()
                   for t in texts if code in t or p["name"] in t})


def test_every_query_file_says_its_scope():
    for name in queries.names():
        assert queries.scope_kind(name) in ("project", "public")


def test_a_query_without_the_scope_line_does_not_run(monkeypatch):
    monkeypatch.setattr(queries, "sql_text", lambda name: "select * from project_month")
    queries.scope_kind.cache_clear()
    try:
        with pytest.raises(ValueError, match="scope: project"):
            queries.scope_kind("anything")
    finally:
        queries.scope_kind.cache_clear()


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name", queries.names())
def test_no_row_outside_the_scope(fixture_db, projects, name, role):
    scope = ROLES[role]
    outside = {c: p for c, p in projects.items() if not in_scope(scope, p)}
    public = queries.scope_kind(name) == "public"
    for params in runs(name, param_values(projects)):
        df = queries.run(name, scope=scope, **params)
        texts = strings_in(df)
        if public:  # aggregates only: no project of anyone's, for any role
            assert not leaked(texts, projects), (name, params)
        else:
            assert not leaked(texts, outside), (name, role, params)
            if scope.kind == "none":
                assert not texts & set(projects), (name, params)


def test_full_scope_sees_the_projects_a_unit_does_not(fixture_db, projects):
    """The check above can fail: the same queries return other units' projects to the centre."""
    everything = strings_in(queries.run("progress_projects", period=P, unit=None, library=None))
    pingcheng = strings_in(queries.run("progress_projects", scope=for_unit("平城区"), period=P, unit=None, library=None))
    others = {c: p for c, p in projects.items() if p["unit_code"] != "140213"}
    assert leaked(everything, others) and not leaked(pingcheng, others)
    assert leaked(pingcheng, {c: p for c, p in projects.items() if p["unit_code"] == "140213"})


@pytest.mark.parametrize("scope, expected", [
    (for_unit("平城区"), Scope("unit", "140213")),
    (for_unit("大同市平城区"), Scope("unit", "140213")),
    (for_unit("140215"), Scope("unit", "140215")),
    (for_unit("大同经济技术开发区"), Scope("unit", "140271")),
    (for_unit("市本级"), Scope("unit", "140200")),
    (for_unit("市住房和城乡建设局"), Scope("sender", "市住房和城乡建设局")),
    (for_unit(""), NOTHING),
])
def test_unit_names_become_scopes(scope, expected):
    assert scope == expected


def test_a_relation_added_later_is_scoped_too(fixture_db, tmp_path, projects):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(fixture_db, copy)
    con = duckdb.connect(str(copy))
    con.execute("create table later_mart as select project_code, name from projects")
    con.execute("create view later_view as select project_code from projects")
    con.close()
    wh = queries.Warehouse(copy)
    try:
        assert {"later_mart", "later_view", "project_month", "projects", "problems"} <= set(wh.project_relations)
        scope = for_unit("云州区")
        cur = wh._cursor(scope)
        for rel in wh.project_relations:
            codes = {c for (c,) in cur.sql(f'select distinct project_code from "{rel}"').fetchall()}
            assert codes <= {c for c, p in projects.items() if p["unit_code"] == "140215"}, rel
        assert cur.sql("select count(*) from later_mart").fetchall() == [(2,)]
        wh._release(scope, cur)
        nothing = wh._cursor(NOTHING)
        assert all(nothing.sql(f'select count(*) from "{rel}"').fetchall() == [(0,)] for rel in wh.project_relations)
    finally:
        wh.close()


def test_scoped_cursors_are_reused(fixture_db):
    wh = queries.warehouse()
    scope = for_unit("云州区")
    queries.run("progress_projects", scope=scope, period=P, unit=None, library=None)
    idle = list(wh._idle[scope])
    queries.run("progress_projects", scope=scope, period=P, unit=None, library=None)
    assert wh._idle[scope] == idle
