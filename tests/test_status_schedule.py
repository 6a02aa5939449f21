"""The 红黄绿 rule measured against the linear or the seasonal 序时进度 (etl/status.py,
config/status.toml or COCKPIT_STATUS_SCHEDULE), computed at load time; known answers on the
fixture programme plus a 2025-12 report of 平城区 that makes 2025 a complete year.

2025: B (the only 2025 project) had 9000 of its year's 18000 by October: 2025's share at
month 10 is 50.0%, so 2026-10's seasonal 序时进度 is 50.0% (linear 83.3%). 2025 has no
September, so 2026-09 falls back to linear 9 ÷ 12 = 75.0%, and 2025 itself (no earlier
complete year) stays linear. At 2026-10 under the seasonal schedule:

| code | rate | linear gap → status | seasonal gap → status |
|---|---|---|---|
| A | 80% | 3.3 → green | -30.0 → green |
| B | 50% | 33.3 → red | 0.0 → yellow (key project, overdue problem WT-1) |
| C | 0%, 5 months late | 83.3 → red | 50.0 → red |
| E | 80% | 3.3 → green | -30.0 → green |
| F | 50% | 33.3 → red | 0.0 → green (与序时进度持平) |
| G | 90% | -6.7 → green | -40.0 → green |
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import fixtures
from etl import status
from etl.warehouse import load_files

OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
C = fixtures.CODES

LINEAR_OCT = {"A": ("green", 3.3), "B": ("red", 33.3), "C": ("red", 83.3), "E": ("green", 3.3),
              "F": ("red", 33.3), "G": ("green", -6.7)}
SEASONAL_OCT = {"A": ("green", -30.0), "B": ("yellow", 0.0), "C": ("red", 50.0), "E": ("green", -30.0),
                "F": ("green", 0.0), "G": ("green", -40.0)}


def _rows_with_december(original):
    def rows(period: str):
        if period == "2025-12":
            b = original("2025-10")[0][:]
            b[13:16] = [900, 18000, 44000]  # 本月, 年累计 = the whole plan of 18000, 开工累计
            return [b]
        return original(period)
    return rows


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schedule_files")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fixtures, "_progress_rows", _rows_with_december(fixtures._progress_rows))
        december = fixtures.write_pingcheng(folder, "2025-12")
    return fixtures.write_all(folder), december


def _load(tmp_path_factory, mode: str, batches) -> dict:
    db = tmp_path_factory.mktemp(f"wh_{mode}") / "cockpit.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COCKPIT_STATUS_SCHEDULE", mode)
        for batch in batches:
            result = load_files(batch, db=db)
            assert result.ok, result.as_dict()
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select period, project_code, time_progress, gap_pts, status, status_reason "
                           "from project_month where library <> 'reserve'").fetchall()
        meta = dict(con.execute("select key, value from meta").fetchall())
    finally:
        con.close()
    return {"rows": {(p, code): (tp, gap, st, why) for p, code, tp, gap, st, why in rows}, "meta": meta,
            "db": db}


@pytest.fixture(scope="module")
def linear(tmp_path_factory, files):
    base, december = files
    return _load(tmp_path_factory, "linear", [base + [december]])


@pytest.fixture(scope="module")
def seasonal(tmp_path_factory, files):
    """Loaded in two goes, 2025-12 last: the later load must move 2026's seasonal 序时进度 too."""
    base, december = files
    return _load(tmp_path_factory, "seasonal", [base, [december]])


def _check(wh: dict, expected: dict, tp: float) -> None:
    for k, (st, gap) in expected.items():
        got_tp, got_gap, got_st, _ = wh["rows"][(OCT, C[k])]
        assert got_tp == pytest.approx(tp), k
        assert (got_st, got_gap) == (st, gap), k


def test_linear_keeps_month_over_twelve(linear):
    _check(linear, LINEAR_OCT, 10 / 12)
    assert linear["rows"][(SEP, C["A"])][0] == pytest.approx(9 / 12)
    assert linear["rows"][(dt.date(2025, 12, 1), C["B"])][0] == pytest.approx(1.0)
    assert linear["meta"]["status_schedule"] == "linear"


def test_seasonal_from_earlier_complete_years(seasonal):
    _check(seasonal, SEASONAL_OCT, 0.5)
    rows = seasonal["rows"]
    assert rows[(OCT, C["F"])][3] == "与序时进度持平"
    assert rows[(OCT, C["B"])][3] == "有超过完成时限未销号的问题"
    assert rows[(OCT, C["A"])][3] == "快于序时进度30.0个百分点"
    # no 2025-09 report: September falls back to linear; 2025 has no earlier complete year
    assert rows[(SEP, C["A"])][0] == pytest.approx(9 / 12)
    assert rows[(dt.date(2025, 10, 1), C["B"])][0] == pytest.approx(10 / 12)
    assert rows[(dt.date(2025, 12, 1), C["B"])][0] == pytest.approx(1.0)
    assert seasonal["meta"]["status_schedule"] == "seasonal"


def test_seasonal_without_history_is_linear(tmp_path_factory, files):
    """The fixture alone has no complete earlier year: the seasonal setting gives the linear answers."""
    base, _ = files
    wh = _load(tmp_path_factory, "seasonal", [base])
    _check(wh, LINEAR_OCT, 10 / 12)


def test_seasonal_matches_the_forecast_share(seasonal, files):
    """The load-time schedule is the forecast's typical share (ui.forecast.year_shares) of the same history."""
    from ui import forecast as fc
    by_year = {2025: {10: 9000.0, 12: 18000.0}}
    shares = fc.year_shares(by_year, 10, 2026)
    assert sum(shares.values()) / len(shares) == pytest.approx(seasonal["rows"][(OCT, C["A"])][0])


def test_switching_the_setting_rebuilds_everything(tmp_path_factory, files):
    """A warehouse built linear and loaded again under seasonal is recomputed whole."""
    base, december = files
    db = tmp_path_factory.mktemp("wh_switch") / "cockpit.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COCKPIT_STATUS_SCHEDULE", "linear")
        assert load_files(base, db=db).ok
        mp.setenv("COCKPIT_STATUS_SCHEDULE", "seasonal")
        assert load_files([december], db=db).ok
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = dict(con.execute("select project_code, status from project_month where period = ?", [OCT]).fetchall())
    finally:
        con.close()
    assert {k: got[C[k]] for k in SEASONAL_OCT} == {k: v[0] for k, v in SEASONAL_OCT.items()}


@pytest.mark.parametrize("env, toml, expected", [
    (None, None, "linear"),                  # no file: linear
    (None, 'schedule = "seasonal"\n', "seasonal"),
    ("linear", 'schedule = "seasonal"\n', "linear"),  # the environment wins
    (" Seasonal ", None, "seasonal"),
])
def test_schedule_mode(tmp_path, monkeypatch, env, toml, expected):
    path = tmp_path / "status.toml"
    if toml:
        path.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("COCKPIT_STATUS_CONFIG", str(path))
    if env is None:
        monkeypatch.delenv("COCKPIT_STATUS_SCHEDULE", raising=False)
    else:
        monkeypatch.setenv("COCKPIT_STATUS_SCHEDULE", env)
    assert status.schedule_mode() == expected


def test_repository_default_is_linear(monkeypatch):
    monkeypatch.delenv("COCKPIT_STATUS_SCHEDULE", raising=False)
    monkeypatch.delenv("COCKPIT_STATUS_CONFIG", raising=False)
    assert status.schedule_mode() == "linear"


def test_bad_setting_is_named(tmp_path, monkeypatch):
    path = tmp_path / "status.toml"
    path.write_text('schedule = "quarterly"\n', encoding="utf-8")
    monkeypatch.setenv("COCKPIT_STATUS_CONFIG", str(path))
    monkeypatch.delenv("COCKPIT_STATUS_SCHEDULE", raising=False)
    with pytest.raises(ValueError, match="status.toml 中 schedule 应为 linear（线性序时进度）或 seasonal（季节序时进度）：quarterly"):
        status.schedule_mode()


def test_rule_text_says_which_schedule():
    lin, sea = status.rule_text("linear"), status.rule_text("seasonal")
    assert "序时进度 = 当月月数 ÷ 12（如10月为83.3%）" in lin and "当前按**线性序时进度**判定" in lin
    assert "季节序时进度" in sea and "当前按**季节序时进度**判定" in sea and "没有以往完整年度" in sea
    assert status.RULE_TEXT == lin  # the repository's setting


@pytest.mark.parametrize("page", ["overview", "approvals"])
def test_pages_say_which_schedule(fixture_db, page):
    """The pages' 红黄绿判定规则 says which 序时进度 is in force (the repository's: linear)."""
    from apptest import page_test

    at = page_test(page)
    at.run()
    assert not at.exception
    assert any("当前按**线性序时进度**判定" in m.value for m in at.markdown), page


@pytest.mark.parametrize("mode, tail", [("linear", "（红黄绿判定仍按线性序时进度83.3%）。"),
                                        ("seasonal", "（红黄绿判定按季节序时进度）。")])
def test_quarterly_says_which_schedule(monkeypatch, mode, tail):
    """The quarterly analysis's 季节序时进度 sentence names the 序时进度 the 红黄绿 rule uses."""
    import polars as pl

    from ui import forecast as fc
    from ui.report import quarterly

    monkeypatch.setenv("COCKPIT_STATUS_SCHEDULE", mode)
    h = pl.DataFrame({"year": [2025, 2025, 2026], "month": [10, 12, 10], "plan_wan": [1e6, 1e6, 1e6],
                      "ytd_wan": [5e5, 1e6, 6e5]})
    s = quarterly.schedule_sentence(fc.forecast(h, 2026, 10), {"completion_rate": 0.6})
    assert s.text == "以往年份到10月底平均完成全年投资的50.0%（季节序时进度），本年完成率60.0%，高于10.0个百分点" + tail
    assert all(f.shown in s.text for f in s.facts)


@pytest.mark.parametrize("query,params", [
    ("overview_kpis", {"unit": None, "library": None}),
    ("progress_by_dim", {"unit": None, "library": None, "dim": "library"}),
    ("league_units", {}),
    ("league_departments", {}),
])
@pytest.mark.parametrize("mode,tp", [("linear", 10 / 12), ("seasonal", 0.5)])
def test_city_and_unit_figures_use_the_rules_schedule(request, query, params, mode, tp):
    """The 序时进度 and gaps of the city, the units and the departments are those the project
    colours were computed with (period_schedule), not always month ÷ 12."""
    import queries

    wh = request.getfixturevalue(mode)
    df = queries.run(query, db=wh["db"], period=OCT, **params)
    assert df.height and df["time_progress"].drop_nulls().to_list() == pytest.approx([tp] * df.height)
    if "gap_pts" in df.columns and "completion_rate" in df.columns:
        for rate, gap in zip(df["completion_rate"], df["gap_pts"]):
            if rate is not None:
                assert gap == pytest.approx((tp - rate) * 100)


def test_by_unit_gap_uses_the_rules_schedule(seasonal):
    import queries

    df = queries.run("by_unit", db=seasonal["db"], period=OCT, library=None).filter(pl.col("projects") > 0)
    assert df.height
    for rate, gap in zip(df["completion_rate"], df["gap_pts"]):
        assert gap == pytest.approx((0.5 - rate) * 100)
