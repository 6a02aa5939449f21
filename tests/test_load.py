"""Loading into the warehouse: senders add up, reloads change nothing, a corrected file
replaces its earlier one, conflicts are reported, failures leave the warehouse as it was,
readers in other processes always see a whole state."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

import fixtures
from etl import warehouse
from etl.warehouse import connect_read, current_state, load_files, rollback


def totals(db: Path, period="2026-10-01") -> tuple:
    con, _ = connect_read(db)
    try:
        return con.execute("select count(*), sum(annual_plan_wan), sum(completed_ytd_wan) from project_month "
                           "where period = ? and library <> 'reserve'", [period]).fetchone()
    finally:
        con.close()


def write_progress(path: Path, sender: str, rows: list[list], title="2026年10月项目进展情况表") -> Path:
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, title)
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"])
    for i, r in enumerate(rows, start=2):
        ws.write_row(i, 0, r)
    ws.write(len(rows) + 3, 0, f"填报单位：{sender}")
    wb.close()
    return path


def test_fixture_totals(fixture_db):
    assert totals(fixture_db) == (6, 88000.0, 61000.0)


def test_senders_add_up_and_reload_changes_nothing(tmp_path, fixture_files):
    db = tmp_path / "cockpit.duckdb"
    pc = [f for f in fixture_files if f.name == "2026-10_平城区.xlsx"]
    yz = [f for f in fixture_files if f.name.startswith("云州区")]
    load_files(pc, db=db)
    assert totals(db) == (3, 35000.0, 18000.0)
    load_files(yz, db=db)
    assert totals(db) == (5, 58000.0, 34000.0)
    state = current_state(db)
    again = load_files(pc + yz, db=db)
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]
    assert current_state(db) == state  # no new state at all
    assert totals(db) == (5, 58000.0, 34000.0)


def test_corrected_file_replaces_what_its_earlier_file_brought(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    first = write_progress(tmp_path / "a.xlsx", "平城区发改局", [
        ["2026-140213-44-01-000301", "甲", "平城区", 100, 10, 50],
        ["2026-140213-44-01-000302", "乙", "平城区", 200, 20, 80]])
    load_files([first], db=db)
    assert totals(db) == (2, 300.0, 130.0)
    corrected = write_progress(tmp_path / "b.xlsx", "平城区发改局", [
        ["2026-140213-44-01-000301", "甲", "平城区", 100, 10, 60]])  # 乙 no longer listed
    load_files([corrected], db=db)
    assert totals(db) == (1, 100.0, 60.0)
    con, _ = connect_read(db)
    log = con.execute("select file_name, rows_accepted from load_log order by load_id").fetchall()
    con.close()
    assert log == [("a.xlsx", 2), ("b.xlsx", 1)]


def test_project_reported_by_two_senders_is_a_conflict_not_a_sum(tmp_path):
    db = tmp_path / "cockpit.duckdb"
    a = write_progress(tmp_path / "a.xlsx", "平城区发改局", [["2026-140213-44-01-000401", "甲", "平城区", 100, 10, 50]])
    b = write_progress(tmp_path / "b.xlsx", "大同市交通运输局", [
        ["2026-140213-44-01-000401", "甲", "平城区", 100, 10, 50],
        ["2026-140213-44-01-000402", "丙", "平城区", 300, 30, 90]])
    load_files([a], db=db)
    result = load_files([b], db=db)
    assert result.outcomes[0].conflicts == 1
    assert totals(db) == (2, 400.0, 140.0)
    con, _ = connect_read(db)
    q = con.execute("select sender, project_code, rule, message from quarantine").fetchall()
    con.close()
    assert q[0][:3] == ("市交通运输局", "2026-140213-44-01-000401", "多单位重复上报")
    assert "本期已由「平城区」上报" in q[0][3]


def test_quarantined_rows_are_kept_in_the_warehouse(fixture_db):
    con, _ = connect_read(fixture_db)
    rows = con.execute("select source_file, source_row, column_name, value, rule from quarantine "
                       "order by source_row").fetchall()
    con.close()
    assert rows == [("云州区_2026年10月.csv", 6, "本月完成投资（万元）", "约500", "非数值金额"),
                    ("云州区_2026年10月.csv", 7, "所在县区", "大同市北城区", "未知县区")]


def test_file_level_error_leaves_the_warehouse_unchanged(tmp_path, fixture_files):
    db = tmp_path / "cockpit.duckdb"
    load_files(fixture_files, db=db)
    state = current_state(db)
    bad = tmp_path / "2026-10_坏文件.xlsx"
    bad.write_bytes(b"not a workbook")
    before = totals(db)
    result = load_files([bad], db=db, user="测试")
    assert not result.ok and "不是有效的 Excel 文件" in result.outcomes[0].message
    # the data is as it was; the new state only records the refusal in the load history
    assert totals(db) == before
    assert current_state(db) != state
    con, _ = connect_read(db)
    last = con.execute("select action, status, file_name, user_name, message from load_log "
                       "order by load_id desc limit 1").fetchall()[0]
    con.close()
    assert last[:4] == ("refused", "refused", "2026-10_坏文件.xlsx", "测试")
    assert "不是有效的 Excel 文件" in last[4]


def test_failure_during_load_leaves_the_warehouse_as_it_was(tmp_path, fixture_files, monkeypatch):
    db = tmp_path / "cockpit.duckdb"
    load_files(fixture_files[:2], db=db)
    before, state = totals(db, "2026-09-01"), current_state(db)

    def boom(con, periods=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(warehouse, "rebuild_derived", boom)
    with pytest.raises(RuntimeError):
        load_files(fixture_files[2:], db=db)
    assert current_state(db) == state
    assert totals(db, "2026-09-01") == before
    leftovers = [p.name for p in (tmp_path / "states").iterdir() if not p.name.endswith(".duckdb")]
    assert leftovers == []


def test_rollback_restores_earlier_totals_exactly(tmp_path, fixture_files):
    db = tmp_path / "cockpit.duckdb"
    load_files(fixture_files[:3], db=db)
    first = current_state(db).name
    before = totals(db)
    load_files(fixture_files[3:], db=db)
    assert totals(db) != before
    rollback(first, db=db, user="测试")
    assert totals(db) == before
    con, _ = connect_read(db)
    log = con.execute("select action, status from load_log order by load_id").fetchall()
    con.close()
    assert log[-1] == ("rollback", "rolled_back_to")
    assert ("load", "rolled_back") in log


def test_db_path_is_always_a_complete_warehouse(fixture_db):
    con = duckdb.connect(str(fixture_db), read_only=True)
    assert con.execute("select count(*) from project_month").fetchone()[0] > 0
    con.close()


READER = textwrap.dedent("""
    import sys, time, duckdb
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from etl.warehouse import current_state
    db = Path(sys.argv[1])
    # read until the writer has finished (its marker file) and once more after, at most 120 s
    seen, errors, done, t_end = set(), [], Path(sys.argv[3]), time.time() + 120
    last = False
    while time.time() < t_end and not last:
        last = done.exists()
        try:
            con = duckdb.connect(str(current_state(db)), read_only=True)
            seen.add(con.execute("select count(*), sum(annual_plan_wan) from project_month "
                                 "where library <> 'reserve'").fetchone())
            con.close()
            # the plain path too, as any other tool would open it
            con = duckdb.connect(str(db), read_only=True)
            seen.add(con.execute("select count(*), sum(annual_plan_wan) from project_month "
                                 "where library <> 'reserve'").fetchone())
            con.close()
        except Exception as e:
            errors.append(repr(e))
        Path(str(done) + ".reading").touch()  # the writer starts once we have read the old state
    print(sorted(seen)); print(errors)
""")


def test_load_while_another_process_reads(tmp_path, fixture_files):
    db = tmp_path / "cockpit.duckdb"
    load_files(fixture_files[:3], db=db)
    old = totals(db, "2026-10-01")
    con, _ = connect_read(db)
    before = con.execute("select count(*), sum(annual_plan_wan) from project_month where library <> 'reserve'"
                         ).fetchone()
    con.close()
    assert before == (6, 83000.0)  # 2025-10: 1, 2026-09: 2, 2026-10: 3 projects of 平城区
    root = Path(__file__).resolve().parent.parent
    done = tmp_path / "writer-done"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(root), str(done)],
                              stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not Path(str(done) + ".reading").exists() and time.time() < deadline:
        time.sleep(0.1)
    result = load_files(fixture_files[3:], db=db)  # the writer is never blocked by the reader
    assert result.ok
    done.touch()  # a busy machine may make the load slower than any fixed reading window
    out, _ = reader.communicate(timeout=180)
    seen_line, errors_line = out.strip().splitlines()
    assert errors_line == "[]"
    seen = eval(seen_line)  # noqa: S307 — our own subprocess's output
    # only whole states: before (3 files) and after (5 files), nothing in between
    con, _ = connect_read(db)
    new = con.execute("select count(*), sum(annual_plan_wan) from project_month where library <> 'reserve'"
                      ).fetchone()
    con.close()
    assert set(seen) <= {before, new}
    assert new in seen and before in seen
    assert old != totals(db, "2026-10-01")


def test_month_by_month_loads_give_the_same_warehouse_as_one_full_build(tmp_path, fixture_files):
    """project_month is rebuilt only for the months a load touches (and the later months of
    those years); loading the files one by one, out of order, must give what one full
    rebuild gives. 2026-10 before 2026-09: 本月 of 2026-10 depends on 2026-09's 年累计."""
    import polars as pl
    from polars.testing import assert_frame_equal

    db = tmp_path / "cockpit.duckdb"
    for f in sorted(fixture_files, key=lambda p: "2026-10" not in p.name):
        load_files([f], db=db)
    con, _ = connect_read(db)
    cols = "period, project_code, completed_month_wan, completed_ytd_wan, status, status_reason, has_overdue_problem"
    incremental = con.sql(f"select {cols} from project_month order by all").pl()
    con.close()
    full_copy = tmp_path / "full.duckdb"
    import shutil

    shutil.copyfile(current_state(db), full_copy)
    con = duckdb.connect(str(full_copy))
    warehouse.rebuild_derived(con)
    full = con.sql(f"select {cols} from project_month order by all").pl()
    con.close()
    assert incremental.height == full.height > 0
    assert_frame_equal(incremental, full)
    # and the month that came second really was recomputed: A's 本月 in 2026-10 is 8000 - 7000
    a = incremental.filter((pl.col("project_code") == fixtures.CODES["A"]) & (pl.col("period") == pl.date(2026, 10, 1)))
    assert a["completed_month_wan"].to_list() == [1000.0]


def _renamed_copy(src: Path, dest: Path, code: str, name: str, leader: str | None = None) -> Path:
    """A corrected file: the same workbook with one project's name (and leader) changed."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        header = {c.value: c.column for row in ws.iter_rows(max_row=5) for c in row if isinstance(c.value, str)}
        for row in ws.iter_rows():
            if any(c.value == code for c in row):
                r = row[0].row
                if "项目名称" in header:
                    ws.cell(r, header["项目名称"], name)
                if leader and "包联领导" in header and ws.title == "项目进展":
                    ws.cell(r, header["包联领导"], leader)
    wb.save(dest)
    return dest


def _derived(con) -> dict:
    return {t: con.sql(f"select * from {t} order by all").pl() for t in warehouse.DERIVED}


def _assert_same_as_full_rebuild(db: Path, tmp_path: Path) -> dict:
    import shutil

    from polars.testing import assert_frame_equal

    con, _ = connect_read(db)
    incremental = _derived(con)
    con.close()
    full_copy = tmp_path / "full.duckdb"
    shutil.copyfile(current_state(db), full_copy)
    con = duckdb.connect(str(full_copy))
    warehouse.rebuild_derived(con)
    full = _derived(con)
    con.close()
    full_copy.unlink()
    for name in warehouse.DERIVED:
        assert incremental[name].height == full[name].height, name
        assert_frame_equal(incremental[name], full[name], check_exact=True), name
    # a load keeps the indexes on project_code up to date: a lookup by code finds every row
    con, _ = connect_read(db)
    for index, (table, column) in warehouse.INDEXES.items():
        assert con.execute("select count(*) from duckdb_indexes() where index_name = ?", [index]).fetchall() == [(1,)]
        for code, n in incremental[table].group_by(column).len().iter_rows():
            assert con.execute(f"select count(*) from {table} where {column} = ?", [code]).fetchall() == [(n,)]
    con.close()
    return incremental


@pytest.mark.parametrize("order", ["newest_first", "oldest_first"])
def test_every_derived_relation_built_load_by_load_equals_a_full_rebuild(tmp_path, fixture_files, order):
    """Each load rebuilds only what its months can change (project_month, projects, problems,
    problem_month, milestones); after every load the warehouse must equal a full rebuild.
    Newest first: older months arrive after the data date is set (later problem months and
    本月 recomputed). Then corrected files: a project renamed with a new leader in the latest
    month (its problems' earlier months take the new name), and an older month reloaded."""
    import polars as pl

    db = tmp_path / "cockpit.duckdb"
    files = sorted(fixture_files, key=lambda p: ("2026-10" not in p.name and "经开区月报.xlsx" != p.name,
                                                 p.name)) if order == "newest_first" else \
        [fixture_files[i] for i in (0, 1, 5, 2, 3, 4)]
    for f in files:
        load_files([f], db=db)
        _assert_same_as_full_rebuild(db, tmp_path)
    latest = next(f for f in fixture_files if f.name == "2026-10_平城区.xlsx")
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    load_files([_renamed_copy(latest, corrected / latest.name, fixtures.CODES["A"], "平城区新型碳材料项目（一期）",
                              leader="赵新")], db=db)
    got = _assert_same_as_full_rebuild(db, tmp_path)
    assert all(got[name].height > 0 for name in warehouse.DERIVED)
    # the rename really reached the problems of earlier months (WT-3 and WT-4 in 2026-09)
    sep = got["problem_month"].filter((pl.col("period") == pl.date(2026, 9, 1))
                                      & pl.col("problem_id").is_in(["WT-3", "WT-4"]))
    assert set(sep["project_name"]) == {"平城区新型碳材料项目（一期）"} and set(sep["project_leader"]) == {"赵新"}
    september = next(f for f in fixture_files if f.name == "2026-09_平城区.xlsx")
    load_files([_renamed_copy(september, corrected / september.name, fixtures.CODES["B"], "平城区供热管网改造")],
               db=db)
    got = _assert_same_as_full_rebuild(db, tmp_path)
    b = got["project_month"].filter(pl.col("project_code") == fixtures.CODES["B"])
    assert "平城区供热管网改造" in b["name"].to_list()


def _moved_copy(src: Path, dest: Path, code: str, zone: str) -> Path:
    """A corrected file: the same workbook with one project placed in a development zone."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb["项目进展"]
    header = {c.value: c.column for row in ws.iter_rows(max_row=5) for c in row if isinstance(c.value, str)}
    for row in ws.iter_rows():
        if any(c.value == code for c in row):
            ws.cell(row[0].row, header["所在开发区"], zone)
    wb.save(dest)
    return dest


def test_a_project_moved_to_another_unit_is_that_units_in_every_month(tmp_path, fixture_files):
    """The flat marts say whose account sees each row (the project's unit as `projects` has it, its
    latest): a corrected latest file that moves B into the development zone moves B's earlier
    months to the zone's account too, as a full rebuild gives them — 2025-10 among them, a month
    the load rebuilds nothing of (B's problems are all of 2026)."""
    import polars as pl

    import queries
    from queries.scope import Scope

    db = tmp_path / "cockpit.duckdb"
    assert load_files(fixture_files, db=db).ok
    latest = next(f for f in fixture_files if f.name == "2026-10_平城区.xlsx")
    (tmp_path / "moved").mkdir()
    assert load_files([_moved_copy(latest, tmp_path / "moved" / latest.name, fixtures.CODES["B"],
                                   "大同经济技术开发区")], db=db).ok
    got = _assert_same_as_full_rebuild(db, tmp_path)
    b = got["mart_project_month"].filter(pl.col("project_code") == fixtures.CODES["B"]).sort("period")
    assert b.select("period", "unit_code", "scope_unit").rows() == [
        (dt.date(2025, 10, 1), "140213", "140271"), (dt.date(2026, 9, 1), "140213", "140271"),
        (dt.date(2026, 10, 1), "140271", "140271")]
    wh = queries.Warehouse(current_state(db))
    try:
        def months(unit):
            rows = wh.run("review_key_months", Scope("unit", unit), period=dt.date(2026, 10, 1), months=13)
            return rows.filter(pl.col("project_code") == fixtures.CODES["B"])["period"].to_list()
        assert months("140271") == [dt.date(2025, 10, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
        assert months("140213") == []
    finally:
        wh.close()


def test_rebuilt_months_are_stored_in_month_order(tmp_path, fixture_files):
    """Loads that change earlier months rewrite the later months of the year; the rows they insert
    are stored month by month (as a full rebuild writes them), so a month's filter reads only its
    own row groups. Read in storage order, each load adds at most one step back in `period`."""
    db = tmp_path / "cockpit.duckdb"
    files = sorted(fixture_files, key=lambda p: ("2026-10" not in p.name and "经开区月报.xlsx" != p.name, p.name))
    for f in files:  # newest first: every older month rewrites the months after it
        load_files([f], db=db)
    con, _ = connect_read(db)
    con.execute("set threads = 1")
    try:
        for table, key in (("project_month", "period, project_code"), ("mart_annual_month", "period"),
                           ("problem_month", "period, problem_id"), ("mart_progress_month", "period"),
                           ("mart_project_month", "period, project_code")):
            keys = con.sql(f"select {key} from {table}").fetchall()  # storage order
            steps_back = sum(1 for a, b in zip(keys, keys[1:]) if b < a)
            assert steps_back <= len(files), (table, steps_back)
    finally:
        con.close()


def _approvals_file(folder: Path, period: str, approvals: list[tuple], factors: list[tuple]) -> Path:
    """平城区's 审批事项 and 要素保障 sheets of one month, in a workbook of their own (as the
    departments send them), rows as in fixtures.APPROVALS and fixtures.FACTORS."""
    y, m = period.split("-")
    names = {**fixtures.NAMES, "G": "平城区智慧物流园项目"}  # G sends no progress row
    path = folder / f"{y}年{int(m)}月_平城区_审批要素.xlsx"
    wb = xlsxwriter.Workbook(path)
    sp = wb.add_worksheet("审批事项")
    sp.write(0, 0, f"{y}年{int(m)}月平城区项目审批事项办理情况表")
    sp.write_row(1, 0, ["序号", "项目代码", "项目名称", "审批事项", "审批部门", "受理时间", "办结时间",
                        "办理时限（工作日）", "是否承诺制", "是否代办", "办理状态"])
    for i, (k, *rest) in enumerate(approvals, start=1):
        sp.write_row(i + 1, 0, [i, fixtures.CODES[k], names[k], *rest])
    fs = wb.add_worksheet("要素保障")
    fs.write(0, 0, f"{y}年{int(m)}月平城区项目要素保障情况表")
    fs.write_row(1, 0, ["序号", "项目代码", "项目名称", "要素类型", "要素细项", "计量单位", "需求量", "已落实",
                        "责任部门", "计划落实时间"])
    for i, (k, *rest) in enumerate(factors, start=1):
        fs.write_row(i + 1, 0, [i, fixtures.CODES[k], names[k], *rest])
    for ws, rows in ((sp, approvals), (fs, factors)):
        ws.write(len(rows) + 3, 0, "填报单位：平城区发展和改革局")
    wb.close()
    return path


def test_approvals_and_their_marts_built_load_by_load_equal_a_full_rebuild(tmp_path, fixture_files):
    """Approvals and factor guarantees in three months, loaded out of order with the progress
    files, an earlier month's sheets corrected and reloaded, a project renamed in the latest
    month, a roll back and a load after it: after every step each derived relation (the
    as-of marts of approval items and factors among them) equals a full rebuild of the same
    inputs, row for row."""
    import polars as pl

    aug_items = [("A", "备案", "平城区行政审批服务管理局", "2025-12-01", "2025-12-02", 1, "否", "否", "已办结"),
                 ("B", "环评", "市生态环境局", "2026-08-03", None, 30, "否", "否", "办理中"),
                 ("C", "立项审批", "平城区行政审批服务管理局", "2026-03-02", "2026-03-20", 20, "否", "否", "已办结")]
    sep_items = aug_items[1:] + [("A", "节能审查", "市能源局", "2026-09-01", None, 15, "是", "否", "办理中"),
                                 ("C", "用地预审与选址", "市规划和自然资源局", "2026-09-28", None, 20, "否", "否", "办理中"),
                                 ("G", "备案", "平城区行政审批服务管理局", "2026-09-10", "2026-09-11", 1, "否", "否", "已办结")]
    aug_factors = [("B", "资金", "地方政府专项债", "万元", 3000, 0, "市财政局", "2026-09-30")]
    sep_factors = [("B", "资金", "地方政府专项债", "万元", 3000, 500, "市财政局", "2026-09-30"),
                   ("C", "用地", None, "公顷", 3.5, 0, "市规划和自然资源局", "2026-12-31")]
    folder = tmp_path / "approvals"
    folder.mkdir()
    aug = _approvals_file(folder, "2026-08", aug_items, aug_factors)
    sep = _approvals_file(folder, "2026-09", sep_items, sep_factors)
    by_name = {f.name: f for f in fixture_files}
    db = tmp_path / "cockpit.duckdb"
    # the latest month first (its workbook brings 2026-10's approvals), then older months
    for f in (by_name["2026-10_平城区.xlsx"], sep, by_name["2025-10_平城区.xlsx"], aug,
              by_name["2026-09_平城区.xlsx"], by_name["云州区_2026年10月.csv"]):
        assert load_files([f], db=db).ok
        _assert_same_as_full_rebuild(db, tmp_path)
    got = _assert_same_as_full_rebuild(db, tmp_path)
    # (平城区's and 云州区's files raise no question of the statistics office: that mart is empty)
    assert [name for name in warehouse.DERIVED if got[name].height == 0] == ["mart_consistency_month"]
    # 节能审查, reported only in September, is carried on into October as last reported
    mart = got["mart_approval_month"]
    saving = mart.filter(pl.col("item_name") == "节能审查").sort("period")
    assert saving.select("period", "report_period").rows() == [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1)), (dt.date(2026, 10, 1), dt.date(2026, 9, 1))]
    kept = current_state(db).name

    assert got["approvals"].filter(pl.col("project_code") == fixtures.CODES["G"]).height == 1
    # September corrected: 环评 done on 2026-09-18, 节能审查 and G's 备案 withdrawn, B's funding all secured
    corrected = tmp_path / "corrected"
    corrected.mkdir()
    sep_fixed = [("B", "环评", "市生态环境局", "2026-08-03", "2026-09-18", 30, "否", "否", "已办结")] + \
        [r for r in sep_items if r[1] not in ("环评", "节能审查") and r[0] != "G"]
    assert load_files([_approvals_file(corrected, "2026-09", sep_fixed, [(*sep_factors[0][:5], 3000,
                                                                          *sep_factors[0][6:])])], db=db).ok
    got = _assert_same_as_full_rebuild(db, tmp_path)
    mart = got["mart_approval_month"]
    assert mart.filter(pl.col("item_name") == "节能审查").height == 0
    assert got["approvals"].filter(pl.col("project_code") == fixtures.CODES["G"]).height == 0
    b_eia = mart.filter((pl.col("item_name") == "环评") & (pl.col("period") == dt.date(2026, 9, 1)))
    assert b_eia["is_waiting"].to_list() == [False]
    assert got["mart_factor_month"].filter((pl.col("project_code") == fixtures.CODES["B"])
                                           & (pl.col("period") == dt.date(2026, 9, 1)))["gap"].to_list() == [0.0]

    # A renamed in the latest month: its approval rows of every month take the new name
    latest = by_name["2026-10_平城区.xlsx"]
    assert load_files([_renamed_copy(latest, corrected / latest.name, fixtures.CODES["A"], "平城区新型碳材料项目（一期）")],
                      db=db).ok
    got = _assert_same_as_full_rebuild(db, tmp_path)
    a_items = got["mart_approval_month"].filter(pl.col("project_code") == fixtures.CODES["A"])
    assert set(a_items["period"]) >= {dt.date(2026, 8, 1), dt.date(2026, 9, 1)}
    assert set(a_items["name"]) == {"平城区新型碳材料项目（一期）"}

    # back to the state before the corrections, then the zone's files on top of it
    rollback(kept, db=db)
    got = _assert_same_as_full_rebuild(db, tmp_path)
    assert got["mart_approval_month"].filter(pl.col("item_name") == "节能审查").height == 2
    assert load_files([by_name["经开区月报.xlsx"], by_name["经开区月报_2026年9月.xlsx"]], db=db).ok
    got = _assert_same_as_full_rebuild(db, tmp_path)
    heating = got["milestones"].filter(pl.col("node_name") == "换热站调试")  # planned 2026-11-15
    assert heating.select("node_state", "days_overdue").rows() == [("due", 0)]

    # November from another sender moves the data date: B's stored nodes are judged again
    november = write_progress(tmp_path / "2026年11月_云州区.xlsx", "云州区发改局", [
        ["2026-140215-44-01-000401", "云州区光伏项目", "云州区", 1000, 100, 100]], title="2026年11月项目进展情况表")
    assert load_files([november], db=db).ok
    got = _assert_same_as_full_rebuild(db, tmp_path)
    heating = got["milestones"].filter(pl.col("node_name") == "换热站调试")
    assert heating.select("node_state", "days_overdue").rows() == [("overdue", 15)]


def test_a_new_working_day_calendar_rebuilds_everything(tmp_path, fixture_files, monkeypatch):
    """Approvals count working days on the official calendar stored with the state: a load after the
    calendar changed (another year published) rebuilds every relation, not only its months."""
    db = tmp_path / "cockpit.duckdb"
    by_name = {f.name: f for f in fixture_files}
    assert load_files([by_name["2026-10_平城区.xlsx"]], db=db).ok
    full = []
    rebuild_all = warehouse._rebuild_all
    monkeypatch.setattr(warehouse, "_rebuild_all", lambda con: (full.append(1), rebuild_all(con)))
    assert load_files([by_name["2026-09_平城区.xlsx"]], db=db).ok
    assert full == []  # the same calendar: only what the month changed
    con = duckdb.connect(str(current_state(db)))
    con.execute("update meta set value = '2025-12-31' where key = 'calendar_through'")  # built on an older one
    con.close()
    assert load_files([by_name["2025-10_平城区.xlsx"]], db=db).ok
    assert full == [1]
    con, _ = connect_read(db)
    assert warehouse.meta(con)["calendar_through"] == str(con.sql("select max(day) from workday_calendar").fetchall()[0][0])
    con.close()
    _assert_same_as_full_rebuild(db, tmp_path)
