"""The marts the page queries read in one filtered read (etl/sql/mart_project_month.sql,
etl/sql/mart_policy_month.sql): known answers on the fixture warehouse and on a few hand-made
rows. That a load builds them month by month as a full rebuild would is tested with every
derived relation in tests/test_load.py."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import fixtures
from etl.warehouse import build_period_mart, connect_read

SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
A, B, C, D, F, G = (fixtures.CODES[k] for k in "ABCDFG")

COLUMNS = ("library, is_key, leader_name, leader_title_known, in_prev, prev_status, prev_is_key, prev_leader, "
           "is_started, prev_started, has_prev_month, open_problems, overdue_problems, disappeared_problems, "
           "has_filed_problem, problem_description, problem_unit, problem_overdue, problem_days_overdue, unit_sort")


@pytest.fixture(scope="module")
def mart(fixture_db) -> dict:
    con, _ = connect_read(fixture_db)
    try:
        cur = con.execute(f"select period, project_code, {COLUMNS} from mart_project_month")
        names = [d[0] for d in cur.description]
        rows = {(r[0], r[1]): dict(zip(names, r)) for r in cur.fetchall()}
        counts = con.execute("select (select count(*) from mart_project_month), "
                             "(select count(*) from project_month)").fetchall()[0]
    finally:
        con.close()
    assert counts[0] == counts[1]  # every project of every month, reserve ones too
    return rows


def _pick(row: dict, cols: str) -> tuple:
    return tuple(row[c.strip()] for c in cols.split(","))


@pytest.mark.parametrize("period, code, cols, expected", [
    # B: yellow in September, red in October; the month before September (August) was not reported
    (OCT, B, "in_prev, prev_status, prev_is_key, prev_leader, prev_started, has_prev_month",
     (True, "yellow", True, "李明", True, True)),
    (SEP, B, "in_prev, prev_status, has_prev_month", (False, None, False)),
    # A in September: two open problems, the one 92 days overdue is the most pressing (not the newer one)
    (SEP, A, "open_problems, overdue_problems, problem_description, problem_unit, problem_overdue, "
             "problem_days_overdue", (2, 1, "电力接入慢", "国网大同供电公司", True, 92)),
    # A in October: that one closed; the other is still open though no longer reported (disappeared)
    (OCT, A, "open_problems, overdue_problems, disappeared_problems, has_filed_problem, problem_description",
     (1, 0, 1, True, "施工许可办理慢")),
    # G's file leaves the title out: 王建国's title from his other row
    (OCT, G, "leader_name, leader_title_known, prev_status", ("王建国", "副市长", "red")),
    (SEP, G, "leader_name, leader_title_known, in_prev", ("王建国", "副市长", False)),
    # F first reported in October, no leader; C not started, one open problem, not key
    (OCT, F, "leader_name, leader_title_known, in_prev, is_started, open_problems, has_filed_problem",
     (None, None, False, True, 0, False)),
    (OCT, C, "is_key, is_started, open_problems, problem_description, problem_overdue", (False, False, 1, "用地未落实", False)),
    # a reserve project is a row too, in its unit's official place (平城区 first)
    (OCT, D, "library, unit_sort, open_problems", ("reserve", 0, 0)),
])
def test_project_month_known_answers(mart, period, code, cols, expected):
    assert _pick(mart[(period, code)], cols) == expected


def _policy_con() -> duckdb.DuckDBPyConnection:
    """project_month with only the columns the policy mart reads, and a few hand-made rows."""
    con = duckdb.connect()
    con.execute("create table project_month (period date, project_code varchar, unit_code varchar, zone_code varchar, "
                "library varchar, sector varchar, six_new_type varchar, total_investment_wan double, "
                "annual_plan_wan double, completed_ytd_wan double, is_promotion boolean, signed_date date, "
                "actual_start date)")
    con.execute("create table problem_month (period date)")
    rows = [
        # 平城区: a reserve project, an industrial 六新 one
        (OCT, "R1", "140213", None, "reserve", "工业", None, 500, None, None, False, None, None),
        (OCT, "P2", "140213", None, "continuing", "工业", "新材料", 900, 100, 40, False, None, None),
        # the zone: industrial, last year's 年累计 too
        (OCT, "P3", "140271", "140271", "new_start", "工业", None, 800, 200, 60, False, None, None),
        (dt.date(2025, 10, 1), "P3", "140271", "140271", "continuing", "工业", None, 800, 150, 50, False, None, None),
        # promotion projects signed this year: one started (阳高县), one reported only in May (云冈区),
        # one signed last year (not counted)
        (OCT, "S1", "140221", None, "new_start", "服务业", None, 300, 80, 10, True, dt.date(2026, 2, 1),
         dt.date(2026, 4, 1)),
        (dt.date(2026, 5, 1), "S2", "140214", None, "reserve", "服务业", None, 400, None, None, True,
         dt.date(2026, 3, 1), None),
        (OCT, "S3", "140221", None, "reserve", "农业", None, 100, None, None, True, dt.date(2025, 12, 1), None),
    ]
    con.executemany("insert into project_month values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    build_period_mart(con, "mart_policy_month")
    return con


def test_policy_month_known_answers():
    con = _policy_con()
    cur = con.execute("select unit_code, is_city, reserve_total_wan, plan_wan, industry_ytd_wan, "
                      "six_new_industry_ytd_wan, zone_industry_ytd_wan, signed, signed_started "
                      "from mart_policy_month where period = ? order by is_city, unit_code", [OCT])
    got = cur.fetchall()
    assert got == [
        ("140213", False, 500.0, 100.0, 40.0, 40.0, None, 0, 0),
        # 云冈区 reported nothing in October: its row holds the project it signed in May
        ("140214", False, None, None, None, None, None, 1, 0),
        ("140221", False, 100.0, 80.0, None, None, None, 1, 1),
        ("140271", False, None, 200.0, 60.0, None, 60.0, 0, 0),
        (None, True, 600.0, 380.0, 100.0, 40.0, 60.0, 2, 1),
    ]
    last_year = con.execute("select zone_industry_ytd_wan from mart_policy_month "
                            "where period = date '2025-10-01' and is_city").fetchall()
    assert last_year == [(50.0,)]
