"""The forecast, the review list and the Word downloads on the pages (AppTest on the fixture)."""

from __future__ import annotations

from apptest import markup, page_test


def texts(at) -> str:
    return " ".join([markup(at)] + [c.value for c in at.caption] + [s.value for s in at.subheader])


def test_overview_shows_the_forecast(fixture_db):
    at = page_test("overview").run()
    assert not at.exception, [e.value for e in at.exception]
    t = texts(at)
    # the fixture at 2026-10: 61000 of 88000, no complete earlier year → linear: 7.32亿元, 13500 a month
    assert "全市预计全年完成" in t
    assert "7.32亿元" in t and "1.35亿元" in t and "83.2%" in t
    assert "序时推算 · 无可回测年份 · 线性序时进度83.3% · 季节序时进度—（历史年份不足）" in t


def test_progress_lists_every_unit_forecast(fixture_db):
    at = page_test("progress").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "全市预计全年完成" in texts(at)
    table = next(d.value for d in at.dataframe if "预计全年完成（亿元）" in d.value.columns)
    rows = dict(zip(table["范围"], table["预计全年完成（亿元）"]))
    assert rows["全市"] == 7.32 and rows["平城区"] == 2.16  # 18000 × 12 ÷ 10


def test_league_review_and_notice_download(fixture_db):
    at = page_test("league").run()
    assert not at.exception, [e.value for e in at.exception]
    t = texts(at)
    assert "重点工程动态调整" in t and "连续3个月落后序时进度超过30个百分点" in t
    assert "建议取消重点工程资格（0个）" in t
    at = page_test("league")
    at.query_params["view"] = "notice"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载排队通报（Word）" in labels and any(lbl.startswith("下载") and lbl.endswith("通报（Word）")
                                                and lbl != "下载排队通报（Word）" for lbl in labels)


def test_briefing_offers_the_documents(fixture_db):
    at = page_test("briefing").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载季度分析（Word）" in labels and "下载项目专报（Word）" in labels
    quarters = at.selectbox(key="br_docs_quarter")
    assert quarters.options == ["2026年第三季度"]  # the fixture's quarter ends: 2026-09 only


def test_a_unit_account_is_not_offered_the_city_documents(fixture_db):
    """The quarterly analysis and 项目专报 speak for the whole city: a county account, whose
    queries see only its own projects, is not offered them (it says where its notice is)."""
    at = page_test("briefing", role="unit", unit="平城区").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载季度分析（Word）" not in labels and "下载项目专报（Word）" not in labels
    assert any("不提供下载" in c.value for c in at.caption)
