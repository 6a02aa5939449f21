"""比亮晒 手续办理: approval items completed within their limit, joined per unit and scored."""

from __future__ import annotations

import datetime as dt

import polars as pl

import queries
from ui import league as lg


def test_with_approvals_scores_the_timely_share_and_skips_units_without_data():
    base = pl.DataFrame({"unit_code": ["140213", "140214", "140215"], "unit_name": ["平城区", "云冈区", "云州区"],
                         "projects": [3, 2, 1], "completion_rate": [0.5, 0.5, 0.5], "time_progress": [0.5] * 3})
    approvals = pl.DataFrame({"unit_code": ["140213", "140214"], "approvals_done": [10, 4],
                              "approvals_on_time": [9, 2], "approval_timely_rate": [0.9, 0.5]})
    df = lg.with_approvals(base, approvals)
    cfg = lg.LeagueConfig(labels={m: m for m in lg.METRICS}, targets={m: 1.0 for m in lg.METRICS if m != lg.DEDUCT},
                          deduct_per_problem=10, weights={"units": {"completion": 50, "approvals": 50},
                                                          "departments": {}}, top=1, bottom=1)
    s = lg.score(df, cfg, "units")
    assert s["score_approvals"].to_list() == [90.0, 50.0, None]
    # 云州区 completed nothing this month: 手续办理 not scored, completion alone counts
    assert s["composite"].to_list() == [95.0, 75.0, 100.0]
    rows = s.to_dicts()
    assert lg.metric_text(rows[0], "approvals") == "90.0%（9/10）"
    assert lg.metric_text(rows[2], "approvals") == "—"


def test_departments_frame_gets_empty_columns():
    df = lg.with_approvals(pl.DataFrame({"department": ["市交通运输局"]}), pl.DataFrame())
    assert df["approval_timely_rate"].to_list() == [None]


def test_league_query_on_the_fixture(fixture_db):
    # nothing of the fixture was completed in 2026-10: no unit has 手续办理 data (answers unchanged)
    assert queries.run("approvals_league", period=dt.date(2026, 10, 1)).is_empty()


def test_config_weights_the_metric():
    cfg = lg.load_config()
    assert cfg.labels["approvals"] == "手续办理" and cfg.weights["units"]["approvals"] > 0
