"""The home page's answers and the phone cards, on the fixture warehouse (tests/fixtures.py, 2026-10):
this month's new starts, the projects due to start that have not, the league's reasons in words."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import queries
from ui import answers, cards, maps
from ui import league as lg

P = dt.date(2026, 10, 1)
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture()
def starts(fixture_db):
    return queries.run("start_watch", period=P, unit=None)


def test_start_watch_known_answer(starts):
    # C (平城区文化街区项目) was due in 2026-05, has no actual start and nothing invested; A, F and G
    # started before October: no project started this month
    assert starts.filter(pl.col("started_this_month")).height == 0
    late = starts.filter(pl.col("late_start"))
    assert late["name"].to_list() == ["平城区文化街区项目"]
    assert late["unit_name"].to_list() == ["平城区"]
    assert late["days_late"].to_list() == [(dt.date(2026, 10, 31) - late["planned_start"][0]).days]
    assert late["planned_start"][0].year == 2026 and late["planned_start"][0].month == 5


def test_start_watch_by_unit(fixture_db):
    assert queries.run("start_watch", period=P, unit="140215").is_empty()  # 云州区: F started in 2026


def test_start_watch_counts_agree_with_the_overview_tile(fixture_db, starts):
    k = queries.run("overview_kpis", period=P, unit=None, library=None).row(0, named=True)
    assert starts.filter(pl.col("late_start")).height == k["due_to_start"] - k["started"]


def test_overview_answers(fixture_db, starts):
    k = queries.run("overview_kpis", period=P, unit=None, library=None).row(0, named=True)
    rows = queries.run("problem_list", period=P, unit=None)
    overdue = rows.filter(pl.col("is_open") & pl.col("is_overdue"))
    targets = queries.run("policy_targets", period=P, unit=None)
    pages = {p: f"/{p}" for p in ("progress", "mobile", "problems", "league")}
    got = {a.question: a for a in answers.overview_answers(P, None, k, starts, overdue, targets, pages,
                                                           rank=("大同经济技术开发区", "第1名"))}
    assert got["1-10月累计完成投资"].value == "6.10亿元"
    assert "完成率69.3%" in got["1-10月累计完成投资"].note
    assert got["10月新开工"].value == "0个"
    late = got["计划开工未开工"]
    assert late.value == "1个" and late.note == "最久183天：平城区文化街区项目" and late.href == "#late-starts"  # not 「平城区平城区…」
    assert got["红色重点工程"].value == "2个"
    assert got["红色重点工程"].href == "/mobile?period=2026-10&status=red&show=list"
    odue = got["超期未办结问题"]
    assert odue.value == "1个" and "超期61天" in odue.note and "平城区供热管网改造工程" in odue.note
    assert odue.href == "/problems?period=2026-10&overdue=1"
    assert got["比亮晒排名（综合得分）"].href == "/league?period=2026-10"
    html = answers.answers_html(list(got.values()))
    assert html.count('class="ans ') == len(got)


def test_start_cards_carry_county_level_days_and_leader(starts):
    html = answers.start_cards(starts.filter(pl.col("late_start")), "/dossier", late=True)
    assert "平城区文化街区项目" in html and "非重点工程" in html and "包联领导：未明确" in html
    assert "/dossier?project=2026-140213-44-01-000003" in html and "已推迟" in html


def test_cards_escape_everything():
    html = cards.cards_html([cards.Card(href='/x?a="1"', title=HOSTILE, lines=(HOSTILE,), strong=HOSTILE)])
    assert "<img" not in html and "&lt;img" in html


def test_mobile_cards_show_level_and_leader(fixture_db):
    df = queries.run("map_projects", period=P, unit=None, level=None, status="red", six_new=None, leader=None)
    html = maps.mobile_list_html(df)
    assert "省定市管" in html and "包联领导：李明（市长）" in html


def test_map_level_filter_takes_several_values(fixture_db):
    one = queries.run("map_projects", period=P, unit=None, level="province_managed", status=None, six_new=None,
                      leader=None)
    two = queries.run("map_projects", period=P, unit=None, level="province_managed,province_city_managed",
                      status=None, six_new=None, leader=None)
    assert set(one["key_level"]) == {"province_managed"}
    assert set(two["key_level"]) == {"province_managed", "province_city_managed"} and two.height == one.height + 1


def test_rank_reasons_say_the_weakest_metric_in_words(fixture_db):
    cfg = lg.load_config()
    t = lg.league(queries.run("league_units", period=P), queries.run("league_units", period=dt.date(2026, 9, 1)),
                  cfg, "units")
    reasons = dict(lg.rank_reasons(t, cfg, "units"))
    ranked = t.filter(pl.col("ranked")).sort("rank")
    assert list(reasons) == ranked["unit_name"].to_list()
    last = ranked["unit_name"][-1]
    assert reasons[last].startswith(f"第{ranked['rank'][-1]}名") and "弱项：" in reasons[last]
    value, note = lg.rank_answer(t, cfg, None)
    assert value == ranked["unit_name"][0] and f"末位：{last}" in note


def test_counts_carry_thousands_separators(fixture_db, starts):
    # a city-sized month: counts read like the tables (「1,234个」, not 「1234个」)
    k = queries.run("overview_kpis", period=P, unit=None, library=None).row(0, named=True) | {"key_red": 1234}
    targets = queries.run("policy_targets", period=P, unit=None)
    late = pl.concat([starts.filter(pl.col("late_start"))] * 1001)
    pages = {p: f"/{p}" for p in ("progress", "mobile", "problems", "league")}
    got = {a.question: a for a in answers.overview_answers(P, None, k, late, None, targets, pages)}
    assert got["红色重点工程"].value == "1,234个"
    assert got["计划开工未开工"].value == "1,001个"
