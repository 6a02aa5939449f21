"""周报: the briefing's data on the fixture warehouse (answers in tests/fixtures.py), the
drafted 数据分析 (every figure a sentence shows is in the sentence), and the fixed layout."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from ui import briefing, summary

OCT = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def oct_briefing(fixture_db) -> briefing.Briefing:
    return briefing.load(OCT)


def test_headline_figures_match_the_warehouse(oct_briefing):
    k = oct_briefing.kpis
    assert k["plan_wan"] == 88000
    assert k["ytd_wan"] == 61000
    assert k["month_wan"] == 6000
    assert oct_briefing.data_date == "数据截至2026年10月31日"
    tiles = {label: (value, note) for label, value, note, _ in briefing.tiles(oct_briefing)}
    assert tiles["2026年计划投资"][0] == "8.80亿元"
    assert tiles["1-10月累计完成投资"][0] == "6.10亿元"
    assert tiles["投资完成率"] == ("69.3%", "序时进度83.3%，落后14.0个百分点")
    assert tiles["红色重点工程"] == ("2个", "重点工程4个，本月新转红2个")
    assert tiles["超期未办结问题"][0] == "1个"


def test_county_ranking_best_first_with_rank_moves(oct_briefing):
    r = oct_briefing.ranking
    assert r["unit_name"].to_list() == ["大同经济技术开发区", "云州区", "平城区"]
    assert r["rank"].to_list() == [1, 2, 3]
    assert [round(x, 4) for x in r["completion_rate"]] == [0.9, round(16000 / 23000, 4), round(18000 / 35000, 4)]
    # 平城区 was first in September (the only county with a plan then and ahead of 经开区), third now
    assert r.filter(pl.col("unit_name") == "平城区")["rank_change"].item() == -2
    assert r.filter(pl.col("unit_name") == "云州区")["rank_change"].item() is None  # not reported in September
    assert r["plan_wan"].sum() == 88000 and r["ytd_wan"].sum() == 61000


@pytest.mark.parametrize("rows,expected", [
    # (unit_code, kind, plan, rate, sort_order) -> ranked codes
    ([("a", "county", 100, 0.5, 0), ("b", "county", 100, 0.7, 1)], ["b", "a"]),
    # ties share a rank and keep the official order
    ([("a", "county", 100, 0.5, 1), ("b", "county", 100, 0.5, 0)], ["b", "a"]),
    # 市本级 and units without a plan are not ranked
    ([("a", "city", 100, 0.9, 200), ("b", "zone", 0, None, 100), ("c", "zone", 100, 0.1, 101)], ["c"]),
])
def test_rank_units(rows, expected):
    df = pl.DataFrame([{"unit_code": c, "unit_name": c, "unit_kind": k, "plan_wan": float(p), "ytd_wan": 0.0,
                        "completion_rate": r, "gap_pts": 0.0, "sort_order": s, "red": 0, "yellow": 0, "green": 0}
                       for c, k, p, r, s in rows])
    ranked = briefing.rank_units(df, df.clear())
    assert ranked["unit_code"].to_list() == expected
    if len(rows) == 2 and rows[0][3] == rows[1][3]:
        assert ranked["rank"].to_list() == [1, 1]


def test_red_key_projects_and_which_turned_red(oct_briefing):
    red = oct_briefing.red_key
    assert red["name"].to_list() == ["平城区供热管网改造工程", "云州区黄花产业园"]
    assert red["last_status"].to_list() == ["yellow", None]  # B was yellow in September; F was not reported
    assert red["turned_red"].to_list() == [True, True]
    assert oct_briefing.turned_red == 2


def test_overdue_problems(oct_briefing):
    overdue = oct_briefing.overdue
    assert overdue["problem_id"].to_list() == ["WT-1"]
    assert overdue["days_overdue"].to_list() == [61]  # deadline 2026-08-31, month end 2026-10-31
    assert "WT-3" not in oct_briefing.problems["problem_id"].to_list()  # closed and cleared


def test_summary_sentences_on_the_fixture(oct_briefing):
    texts = {s.topic: s.text for s in oct_briefing.sentences}
    assert texts["投资进度"] == ("1-10月，全市年度建设项目累计完成投资6.10亿元，占年度计划投资8.80亿元的69.3%，"
                             "低于序时进度（83.3%）14.0个百分点；其中10月当月完成0.60亿元。")
    assert texts["县区"].startswith("分县区（开发区）看，完成率最高的是大同经济技术开发区（90.0%），最低的是平城区（51.4%）；"
                                  "3个县区、开发区中，1个达到或快于序时进度，2个落后序时进度10个百分点以上（云州区、平城区）")
    last_red = briefing.load(dt.date(2026, 9, 1)).kpis["key_red"]  # September's red key projects
    assert texts["重点工程"] == (f"重点工程4个，其中红色2个（上月{last_red}个）、黄色0个、绿色2个；"
                             "本月新转红2个（平城区供热管网改造工程、云州区黄花产业园）。")
    assert "超过完成时限1个" in texts["问题"] and "超期61天" in texts["问题"] and "市财政局" in texts["问题"]


def test_every_figure_is_in_its_sentence(oct_briefing):
    assert oct_briefing.sentences
    for s in oct_briefing.sentences:
        assert s.facts, s.topic
        for fact in s.facts:
            assert fact.shown in s.text, (s.topic, fact)
            assert fact.source


def _kpis(**over):
    k = {"plan_wan": 100000.0, "ytd_wan": 80000.0, "month_wan": 5000.0, "completion_rate": 0.8,
         "time_progress": 10 / 12, "gap_pts": (10 / 12 - 0.8) * 100, "ytd_last_year_wan": None, "yoy_growth": None,
         "key_projects": 0, "key_red": 0, "key_yellow": 0, "key_green": 0}
    k.update(over)
    return k


@pytest.mark.parametrize("over,expected", [
    ({"completion_rate": 0.9, "gap_pts": -6.7}, "高于序时进度（83.3%）6.7个百分点"),
    ({"completion_rate": 10 / 12, "gap_pts": 0.0}, "与序时进度（83.3%）持平"),
    ({}, "低于序时进度（83.3%）3.3个百分点"),
])
def test_investment_sentence_against_schedule(over, expected):
    s = summary.investment(OCT, _kpis(**over))
    assert expected in s.text


@pytest.mark.parametrize("last,growth,expected", [
    (None, None, None),  # no report last year: no sentence rather than a made-up one
    (50000.0, 0.6, "与上年同期（5.00亿元）相比，累计完成投资增长60.0%。"),
    (100000.0, -0.2, "与上年同期（10.00亿元）相比，累计完成投资下降20.0%。"),
])
def test_year_on_year_sentence(last, growth, expected):
    s = summary.year_on_year(OCT, _kpis(ytd_last_year_wan=last, yoy_growth=growth))
    assert (s.text if s else None) == expected


def test_names_beyond_five_end_with_deng():
    ranking = pl.DataFrame({"unit_name": [f"县{i}" for i in range(8)], "completion_rate": [0.5] * 8,
                            "gap_pts": [40.0] * 8})
    s = summary.counties(ranking)
    assert "8个落后序时进度10个百分点以上（县0、县1、县2、县3、县4等）" in s.text


def test_no_overdue_problems_and_no_new_reds():
    empty = pl.DataFrame(schema={"problem_id": pl.String, "project_name": pl.String, "description": pl.String,
                                 "responsible_unit": pl.String, "is_overdue": pl.Boolean, "days_overdue": pl.Int64})
    assert summary.problems(empty).text == "问题清单中未办结问题0个，没有超过完成时限的问题。"
    red = pl.DataFrame({"name": ["甲"], "turned_red": [False]})
    s = summary.key_projects(_kpis(key_projects=3, key_red=1, key_yellow=1, key_green=1), red)
    assert s.text.endswith("本月没有新转红的项目。")


def test_summary_table_and_text_carry_every_figure(oct_briefing):
    table = summary.as_table(oct_briefing.sentences)
    assert table.columns == ["序号", "分析", "依据指标", "数值", "显示为", "来源（查询.字段）"]
    assert table.height == sum(len(s.facts) for s in oct_briefing.sentences)
    assert 61000.0 in table["数值"].to_list() and 88000.0 in table["数值"].to_list()
    text = summary.as_text(OCT, oct_briefing.sentences, oct_briefing.data_date)
    assert text.startswith("数据分析（2026年10月）\n数据截至2026年10月31日\n")
    assert "年累计完成投资（万元） 6.10亿元（overview_kpis.ytd_wan）" in text


def _layout_signature(fig: go.Figure):
    tables = [t for t in fig.data if isinstance(t, go.Table)]
    return (fig.layout.width, fig.layout.height, len(fig.data), [len(t.cells.values[0]) for t in tables],
            [t.domain.x for t in tables], [t.domain.y for t in tables], len(fig.layout.shapes))


def test_view_is_16_9_and_the_same_every_month(oct_briefing, fixture_db):
    fig = briefing.view_figure(oct_briefing)
    assert (fig.layout.width, fig.layout.height) == (briefing.VIEW_W, briefing.VIEW_H)
    assert abs(fig.layout.width / fig.layout.height - 16 / 9) < 1e-9
    texts = " ".join(a.text for a in fig.layout.annotations)
    for expected in ["2026年10月", "数据截至2026年10月31日", "8.80亿元", "6.10亿元", "69.3%", "红色重点工程", "超过完成时限"]:
        assert expected in texts, expected
    tables = [t for t in fig.data if isinstance(t, go.Table)]
    assert [len(t.cells.values[0]) for t in tables] == [briefing.RED_ROWS, briefing.PROBLEM_ROWS]
    assert list(tables[0].cells.values[0][:2]) == ["平城区供热管网改造工程", "云州区黄花产业园"]
    assert tables[1].cells.values[-1][0] == "61天"
    # September: other data, same frame (tables keep their rows, panels their places)
    sep = briefing.view_figure(briefing.load(dt.date(2026, 9, 1)))
    assert _layout_signature(sep) == _layout_signature(fig)


def test_view_long_names_are_cut_to_one_line():
    assert briefing._cut("大同市某某区某某某某某某某产业园配套基础设施建设项目", 15) == "大同市某某区某某某某某某某产…"
    assert briefing._cut("短名", 15) == "短名"
    assert briefing._cut(None, 15) == "—"


def test_sheets_have_titles_with_filters_and_data_date(oct_briefing):
    sheets = briefing.sheets(oct_briefing)
    assert [s[0] for s in sheets] == ["核心指标", "县区排名", "红色重点工程", "超期问题", "投资累计", "数据分析"]
    for name, df, title, subtitle in sheets:
        assert "2026年10月" in subtitle and "数据截至2026年10月31日" in subtitle, name
        assert "全市" in subtitle, name
    ranking = dict((s[0], s[1]) for s in sheets)["县区排名"]
    assert ranking["年度计划投资（万元）"].sum() == 88000
    assert ranking["年累计完成投资（万元）"].sum() == 61000


def test_command_line_refuses_a_month_without_data(fixture_db, tmp_path, capsys):
    assert briefing.main(["--period", "2020-01", "--out", str(tmp_path)]) == 2
    assert "没有2020年1月的数据" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_view_text_from_data_is_not_markup():
    # plotly reads <b>, <a href> … in text: a name from a county's file must show as typed
    assert briefing._cut("<b>某项目</b>", 20) == "&lt;b&gt;某项目&lt;/b&gt;"


def test_renderer_warm_up_is_started_once_and_can_be_switched_off(monkeypatch):
    """The server starts kaleido's browser once, in the background (app.py); COCKPIT_WARM_RENDERER=0
    leaves it to the first 周报 drawn."""
    from ui import briefing

    drawn = []
    monkeypatch.setattr(briefing, "render_images", lambda images: drawn.append([i.name for i in images]))
    monkeypatch.setattr(briefing, "_warm_thread", None)
    monkeypatch.setenv("COCKPIT_WARM_RENDERER", "0")
    assert briefing.warm_renderer() is None and drawn == []
    monkeypatch.setenv("COCKPIT_WARM_RENDERER", "1")
    first = briefing.warm_renderer()
    first.join(10)
    assert briefing.warm_renderer() is first and drawn == [["warm.svg"]]
