"""比亮晒: the ranking rules on tiny frames, known answers on the fixture warehouse (see
tests/fixtures.py), and the page driven through AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from apptest import page_test

import queries
from etl import warehouse
from ui import league as lg

ROOT = Path(__file__).resolve().parent.parent
P10, P09 = dt.date(2026, 10, 1), dt.date(2026, 9, 1)

# the weights the known answers below were worked out with (the same as config/league.toml
# when this was written; tests use their own copy so tuning the real file breaks nothing)
TEST_CONFIG = """
[highlight]
top = 3
bottom = 3
[metrics.completion]
label = "投资完成率"
target = 1.0
[metrics.growth]
label = "投资同比增长"
target = 0.05
[metrics.new_start]
label = "新开工率"
target = 1.0
[metrics.key_green]
label = "重点工程绿灯率"
target = 1.0
[metrics.problem_closure]
label = "问题清零销号率"
target = 1.0
[metrics.overdue_problems]
label = "超期未办结问题"
deduct_per_problem = 10
[metrics.reserve_ratio]
label = "储备项目倍数"
target = 5.0
[metrics.signed_started]
label = "招商引资签约开工率"
target = 0.5
[weights.units]
completion = 30
growth = 15
new_start = 15
key_green = 10
problem_closure = 10
overdue_problems = 5
reserve_ratio = 10
signed_started = 5
[weights.departments]
completion = 30
growth = 10
new_start = 15
key_green = 15
problem_closure = 20
overdue_problems = 10
"""


@pytest.fixture(scope="module")
def config_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("league") / "league.toml"
    path.write_text(TEST_CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cfg(config_file) -> lg.LeagueConfig:
    return lg.load_config(config_file)


def tiny_config(**weights) -> lg.LeagueConfig:
    """Only the metrics given, targets 1.0 (reserve 5.0), 10 points per overdue problem."""
    targets = {m: 1.0 for m in lg.METRICS if m != lg.DEDUCT}
    targets["reserve_ratio"] = 5.0
    return lg.LeagueConfig(labels={m: m for m in lg.METRICS}, targets=targets, deduct_per_problem=10,
                           weights={"units": dict(weights), "departments": dict(weights)}, top=1, bottom=1)


def units(*rows) -> pl.DataFrame:
    """Tiny league input: (name, projects, completion_rate, closure_rate, overdue_problems)."""
    return pl.DataFrame([{"unit_code": n, "unit_name": n, "projects": p, "completion_rate": c, "time_progress": 0.5,
                          "closure_rate": cl, "problems": 0 if cl is None else 1, "overdue_problems": o}
                         for n, p, c, cl, o in rows],
                        schema={"unit_code": pl.String, "unit_name": pl.String, "projects": pl.Int64,
                                "completion_rate": pl.Float64, "time_progress": pl.Float64,
                                "closure_rate": pl.Float64, "problems": pl.Int64, "overdue_problems": pl.Int64})


# ---------------------------------------------------------------- rules on tiny frames

@pytest.mark.parametrize("scores,ranks,tied", [
    ([90.0, 80.0, 80.0, 70.0], [1, 2, 2, 4], [False, True, True, False]),  # competition ranking: 1, 2, 2, 4
    ([50.0, None, 60.0], [2, None, 1], [False, False, False]),  # not ranked stays None
    ([70.0, 70.0], [1, 1], [True, True]),
    ([], [], []),
])
def test_rank_min(scores, ranks, tied):
    assert lg.rank_min(scores) == (ranks, tied)


def test_score_against_the_best_or_the_target():
    # completion basis = rate / time progress (0.5): A 1.2, B 0.6, C 0.3; best 1.2 > target 1 -> base 1.2
    cfg = tiny_config(completion=1)
    out = lg.score(units(("A", 1, 0.6, None, 0), ("B", 1, 0.3, None, 0), ("C", 1, 0.15, None, 0)), cfg, "units")
    assert out["score_completion"].to_list() == pytest.approx([100.0, 50.0, 25.0])
    assert out["composite"].to_list() == [100.0, 50.0, 25.0]
    # everyone behind schedule: scored against the target, nobody gets full marks
    out = lg.score(units(("A", 1, 0.4, None, 0), ("B", 1, 0.2, None, 0)), cfg, "units")
    assert out["score_completion"].to_list() == pytest.approx([80.0, 40.0])


def test_missing_metric_is_not_scored_and_weights_are_rescaled():
    # A: completion 100 (w 3), closure 50 (w 1) -> (300 + 50) / 4 = 87.5
    # B: completion 50, no problems -> closure not scored -> 150 / 3 = 50.0
    cfg = tiny_config(completion=3, problem_closure=1)
    out = lg.score(units(("A", 1, 0.5, 0.5, 0), ("B", 1, 0.25, None, 0)), cfg, "units")
    assert out["composite"].to_list() == [87.5, 50.0]
    assert out["weight_used"].to_list() == [4.0, 3.0]
    assert out["score_problem_closure"].to_list() == [50.0, None]


def test_overdue_problems_deduct_points():
    cfg = tiny_config(overdue_problems=1)
    out = lg.score(units(("A", 1, 0.5, None, 0), ("B", 1, 0.5, None, 3), ("C", 1, 0.5, None, 12)), cfg, "units")
    assert out["score_overdue_problems"].to_list() == [100.0, 70.0, 0.0]  # 10 each, never below 0


def test_ties_share_a_rank_and_say_so():
    cfg = tiny_config(completion=1)
    out = lg.league(units(("A", 1, 0.5, None, 0), ("B", 1, 0.4, None, 0), ("C", 1, 0.4, None, 0),
                          ("D", 1, 0.2, None, 0)), None, cfg, "units")
    assert out["rank"].to_list() == [1, 2, 2, 4]
    table = lg.display_table(out, cfg, "units")
    assert table["名次"].to_list() == ["1", "2（并列）", "2（并列）", "4"]


def test_units_without_projects_are_listed_not_ranked():
    cfg = tiny_config(completion=1, overdue_problems=1)
    out = lg.league(units(("A", 2, 0.5, None, 0), ("空", 0, None, None, 0), ("B", 1, 0.25, None, 0)), None, cfg,
                    "units")
    assert out["unit_name"].to_list() == ["A", "B", "空"]  # ranked first, then the rest
    row = out.row(2, named=True)
    assert (row["rank"], row["composite"], row["note"], row["change"]) == (None, None, lg.NOT_RANKED_NO_PROJECTS, None)
    assert lg.not_ranked(out) == [(lg.NOT_RANKED_NO_PROJECTS, ["空"])]
    assert lg.display_table(out, cfg, "units").row(2)[:4] == ("—", "空", "—", "—")


def test_rank_changes_against_the_previous_month():
    cfg = tiny_config(completion=1)
    before = units(("A", 1, 0.5, None, 0), ("B", 1, 0.4, None, 0), ("C", 1, 0.3, None, 0), ("D", 1, 0.2, None, 0))
    now = units(("A", 1, 0.2, None, 0), ("B", 1, 0.4, None, 0), ("C", 1, 0.5, None, 0), ("D", 1, 0.1, None, 0),
                ("E", 1, 0.3, None, 0))
    out = lg.league(now, before, cfg, "units")
    got = {r["unit_name"]: (r["rank"], r["prev_rank"], r["change"]) for r in out.iter_rows(named=True)}
    assert got == {"C": (1, 3, "↑2"), "B": (2, 2, "—"), "E": (3, None, lg.NOT_RANKED_BEFORE),
                   "A": (4, 1, "↓3"), "D": (5, 4, "↓1")}


def test_no_previous_month_says_so():
    cfg = tiny_config(completion=1)
    out = lg.league(units(("A", 1, 0.5, None, 0), ("空", 0, None, None, 0)), None, cfg, "units")
    assert out["change"].to_list() == [lg.NO_PREVIOUS_DATA, None]


@pytest.mark.parametrize("ranks,top,bottom", [
    ([1, 2, 3], ["A"], ["C"]),  # a third of 3 -> one each
    ([1, 2], [], []),  # fewer than three ranked: no 红榜 / 末位
    ([1, 2, 3, 4, 4, 6], ["A", "B"], ["D", "E", "F"]),  # two each; the tie at the boundary shares 末位
])
def test_top_and_bottom(ranks, top, bottom):
    names = "ABCDEF"[:len(ranks)]
    df = pl.DataFrame({"unit_name": list(names), "rank": ranks})
    out = lg.highlight(df, top=3, bottom=3)
    assert lg.badge_names(out, lg.TOP_BADGE) == top
    assert lg.badge_names(out, lg.BOTTOM_BADGE) == bottom


def test_config_file_is_checked(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[weights.units]\nspeed = 10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="未知指标"):
        lg.load_config(bad)


def test_repo_config_reads_and_documents_every_metric():
    cfg = lg.load_config(ROOT / "config" / "league.toml")
    assert set(cfg.weights["units"]) == set(lg.METRICS)
    assert "reserve_ratio" not in cfg.weights["departments"]
    text = (ROOT / "config" / "league.toml").read_text(encoding="utf-8")
    for m in lg.METRICS:
        assert f"[metrics.{m}]" in text
    assert lg.weights_table(cfg).height == len(lg.METRICS)


def test_notice_escapes_names(cfg):
    out = lg.league(units(("<b>甲</b>", 1, 0.5, None, 0), ("乙", 1, 0.2, None, 0), ("丙", 1, 0.1, None, 0)), None,
                    tiny_config(completion=1), "units")
    html = lg.notice_html(out, out.head(0), tiny_config(completion=1), "通报", "数据截至2026年10月31日", "说明", None)
    assert "<b>甲</b>" not in html and "&lt;b&gt;甲&lt;/b&gt;" in html
    assert "本期无参与排名的市直部门" in html


# ---------------------------------------------------------------- known answers on the fixture warehouse

def _league(group: str, cfg, period=P10, previous=P09) -> dict:
    query = "league_units" if group == "units" else "league_departments"
    before = queries.run(query, period=previous) if previous else None
    out = lg.league(queries.run(query, period=period), before, cfg, group)
    return {r["unit_name"]: r for r in out.iter_rows(named=True)}


def test_unit_metrics_on_fixture(fixture_db):
    df = queries.run("league_units", period=P10)
    assert df.height == 15  # 10 counties and 5 zones, 市本级 not in the league
    m = {r["unit_name"]: r for r in df.iter_rows(named=True)}
    pc = m["平城区"]
    assert (pc["projects"], pc["plan_wan"], pc["ytd_wan"]) == (3, 35000.0, 18000.0)
    assert pc["yoy_growth"] == pytest.approx(18000 / 9000 - 1)
    assert (pc["started"], pc["due_to_start"]) == (1, 2)  # A started, C due 2026-05 and not
    assert (pc["key_green"], pc["key_projects"]) == (1, 2)  # A green, B red
    assert (pc["cleared"], pc["problems"], pc["overdue_problems"]) == (1, 4, 1)  # WT-3 cleared, WT-1 overdue
    assert pc["reserve_ratio"] == pytest.approx(50000 / 35000)
    assert (pc["signed_started"], pc["signed"]) == (0, 1)  # D signed 2026-06, not started
    yz = m["云州区"]
    assert (yz["projects"], yz["plan_wan"], yz["ytd_wan"], yz["start_rate"], yz["closure_rate"]) == \
        (2, 23000.0, 16000.0, None, None)  # F has no planned start; no problems
    assert m["云冈区"]["projects"] == 0


def test_unit_league_on_fixture(fixture_db, cfg):
    got = _league("units", cfg)
    # hand-computed (scores against max(best, target)):
    # 经开区: completion 100 (x30), new start 100 (x15), green 100 (x10), overdue 100 (x5), reserve 0 (x10) -> 6000/70
    # 平城区: 57.14*30 + 100*15 + 50*15 + 50*10 + 25*10 + 90*5 + 28.57*10 + 0*5 = 5450 / 100
    # 云州区: 77.29*30 + 0*10 + 100*5 + 0*10 = 2818.84 / 55
    assert {n: (r["composite"], r["rank"], r["change"]) for n, r in got.items() if r["ranked"]} == {
        "大同经济技术开发区": (85.7, 1, "↑1"), "平城区": (54.5, 2, "↓1"), "云州区": (51.3, 3, lg.NOT_RANKED_BEFORE)}
    assert got["平城区"]["score_completion"] == pytest.approx(18000 / 35000 / 0.9 * 100)
    assert got["云冈区"]["note"] == lg.NOT_RANKED_NO_PROJECTS
    assert (got["大同经济技术开发区"]["badge"], got["平城区"]["badge"], got["云州区"]["badge"]) == ("红榜", None, "末位")
    # 2026-09 itself: 平城区 (2200+1500+0+0+400+0)/80 = 51.3 (A is yellow in 2026-09: WT-3, past its deadline,
    # was closed without the company's satisfaction, so it still counts), 经开区 (1200+1500+0+500+0)/70 = 45.7
    sept = _league("units", cfg, period=P09, previous=None)
    assert (sept["平城区"]["composite"], sept["平城区"]["rank"]) == (51.3, 1)
    assert (sept["大同经济技术开发区"]["composite"], sept["大同经济技术开发区"]["rank"]) == (45.7, 2)
    assert sept["平城区"]["change"] == lg.NO_PREVIOUS_DATA


def test_department_league_on_fixture(fixture_db, cfg):
    got = _league("departments", cfg)
    assert {n: (r["composite"], r["rank"], r["tied"], r["change"]) for n, r in got.items()} == {
        "国网大同供电公司": (100.0, 1, False, "↑3"),  # WT-3 cleared this month; 4th (tied) in September
        "市工业和信息化局": (98.3, 2, False, "↓1"),  # A: (96*30 + 100*15 + 100*15 + 100*10) / 70
        "市住房和城乡建设局": (58.5, 3, False, "↓1"),  # B: (60*30 + 100*10 + 0*15 + 100*10) / 65
        "市自然资源局": (33.3, 4, True, lg.NOT_RANKED_BEFORE),  # WT-2 open, not overdue: (0*20 + 100*10) / 30
        "市行政审批服务管理局": (33.3, 4, True, "↓1"),  # WT-4 likewise
        "市财政局": (30.0, 6, False, "↓2"),  # WT-1 overdue: (0*20 + 90*10) / 30
    }
    assert got["国网大同供电公司"]["note"] == "无牵头项目，按问题办理指标计分"


# ---------------------------------------------------------------- the page

@pytest.fixture()
def league_page(fixture_db, config_file, monkeypatch):
    monkeypatch.setenv("COCKPIT_LEAGUE_CONFIG", str(config_file))
    at = page_test("league")
    at.query_params["period"] = "2026-10"
    return at.run()


def test_page_ranks_counties_and_departments(league_page):
    at = league_page
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert table["单位"].to_list() == ["大同经济技术开发区", "平城区", "云州区"]
    assert table["较上月"].to_list() == ["↑1", "↓1", "上期未排名"]
    texts = " ".join(m.value for m in at.markdown)
    assert "**红榜**：大同经济技术开发区" in texts and "**末位**：云州区" in texts
    # the first and the last one's reasons are shown, outside the expander that holds every unit's
    shown = " ".join(m.value for m in at.main.children.values() if getattr(m, "type", "") == "markdown")
    assert "**大同经济技术开发区**：第1名（85.7分）。弱项：" in shown and "**云州区**：第3名" in shown
    why = next(e for e in at.expander if "为什么是这个名次" in e.label)
    assert "**平城区**" not in shown and "**平城区**" in " ".join(m.value for m in why.markdown)
    assert "云冈区" in texts and "无项目，不参与排名" in texts
    weights = at.dataframe[-1].value.set_index("指标")  # AppTest hands tables back as pandas
    assert weights.loc["投资完成率", "县区、开发区权重"] == "30"

    at.button_group(key="lg_group").set_value("departments").run()
    assert not at.exception
    assert at.query_params["group"] == "departments"
    table = at.dataframe[0].value
    assert table["名次"].to_list() == ["1", "2", "3", "4（并列）", "4（并列）", "6"]


def test_page_notice_and_a_month_without_previous(league_page):
    at = league_page
    at.button_group(key="lg_view").set_value("notice").run()
    assert not at.exception
    html = next(m.value for m in at.markdown if "class='notice'" in m.value)
    assert "2026年10月全市项目建设“比亮晒”排队通报" in html and "数据截至2026年10月31日" in html
    assert "国网大同供电公司" in html and "红榜" in html

    at.selectbox(key="flt_period").set_value(P09).run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "上期（2026年8月）无数据" in infos
    html = next(m.value for m in at.markdown if "class='notice'" in m.value)
    assert "上期无数据" in html


def test_county_governments_are_not_departments(tmp_path):
    # a problem assigned to 平城区人民政府 counts for 平城区 (by its project), not as a city department
    path = tmp_path / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table units (code varchar, name varchar, kind varchar, sort_order integer)")
    con.execute("insert into units values ('140213', '平城区', 'county', 0), ('140271', '大同经济技术开发区', 'zone', 100)")
    con.execute("create table project_month (period date, project_code varchar, unit_code varchar, "
                "library varchar, responsible_unit varchar, annual_plan_wan double, completed_ytd_wan double, "
                "total_investment_wan double, planned_start date, actual_start date, is_key boolean, "
                "status varchar, is_promotion boolean, signed_date date)")
    con.execute("insert into project_month values ('2026-10-01', 'P1', '140213', 'continuing', '市水务局', 100, 50, "
                "500, null, null, false, 'green', false, null)")
    con.execute("create table problem_month (period date, unit_code varchar, responsible_unit varchar, "
                "is_cleared boolean, is_overdue boolean)")
    con.execute("insert into problem_month values ('2026-10-01', '140213', '平城区人民政府', true, false), "
                "('2026-10-01', '140271', '大同经济技术开发区管委会', false, true), "
                "('2026-10-01', '140213', ' 市财政局 ', false, false)")
    con.execute("create table period_schedule as select date '2026-10-01' as period, 10 / 12 as time_progress")
    # the league's rows as a load builds them (etl/sql/mart_league_month.sql)
    con.execute("create temp table mart_periods as select date '2026-10-01' as period")
    con.execute((Path(warehouse.__file__).with_name("sql") / "mart_league_month.sql").read_text(encoding="utf-8"))
    con.execute("create table mart_league_month as select * from mart_league_month_build")
    con.close()
    wh = queries.Warehouse(path)
    try:
        df = wh.run("league_departments", period=P10)
    finally:
        wh.close()
    assert df["unit_name"].to_list() == ["市水务局", "市财政局"]




def test_one_score_and_rank_wherever_the_league_is_shown(fixture_db, monkeypatch):
    """The 比亮晒 page, the home page's answer and the 排队通报 document rank with 手续办理 alike
    (ui.league.league_tables): the same unit first with the same score in all three. The fixture
    completes no approval in 2026-10, so the month's 手续办理 rows are given here: the unit that
    leads without them handled none of its items on time, the others all."""
    import streamlit as st

    from apptest import markup
    from ui.report import notice

    real = queries.run
    cfg = lg.load_config()
    without = lg.league(real("league_units", period=P10), None, cfg, "units")
    leader = without.filter(pl.col("rank") == 1).row(0, named=True)
    codes = without["unit_code"].to_list()
    approvals = pl.DataFrame({"unit_code": codes, "approvals_done": [10] * len(codes),
                              "approvals_on_time": [0 if c == leader["unit_code"] else 10 for c in codes]})
    approvals = approvals.with_columns(approval_timely_rate=pl.col("approvals_on_time") / pl.col("approvals_done"))

    def run(name, *a, **params):
        if name == "approvals_league" and params.get("period") == P10:
            return approvals
        return real(name, *a, **params)

    monkeypatch.setattr(queries, "run", run)
    st.cache_data.clear()
    try:
        units = notice.load(P10).units.filter(pl.col("ranked")).sort("rank")
        first = units.row(0, named=True)
        mine = units.filter(pl.col("unit_code") == leader["unit_code"])["composite"][0]
        assert mine < leader["composite"] - 1  # 手续办理 counts in the document's score
        shown = f"第1名（{first['composite']:.1f}分）"
        home = page_test("overview")
        home.query_params["period"] = "2026-10"
        home.run()
        assert not home.exception
        assert first["unit_name"] in markup(home) and shown in markup(home), markup(home)[-600:]
        page = page_test("league")
        page.query_params["period"] = "2026-10"
        page.run()
        assert not page.exception
        assert f"**{first['unit_name']}**：{shown}" in markup(page)
    finally:
        st.cache_data.clear()
