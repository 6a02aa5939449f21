"""重点工程动态调整: the review rules on small histories and on the fixture warehouse."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
import pytest

import queries
from etl import review
from etl.review import LAG, NOT_STARTED, WEAK, ReviewConfig

OCT = dt.date(2026, 10, 1)
CFG = ReviewConfig()  # lag 3 months, 30% from June, 3 months late; green 3 months, 5亿元


def row(period: dt.date, **kw) -> dict:
    base = dict(period=period, project_code="P", name="项目", unit_code="140213", unit_name="平城区",
                library="continuing", key_level="municipal", is_key=True, sector="工业", leader="王建国",
                responsible_unit="市发改委", total_investment_wan=80000.0, annual_plan_wan=10000.0,
                completed_ytd_wan=8000.0, completion_rate=0.8, time_progress=period.month / 12, gap_pts=3.3,
                planned_start=None, actual_start=dt.date(2025, 3, 1), months_late_start=0,
                has_overdue_problem=False, is_done=False, status="green", status_reason="")
    return base | kw


def months(*gaps, end=OCT, **kw) -> list[dict]:
    """One row per month ending at `end`, with these gaps (oldest first); None = not reported."""
    out = []
    for i, g in enumerate(gaps):
        k = end.year * 12 + end.month - 1 - (len(gaps) - 1 - i)
        p = dt.date(k // 12, k % 12 + 1, 1)
        if g is not None:
            out.append(row(p, gap_pts=g, status="red" if g > 30 else "yellow" if g > 10 else "green", **kw))
    return out


def frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, infer_schema_length=None)


@pytest.mark.parametrize("gaps, rules", [
    ((31, 35, 40), [LAG]),  # three months over 30 points
    ((20, 35, 40), []),  # only two
    ((31, None, 40), []),  # a month not reported breaks the run
    ((31, 35, 30), []),  # exactly 30 points is not over it
    ((50, 50, 50, 50), [LAG]),
])
def test_lagging(gaps, rules):
    out = review.removals(frame(months(*gaps)), OCT, CFG)
    assert (out["rules"].to_list()[0] if out.height else []) == rules


@pytest.mark.parametrize("period, rate, library, actual, ytd, rules", [
    (OCT, 0.29, "continuing", dt.date(2025, 3, 1), 2900.0, [WEAK]),
    (OCT, 0.30, "continuing", dt.date(2025, 3, 1), 3000.0, []),  # exactly the share is enough
    (dt.date(2026, 5, 1), 0.10, "continuing", dt.date(2025, 3, 1), 1000.0, []),  # before June: not judged
    (OCT, 0.0, "new_start", None, 0.0, []),  # not started: the start rule judges it, not this one
])
def test_weak_investment(period, rate, library, actual, ytd, rules):
    rows = [row(period, completion_rate=rate, library=library, actual_start=actual, completed_ytd_wan=ytd, gap_pts=0.0)]
    out = review.removals(frame(rows), period, CFG)
    assert (out["rules"].to_list()[0] if out.height else []) == rules


def test_not_started_and_reasons():
    rows = [row(OCT, library="new_start", actual_start=None, completed_ytd_wan=0.0, completion_rate=0.0,
                gap_pts=None, months_late_start=m, project_code=f"P{m}") for m in (2, 3, 5)]
    out = review.removals(frame(rows), OCT, CFG)
    assert sorted(out["project_code"]) == ["P3", "P5"]
    assert set(out["reasons"]) == {"超过计划开工时间3个月仍未开工", "超过计划开工时间5个月仍未开工"}
    assert out["rules"].to_list() == [[NOT_STARTED]] * 2


def test_done_and_not_key_are_left_alone():
    rows = months(40, 40, 40, is_done=True) + [dict(r, project_code="Q", is_key=False) for r in months(40, 40, 40)]
    assert review.removals(frame(rows), OCT, CFG).is_empty()


@pytest.mark.parametrize("change, promoted", [
    ({}, True),
    ({"key_level": "province_city_managed"}, False),  # only municipal ones are proposed
    ({"total_investment_wan": 49999.0}, False),
    ({"has_overdue_problem": True}, False),
])
def test_promotion(change, promoted):
    rows = months(-2, -1, -0.5, **change)
    out = review.promotions(frame(rows), OCT, CFG)
    assert out.height == int(promoted)
    if promoted:
        assert out.row(0, named=True)["reasons"] == "连续3个月为绿色，年累计完成率80.0%（快于序时进度0.5个百分点），总投资8.00亿元"


def test_promotion_needs_the_schedule_and_the_green_months():
    assert review.promotions(frame(months(-2, -1, 2)), OCT, CFG).is_empty()  # behind 序时 this month
    assert review.promotions(frame(months(12, -1, -1)), OCT, CFG).is_empty()  # yellow two months ago
    loose = dataclasses.replace(CFG, green_months=2, max_gap_pts=5)
    assert review.promotions(frame(months(12, -1, 2)), OCT, loose).height == 1


def test_config_file_and_text(tmp_path):
    cfg = review.load_config()
    assert cfg == ReviewConfig()  # the shipped file holds the defaults
    text = review.rules_text(cfg)
    assert "连续3个月落后序时进度超过30个百分点" in text[0] and "6月起年累计完成投资不到年度计划投资的30%" in text[0]
    assert "总投资不低于5亿元" in text[1]
    bad = tmp_path / "r.toml"
    bad.write_text("[remove]\nmin_plan_share = 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="min_plan_share"):
        review.load_config(bad)


def test_fixture(fixture_db):
    cfg = dataclasses.replace(CFG, lag_months=1, min_total_investment_wan=10000, green_months=1, max_gap_pts=5)
    rows = queries.run("review_key_months", period=OCT, months=3)
    assert set(rows["project_code"]) == {"2025-140213-44-01-000001", "2024-140213-44-01-000002",
                                         "2026-140215-44-01-000005", "2026-140213-44-01-000006"}  # A B F G
    out = review.removals(rows, OCT, cfg)
    # B (33.3 behind; 27.5 in September) and F (33.3) lag this month; G was 45 behind in September only
    assert sorted(out["name"]) == ["云州区黄花产业园", "平城区供热管网改造工程"]
    assert review.removals(rows, OCT, dataclasses.replace(cfg, lag_months=2)).is_empty()
    prom = review.promotions(rows, OCT, cfg)
    # A: municipal and green in October; yellow in September (WT-3 closed without satisfaction, overdue)
    assert prom["name"].to_list() == ["平城区新型碳材料项目"]
    assert prom["green_months"].to_list() == [1]
    assert review.promotions(rows, OCT, dataclasses.replace(cfg, green_months=2)).is_empty()
    assert prom["reasons"][0] == "连续1个月为绿色，年累计完成率80.0%（落后序时进度3.3个百分点），总投资3.00亿元"
