"""投资进度: the cuts, the drill-down and the consistency questions, with known answers on the
fixture warehouse (tests/fixtures.py) and on a tiny hand-made project_month; the page through
AppTest (change period, pick a county, drill down to a project)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from apptest import markup, page_test

import queries
from etl.warehouse import SQL_DIR, build_period_mart
from fixtures import CODES
from ui import progress as pg

ROOT = Path(__file__).resolve().parent.parent
P10, P09, P25 = dt.date(2026, 10, 1), dt.date(2026, 9, 1), dt.date(2025, 10, 1)


def cut(dim: str, unit=None, library=None, period=P10) -> dict:
    df = pg.label_cut(queries.run("progress_by_dim", period=period, unit=unit, library=library, dim=dim), dim)
    return {r["label"]: r for r in df.iter_rows(named=True)}


def amounts(row) -> tuple:
    return row["projects"], row["plan_wan"], row["month_wan"], row["ytd_wan"]


# ---------------------------------------------------------------- cuts (2026-10, the whole city)

def test_cut_by_unit(fixture_db):
    c = cut("unit")
    assert list(c) == ["平城区", "云州区", "大同经济技术开发区"]  # official order, zones after counties
    assert amounts(c["平城区"]) == (3, 35000.0, 1500.0, 18000.0)
    assert c["平城区"]["gap_pts"] == pytest.approx((10 / 12 - 18000 / 35000) * 100)
    assert c["平城区"]["yoy_growth"] == pytest.approx(18000 / 9000 - 1)  # last year B only
    assert amounts(c["云州区"]) == (2, 23000.0, 1500.0, 16000.0) and c["云州区"]["yoy_growth"] is None
    assert c["大同经济技术开发区"]["gap_pts"] == pytest.approx((10 / 12 - 0.9) * 100)  # ahead: negative


@pytest.mark.parametrize("dim,expected", [
    ("sector", {"工业": (3, 55000.0, 5000.0, 47000.0), "农业": (1, 8000.0, 500.0, 4000.0),
                "服务业": (1, 5000.0, 0.0, 0.0), "基础设施": (1, 20000.0, 500.0, 10000.0)}),
    ("library", {"新开工项目": (4, 53000.0, 4500.0, 39000.0), "续建项目": (2, 35000.0, 1500.0, 22000.0)}),
    ("key_level", {"省定省管": (1, 30000.0, 3000.0, 27000.0), "省定市管": (1, 20000.0, 500.0, 10000.0),
                   "市级": (2, 18000.0, 1500.0, 12000.0), "非重点工程": (2, 20000.0, 1000.0, 12000.0)}),
    ("six_new", {"新材料": (1, 10000.0, 1000.0, 8000.0), "新装备": (1, 30000.0, 3000.0, 27000.0),
                 "非六新项目": (4, 48000.0, 2000.0, 26000.0)}),
    ("invest_kind", {"企业投资": (2, 25000.0, 2000.0, 20000.0), "政府投资": (3, 33000.0, 1000.0, 14000.0),
                     "未填报": (1, 30000.0, 3000.0, 27000.0)}),  # G's file has no 投资类型
])
def test_cuts_in_official_order(fixture_db, dim, expected):
    c = cut(dim)
    assert list(c) == list(expected)
    assert {k: amounts(r) for k, r in c.items()} == expected
    # every cut adds up to the city: plan 88000, month 6000, ytd 61000
    t = pg.totals(pg.label_cut(queries.run("progress_by_dim", period=P10, unit=None, library=None, dim=dim), dim),
                  10 / 12)
    assert (t["projects"], t["plan_wan"], t["month_wan"], t["ytd_wan"]) == (6, 88000.0, 6000.0, 61000.0)
    assert t["yoy_growth"] == pytest.approx(61000 / 9000 - 1)


def test_cut_year_on_year_within_group(fixture_db):
    assert cut("library")["续建项目"]["yoy_growth"] == pytest.approx(22000 / 9000 - 1)  # B was continuing
    assert cut("library")["新开工项目"]["yoy_growth"] is None


def test_cuts_follow_scope_filters(fixture_db):
    c = cut("sector", unit="140213")
    assert {k: amounts(r) for k, r in c.items()} == {
        "工业": (1, 10000.0, 1000.0, 8000.0), "服务业": (1, 5000.0, 0.0, 0.0), "基础设施": (1, 20000.0, 500.0, 10000.0)}
    c = cut("unit", library="key")
    assert {k: amounts(r) for k, r in c.items()} == {
        "平城区": (2, 30000.0, 1500.0, 18000.0), "云州区": (1, 8000.0, 500.0, 4000.0),
        "大同经济技术开发区": (1, 30000.0, 3000.0, 27000.0)}


def test_september_totals(fixture_db):
    t = pg.totals(queries.run("progress_by_dim", period=P09, unit=None, library=None, dim="library"), 9 / 12)
    # A 10000/7000, B 20000/9500, G 30000/9000
    assert (t["projects"], t["plan_wan"], t["ytd_wan"]) == (3, 60000.0, 25500.0)
    assert t["yoy_growth"] is None  # nothing reported in 2025-09


# ---------------------------------------------------------------- drill-down

def test_projects_of_a_county(fixture_db):
    df = queries.run("progress_projects", period=P10, unit="140213", library=None)
    # red first, furthest behind first: C (83.3 behind), B (33.3), then A (green)
    assert df["project_code"].to_list() == [CODES["C"], CODES["B"], CODES["A"]]
    table = pg.project_table(df)
    assert table["红黄绿"].to_list() == ["🔴红", "🔴红", "🟢绿"]
    assert table.row(2, named=True)["年累计完成（万元）"] == 8000.0


def test_project_history(fixture_db):
    df = queries.run("progress_project_history", project=CODES["B"])
    assert df["period"].to_list() == [P25, P09, P10]
    assert df["completed_ytd_wan"].to_list() == [9000.0, 9500.0, 10000.0]
    assert df["status"].to_list() == ["red", "yellow", "red"]
    table = pg.history_table(df)
    assert table["月份"].to_list() == ["2025年10月", "2026年9月", "2026年10月"]
    assert table["项目类别"].to_list() == ["续建", "续建", "续建"]
    fig = pg.history_chart(df, "t", "s")
    assert list(fig.data[2].y) == pytest.approx([15000.0, 15000.0, 20000 * 10 / 12])  # 序时进度


# ---------------------------------------------------------------- consistency questions (fixture)

def test_consistency_flags_on_fixture(fixture_db):
    oct_ = queries.run("consistency_flags", period=P10, unit=None)
    # G: 年累计 27000 but September's 9000 + October's 3000 = 12000
    assert oct_.select("project_code", "rule", "value_wan", "reference_wan").rows() == [
        (CODES["G"], "ytd_vs_months", 27000.0, 12000.0)]
    assert pg.question(oct_.row(0, named=True)) == (
        "年累计完成27,000万元，而上月年累计9,000万元加本月完成3,000万元应为12,000万元，相差15,000万元，"
        "请核实年累计或本月完成是否填报有误？")
    sep = queries.run("consistency_flags", period=P09, unit=None)
    assert sep.select("project_code", "rule", "value_wan", "reference_wan").rows() == [
        (CODES["G"], "cum_below_ytd", 8000.0, 9000.0)]
    assert queries.run("consistency_flags", period=P25, unit=None).is_empty()
    assert queries.run("consistency_flags", period=P10, unit="140213").is_empty()


def test_flag_counts_per_county(fixture_db):
    flags = queries.run("consistency_flags", period=P10, unit=None)
    reporting = pl.DataFrame({"unit_code": ["140213", "140215", "140271"],
                              "unit_name": ["平城区", "云州区", "大同经济技术开发区"]})
    counts = pg.flag_counts(flags, reporting)
    assert counts["县区/开发区"].to_list() == ["平城区", "云州区", "大同经济技术开发区", "合计"]
    assert counts["待核实项目"].to_list() == [0, 0, 1, 1]
    assert counts["年累计与逐月不符"].to_list() == [0, 0, 1, 1]
    assert counts["年累计比上月减少"].to_list() == [0, 0, 0, 0]
    empty = pg.flag_counts(flags.head(0), reporting)
    assert empty["待核实数据"].to_list() == [0, 0, 0, 0]


# ---------------------------------------------------------------- consistency rules on a tiny project_month

COLUMNS = {"period": "date", "project_code": "varchar", "name": "varchar", "unit_code": "varchar",
           "unit_name": "varchar", "sender": "varchar", "library": "varchar", "annual_plan_wan": "double",
           "completed_month_wan": "double", "completed_ytd_wan": "double", "completed_cum_wan": "double",
           "total_investment_wan": "double"}

#      project, period,     plan,  month, ytd,  cum,  total
ROWS = [
    ("JAN", "2026-01-01", 1000, 100, 120, 500, 5000),  # January: ytd should equal the month
    ("DEC", "2026-01-01", 1000, 300, 300, 900, 5000),
    ("DEC", "2026-02-01", 1000, 50, 250, 950, 5000),  # ytd down 50; and 300 + 50 != 250
    ("CUM", "2026-02-01", 1000, 50, 200, 100, 5000),  # cumulative below ytd
    ("HALF", "2026-02-01", 1000, 600, 600, 2000, 5000),  # a month above half the plan (no previous month)
    ("JUMP", "2026-01-01", 1000, 100, 100, 600, 5000),
    ("JUMP", "2026-02-01", 10000, 100, 200, 700, 50000),  # plan x10 and total x10
    ("GAP", "2026-01-01", 1000, 100, 100, 600, 5000),
    ("GAP", "2026-03-01", 1000, 100, 400, 900, 5000),  # February missing: no ytd check possible
    ("OK", "2026-01-01", 1000, 100, 100, 600, 5000),
    ("OK", "2026-02-01", 1000, 100.4, 200.4, 700.4, 5000),  # within the 1万元 tolerance
    ("RES", "2026-02-01", None, None, 9, 1, 5000),  # reserve rows are never questioned
]


@pytest.fixture(scope="module")
def tiny_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table project_month (" + ", ".join(f"{k} {v}" for k, v in COLUMNS.items()) + ")")
    con.execute("create table units (code varchar, name varchar, kind varchar, sort_order integer)")
    con.execute("insert into units values ('140213', '平城区', 'county', 0)")
    for code, period, plan, month, ytd, cum, total in ROWS:
        con.execute("insert into project_month values (?, ?, ?, '140213', '平城区', '平城区', ?, ?, ?, ?, ?, ?)",
                    [period, code, f"项目{code}", "reserve" if code == "RES" else "continuing", plan, month, ytd,
                     cum, total])
    # the consistency query reads the mart built from project_month at load time: build it the same way
    for col, typ in {"owner": "varchar", "county_code": "varchar", "zone_code": "varchar", "key_level": "varchar",
                     "sector": "varchar", "six_new_type": "varchar", "invest_kind": "varchar",
                     "responsible_unit": "varchar", "progress_text": "varchar", "planned_start": "date",
                     "actual_start": "date", "time_progress": "double", "completion_rate": "double",
                     "gap_pts": "double", "status": "varchar", "status_reason": "varchar"}.items():
        con.execute(f"alter table project_month add column {col} {typ}")
    con.execute("alter table project_month add column is_key boolean default false")
    con.execute("create temp table rebuild_scope as select date '0001-01-01' as from_period")
    con.execute((SQL_DIR / "mart_annual_month.sql").read_text(encoding="utf-8"))
    con.execute("create table mart_annual_month as select * from mart_annual_month_build")
    # and the questions of every month on it (etl/sql/mart_consistency_month.sql), as a load does
    con.execute("create table problem_month (period date)")
    build_period_mart(con, "mart_consistency_month")
    con.close()
    return path


def flags_of(path: Path, period: str) -> list[tuple]:
    wh = queries.Warehouse(path)
    try:
        df = wh.run("consistency_flags", period=dt.date.fromisoformat(period), unit=None)
    finally:
        wh.close()
    return df.select("project_code", "rule", "field", "value_wan", "reference_wan").rows()


def test_every_rule_on_a_tiny_warehouse(tiny_warehouse):
    assert flags_of(tiny_warehouse, "2026-01-01") == [("JAN", "ytd_vs_months", None, 120.0, 100.0)]
    assert flags_of(tiny_warehouse, "2026-02-01") == [
        ("CUM", "cum_below_ytd", None, 100.0, 200.0),
        ("DEC", "ytd_vs_months", None, 250.0, 350.0),
        ("DEC", "ytd_decrease", None, 250.0, 300.0),
        ("HALF", "month_over_half", None, 600.0, 1000.0),
        ("JUMP", "magnitude_jump", "annual_plan", 10000.0, 1000.0),
        ("JUMP", "magnitude_jump", "total_investment", 50000.0, 5000.0),
    ]
    assert flags_of(tiny_warehouse, "2026-03-01") == []  # GAP: no previous month, nothing to compare


@pytest.mark.parametrize("row,text", [
    ({"rule": "ytd_decrease", "value_wan": 250.0, "reference_wan": 300.0},
     "年累计完成250万元，比上月年累计300万元减少50万元，是否调减了以前月份的数据？"),
    ({"rule": "cum_below_ytd", "value_wan": 100.0, "reference_wan": 200.0},
     "开工累计完成100万元，低于本年累计完成200万元，开工累计是否漏报了本年完成？"),
    ({"rule": "month_over_half", "value_wan": 600.0, "reference_wan": 1000.0},
     "本月完成600万元，占年度计划投资1,000万元的60.0%，是否属实、单位是否填错？"),
    ({"rule": "magnitude_jump", "field": "annual_plan", "value_wan": 10000.0, "reference_wan": 1000.0},
     "年度计划投资由上期1,000万元变为10,000万元，相差约10倍，是否把万元、亿元填错？"),
    ({"rule": "ytd_vs_months", "value_wan": 120.0, "reference_wan": 100.0, "prev_ytd_wan": None},
     "1月年累计完成120万元，与本月完成100万元不一致，请核实哪一个数有误？"),
])
def test_questions_read_as_questions(row, text):
    assert pg.question(row) == text


# ---------------------------------------------------------------- the page

@pytest.fixture()
def page(fixture_db):
    at = page_test("progress")
    at.query_params["period"] = "2026-10"
    return at.run()


def metrics(at) -> list[str]:
    """The values of the first row of KPI tiles."""
    grid = next(h.value for h in at.html if "kpi-grid" in h.value)
    return re.findall(r'<div class="value">(.*?)</div>', grid)


def test_page_period_county_project(page):
    at = page
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at) == ["8.80亿元", "0.60亿元", "6.10亿元", "↑577.8%"]
    assert at.dataframe[0].value["县区/开发区"].to_list() == ["平城区", "云州区", "大同经济技术开发区"]
    texts = markup(at)
    assert "有 **1** 个项目的 **1** 处数据需要与报送单位核实" in texts
    assert "经开区氢能装备产业园（大同经济技术开发区）— 年累计与逐月不符" in texts

    # change period: September (A 10000 + B 20000 + G 30000 planned; 25500 done)
    at.selectbox(key="flt_period").set_value(P09).run()
    assert not at.exception
    assert metrics(at)[:3] == ["6.00亿元", "0.35亿元", "2.55亿元"]  # month: A 1500 + B 1000 + G 1000
    at.selectbox(key="flt_period").set_value(P10).run()

    # pick a county: its projects, red first
    at.selectbox(key="pg_unit").set_value("140213").run()
    assert not at.exception
    assert at.query_params["unit"] == "140213"
    assert at.title[0].value == "平城区投资进度"
    assert metrics(at) == ["3.50亿元", "0.15亿元", "1.80亿元", "↑100.0%"]
    projects = next(d.value for d in at.dataframe if "项目名称" in d.value.columns)
    assert projects["项目代码"].to_list() == [CODES["C"], CODES["B"], CODES["A"]]

    # drill down to a project: its months and the link to its file
    at.selectbox(key="pg_project").set_value(CODES["B"]).run()
    assert not at.exception
    assert at.query_params["project"] == CODES["B"]
    history = next(d.value for d in at.dataframe if "月份" in d.value.columns)
    assert history["月份"].to_list() == ["2025年10月", "2026年9月", "2026年10月"]
    links = at.get("link_button")  # a plain link when the page runs outside the app's navigation
    assert any(f"dossier?project={CODES['B']}" in b.proto.url for b in links)

    # another county: the project choice is cleared
    at.selectbox(key="pg_unit").set_value("140215").run()
    assert not at.exception
    assert "project" not in at.query_params


def test_page_cut_switch_and_shared_link(fixture_db):
    at = page_test("progress")
    at.query_params.update({"period": "2026-10", "cut": "sector", "project": CODES["G"]})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # a link with only the project opens the project's zone
    assert at.selectbox(key="pg_unit").value == "140271"
    assert at.title[0].value == "大同经济技术开发区投资进度"
    assert at.dataframe[0].value["所属行业"].to_list() == ["工业"]  # the cut follows the zone
    at.button_group(key="pg_cut").set_value("key_level").run()
    assert at.dataframe[0].value["重点工程级别"].to_list() == ["省定省管"]
    assert at.query_params["cut"] == "key_level"


# ---------------------------------------------------------------- clicks only a browser can make

def test_click_a_bar_then_a_row_in_the_browser(fixture_server, browser):
    """AppTest cannot click a chart: in Chromium, a click on 平城区's bar opens its projects and a
    click on a project row opens the project, both kept in the URL."""
    from browser import error_boxes, open_page, rerun, wait_ready

    base = fixture_server
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    open_page(page, base + "/progress?period=2026-10")
    wait_ready(page, "全市分县区/开发区年度投资完成率")
    # the chart has drawn its bars and the layer that takes clicks (no fixed pause)
    page.wait_for_function("""() => { const p = document.querySelectorAll('.js-plotly-plot')[1];
        return !!(p && p._fullLayout && p.querySelector('g.point path') && p.querySelector('.nsewdrag')); }""",
                           timeout=30_000)
    bar = page.locator(".js-plotly-plot").nth(1).locator("g.point path").first.bounding_box()
    with rerun(page, "平城区项目明细"):
        page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)  # the first bar: 平城区
    assert "unit=140213" in page.url
    grid = page.locator("[data-testid='stDataFrame']").nth(1)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    with rerun(page, "查看项目档案"):
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box: C
    assert f"project={CODES['C']}" in page.url
    assert error_boxes(page) == []
