"""Roll back only to kept states, by name; rollbacks and refusals count against
COCKPIT_KEEP_STATES; a killed load leaves no *.building files after the next load and its
worker processes end with it; refused files are in the load history."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from etl import warehouse
from etl.__main__ import main
from etl.warehouse import available_states, connect_read, current_state, load_files, rollback

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def two_states(tmp_path, fixture_files) -> Path:
    db = tmp_path / "wh" / "cockpit.duckdb"
    assert load_files(fixture_files[:2], db=db).ok
    assert load_files(fixture_files[2:], db=db).ok
    return db


@pytest.mark.parametrize("name", [
    "../states/state-20261105-101500-ab12cd.duckdb",  # a path
    "/etc/passwd",
    "cockpit.duckdb",  # a file that is not a kept state
    "state-20261105-101500-ab12cd.duckdb",  # shaped right, not kept
    "state-x.duckdb",
])
def test_roll_back_accepts_only_names_of_kept_states(two_states, name, tmp_path):
    before = current_state(two_states)
    # a state file copied elsewhere must not be reachable through a path either
    shutil.copyfile(available_states(two_states)[-1], tmp_path / "state-20261105-101500-ab12cd.duckdb")
    with pytest.raises(FileNotFoundError, match="只能回退到保留的历史状态"):
        rollback(name, db=two_states)
    assert current_state(two_states) == before


def test_command_line_rollback_refuses_a_path_in_chinese(two_states, capsys):
    state = available_states(two_states)[-1]
    assert main(["rollback", str(state), "--db", str(two_states)]) == 1
    assert "找不到历史状态" in capsys.readouterr().err
    assert main(["rollback", state.name, "--db", str(two_states)]) == 0


def test_rollbacks_count_against_the_states_kept(two_states, monkeypatch):
    monkeypatch.setenv("COCKPIT_KEEP_STATES", "2")
    first, second = sorted(p.name for p in available_states(two_states))
    time.sleep(1.05)  # state names carry the second
    rollback(first, db=two_states)
    time.sleep(1.05)
    rollback(second, db=two_states)
    kept = available_states(two_states)
    assert len(kept) == 2 and current_state(two_states) in kept


def test_a_killed_load_leaves_no_building_files_after_the_next_load(tmp_path, fixture_files):
    db = tmp_path / "wh" / "cockpit.duckdb"
    assert load_files(fixture_files[:2], db=db).ok
    states = db.parent / "states"
    stale = states / "state-20261130-235959-abcdef.building"
    stale.write_bytes(b"half a copy")
    (states / "state-20261130-235959-abcdef.building.wal").write_bytes(b"")
    assert load_files(fixture_files[2:], db=db).ok
    assert sorted(p.suffix for p in states.iterdir()) == [".duckdb", ".duckdb"]


def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_worker_processes_of_a_killed_load_end_with_it(tmp_path, fixture_files):
    """A load of many files reads them in worker processes; killing the load (kill -9) ends them."""
    files = tmp_path / "many"
    files.mkdir()
    for i in range(6):
        for f in fixture_files:
            shutil.copyfile(f, files / f"{i}_{f.name}")
    # each worker sleeps before reading (a sitecustomize that only worker processes act on),
    # so they are surely running when the load is killed
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent("""
        if b"spawn_main" in open("/proc/self/cmdline", "rb").read():
            import time
            import etl.read
            _real = etl.read.read_files
            def _slow(*a, **k):
                time.sleep(30)
                return _real(*a, **k)
            etl.read.read_files = _slow
    """))
    # a few small files: read in workers however small (COCKPIT_READ_WORKERS_FROM_MB)
    env = {**os.environ, "PYTHONPATH": f"{hook}:{ROOT}", "COCKPIT_READ_WORKERS_FROM_MB": "0"}
    db = tmp_path / "wh" / "cockpit.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "etl", "load", str(files), "--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.time() + 60
        while time.time() < deadline and len(workers) < 2:
            workers = {c for c in _children(proc.pid) if "spawn_main" in _cmdline(c)}
            time.sleep(0.2)
        assert len(workers) >= 2, "the load did not start worker processes"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.time() + 10
        while time.time() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.2)
        assert not [w for w in workers if _alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def test_refused_files_are_in_the_load_history_with_their_reason(tmp_path, fixture_files):
    db = tmp_path / "wh" / "cockpit.duckdb"
    bad = tmp_path / "2026-10_天镇县.xlsx"
    bad.write_bytes(b"PK not really")
    result = load_files([*fixture_files, bad], db=db, user="张三")
    assert not result.ok
    con, _ = connect_read(db)
    rows = con.execute("select action, status, file_name, user_name, message, sha256 is not null from load_log "
                       "where action = 'refused'").fetchall()
    loads = con.execute("select count(*) from load_log where action = 'load'").fetchall()[0][0]
    con.close()
    assert loads == len(fixture_files)
    assert len(rows) == 1 and rows[0][:4] == ("refused", "refused", "2026-10_天镇县.xlsx", "张三")
    assert "天镇县" in rows[0][4] and rows[0][5]


def test_a_warehouse_of_an_earlier_version_is_upgraded_once(tmp_path, fixture_files):
    import duckdb

    from etl.warehouse import needs_upgrade, upgrade

    db = tmp_path / "wh" / "cockpit.duckdb"
    assert load_files(fixture_files[:2], db=db).ok
    assert not needs_upgrade(db) and upgrade(db) is None
    # as an earlier version left it: no 填报日期, no plan of held rows
    state = current_state(db)
    con = duckdb.connect(str(state))
    con.execute("alter table load_log drop column filled_date")
    con.execute("alter table quarantine drop column plan_wan")
    con.execute("drop table period_schedule")  # the month's 序时进度 for city and unit figures
    con.execute("drop table mart_league_month")  # the 比亮晒 rows of units and departments
    con.execute("drop table mart_approval_month")  # each month's approval items and factors as last reported
    con.execute("drop table mart_factor_month")
    con.execute("drop table mart_progress_month")  # plan and completion summed per unit and dimension
    for table in ("mart_project_month", "mart_policy_month", "mart_consistency_month"):  # the pages' flat reads
        con.execute(f"drop table {table}")
    for table in ("approval_month", "approvals", "factor_month", "factors"):  # before the approvals sheets
        con.execute(f"drop table {table}")
    con.close()
    assert needs_upgrade(db)
    new = upgrade(db)
    assert new is not None and current_state(db) == new and not needs_upgrade(db)
    import queries

    assert queries.run("quarantine_summary", db=db, period="2026-09-01", unit=None).height == 1
    assert queries.run("league_departments", db=db, period="2026-09-01").height > 0
    assert queries.run("approvals_totals", db=db, period="2026-09-01", unit=None).height == 1
    assert queries.run("by_unit", db=db, period="2026-09-01", library=None)["projects"].sum() > 0
    assert queries.run("overview_kpis", db=db, period="2026-09-01", unit=None, library=None)["time_progress"][0] == 0.75
    assert queries.run("map_projects", db=db, period="2026-09-01", unit=None, level=None, status=None, six_new=None,
                       leader=None).height > 0
    assert queries.run("policy_targets", db=db, period="2026-09-01", unit=None)["actual"].is_not_null().any()
    assert queries.run("consistency_flags", db=db, period="2026-09-01", unit=None).columns[:2] == ["period", "unit_code"]


def test_a_warehouse_built_before_the_approval_inputs_takes_the_next_load(tmp_path, fixture_files):
    """A state whose project_month and projects have no has_overdue_approval/_factor (built before
    the approvals sheets) loads the next month: the incremental rebuild inserts whole rows of
    project_month into projects, so both tables get the columns."""
    import duckdb

    from etl import warehouse

    db = tmp_path / "wh" / "cockpit.duckdb"
    assert load_files(fixture_files[:-1], db=db).ok
    con = duckdb.connect(str(current_state(db)))
    for name in warehouse.INDEXES:  # that version had none
        con.execute(f"drop index {name}")
    for table in ("project_month", "projects"):
        for column in ("has_overdue_approval", "has_overdue_factor"):
            con.execute(f"alter table {table} drop column {column}")
    con.close()
    result = load_files(fixture_files[-1:], db=db)
    assert result.ok, [o.message for o in result.outcomes]
    con = duckdb.connect(str(current_state(db)), read_only=True)
    cols = {t: {c for (c,) in con.execute("select column_name from duckdb_columns() where table_name = ?",
                                           [t]).fetchall()} for t in ("project_month", "projects")}
    con.close()
    assert all({"has_overdue_approval", "has_overdue_factor"} <= c for c in cols.values())
