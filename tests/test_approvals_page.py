"""The page 审批与要素, the project file's approvals, factors and stage, and the 13710 section of
the problem list, on the fixture warehouse (answers in tests/fixtures.py)."""

from __future__ import annotations

import datetime as dt
import json
import re

import duckdb
import polars as pl
import pytest

import fixtures
import queries
from apptest import markup, page_test
from etl.status import project_stage
from ui import approvals as ap

P = dt.date(2026, 10, 1)
C = fixtures.CODES


def _text(at) -> str:
    return markup(at) + " " + " ".join(c.value for c in at.caption)


def _tile(html: str, label: str) -> tuple[str, str]:
    m = re.search(rf'<div class="label">{re.escape(label)}</div><div class="value">([^<]*)</div>'
                  rf'<div class="note">([^<]*)</div>', html)
    assert m, label
    return m.group(1), m.group(2)


# ---------------------------------------------------------------- builders on the fixture

def warehouse_with(tmp_path, fixture_db, **tables: pl.DataFrame) -> queries.Warehouse:
    """A warehouse holding only the approvals marts (the fixture's columns), filled with `tables`'
    rows (columns they leave out are null), for a query's known answer on rows made up here."""
    src = duckdb.connect(str(fixture_db), read_only=True)
    empty = {n: src.sql(f"select * from {n} limit 0").pl() for n in ("mart_approval_month", "mart_factor_month")}
    src.close()
    path = tmp_path / "approvals.duckdb"
    con = duckdb.connect(str(path))
    for name, frame in empty.items():
        rows = pl.concat([frame, tables[name]], how="diagonal_relaxed") if name in tables else frame
        con.register("incoming", rows.select(frame.columns).cast(frame.schema).to_arrow())
        con.execute(f"create table {name} as select * from incoming")
        con.unregister("incoming")
    con.close()
    return queries.Warehouse(path)


def test_queue_summaries(fixture_db):
    at = dict(period=P, unit=None)
    rank = queries.run("approvals_departments", **at)
    assert rank.select("department", "items", "overdue", "overdue_waiting").rows()[:2] == [
        ("市住房和城乡建设局", 1, 1, 0), ("市生态环境局", 1, 1, 1)]
    assert rank.filter(pl.col("department") == "平城区行政审批服务管理局").row(0, named=True)["avg_days"] == \
        pytest.approx((1 + 5 + 14) / 3)
    held = queries.run("approvals_held", **at, limit=ap.LIST_ROWS)
    assert held.select("project_code", "item_name", "working_days").rows() == [(C["C"], "用地预审与选址", 20)]
    assert queries.run("approvals_overdue", **at, limit=ap.LIST_ROWS)["item_name"].to_list() == ["环评"]
    assert queries.run("approvals_low_risk", **at, target_days=ap.LOW_RISK_TARGET_DAYS).is_empty()
    assert queries.run("approvals_zones", **at).is_empty()


def test_factor_summaries(fixture_db):
    at = dict(period=P, unit=None)
    s = {r["kind"]: r for r in queries.run("factors_by_kind", **at).iter_rows(named=True)}
    assert (s["land"]["needed"], s["land"]["secured"], s["land"]["gap_projects"]) == (64.5, 12.0, 1)
    assert (s["funding"]["gap"], s["funding"]["overdue"]) == (2000.0, 1)
    keyw = queries.run("factors_key_waiting", **at, limit=ap.LIST_ROWS)
    assert keyw.select("project_code", "kind").rows() == [(C["B"], "funding")]
    totals = queries.run("approvals_totals", **at).row(0, named=True)
    assert ap.land_reserve(totals) == {"key_mu": 12.0, "total_mu": 12.0, "share": 1.0, "met": True}


def test_low_risk_share_known_answer(tmp_path, fixture_db):
    """Two low-risk projects: one whole chain in 18 working days, one in 23; one still in progress."""
    rows = [("X", "project", 1, None), ("X", "planning", 3, None), ("X", "construction", 4, None),
            ("X", "acceptance", 6, None), ("X", "property", 4, dt.date(2026, 10, 20)),
            ("Y", "project", 1, None), ("Y", "construction", 12, None), ("Y", "acceptance", 7, None),
            ("Y", "property", 3, dt.date(2026, 9, 1)),
            ("Z", "project", 1, None), ("Z", "construction", 2, None)]
    items = pl.DataFrame({"project_code": [r[0] for r in rows], "name": [r[0] for r in rows],
                          "unit_name": ["平城区"] * len(rows), "item": [r[1] for r in rows],
                          "working_days": [r[2] for r in rows],
                          "completed_date": [r[3] or dt.date(2026, 8, 1) for r in rows],
                          "is_low_risk": [True] * len(rows), "period": [P] * len(rows)})
    items = items.with_columns(pl.when(pl.col("project_code") == "Z").then(None).otherwise(pl.col("completed_date"))
                               .alias("completed_date"))
    wh = warehouse_with(tmp_path, fixture_db, mart_approval_month=items)
    try:
        chains = wh.run("approvals_low_risk", period=P, unit=None, target_days=ap.LOW_RISK_TARGET_DAYS)
    finally:
        wh.close()
    assert chains.select("project_code", "total_days", "complete", "within").rows() == [
        ("X", 18, True, True), ("Y", 23, True, False), ("Z", 3, False, False)]
    assert ap.low_risk_share(chains) == {"complete": 2, "within": 1, "share": 0.5, "in_progress": 1}


def test_totals_known_answer(fixture_db):
    """tests/fixtures.py: six items (B's 施工许可 done late, B's 环评 waiting past its limit, C's 用地预审
    waiting), five factor rows (B's 资金 gap 2000 past its date; C's 用地 52.5 亩 not yet due)."""
    got = queries.run("approvals_totals", period=P, unit=None).row(0, named=True)
    assert got == {"items": 6, "unknown_calendar": 0, "waiting": 2, "done": 4, "overdue": 2, "overdue_waiting": 1,
                   "factors": 5, "gap_projects": 2, "factors_overdue": 1, "key_waiting_projects": 1,
                   "key_overdue_projects": 1, "key_overdue_rows": 1, "land_total_mu": 12.0, "land_key_mu": 12.0}
    # a month before the items were sent, and a unit that sent none: nothing, not an error
    for at in (dict(period=dt.date(2026, 9, 1), unit=None), dict(period=P, unit="140215")):
        none = queries.run("approvals_totals", **at).row(0, named=True)
        assert (none["items"], none["factors"], none["land_total_mu"]) == (0, 0, 0)


def test_factor_departments_known_answer(fixture_db):
    got = queries.run("factors_by_department", period=P, unit=None)
    assert got.columns == ["department", "rows", "gap_rows", "overdue"]
    assert got["rows"].sum() == 5 and got["overdue"].sum() == 1 and got["gap_rows"].sum() == 2
    assert got.row(0, named=True)["overdue"] == 1  # the department of B's overdue 资金 first


def _item(code, item_name, days_over, **kw):
    return {"period": P, "project_code": code, "name": f"项目{code}", "unit_name": "平城区", "unit_code": "140213",
            "item_name": item_name, "item_seq": 1, "days_over": days_over, "is_waiting": True, "is_overdue": True,
            **kw}


def test_overdue_list_is_sorted_and_cut(tmp_path, fixture_db):
    items = pl.DataFrame([_item("P2", "环评", 3), _item("P1", "施工许可", 9), _item("P3", "立项", 3),
                          _item("P4", "规划", 0, is_overdue=False)])
    wh = warehouse_with(tmp_path, fixture_db, mart_approval_month=items)
    try:
        two = wh.run("approvals_overdue", period=P, unit=None, limit=2)
        every = wh.run("approvals_overdue", period=P, unit=None, limit=ap.LIST_ROWS)
    finally:
        wh.close()
    assert two.select("project_code", "days_over", "total").rows() == [("P1", 9, 3), ("P2", 3, 3)]
    assert every["project_code"].to_list() == ["P1", "P2", "P3"] and ap.list_note(every) is None
    assert ap.list_note(two) == "共3项，列出排在前面的2项。"


def test_zone_shares_known_answer(tmp_path, fixture_db):
    """Zone Z1: two projects, one with a 承诺制 item, both 代办 on some item; zone Z2: one project, neither."""
    zone = {"unit_code": "140271", "zone_code": "140271", "is_waiting": False, "is_overdue": False}
    items = pl.DataFrame([
        _item("Z1a", "备案", 0, **{**zone, "unit_name": "经开区", "is_promise": True, "is_agent": True}),
        _item("Z1a", "施工许可", 0, **{**zone, "unit_name": "经开区", "is_promise": False, "is_agent": False}),
        _item("Z1b", "备案", 0, **{**zone, "unit_name": "经开区", "is_promise": False, "is_agent": True}),
        _item("Z2a", "备案", 0, **{**zone, "unit_name": "高新区", "is_promise": False, "is_agent": False}),
        _item("N", "备案", 0, is_promise=True, is_agent=True),  # not in a zone
    ])
    wh = warehouse_with(tmp_path, fixture_db, mart_approval_month=items)
    try:
        z = wh.run("approvals_zones", period=P, unit=None)
    finally:
        wh.close()
    assert z.select("unit_name", "projects", "promise", "agent").rows() == [
        ("经开区", 2, 1, 2), ("高新区", 1, 0, 0), ("全部开发区", 3, 1, 2)]
    assert z["promise_share"].to_list() == pytest.approx([0.5, 0.0, 1 / 3])


def test_mart_holds_each_item_as_last_reported(tmp_path, fixture_db):
    """etl/sql/mart_approval_month.sql on three months: an item reported in August and again in
    October shows August's state in September; one reported only in August stays in October; the
    project's library is the month's (reserve in August, a new start from September)."""
    src = duckdb.connect(str(fixture_db), read_only=True)
    empty = {n: src.sql(f"select * from {n} limit 0").pl() for n in ("approval_month", "project_month")}
    src.close()
    aug, sep, octo = dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)
    reports = pl.DataFrame({"period": [aug, aug, octo], "project_code": ["X", "X", "X"],
                            "item_name": ["环评", "备案", "环评"], "is_waiting": [True, False, False],
                            "library": ["reserve"] * 3, "unit_code": ["140213"] * 3})
    months = pl.DataFrame({"period": [aug, sep, octo], "project_code": ["X"] * 3,
                           "library": ["reserve", "new_start", "new_start"], "unit_code": ["140213"] * 3})
    con = duckdb.connect(str(tmp_path / "mart.duckdb"))
    for name, rows in (("approval_month", reports), ("project_month", months)):
        frame = empty[name]
        con.register("incoming", pl.concat([frame, rows], how="diagonal_relaxed").select(frame.columns)
                     .cast(frame.schema).to_arrow())
        con.execute(f"create table {name} as select * from incoming")
        con.unregister("incoming")
    from etl.warehouse import SQL_DIR
    # a full build: every month (rebuild_scope), no project rebuilt apart (changed_projects)
    con.execute("create temp table rebuild_scope as select date '0001-01-01' as from_period")
    con.execute("create temp table changed_projects as select null::varchar as project_code where false")
    con.execute((SQL_DIR / "mart_approval_month.sql").read_text(encoding="utf-8"))
    con.execute("create table mart_approval_month as select * from mart_approval_month_build")
    got = con.sql("select period, item_name, report_period, is_waiting, library from mart_approval_month "
                  "order by period, item_name").fetchall()
    con.close()
    assert got == [(aug, "备案", aug, False, "reserve"), (aug, "环评", aug, True, "reserve"),
                   (sep, "备案", aug, False, "new_start"), (sep, "环评", aug, True, "new_start"),
                   (octo, "备案", aug, False, "new_start"), (octo, "环评", octo, False, "new_start")]


@pytest.mark.parametrize("library, start, text, kind, cum, stage", [
    ("reserve", None, None, "enterprise", None, "preparing"),
    ("new_start", None, "前期手续办理中", "enterprise", 0, "preparing"),
    ("new_start", None, "场地平整中", "enterprise", 120.0, "building"),
    ("continuing", dt.date(2024, 4, 10), "管网铺设", "government", 45000, "building"),
    ("continuing", dt.date(2024, 4, 10), "已竣工投产", "government", 80000, "completed"),
    ("continuing", dt.date(2024, 4, 10), "已竣工投产", "enterprise", 80000, "producing"),
    ("continuing", dt.date(2024, 4, 10), "已竣工投产，已达产", "enterprise", 80000, "full"),
    ("continuing", dt.date(2024, 4, 10), "主体完工，已竣工", "enterprise", 80000, "completed"),
])
def test_project_stage(library, start, text, kind, cum, stage):
    assert project_stage(library, start, text, kind, cum) == stage


# ---------------------------------------------------------------- the page

def test_page_city(fixture_db):
    at = page_test("approvals")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    html = _text(at)
    assert "数据截至2026年10月31日" in html
    assert _tile(html, "审批事项超时限") == ("2项", "其中仍在办理 1项")
    assert _tile(html, "开工受审批制约") == ("1个", "未开工、有审批事项在办的新开工项目")
    assert _tile(html, "要素有缺口的项目") == ("2个", "逾期未落实 1项")
    assert _tile(html, "重点工程等待要素") == ("1个", "其中逾期 1个")
    assert _tile(html, "重点工程用地保障占比") == ("100.0%", "要求不低于10%，已达到")
    assert _tile(html, "低风险项目≤20工作日")[1] == "尚无全流程办结的项目"
    assert "低风险小型项目全流程审批不超过20个工作日" in html  # the plan's target named on the page
    assert "从受理次日起算至办结日" in html  # the counting convention
    assert "重点工程等待的审批事项已超过办理时限" in html  # the status rule, shown
    tables = {tuple(df.value.columns)[0]: df.value for df in at.dataframe}
    assert tables["审批部门"]["审批部门"].to_list()[:2] == ["市住房和城乡建设局", "市生态环境局"]
    assert "None" not in tables["审批部门"].astype(str).to_string()
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert [c["layout"]["title"]["text"].split("<br>")[0] for c in charts] == [
        "<b>各审批部门审批事项办理情况（个）</b>", "<b>各类要素落实情况（已落实 / 需求）</b>"]


def test_page_unit_without_approvals(fixture_db):
    at = page_test("approvals")
    at.query_params["unit"] = "140215"
    at.run()
    assert not at.exception
    assert "云州区没有报送审批事项和要素保障" in " ".join(i.value for i in at.info)


# ---------------------------------------------------------------- the project file

def test_dossier_b_shows_its_chain_factors_and_stage(fixture_db):
    at = page_test("dossier")
    at.query_params["project"] = C["B"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    html = _text(at)
    assert "正在等待：环评（市生态环境局）已用60个工作日（时限30个工作日），超出时限30个工作日" in html
    assert '<span class="s now">在建</span>' in html
    frames = [df.value for df in at.dataframe]
    chain = next(df for df in frames if "审批事项" in df.columns)
    assert chain[["审批事项", "用时（工作日）", "办理时限（工作日）", "办理情况"]].values.tolist() == [
        ["环评", "60", "30", "办理中，已超时限"], ["施工许可", "6", "5", "超时限办结"]]
    factors = next(df for df in frames if "要素" in df.columns)
    assert factors[["要素", "缺口", "落实情况"]].values.tolist() == [
        ["用地", 0.0, "已落实"], ["资金·地方政府专项债", 2000.0, "逾期未落实"]]


def test_dossier_c_is_in_preparation(fixture_db):
    at = page_test("dossier")
    at.query_params["project"] = C["C"]
    at.run()
    assert not at.exception
    html = _text(at)
    assert '<span class="s now">前期</span>' in html
    factors = next(df.value for df in at.dataframe if "要素" in df.value.columns)
    assert factors[["要素", "单位", "需求量"]].values.tolist() == [["用地", "亩", 52.5]]  # 3.5 公顷


def test_dossier_without_approvals_says_so(fixture_db):
    at = page_test("dossier")
    at.query_params["project"] = C["E"]
    at.run()
    assert not at.exception
    assert "该项目尚未报送审批事项。" in _text(at)


# ---------------------------------------------------------------- 13710 on the problem list

def test_problems_page_shows_the_13710_clock(fixture_db):
    at = page_test("problems")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    html = _text(at)
    assert "13710督办时限（未办结问题 3个）" in " ".join(s.value for s in at.subheader)
    assert "1日部署、3日答复、7日办结" in html
    table = next(df.value for df in at.dataframe if "所处环节" in df.value.columns)
    got = dict(zip(table["问题编号"], table["所处环节"]))
    # the fixture's sheet has no 交办/答复 dates: the reported state says how far each got
    assert got == {"WT-1": "办理中", "WT-2": "待答复", "WT-4": "办理中"}
    missed = dict(zip(table["问题编号"], table["已超时限"]))
    assert missed["WT-1"] == "超7日未办结" and missed["WT-2"] == "超3日未答复、超7日未办结"
