"""Parquet export: every contract relation read back, hive-partitioned by month, equal to the warehouse."""

from __future__ import annotations

import json

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

from etl.__main__ import main
from etl.warehouse import current_state


def test_export_reads_back_the_same_rows(tmp_path, fixture_db, capsys):
    out = tmp_path / "export"
    assert main(["export", "--format", "parquet", "--out", str(out), "--db", str(fixture_db), "--json"]) == 0
    written = json.loads(capsys.readouterr().out)["relations"]
    assert written["project_month"]["partitioned"] and not written["projects"]["partitioned"]
    assert set(written) >= {"project_month", "projects", "problems", "problem_month", "milestones", "units"}
    # one folder per month, named the hive way
    months = sorted(p.name for p in (out / "project_month").iterdir())
    assert months == ["period=2025-10-01", "period=2026-09-01", "period=2026-10-01"]
    assert (out / "projects.parquet").is_file() and not (out / "projects").exists()

    wh = duckdb.connect(str(current_state(fixture_db)), read_only=True)
    pq = duckdb.connect()
    for name, info in written.items():
        ours = wh.sql(f"select * from {name}").pl()
        src = (f"read_parquet('{out / name}/*/*.parquet', hive_partitioning = true)" if info["partitioned"]
               else f"read_parquet('{out / name}.parquet')")
        back = pq.sql(f"select * from {src}").pl().select(ours.columns)
        assert back.height == ours.height == info["rows"], name
        key = [c for c in ours.columns if ours[c].dtype != pl.List(pl.String)]
        assert_frame_equal(back.sort(key, nulls_last=True), ours.sort(key, nulls_last=True),
                           check_dtypes=True), name
    # the month partition is a DATE again when read back
    assert pq.sql(f"select typeof(period) from read_parquet('{out}/project_month/*/*.parquet', "
                  "hive_partitioning = true) limit 1").fetchall()[0][0] == "DATE"
    meta = json.loads((out / "_meta.json").read_text(encoding="utf-8"))
    assert meta["data_period"] == "2026-10-01" and meta["state"] == current_state(fixture_db).name


def test_export_again_replaces_the_earlier_export(tmp_path, fixture_db, capsys):
    out = tmp_path / "export"
    for _ in range(2):
        assert main(["export", "--out", str(out), "--db", str(fixture_db)]) == 0
    assert "已导出到" in capsys.readouterr().out
    n = duckdb.sql(f"select count(*) from read_parquet('{out}/project_month/*/*.parquet')").fetchall()[0][0]
    wh = duckdb.connect(str(current_state(fixture_db)), read_only=True)
    assert n == wh.sql("select count(*) from project_month").fetchall()[0][0]
