"""问题清单: the closed-loop rules (etl/problem_rules.py, etl/sql/problems.sql), closure rates,
the disappeared-problem flag and 未建档问题, with answers worked out in tests/fixtures.py; and
the page with its filters (AppTest)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from apptest import markup, page_test

import queries
from etl import problem_rules
from etl.warehouse import SQL_DIR, current_state, rebuild_derived
from ui import problems as pb

ROOT = Path(__file__).resolve().parent.parent
OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)


def _by_id(df: pl.DataFrame) -> dict[str, dict]:
    return {r["problem_id"]: r for r in df.iter_rows(named=True)}


# ---------------------------------------------------------------- the rules on the fixture

@pytest.mark.parametrize("period, pid, state, is_open, is_overdue, days_overdue, days_open, disappeared", [
    # WT-1: deadline 2026-08-31 passed, not closed -> 督办
    (OCT, "WT-1", "escalated", True, True, 61, 152, False),
    (SEP, "WT-1", "escalated", True, True, 30, 121, False),
    # WT-2: 已交办, deadline 2026-12-31 ahead
    (OCT, "WT-2", "assigned", True, False, 0, 51, False),
    # WT-3: 办结 but 不满意 in September is not cleared, and past its deadline -> 督办;
    # 满意 in October -> 销号, ageing stops at its 办结时间
    (SEP, "WT-3", "escalated", True, True, 92, 182, False),
    (OCT, "WT-3", "closed", False, False, 0, 80, False),
    # WT-4: reported in September, missing from 平城区's October report, never closed
    (SEP, "WT-4", "in_progress", True, False, 0, 46, False),
    (OCT, "WT-4", "in_progress", True, False, 0, 77, True),
])
def test_state_rules(fixture_db, period, pid, state, is_open, is_overdue, days_overdue, days_open, disappeared):
    r = _by_id(queries.run("problem_list", period=period, unit=None))[pid]
    assert (r["state"], r["is_open"], r["is_overdue"], r["days_overdue"], r["days_open"], r["disappeared"]) == \
        (state, is_open, is_overdue, days_overdue, days_open, disappeared)


def test_problems_table_is_the_data_date(fixture_db):
    con = duckdb.connect(str(current_state(fixture_db)), read_only=True)
    try:
        rows = _by_id(con.sql("select * from problems").pl())
    finally:
        con.close()
    assert sorted(rows) == ["WT-1", "WT-2", "WT-3", "WT-4"]
    assert rows["WT-2"]["is_incomplete"] and rows["WT-2"]["missing_fields"] == "责任领导"
    assert rows["WT-3"]["is_cleared"] and rows["WT-3"]["days_to_close"] == 80 and rows["WT-3"]["months_reported"] == 2
    assert rows["WT-4"]["last_period"] == SEP and not rows["WT-4"]["reported_in_period"]
    assert rows["WT-1"]["project_leader"] == "李明" and rows["WT-1"]["unit_name"] == "平城区"


def test_closed_unsatisfied_september(fixture_db):
    r = _by_id(queries.run("problem_list", period=SEP, unit=None))["WT-3"]
    assert r["reported_state"] == "closed" and r["closed_unsatisfied"] and not r["is_cleared"]


def test_closure_rates(fixture_db):
    rows = queries.run("problem_list", period=OCT, unit=None)
    s = pb.summary(rows)
    assert (s["total"], s["cleared"], s["open"], s["overdue"], s["escalated"]) == (4, 1, 3, 1, 1)
    assert (s["incomplete"], s["disappeared"], s["unsatisfied"]) == (1, 1, 0)
    assert s["closure_rate"] == pytest.approx(0.25) and s["avg_days_to_close"] == pytest.approx(80)
    by_unit = {r["responsible_unit"]: r for r in pb.closure_by(rows, "responsible_unit").iter_rows(named=True)}
    assert by_unit["国网大同供电公司"]["closure_rate"] == 1.0 and by_unit["国网大同供电公司"]["avg_days_to_close"] == 80
    assert by_unit["市财政局"]["closure_rate"] == 0.0 and by_unit["市财政局"]["overdue"] == 1
    by_type = pb.closure_by(rows, "problem_type")
    # types in the official order
    assert by_type["problem_type"].to_list() == ["用地", "资金", "审批", "水电气暖接入"]
    assert by_type["closure_rate"].to_list() == [0.0, 0.0, 0.0, 1.0]
    # September: nothing cleared yet (WT-3 not satisfied)
    assert pb.summary(queries.run("problem_list", period=SEP, unit=None))["closure_rate"] == 0.0


def test_open_trend_keeps_disappeared_problems(fixture_db):
    trend = pb.open_trend(queries.run("problem_history", unit=None))
    assert trend.to_dicts() == [
        {"period": SEP, "open": 3, "overdue": 2, "disappeared": 0, "cleared": 0},
        {"period": OCT, "open": 3, "overdue": 1, "disappeared": 1, "cleared": 1},
    ]
    assert queries.run("problem_history", unit="140215").is_empty()


@pytest.mark.parametrize("months, dtick", [
    (2, "M1"),  # two months: one tick each (plotly's own ticks read 「9月 9月 10月」)
    (6, "M1"),
    (13, None),  # a year and more: plotly's ticks, thinned on a phone
])
def test_trend_month_axis(months, dtick):
    periods = [dt.date(2025 + (9 + i) // 12, (9 + i) % 12 + 1, 1) for i in range(months)]
    trend = pl.DataFrame({"period": periods, "open": [3] * months, "overdue": [1] * months,
                          "disappeared": [0] * months, "cleared": [0] * months})
    fig = pb.trend_chart(trend, "t", "s")
    axis = fig.layout.xaxis
    assert axis.type == "date" and axis.tickformat == "%-m月\n%Y年"  # the year only where it changes
    assert axis.dtick == dtick
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick == 1  # whole problems
    assert fig.data[0].constraintext == "none"  # every count the same size


def test_unfiled_problem_texts(fixture_db):
    # B 「资金缺口」 and C 「用地未落实」 have problems on the list; G 「配套道路未建成」 has none
    df = queries.run("problem_unfiled", period=OCT, unit=None, no_problem_pattern=problem_rules.NO_PROBLEM_PATTERN)
    assert df.select("name", "problem_text", "leader").rows() == [("经开区氢能装备产业园", "配套道路未建成", "王建国")]
    assert queries.run("problem_unfiled", period=OCT, unit="140213",
                       no_problem_pattern=problem_rules.NO_PROBLEM_PATTERN).is_empty()


@pytest.mark.parametrize("text, no_problem", [
    ("无", True), ("暂无", True), ("  ", True), ("-", True), ("—", True), ("无。", True), ("／", True),
    ("资金缺口", False), ("无法落实用地", False), ("暂无资金，需协调", False),
])
def test_no_problem_pattern(text, no_problem):
    assert duckdb.sql("select regexp_matches(?, ?)", params=[text, problem_rules.NO_PROBLEM_PATTERN]).fetchall()[0][0] \
        is no_problem


# ---------------------------------------------------------------- rules that need other rows

@pytest.fixture(scope="module")
def scenario(fixture_db, tmp_path_factory) -> queries.Warehouse:
    """The fixture warehouse with extra problem reports, derived tables rebuilt by the real SQL."""
    path = tmp_path_factory.mktemp("problems") / "scenario.duckdb"
    shutil.copyfile(current_state(fixture_db), path)
    con = duckdb.connect(str(path))
    # WT-3's September deadline moved to the end of the year: 办结 but 不满意, not past deadline
    con.execute("update stg_problems set deadline = date '2026-12-31' where problem_id = 'WT-3' "
                "and period = date '2026-09-01'")
    base = ("insert into stg_problems by name select * replace (? as problem_id, ? as state, ? as satisfaction, "
            "? as closed_date, ? as deadline, ? as found_date, ? as sender) "
            "from stg_problems where problem_id = 'WT-2' and period = date '2026-10-01'")
    rows = [
        ("WT-7", "closed", "基本满意", dt.date(2026, 10, 10), dt.date(2026, 12, 31), dt.date(2026, 9, 1), "平城区"),
        ("WT-8", "closed", None, dt.date(2026, 10, 12), None, dt.date(2026, 9, 1), "平城区"),
        # the same problem sent by a department too: counted once
        ("WT-7", "closed", "基本满意", dt.date(2026, 10, 10), dt.date(2026, 12, 31), dt.date(2026, 9, 1),
         "市自然资源局"),
    ]
    for r in rows:
        con.execute(base, list(r))
    rebuild_derived(con)
    con.close()
    wh = queries.Warehouse(path)
    yield wh
    wh.close()


def test_scenario_rules(scenario):
    sep = _by_id(scenario.run("problem_list", period=SEP, unit=None))
    assert sep["WT-3"]["state"] == "unsatisfied" and sep["WT-3"]["is_open"] and not sep["WT-3"]["is_overdue"]
    oct_ = scenario.run("problem_list", period=OCT, unit=None)
    assert oct_.filter(pl.col("problem_id") == "WT-7").height == 1
    rows = _by_id(oct_)
    # 基本满意 counts as satisfied
    assert rows["WT-7"]["state"] == "closed" and rows["WT-7"]["days_to_close"] == 39
    # 办结 without an answer from the company is not cleared; no deadline -> five responsibilities incomplete
    assert rows["WT-8"]["state"] == "unsatisfied" and rows["WT-8"]["is_open"] and rows["WT-8"]["closed_unsatisfied"]
    assert rows["WT-8"]["is_incomplete"] and "完成时限" in rows["WT-8"]["missing_fields"]
    assert pb.summary(oct_)["closure_rate"] == pytest.approx(2 / 6)


def test_rule_text_and_sql_agree():
    sql = (SQL_DIR / "problem_asof.sql").read_text(encoding="utf-8")
    satisfied = ", ".join(f"'{s}'" for s in problem_rules.SATISFIED)
    assert f"satisfaction in ({satisfied})" in sql
    for label in problem_rules.FIVE_RESPONSIBILITIES.values():
        assert f"'{label}'" in sql and label in problem_rules.RULE_TEXT
    for s in problem_rules.SATISFIED:
        assert s in problem_rules.RULE_TEXT
    assert set(problem_rules.STATE_ORDER) == set(problem_rules.STATE_LABEL)


@pytest.mark.parametrize("days, band", [(0, "30天以内"), (30, "30天以内"), (31, "31-90天"), (90, "31-90天"),
                                        (91, "91-180天"), (181, "180天以上"), (None, None)])
def test_age_band(days, band):
    assert problem_rules.age_band(days) == band


# ---------------------------------------------------------------- filters

@pytest.mark.parametrize("kwargs, ids", [
    ({}, ["WT-1", "WT-2", "WT-3", "WT-4"]),
    ({"state": "open_all"}, ["WT-1", "WT-2", "WT-4"]),
    ({"state": "all"}, ["WT-1", "WT-2", "WT-3", "WT-4"]),
    ({"state": "escalated"}, ["WT-1"]),
    ({"state": "closed"}, ["WT-3"]),
    ({"ptype": "用地"}, ["WT-2"]),
    ({"resp_unit": "市财政局"}, ["WT-1"]),
    ({"leader": "王建国"}, ["WT-3", "WT-4"]),
    ({"overdue": True}, ["WT-1"]),
    ({"incomplete": True}, ["WT-2"]),
    ({"disappeared": True}, ["WT-4"]),
    ({"state": "open_all", "leader": "王建国"}, ["WT-4"]),
    # several values: a problem matching any of them
    ({"ptype": ["用地", "资金"]}, ["WT-1", "WT-2"]),
    ({"resp_unit": ("市财政局", "国网大同供电公司")}, ["WT-1", "WT-3"]),
    ({"leader": ["王建国", "李明"], "state": "open_all"}, ["WT-1", "WT-4"]),
    ({"ptype": [], "resp_unit": ()}, ["WT-1", "WT-2", "WT-3", "WT-4"]),  # none chosen = all
])
def test_filters(fixture_db, kwargs, ids):
    rows = queries.run("problem_list", period=OCT, unit=None)
    assert sorted(pb.apply_filters(rows, **kwargs)["problem_id"]) == ids


def test_flags_and_table(fixture_db):
    rows = _by_id(queries.run("problem_list", period=OCT, unit=None))
    assert pb.flags(rows["WT-1"]) == "超期61天"
    assert pb.flags(rows["WT-2"]) == "五到位不全（缺责任领导）"
    assert pb.flags(rows["WT-4"]) == "未续报（最后报送2026年9月）"
    table = pb.problems_table(queries.run("problem_list", period=OCT, unit=None))
    assert table["状态"].to_list() == ["督办", "已交办", "办理中", "已销号"]  # escalated first
    assert pb.describe_filters("open_all", "资金", None, "李明", True, False, False) == "全部未销号 · 资金 · 李明 · 只看超期"
    assert pb.describe_filters("all", ("资金", "用地"), (), ("李明",), False, False, True) == "全部（含已销号） · 资金、用地 · 李明 · 只看未续报"


# ---------------------------------------------------------------- the page

def _page(**params) -> AppTest:
    at = page_test("problems")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _ids(at: AppTest) -> list[str]:
    return at.dataframe[0].value["问题编号"].tolist()


def _select(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


def _pills(at: AppTest, label: str):
    return next(s for s in at.button_group if s.label == label)


def _multi(at: AppTest, label: str):
    return next(s for s in at.multiselect if s.label == label)


def test_page_default_and_filters(fixture_db):
    at = _page()
    assert not at.exception
    assert _ids(at) == ["WT-1", "WT-2", "WT-4"]  # open problems, escalated first
    html = markup(at)
    assert "资金缺口3000万元" in html  # the cards are text
    assert "办结率" in html and "25.0%" in html and "配套道路未建成" not in html  # 未建档 listed in a table
    assert at.dataframe[-1].value["存在问题（进展表填报）"].tolist() == ["配套道路未建成"]
    assert "督办" in html and "清零销号" in html  # the rule is on the page

    _select(at, "办理状态").set_value("all").run()
    assert _ids(at) == ["WT-1", "WT-2", "WT-4", "WT-3"]
    assert at.query_params["state"] == "all"
    _pills(at, "问题类型（可多选）").set_value(["用地"]).run()
    assert _ids(at) == ["WT-2"]
    _pills(at, "问题类型（可多选）").set_value(["用地", "资金"]).run()
    assert _ids(at) == ["WT-1", "WT-2"] and at.query_params["type"] == ["用地", "资金"]
    assert "全部（含已销号） · 用地、资金" in " ".join(c.value for c in at.caption)
    _pills(at, "问题类型（可多选）").set_value([]).run()
    assert "type" not in at.query_params
    next(c for c in at.checkbox if c.label == "只看超期（督办）").check().run()
    assert _ids(at) == ["WT-1"] and at.query_params["overdue"] == "1"
    next(c for c in at.checkbox if c.label == "只看超期（督办）").uncheck().run()
    _multi(at, "责任单位（可多选）").set_value(["国网大同供电公司"]).run()
    assert _ids(at) == ["WT-3"]
    _multi(at, "责任单位（可多选）").select("市财政局").run()
    assert _ids(at) == ["WT-1", "WT-3"] and at.query_params["resp"] == ["国网大同供电公司", "市财政局"]
    assert not at.exception


def test_page_from_url(fixture_db):
    at = _page(leader="王建国", gone="1")
    assert not at.exception
    assert _ids(at) == ["WT-4"]
    assert _multi(at, "领导（责任领导或包联领导，可多选）").value == ["王建国"]
    # several values from a shared link, each kept; a value not on the list is dropped
    at = _page(state="all", type=["资金", "审批", "不存在的类型"], leader=["王建国", "李明"])
    assert not at.exception
    assert _ids(at) == ["WT-1", "WT-4"]
    assert _pills(at, "问题类型（可多选）").value == ["资金", "审批"]
    assert at.query_params["type"] == ["资金", "审批"] and at.query_params["leader"] == ["李明", "王建国"]
    # the choices are the user's own: 云州区 is offered none of 平城区's units, even from a link
    at = page_test("problems", role="unit", unit="云州区")
    at.query_params.update(resp=["市财政局"], leader="李明")
    at.run()
    assert not at.exception
    assert all("市财政局" not in w.options for w in at.multiselect)
    assert "市财政局" not in markup(at) and "WT-1" not in str(at.dataframe)
    # a county without problems but with a 存在问题 text: 经开区
    at = _page(unit="140271")
    assert not at.exception
    assert at.dataframe[-1].value["项目名称"].tolist() == ["经开区氢能装备产业园"]
    # September: WT-3 not yet satisfied
    at = _page(period="2026-09", state="escalated")
    assert _ids(at) == ["WT-3", "WT-1"]  # most days past deadline first


def test_focus_cards_escape_and_order(fixture_db):
    rows = pb.apply_filters(queries.run("problem_list", period=OCT, unit=None), state="open_all")
    html = pb.focus_cards_html(rows)
    assert html.index("资金缺口3000万元") < html.index("用地未落实") < html.index("施工许可办理慢")
    assert "超期61天" in html and "时限 2026年8月31日" in html and 'class="pb-card escalated"' in html
    evil = rows.head(1).with_columns(pl.lit("<script>alert(1)</script>").alias("description"),
                                     pl.lit('"><b>x').alias("project_name"))
    out = pb.focus_cards_html(evil)
    assert "<script>" not in out and "&lt;script&gt;" in out and '"><b>x' not in out
