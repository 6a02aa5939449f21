"""Built figures are kept per process by what they are built from (ui/memo.py)."""

from __future__ import annotations

import polars as pl
import pytest

from ui import figures, memo

UNITS = pl.DataFrame({"unit_name": ["平城区", "云冈区"], "completion_rate": [0.8, 0.6], "ytd_wan": [800.0, 600.0],
                      "plan_wan": [1000.0, 1000.0]})


@pytest.fixture(autouse=True)
def empty_cache():
    memo.clear()
    yield
    memo.clear()


def test_the_same_frame_and_titles_give_the_same_figure_object():
    a = figures.unit_bars(UNITS, "完成率", "全市", 0.75)
    b = figures.unit_bars(UNITS.clone(), "完成率", "全市", 0.75)  # an equal frame, as a cached query returns
    assert a is b
    assert a.to_dict() == figures.unit_bars.uncached(UNITS, "完成率", "全市", 0.75).to_dict()


@pytest.mark.parametrize("change", [
    {"df": UNITS.with_columns(pl.col("completion_rate") * 0.5)},  # a value
    {"df": UNITS.reverse()},  # the order of the rows (the bars' order)
    {"df": UNITS.rename({"ytd_wan": "ytd"}).with_columns(pl.col("ytd").alias("ytd_wan"))},  # the columns
    {"title": "另一个标题"},
    {"time_progress": 0.5},
])
def test_anything_the_figure_is_built_from_gives_another_figure(change):
    args = {"df": UNITS, "title": "完成率", "subtitle": "全市", "time_progress": 0.75, **change}
    first = figures.unit_bars(UNITS, "完成率", "全市", 0.75)
    other = figures.unit_bars(**args)
    assert other is not first
    assert other.to_dict() == figures.unit_bars.uncached(**args).to_dict()


def test_an_argument_of_another_kind_is_built_every_time():
    calls = []

    @memo.memo
    def builder(x):
        calls.append(x)
        return object()

    builder([1, 2]), builder([1, 2])
    assert len(calls) == 1
    thing = object()
    builder(thing), builder(thing)
    assert len(calls) == 3


def test_the_least_recently_used_figures_are_dropped(monkeypatch):
    monkeypatch.setattr(memo, "MAX_RESULTS", 2)
    a = figures.status_donut({"red": 1, "yellow": 2, "green": 3}, "红黄绿", "全市")
    figures.status_donut({"red": 2, "yellow": 2, "green": 3}, "红黄绿", "全市")
    figures.status_donut({"red": 3, "yellow": 2, "green": 3}, "红黄绿", "全市")
    assert figures.status_donut({"red": 1, "yellow": 2, "green": 3}, "红黄绿", "全市") is not a


def test_settings_are_told_apart_by_their_fields():
    from etl.review import ReviewConfig

    calls = []

    @memo.memo
    def builder(cfg):
        calls.append(cfg)
        return object()

    first = builder(ReviewConfig())
    assert builder(ReviewConfig()) is first  # loaded again from the same file: equal
    assert builder(ReviewConfig(lag_months=ReviewConfig().lag_months + 1)) is not first
    assert len(calls) == 2
