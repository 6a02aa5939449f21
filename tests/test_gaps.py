"""Figures that say what they lack (ui/gaps.py and its queries).

The warehouse holds every fixture file but 经开区's October one: 经开区 (大同经济技术开发区)
reported G for 2026-09 (plan 30000万元) and nothing for 2026-10. 云州区's October csv holds
two quarantined rows (物流园, 北城区), each with a plan of 0.5亿元 → 1.00亿元 待核实.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

import fixtures
import queries
from apptest import markup, page_test
from etl.read import read_file
from etl.warehouse import load_files, load_reports
from ui import admin, gaps

OCT = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 27)
ZONE = "大同经济技术开发区"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    return {p.name: p for p in fixtures.write_all(tmp_path_factory.mktemp("gap_files"))}


@pytest.fixture(scope="module")
def no_zone_october(tmp_path_factory, files) -> Path:
    db = tmp_path_factory.mktemp("gaps") / "wh" / "cockpit.duckdb"
    assert load_files([p for n, p in files.items() if n != "经开区月报.xlsx"], db=db, today=TODAY).ok
    return db


@pytest.fixture()
def use(no_zone_october, copy_warehouse) -> Path:
    return copy_warehouse(no_zone_october)


@pytest.mark.parametrize(("unit", "expected"), [
    (None, [(ZONE, 1, 30000.0)]),
    ("140271", [(ZONE, 1, 30000.0)]),
    ("140213", []),  # 平城区's figures include none of 经开区's projects
])
def test_missing_senders(no_zone_october, unit, expected):
    df = queries.run("missing_senders", db=no_zone_october, period=OCT, unit=unit)
    assert list(zip(df["sender"], df["projects"], df["plan_wan"])) == expected
    # September: everyone who reported in August did so again (nobody reported August)
    assert queries.run("missing_senders", db=no_zone_october, period=dt.date(2026, 9, 1), unit=unit).height == 0


@pytest.mark.parametrize(("unit", "rows", "plan"), [(None, 2, 10000.0), ("140215", 2, 10000.0), ("140213", 0, 0.0)])
def test_quarantine_summary_counts_rows_and_their_plan(no_zone_october, unit, rows, plan):
    got = queries.run("quarantine_summary", db=no_zone_october, period=OCT, unit=unit).row(0, named=True)
    assert (got["rows_held"], got["plan_wan"]) == (rows, plan)


def test_unreported_projects_with_last_months_figures(no_zone_october):
    df = queries.run("progress_unreported", db=no_zone_october, period=OCT, unit=None)
    assert df.select("project_code", "sender", "annual_plan_wan", "completed_ytd_wan", "sender_reported").rows() == [
        (fixtures.CODES["G"], ZONE, 30000.0, 9000.0, False)]
    table = gaps.unreported_table(df)
    assert table.row(0, named=True)["未报原因"] == "报送单位本月未报"
    assert table.row(0, named=True)["年度计划（亿元）"] == 3.0


def test_notice_texts():
    missing = pl.DataFrame({"sender": ["市住房和城乡建设局"], "projects": [5], "plan_wan": [199300.0]})
    assert gaps.missing_lines(missing, OCT) == ["10月缺市住房和城乡建设局报表：上月5个项目，年度计划19.93亿元"]
    assert gaps.missing_text(missing.clear(), OCT) is None
    assert gaps.comparable_suffix(missing) == "（不可比：缺报）" and gaps.comparable_suffix(missing.clear()) == ""
    assert gaps.held_text({"rows_held": 0, "plan_wan": 0}, OCT) is None


def _shown(elements) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", e.value) for e in elements)


def test_the_overview_names_the_missing_sender_and_the_rows_held(use):
    at = page_test("overview").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "10月缺大同经济技术开发区报表：上月1个项目，年度计划3.00亿元" in _shown(at.warning)
    assert "不是同口径" in _shown(at.warning)
    assert "2026年10月有2行报表数据待核实（未通过检查，未计入上面的数字），涉及年度计划1.00亿元" in _shown(at.info)
    assert "（不可比：缺报）" in markup(at)


def test_the_overview_of_a_county_without_missing_senders_says_nothing(use):
    at = page_test("overview")
    at.query_params["unit"] = "140213"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "缺大同经济技术开发区" not in _shown(at.warning)
    assert "不可比" not in markup(at)


@pytest.mark.parametrize("page", ["league", "leaders", "map", "mobile", "problems", "approvals", "briefing"])
def test_every_page_with_project_figures_names_the_missing_sender(use, page):
    """Not only the overview and progress: every view whose figures include 经开区's projects
    says that its October report is missing."""
    at = page_test(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "10月缺大同经济技术开发区报表：上月1个项目，年度计划3.00亿元" in _shown(at.warning)


def test_the_progress_page_lists_projects_not_reported_this_month(use):
    at = page_test("progress").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "10月缺大同经济技术开发区报表" in _shown(at.warning)
    assert any(s.value == "本月未报的项目（1个）" for s in at.subheader)
    table = next(d.value for d in at.dataframe if "未报原因" in d.value.columns)
    assert table["项目代码"].tolist() == [fixtures.CODES["G"]]


def test_lateness_counts_from_the_filled_date_when_the_file_has_one(tmp_path, files):
    """Both files are loaded today (after the 11-05 deadline); 平城区's says it was filled on 11-03."""
    db = tmp_path / "wh" / "cockpit.duckdb"
    pc = read_file(files["2026-10_平城区.xlsx"], today=TODAY)
    pc.filled_date = dt.date(2026, 11, 3)
    yz = read_file(files["云州区_2026年10月.csv"], today=TODAY)
    assert load_reports([pc, yz], db=db).state is not None
    today = dt.date.today()
    df = queries.run("admin_freshness", db=db, period=OCT, deadline=dt.date(2026, 11, 5), today=today, months=3)
    got = {r["sender"]: (r["state"], r["filled_date"]) for r in df.iter_rows(named=True)}
    assert got["平城区"] == ("on_time", dt.date(2026, 11, 3))
    assert got["云州区"][0] == ("late" if today > dt.date(2026, 11, 5) else "on_time") and got["云州区"][1] is None
    table = admin.freshness_frame(df)
    assert table.filter(pl.col("报送单位") == "平城区")["填报日期"].to_list() == ["2026-11-03"]


def _kinds(node):
    """The main area's elements in the order a page draws them: title, data date, notice."""
    from streamlit.testing.v1.element_tree import Info, Markdown, Title, Warning

    if isinstance(node, Title):
        yield "title"
    elif isinstance(node, Markdown) and "class='cockpit-date'" in node.value:
        yield "date"
    elif isinstance(node, (Warning, Info)):
        yield "notice"
    for child in getattr(node, "children", {}).values():
        yield from _kinds(child)


@pytest.mark.parametrize("page", ["overview", "progress", "league", "leaders", "map", "mobile", "problems", "approvals",
                                  "briefing"])
def test_every_page_puts_its_title_and_data_date_before_its_notices(use, page):
    """周报 on a phone showed the missing-sender notice above its title: on every page the title
    comes first, then the data date, then the notices (the order the page draws them is the
    order on a phone, where columns stack)."""
    at = page_test(page).run()
    assert not at.exception, [e.value for e in at.exception]
    kinds = list(_kinds(at.main))
    assert "notice" in kinds and kinds.index("title") < kinds.index("date") < kinds.index("notice"), kinds
