"""季度分析 四、存在的问题: the approval and factor sentences (审批 who is slow, the low-risk
20-working-day target, key projects waiting on a factor, the land kept for key projects), each
number checked against the query it came from on the fixture warehouse (tests/fixtures.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import duckdb
import polars as pl
import pytest

import queries
from ui.report import quarterly, word
from test_approvals_page import warehouse_with
from test_report import TODAY, check_facts, opened

OCT = dt.date(2026, 10, 1)  # the fixture's approvals and factors are sent with the October files


def _frames(run) -> dict[str, pl.DataFrame]:
    names = {n for names in quarterly.PROBLEM_SOURCES.values() for n in names}
    params = quarterly.problem_params(OCT)
    return {n: run(n, **{k: v for k, v in params.items() if k in queries.parameters(n)}) for n in names}


@pytest.fixture(scope="module")
def frames(fixture_db):
    return _frames(queries.run)


@pytest.fixture(scope="module")
def rows(fixture_db) -> dict[str, pl.DataFrame]:
    """The items and factors as last reported by October, read straight from the marts, to work the
    sentences' numbers out here (not through the queries or the sentences' code)."""
    con = duckdb.connect(str(fixture_db), read_only=True)
    try:
        return {kind: con.sql(f"select * from mart_{kind}_month where period = ?", params=[OCT]).pl()
                for kind in ("approval", "factor")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def report(fixture_db, frames):
    """The quarterly analysis with the approval/factor sentences of the fixture's October data."""
    d = quarterly.load(2026, 3, today=TODAY)
    extra = [fn(frames, OCT) for fn in quarterly.PROBLEM_SOURCES]
    return quarterly.build(dataclasses.replace(d, extra=[s for s in extra if s is not None]))


def _problems_section(text: str) -> str:
    return text.split("四、存在的问题")[1].split("五、下步工作建议")[0]


def test_sources_are_the_approvals_queries():
    names = {n for names in quarterly.PROBLEM_SOURCES.values() for n in names}
    assert names == {"approvals_totals", "approvals_departments", "approvals_low_risk", "factors_key_waiting"}
    assert names <= set(queries.names())


def test_no_approval_data_no_sentence(fixture_db):
    """At 2026-09 nothing was sent yet: the section keeps its three paragraphs, nothing invented."""
    d = quarterly.load(2026, 3, today=TODAY)
    assert d.extra == []
    section = _problems_section(word.text_of(opened(quarterly.build(d))))
    assert "审批" not in section and "要素" not in section and "三是数据报送质量有待提高" in section


def test_approvals_sentence_numbers_are_the_query(report, rows):
    items = rows["approval"]
    text = word.text_of(opened(report))
    check_facts(report, text)
    section = _problems_section(text)
    assert "三是审批办理仍有堵点。截至2026年10月末，全市报送审批事项6项" in section
    # the numbers, worked out from the query's rows here (not through the sentence's code)
    over = items.filter(pl.col("is_overdue"))
    assert (items.height, over.height, over.filter(pl.col("is_waiting")).height) == (6, 2, 1)
    by_dept = dict(over.group_by("department").len().iter_rows())
    assert by_dept == {"市生态环境局": 1, "市住房和城乡建设局": 1}
    assert f"超过办理时限{over.height}项（其中仍在办理1项），涉及{len(by_dept)}个审批部门：" in section
    for dept, n in by_dept.items():
        assert f"{dept}（{n}项）" in section
    # no low-risk small project in the fixture: the target is not judged
    assert not items["is_low_risk"].any()
    assert "尚无全流程办结的低风险小型项目，20个工作日的规划目标暂无法评价。" in section
    s = next(s for s in report.sentences if s.topic == "审批")
    facts = {f.label: f.value for f in s.facts}
    assert facts["审批事项"] == items.height and facts["超过办理时限的审批事项"] == over.height


def test_factors_sentence_numbers_are_the_query(report, rows):
    factors = rows["factor"]
    section = _problems_section(word.text_of(opened(report)))
    key_gap = factors.filter(pl.col("is_key") & (pl.col("gap") > 0))
    late = key_gap.filter(pl.col("is_overdue"))
    assert key_gap["project_code"].n_unique() == 1 and late.height == 1
    assert late.row(0, named=True)["gap"] == 2000  # B: 资金 3000 needed, 1000 secured, due 2026-09-30
    land = factors.filter(pl.col("kind") == "land")
    total, key = land["secured"].sum(), land.filter(pl.col("is_key"))["secured"].sum()
    assert (total, key) == (12, 12)  # B's 12 亩 secured; C (not key) has 3.5 公顷 = 52.5 亩 still to secure
    assert ("四是要素保障不够到位。1个重点工程仍在等待要素保障，其中1个过了计划落实时间仍未落实："
            "平城区供热管网改造工程资金缺口2,000万元（计划2026年9月30日落实）") in section
    assert f"已落实用地{total:,.1f}亩，其中重点工程{key:,.1f}亩，占100.0%，达到为重点工程预留不低于10%用地指标的规划要求。" in section
    assert "五是数据报送质量有待提高" in section
    # every number the sentence shows is one of its facts, and each fact is the query's value
    s = next(s for s in report.sentences if s.topic == "要素保障")
    shown = re.findall(r"\d[\d,.]*", s.text)
    assert all(any(n in f.shown for f in s.facts) or n in ("2026", "9", "30", "10") for n in shown), shown
    facts = {f.label: f.value for f in s.facts}
    assert facts["已落实用地（亩）"] == total and facts["重点工程已落实用地（亩）"] == key
    assert facts["平城区供热管网改造工程资金缺口"] == 2000


def _items(rows):
    cols = ["project_code", "name", "unit_name", "item", "department", "working_days", "accepted_date",
            "completed_date", "is_waiting", "is_overdue", "is_low_risk"]
    return pl.DataFrame([dict(zip(cols, r)) for r in rows], schema_overrides={
        "accepted_date": pl.Date, "completed_date": pl.Date, "working_days": pl.Int32}).with_columns(
        period=pl.lit(OCT), calendar_known=pl.lit(True))


def _sentence(tmp_path, fixture_db, fn, **tables):
    """`fn`'s sentence from its queries run on a warehouse holding only `tables`' rows."""
    wh = warehouse_with(tmp_path, fixture_db, **tables)
    try:
        return fn(_frames(wh.run), OCT)
    finally:
        wh.close()


D1, D2 = dt.date(2026, 3, 2), dt.date(2026, 3, 20)


@pytest.mark.parametrize("rows, expected", [
    # two chains complete: P1 8 + 10 = 18 days (within), P2 15 + 9 = 24 (over); P3 still in progress
    ([("P1", "甲", "平城区", "project", "局甲", 8, D1, D2, False, False, True),
      ("P1", "甲", "平城区", "property", "局乙", 10, D1, D2, False, False, True),
      ("P2", "乙", "云州区", "project", "局甲", 15, D1, D2, False, False, True),
      ("P2", "乙", "云州区", "property", "局乙", 9, D1, D2, False, False, True),
      ("P3", "丙", "云州区", "project", "局甲", 30, D1, None, True, True, True)],
     "低风险小型项目全流程办结2个，其中1个在20个工作日以内，占50.0%，未达到全流程不超过20个工作日的规划目标。"),
    ([("P1", "甲", "平城区", "property", "局乙", 20, D1, D2, False, False, True)],
     "低风险小型项目全流程办结1个，其中1个在20个工作日以内，占100.0%，达到全流程不超过20个工作日的规划目标。"),
])
def test_low_risk_target(tmp_path, fixture_db, rows, expected):
    s = _sentence(tmp_path, fixture_db, quarterly.approvals_sentence, mart_approval_month=_items(rows))
    assert expected in s.text
    assert all(f.shown in s.text for f in s.facts)


def test_land_below_target(tmp_path, fixture_db):
    f = pl.DataFrame({"project_code": ["K", "N"], "name": ["甲", "乙"], "kind": ["land", "land"], "kind_seq": [1, 1],
                      "gap": [0.0, 0.0], "secured": [5.0, 95.0], "unit": ["亩", "亩"], "is_key": [True, False],
                      "is_overdue": [False, False], "planned_date": [D1, D1], "period": [OCT, OCT]})
    s = _sentence(tmp_path, fixture_db, quarterly.factors_sentence, mart_factor_month=f)
    assert "重点工程的要素均已落实；已落实用地100.0亩，其中重点工程5.0亩，占5.0%，低于为重点工程预留不低于10%用地指标的规划要求。" in s.text
