"""Known answers of the overview's queries on the fixture warehouse (see tests/fixtures.py)."""

from __future__ import annotations

import datetime as dt

import pytest

import queries

P = dt.date(2026, 10, 1)


def test_every_query_declares_only_bound_parameters():
    for name in queries.names():
        text = queries.sql_text(name)
        assert "{" not in text, f"{name}.sql looks like a format string"


def test_overview_kpis_city(fixture_db):
    k = queries.run("overview_kpis", period=P, unit=None, library=None).row(0, named=True)
    assert (k["plan_wan"], k["month_wan"], k["ytd_wan"]) == (88000.0, 6000.0, 61000.0)
    assert k["projects"] == 6 and k["new_start"] == 4 and k["continuing"] == 2 and k["key_projects"] == 4
    assert k["completion_rate"] == pytest.approx(61000 / 88000)
    assert k["time_progress"] == pytest.approx(10 / 12)
    assert k["gap_pts"] == pytest.approx((10 / 12 - 61000 / 88000) * 100)
    # last year only B was reported (ytd 9000)
    assert k["ytd_last_year_wan"] == 9000.0
    assert k["yoy_growth"] == pytest.approx(61000 / 9000 - 1)
    # new starts due to start by 2026-10-31: A (2026-03), C (2026-05), G (2026-03); F has no planned date
    assert (k["due_to_start"], k["started"]) == (3, 2)
    assert (k["red"], k["yellow"], k["green"]) == (3, 0, 3)  # B, C, F red
    assert (k["key_red"], k["key_yellow"], k["key_green"]) == (2, 0, 2)  # key: A g, B r, F r, G g
    assert (k["reserve_projects"], k["reserve_total_wan"]) == (1, 50000.0)


def test_overview_kpis_filtered(fixture_db):
    k = queries.run("overview_kpis", period=P, unit="140215", library=None).row(0, named=True)
    assert (k["plan_wan"], k["ytd_wan"], k["projects"]) == (23000.0, 16000.0, 2)
    k = queries.run("overview_kpis", period=P, unit=None, library="key").row(0, named=True)
    assert (k["plan_wan"], k["ytd_wan"], k["projects"]) == (68000.0, 49000.0, 4)
    k = queries.run("overview_kpis", period=P, unit=None, library="continuing").row(0, named=True)
    assert (k["plan_wan"], k["projects"]) == (35000.0, 2)


def test_status_rule_on_fixture(fixture_db):
    import duckdb
    con = duckdb.connect(str(fixture_db), read_only=True)
    rows = dict(con.execute("select project_code, status from project_month where period = ?", [P]).fetchall())
    con.close()
    from fixtures import CODES
    assert rows[CODES["A"]] == "green"
    assert rows[CODES["B"]] == "red"  # 33.3 points behind
    assert rows[CODES["C"]] == "red"  # planned 2026-05, not started after 5 months
    assert rows[CODES["E"]] == "green"
    assert rows[CODES["F"]] == "red"  # 33.3 points behind
    assert rows[CODES["G"]] == "green"
    assert rows[CODES["D"]] is None  # reserve projects have no status


def test_by_unit(fixture_db):
    df = queries.run("by_unit", period=P, library=None)
    # official order: counties first, zones after
    assert df["unit_name"].to_list()[:4] == ["平城区", "云冈区", "新荣区", "云州区"]
    pc = df.row(0, named=True)
    assert (pc["plan_wan"], pc["month_wan"], pc["ytd_wan"], pc["projects"]) == (35000.0, 1500.0, 18000.0, 3)
    assert pc["yoy_growth"] == pytest.approx(18000 / 9000 - 1)
    zone = df.filter(df["unit_code"] == "140271").row(0, named=True)
    assert (zone["plan_wan"], zone["ytd_wan"]) == (30000.0, 27000.0)
    assert df.filter(df["unit_code"] == "140214")["projects"].to_list() == [0]


def test_monthly_cumulative(fixture_db):
    df = queries.run("monthly_cumulative", period=P, unit="140213", library=None)
    assert df.height == 12
    by_month = {r["month"]: r for r in df.iter_rows(named=True)}
    assert by_month[9]["ytd_wan"] == 16500.0  # 2026-09: A 7000 + B 9500
    assert by_month[10]["ytd_wan"] == 18000.0
    assert by_month[10]["ytd_last_year_wan"] == 9000.0
    assert by_month[12]["schedule_wan"] == pytest.approx(35000.0)
    assert by_month[6]["schedule_wan"] == pytest.approx(35000.0 / 2)


def test_policy_targets(fixture_db):
    t = {r["target"]: r for r in queries.run("policy_targets", period=P, unit=None).iter_rows(named=True)}
    assert t["reserve_ratio"]["actual"] == pytest.approx(50000 / 88000)
    assert t["reserve_ratio"]["met"] is False
    # 六新 industrial ytd: A 8000 (新材料) + G 27000 (新装备); industrial: + E 12000
    assert t["six_new_share"]["actual"] == pytest.approx(35000 / 47000)
    assert t["signed_started"]["actual"] == 0.0  # D signed 2026-06, not started


def test_data_status(fixture_db):
    s = queries.run("data_status").row(0, named=True)
    assert s["data_period"] == P and s["data_date"] == dt.date(2026, 10, 31)
    assert s["senders_reported"] == 3
