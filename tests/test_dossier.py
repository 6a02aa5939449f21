"""The project file (项目档案): its numbers against the warehouse for fixture project B
(平城区供热管网改造工程, worked out in tests/fixtures.py), the builders, search, and the page."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from urllib.parse import unquote

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from apptest import markup, page_test

import queries
from map_data import HOSTILE, HOSTILE_CODE, use_hostile_db, hostile_db  # noqa: F401
from ui import dossier
from ui.links import dossier_url

ROOT = Path(__file__).resolve().parent.parent
B = "2024-140213-44-01-000002"
D = dt.date


@pytest.fixture()
def b_file(fixture_db) -> dict:
    return {
        "project": queries.run("dossier_project", code=B).row(0, named=True),
        "months": queries.run("progress_project_history", project=B),
        "milestones": queries.run("dossier_milestones", code=B),
        "problems": queries.run("dossier_problems", code=B),
    }


def test_identity_and_investment(b_file):
    p = b_file["project"]
    assert (p["name"], p["owner"], p["county_name"], p["library"], p["key_level"], p["sector"], p["invest_kind"],
            p["leader"], p["leader_title"], p["responsible_unit"]) == (
        "平城区供热管网改造工程", "大同市热力公司", "平城区", "continuing", "province_city_managed", "基础设施",
        "government", "李明", "市长", "市住房和城乡建设局")
    assert (p["total_investment_wan"], p["annual_plan_wan"], p["completed_month_wan"], p["completed_ytd_wan"],
            p["completed_cum_wan"]) == (80000, 20000, 500, 10000, 45000)
    assert p["completion_rate"] == pytest.approx(0.5)
    assert (p["status"], p["period"], p["first_period"], p["data_period"]) == (
        "red", D(2026, 10, 1), D(2025, 10, 1), D(2026, 10, 1))
    assert (p["open_problems"], p["overdue_nodes"]) == (1, 1)
    tiles = dossier.investment_summary(p)
    assert tiles == [("总投资", "8.00亿元", None), ("2026年计划投资", "2.00亿元", None),
                     ("年累计完成", "1.00亿元", "完成率 50.0%"), ("开工累计完成", "4.50亿元", "占总投资 56.2%")]


def test_months_and_status_history(b_file):
    m = b_file["months"]
    assert m["period"].to_list() == [D(2025, 10, 1), D(2026, 9, 1), D(2026, 10, 1)]
    assert m["completed_ytd_wan"].to_list() == [9000, 9500, 10000]
    assert m["annual_plan_wan"].to_list() == [18000, 20000, 20000]
    assert m["status"].to_list() == ["red", "yellow", "red"]  # gaps 33.3, 27.5, 33.3 points
    chips = dossier.status_months_html(m)
    assert [c in chips for c in ("2025.10 红", "2026.09 黄", "2026.10 红")] == [True] * 3
    t = dossier.progress_table(m)
    assert t["月份"].to_list() == ["2026年10月", "2026年9月", "2025年10月"]
    assert t["形象进度"].to_list() == ["管网铺设"] * 3


def test_reserve_months_fold_into_one_chip():
    months = pl.DataFrame({"period": [D(2025, m, 1) for m in range(1, 6)],
                           "status": [None, None, None, "red", "green"]})
    chips = dossier.status_months_html(months)
    assert chips.count("<span") == 3 and "2025.01–2025.03 储备" in chips and "2025.04 红" in chips


def test_investment_chart(b_file):
    fig = dossier.investment_chart(b_file["months"], 2026, "t", "s")
    bars, schedule, ytd = fig.data
    assert list(bars.x) == [9, 10] and list(bars.y) == [1000, 500]  # a month-number axis, ticks 「9月」
    assert list(ytd.y) == [9500, 10000]
    assert len(schedule.y) == 12 and schedule.y[-1] == pytest.approx(20000) and schedule.y[9] == pytest.approx(
        20000 * 10 / 12)


def test_milestones(b_file):
    ms = b_file["milestones"]
    assert ms["node_state"].to_list() == ["done", "done_late", "done", "overdue", "due", "planned"]
    t = dossier.milestone_table(ms)
    assert t["状态"].to_list() == ["按期完成", "逾期完成", "按期完成", "已逾期31天", "30天内到期", "未到期"]
    assert t["计划完成时间"][3] == "2026-09-30" and t["实际完成时间"][1] == "2024-05-20"
    fig = dossier.milestone_gantt(ms, D(2026, 10, 31), "t", "s")
    plan, actual, late = fig.data
    assert len(plan.y) == 6 and len(actual.y) == 3
    assert list(late.y) == ["4. 二期管网铺设完成"] and list(late.text) == ["已逾期31天"]
    assert list(late.base) == ["2026-09-30"] and late.x[0] == 31 * 86_400_000
    assert list(actual.marker.color) == ["#2ca02c", "#f2b200", "#2ca02c"]


def test_problems(b_file):
    t = dossier.problem_table(b_file["problems"])
    row = t.row(0, named=True)
    assert (row["问题编号"], row["责任单位"], row["责任领导"], row["责任人"], row["解决措施"], row["完成时限"]) == (
        "WT-1", "市财政局", "李明", "赵六", "申请专项债", "2026-08-31")
    assert row["办理状态"] == "督办（逾期61天）"  # deadline 2026-08-31, data date 2026-10-31
    assert row["五到位缺项"] is None


@pytest.mark.parametrize("text,found", [
    ("供热", [B]),
    ("000002", [B]),
    ("2024-140213", [B]),
    ("%", []),  # matched literally, not as a wildcard
    ("不存在的项目", []),
])
def test_search(fixture_db, text, found):
    assert queries.run("dossier_search", text=text)["project_code"].to_list() == found


def test_search_key_projects_first(fixture_db):
    hits = queries.run("dossier_search", text="平城区")
    assert hits["key_level"].to_list()[:2] == ["province_city_managed", "municipal"]
    assert hits["key_level"][2] is None


def test_head_escapes_and_qr():
    url = "http://cockpit.example:8501/dossier?project=X%261"
    uri = dossier.qr_data_uri(url)
    assert uri.startswith("data:image/svg+xml")
    head = dossier.head_html({"name": HOSTILE, "project_code": "X&1", "status": "red", "status_reason": "<b>r</b>"},
                             uri, url)
    assert "<script>" not in head and "&lt;script&gt;" in head and "&lt;b&gt;r&lt;/b&gt;" in head
    assert "X&amp;1" in head
    assert f'src="{uri}"' in head  # the QR code's address as written: a character reference in it breaks the image
    ident = dossier.identity_html({"owner": HOSTILE, "county_name": "平城区", "zone_name": None})
    assert "<script>" not in ident and "&lt;script&gt;" in ident


def test_dossier_url(monkeypatch):
    monkeypatch.delenv("COCKPIT_PUBLIC_URL", raising=False)
    assert dossier_url("2024-1 2") == "/dossier?project=2024-1%202"
    assert dossier_url("A", absolute=True) == "http://localhost:8501/dossier?project=A"  # no request: a default
    monkeypatch.setenv("COCKPIT_PUBLIC_URL", "https://xm.dt.gov.cn/cockpit/")
    assert dossier_url("A", absolute=True) == "https://xm.dt.gov.cn/cockpit/dossier?project=A"


def _markdown(at: AppTest) -> str:
    return " ".join([markup(at)] + [c.value for c in at.caption] + [t.value for t in at.title])


def test_page_shows_project_b(fixture_db):
    at = page_test("dossier")
    at.query_params["project"] = B
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = _markdown(at)
    assert "数据截至2026年10月31日" in text
    assert "平城区供热管网改造工程" in text and "李明（市长）" in text and "省定市管" in text
    assert "落后序时进度33.3个百分点" in text
    assert f"dossier?project={B}" in unquote(text)  # the address under the QR code
    for tile in ('总投资</div><div class="value">8.00亿元', '计划投资</div><div class="value">2.00亿元',
                 '年累计完成</div><div class="value">1.00亿元', '开工累计完成</div><div class="value">4.50亿元'):
        assert tile in text
    frames = {tuple(df.value.columns)[:2]: df.value for df in at.dataframe}
    assert frames[("序号", "节点名称")]["状态"].tolist()[3] == "已逾期31天"
    assert frames[("问题编号", "问题类型")]["办理状态"].tolist() == ["督办（逾期61天）"]
    assert frames[("月份", "年累计完成（万元）")]["红黄绿"].tolist() == ["红", "黄", "红"]
    # the open problem, whose it is and how late, right under the project's identity
    assert "逾期61天" in text and "责任单位：" in text and 'href="#dossier-problems"' in html.unescape(text)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 3  # investment, milestones, approval chain


@pytest.mark.parametrize("code", [
    "2025-140213-44-01-000001",  # A: no milestones, a closed problem
    "2026-140213-44-01-000003",  # C: not started, no coordinates
    "2026-140213-44-01-000009",  # D: reserve, no red/yellow/green
    "2026-140213-44-01-000006",  # G: a development zone's project
    "2023-140215-44-01-000004",  # E: from a GBK csv in 亿元, no leader
])
def test_page_runs_for_every_kind_of_project(fixture_db, code):
    at = page_test("dossier")
    at.query_params["project"] = code
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "数据截至" in _markdown(at) and code in _markdown(at)


def test_page_search_and_unknown_code(fixture_db):
    at = page_test("dossier")
    at.query_params["project"] = "2099-000000"
    at.run()
    assert not at.exception
    assert "没有找到项目代码为「2099-000000」的项目" in at.warning[0].value.replace("\\", "")  # shown as text
    at.text_input(key="dossier_search").input("供热").run()
    # each hit is a card that tells near-identical names apart: county, level, 红黄绿, code
    cards = [h.value for h in at.html if "mm-item" in h.value]
    assert cards and f'href="/dossier?project={B}"' in cards[0]
    assert "平城区 · 省定市管 · 红" in cards[0] and B in cards[0]


def test_page_without_project_lists_key_projects(fixture_db):
    at = page_test("dossier").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 4 and table["项目档案"].str.startswith("/dossier?project=").all()


def test_page_escapes_hostile_project(use_hostile_db):
    at = page_test("dossier")
    at.query_params["project"] = HOSTILE_CODE
    at.run()
    assert not at.exception
    html = markup(at)
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
