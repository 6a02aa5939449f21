"""领导包联: the leader-level rule, each leader's portfolio and problems, what changed since last
month, milestones due, key projects without a leader or held at the wrong level (answers from
tests/fixtures.py), and the page with its interactions (AppTest)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from apptest import markup, page_test

import queries
from etl.warehouse import build_period_mart, current_state
from ui import leaders as ld

ROOT = Path(__file__).resolve().parent.parent
OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
CODE_A, CODE_B = "2025-140213-44-01-000001", "2024-140213-44-01-000002"
CODE_F, CODE_G = "2026-140215-44-01-000005", "2026-140213-44-01-000006"


def _projects(period=OCT, leader=None, wh=None):
    run = wh.run if wh else queries.run
    return run("leader_projects", period=period, leader=leader, city_pattern=ld.CITY_LEADER_PATTERN)


@pytest.mark.parametrize("title, level", [
    ("副市长", "city"), ("市长", "city"), ("市委常委、常务副市长", "city"), ("大同市副市长", "city"),
    ("市人大常委会副主任", "city"), ("市政协主席", "city"),
    ("平城区区长", "local"), ("云州区委书记", "local"), ("市发展和改革委员会主任", "local"),
    ("大同经济技术开发区管委会主任", "local"), ("天镇县副县长", "local"),
    (None, None), ("  ", None),
])
def test_leader_level(title, level):
    assert ld.leader_level(title) == level
    if title and title.strip():  # the SQL applies the same pattern
        got = duckdb.sql("select regexp_matches(?, ?)", params=[title, ld.CITY_LEADER_PATTERN]).fetchall()[0][0]
        assert got is (level == "city")


def test_key_projects_and_leaders(fixture_db):
    rows = {r["project_code"]: r for r in _projects().iter_rows(named=True)}
    assert sorted(rows) == sorted([CODE_A, CODE_B, CODE_F, CODE_G])  # the four key projects
    b, a, g, f = rows[CODE_B], rows[CODE_A], rows[CODE_G], rows[CODE_F]
    assert (b["leader"], b["leader_title"], b["leader_level"], b["is_provincial"]) == ("李明", "市长", "city", True)
    # B: yellow in September, red in October; WT-1 open and past deadline
    assert (b["prev_status"], b["status"], b["newly_red"]) == ("yellow", "red", True)
    assert (b["open_problems"], b["overdue_problems"]) == (1, 1)
    # A: WT-4 still open (未续报), WT-3 cleared
    assert (a["open_problems"], a["overdue_problems"], a["disappeared_problems"]) == (1, 0, 1)
    # G: 经开区's file has no title; 王建国's title comes from his other row
    assert (g["leader"], g["leader_title"], g["leader_level"], g["level_mismatch"]) == ("王建国", "副市长", "city", False)
    assert g["status"] == "green" and not g["newly_red"]
    # F (云州区) first reported in October: new on the list, red, without a leader
    assert f["no_leader"] and f["leader_level"] is None and not f["level_mismatch"]
    assert f["newly_key"] and f["newly_red"]
    assert not any(r["newly_started"] or r["leader_changed"] for r in rows.values())


def test_overview(fixture_db):
    ov = ld.overview(_projects())
    rows = {r["leader"]: r for r in ov.iter_rows(named=True)}
    assert sorted(rows) == ["李明", "王建国"]  # F has no leader and is not a row
    w, li = rows["王建国"], rows["李明"]
    assert (w["projects"], w["provincial"], w["municipal"]) == (2, 1, 1)
    assert (w["annual_plan_wan"], w["ytd_wan"], w["total_investment_wan"]) == (40000, 35000, 30000)
    assert w["completion_rate"] == pytest.approx(0.875) and w["gap_pts"] == pytest.approx(-4.2)
    assert (w["red"], w["yellow"], w["green"], w["open_problems"], w["overdue_problems"]) == (0, 0, 2, 1, 0)
    assert (li["red"], li["newly_red"], li["open_problems"], li["overdue_problems"]) == (1, 1, 1, 1)
    assert li["gap_pts"] == pytest.approx(33.3)
    assert ov["leader"].to_list() == ["李明", "王建国"]  # most red first
    assert ld.sort_overview(ov, "projects")["leader"].to_list() == ["王建国", "李明"]
    assert ld.sort_overview(ov, "gap_pts")["leader"].to_list() == ["李明", "王建国"]
    assert ld.leader_names(_projects()) == ["王建国", "李明"]
    table = ld.overview_table(ov)
    assert table.row(1, named=True)["包联总投资（亿元）"] == 3.0 and table.row(1, named=True)["层级"] == "市领导"


def test_problems_and_changes(fixture_db):
    probs = {r["problem_id"]: r for r in queries.run("leader_problems", period=OCT, leader="王建国").iter_rows(named=True)}
    assert sorted(probs) == ["WT-3", "WT-4"]
    assert probs["WT-3"]["cleared_this_month"] and not probs["WT-4"]["cleared_this_month"]
    assert probs["WT-4"]["disappeared"] and not probs["WT-4"]["new_this_month"]
    li = queries.run("leader_problems", period=OCT, leader="李明")
    assert li["problem_id"].to_list() == ["WT-1"] and not li["newly_escalated"][0]  # escalated since September
    # every leader's problems at once
    assert queries.run("leader_problems", period=OCT, leader=None).height == 3

    def kinds(leader):
        lines = ld.changes(_projects(leader=leader), queries.run("leader_problems", period=OCT, leader=leader),
                           queries.run("leader_dropped", period=OCT, leader=leader))
        return [k for k, _ in lines], lines

    k, lines = kinds("王建国")
    assert k[-2:] == ["问题销号", "未续报"]
    assert ("问题销号", "电力接入慢（平城区新型碳材料项目，企业满意）") in lines
    assert ("未续报", "施工许可办理慢（平城区新型碳材料项目，最后报送2026年9月，未销号）") in lines
    k, lines = kinds("李明")
    assert lines == [("新变红", "平城区供热管网改造工程（黄→红，落后序时进度33.3个百分点）")]


def test_no_previous_month(fixture_db):
    # September 2026: no data for August, so nothing counts as a change
    p = _projects(period=SEP, leader="王建国")
    assert CODE_A in p["project_code"].to_list() and not p["has_prev"].any()
    assert not (p["newly_red"].any() or p["newly_key"].any() or p["newly_started"].any() or p["left_red"].any())
    assert not queries.run("leader_problems", period=SEP, leader="王建国")["cleared_this_month"].any()


@pytest.fixture(scope="module")
def scenario(fixture_db, tmp_path_factory) -> queries.Warehouse:
    """The fixture warehouse with a few changes only some data would show: B held by a district
    head and not started in September, A handed to another leader, G red in September, milestones
    on G."""
    path = tmp_path_factory.mktemp("leaders") / "scenario.duckdb"
    shutil.copyfile(current_state(fixture_db), path)
    con = duckdb.connect(str(path))
    con.execute("update project_month set leader_title = '平城区区长' where project_code = ? and period = ?", [CODE_B, OCT])
    con.execute("update project_month set actual_start = null, completed_ytd_wan = 0, completed_cum_wan = 0 "
                "where project_code = ? and period = ?", [CODE_B, SEP])
    con.execute("update project_month set leader = '张三', leader_title = null where project_code = ? and period = ?",
                [CODE_A, OCT])
    con.execute("insert into project_month select * replace (cast(? as date) as period) from project_month "
                "where project_code = ? and period = ? and not exists (select 1 from project_month "
                "where project_code = ? and period = ?)", [SEP, CODE_G, OCT, CODE_G, SEP])
    con.execute("update project_month set status = 'red' where project_code = ? and period = ?", [CODE_G, SEP])
    # the pages read each project's month with the month before from the mart built on project_month
    # at load time (etl/sql/mart_project_month.sql): build it again from the changed rows, as a load would
    for mart in ("mart_project_month", "mart_key_month"):  # the key projects' rows after all projects'
        build_period_mart(con, mart)
    nodes = [  # G's nodes (B's come with the fixture)
        (CODE_G, 1, "桩基完成", dt.date(2026, 9, 30), None),  # overdue 31 days
        (CODE_G, 2, "道路接入", dt.date(2026, 10, 20), dt.date(2026, 11, 5)),  # done only after the month
        (CODE_G, 3, "主体封顶", dt.date(2026, 11, 15), None),  # due in 15 days
        (CODE_G, 4, "设备安装", dt.date(2026, 12, 31), None),  # beyond 30 days
        (CODE_G, 5, "开工", dt.date(2026, 3, 1), dt.date(2026, 3, 1)),  # done
    ]
    for code, seq, name, planned, actual in nodes:
        con.execute("insert into milestones (project_code, project_name, node_seq, node_name, planned_date, "
                    "actual_date) values (?, ?, ?, ?, ?, ?)", [code, None, seq, name, planned, actual])
    con.close()
    wh = queries.Warehouse(path)
    yield wh
    wh.close()


def test_level_mismatch_and_newly_started(scenario):
    rows = {r["project_code"]: r for r in _projects(wh=scenario).iter_rows(named=True)}
    b = rows[CODE_B]
    assert (b["leader_level"], b["level_mismatch"], b["newly_started"]) == ("local", True, True)
    a = rows[CODE_A]
    assert (a["leader"], a["leader_changed"], a["prev_leader"], a["leader_level"]) == ("张三", True, "王建国", None)
    ov = {r["leader"]: r for r in ld.overview(_projects(wh=scenario)).iter_rows(named=True)}
    assert ov["李明"]["mismatches"] == 1 and ov["张三"]["projects"] == 1


def test_dropped_and_changes(scenario):
    dropped = scenario.run("leader_dropped", period=OCT, leader="王建国")
    assert dropped.select("project_code", "reason", "new_leader").rows() == [(CODE_A, "leader_changed", "张三")]
    lines = ld.changes(_projects(leader="李明", wh=scenario), scenario.run("leader_problems", period=OCT, leader="李明"),
                       scenario.run("leader_dropped", period=OCT, leader="李明"))
    assert [k for k, _ in lines] == ["新变红", "新开工"]
    lines = ld.changes(_projects(leader="王建国", wh=scenario),
                       scenario.run("leader_problems", period=OCT, leader="王建国"), dropped)
    assert lines == [("转出红色", "经开区氢能装备产业园（红→绿）"), ("不再包联", "平城区新型碳材料项目（改由张三包联）")]
    g = _projects(leader="王建国", wh=scenario).row(0, named=True)
    assert (g["prev_status"], g["left_red"], g["newly_key"]) == ("red", True, False)


def test_milestones_due(fixture_db, scenario):
    # the fixture's six nodes of B (see tests/fixtures.py): one overdue, one due within 30 days
    m = queries.run("leader_milestones", period=OCT, leader="李明", days=ld.MILESTONE_WINDOW_DAYS)
    assert m.select("node_name", "node_state", "days_overdue", "days_left").rows() == [
        ("二期管网铺设完成", "overdue", 31, None), ("换热站调试", "due", 0, 15)]
    assert queries.run("leader_milestones", period=OCT, leader="王建国", days=30).is_empty()
    # every leader, with G's nodes added: overdue first, then by planned date
    m = scenario.run("leader_milestones", period=OCT, leader=None, days=ld.MILESTONE_WINDOW_DAYS)
    assert m.select("leader", "node_name", "days_overdue", "days_left").rows() == [
        ("李明", "二期管网铺设完成", 31, None), ("王建国", "桩基完成", 31, None), ("王建国", "道路接入", 11, None),
        ("李明", "换热站调试", 0, 15), ("王建国", "主体封顶", 0, 15)]
    assert ld.milestones_table(m)["逾期或剩余"].to_list() == ["逾期31天", "逾期31天", "逾期11天", "还剩15天", "还剩15天"]
    # a month earlier: B's 二期管网 node (planned 2026-09-30) is due, not yet overdue
    sep = queries.run("leader_milestones", period=SEP, leader="李明", days=30)
    assert sep.select("node_name", "node_state", "days_left").rows() == [("二期管网铺设完成", "due", 0)]


# ---------------------------------------------------------------- the page

def _page(**params) -> AppTest:
    at = page_test("leaders")
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _text(at: AppTest) -> str:
    return markup(at) + " ".join(c.value for c in at.caption)


def test_page_overview_and_pick(fixture_db):
    at = _page()
    assert not at.exception
    assert at.dataframe[0].value["包联领导"].tolist() == ["李明", "王建国"]
    assert "未明确包联领导的重点工程（1个）" in " ".join(h.value for h in at.subheader)
    assert at.dataframe[1].value["项目名称"].tolist() == ["云州区黄花产业园"]
    sort = next(s for s in at.selectbox if s.label == "排序")
    sort.set_value("projects").run()
    assert at.dataframe[0].value["包联领导"].tolist() == ["王建国", "李明"]
    assert at.query_params["sort"] == "projects"
    # pick a leader
    next(s for s in at.selectbox if s.label == "包联领导").set_value("王建国").run()
    assert not at.exception and at.query_params["leader"] == "王建国"
    text = _text(at)
    assert "王建国包联重点工程" == at.title[0].value
    assert "问题销号" in text and "电力接入慢" in text and "未续报" in text and "配套道路未建成" in text
    assert at.dataframe[0].value["项目名称"].tolist() == ["平城区新型碳材料项目", "经开区氢能装备产业园"]


def test_page_from_url(fixture_db):
    at = _page(leader="李明")
    assert not at.exception
    text = _text(at)
    assert "新变红" in text and "平城区供热管网改造工程" in text and "红1 黄0 绿0" in text
    assert at.dataframe[-1].value["问题编号"].tolist() == ["WT-1"]
    # an unknown name falls back to the overview with a note
    at = _page(leader="赵钱孙")
    assert not at.exception and "赵钱孙" in at.warning[0].value
    assert at.title[0].value == "领导包联重点工程"
    # September: no August to compare with
    at = _page(leader="王建国", period="2026-09")
    assert not at.exception and "上月没有报送数据" in at.info[0].value
