"""The Word documents (季度分析, 排队通报, 项目专报) on the fixture warehouse: sections, tables,
pictures, styles, and every number in the text against the query it came from."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import polars as pl
import pytest

import queries
from ui import league as lg
from ui.format import yi
from ui.report import Report, parse_quarter, to_document
from ui.report import notice, quarterly, special, word

SEP, OCT = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 27)
# a 1×1 PNG stands in for the charts where only the layout is tested (kaleido is tested once, below)
def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


PNG = _png()
CODES = {"A": "2025-140213-44-01-000001", "B": "2024-140213-44-01-000002", "G": "2026-140213-44-01-000006"}


def opened(rep: Report) -> docx.Document:
    """The report written to .docx bytes and opened again, as Word would."""
    images = {p.name: PNG for p in rep.pictures}
    return docx.Document(io.BytesIO(word.to_bytes(to_document(rep, images))))


def body_paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.text.strip()]


def check_facts(rep: Report, text: str) -> None:
    """Every figure a sentence shows is written in that sentence, and the sentence is in the document."""
    for s in rep.sentences:
        assert s.text in text
        for f in s.facts:
            assert f.shown in s.text, (f.label, f.shown, s.text)


@pytest.mark.parametrize("text, answer", [("2026Q3", (2026, 3)), ("2025q1", (2025, 1)), (" 2026Q4 ", (2026, 4))])
def test_quarter(text, answer):
    assert parse_quarter(text) == answer


@pytest.mark.parametrize("text", ["2026Q5", "2026-09", "Q3"])
def test_bad_quarter(text):
    with pytest.raises(ValueError, match="2026Q3"):
        parse_quarter(text)


# ---------------------------------------------------------------- 季度分析

@pytest.fixture(scope="module")
def q3(fixture_db):
    return quarterly.load(2026, 3, today=TODAY)


def test_quarterly_sections_and_look(q3):
    rep = quarterly.build(q3)
    assert rep.title == "大同市2026年第三季度项目建设情况分析"
    top = [b.text for b in rep.blocks if getattr(b, "level", None) == 1]
    assert top == ["一、总体情况", "二、分县区、开发区情况", "三、重点工程", "四、存在的问题", "五、下步工作建议"]
    doc = opened(rep)
    text = word.text_of(doc)
    # the title page: title, data date, sender
    first = [p.text for p in body_paragraphs(doc)[:5]]
    assert first[:2] == ["大同市2026年第三季度项目建设情况分析", "数据截至2026年9月30日"]
    assert body_paragraphs(doc)[0].style.name == "Title"
    assert [p.text for p in body_paragraphs(doc)[3:5]] == ["大同市发展和改革委员会（市项目推进中心）", "2026年11月27日"]
    # real styles: headings are 标题 1 / 标题 2, the drafted text is 正文 (Normal)
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["一、总体情况"] == "Heading 1" and styles["（二）动态调整"] == "Heading 2"
    assert all(styles[s.text] == "Normal" for s in rep.sentences)
    # tables are Word tables, charts pictures
    assert len(doc.tables) == len(rep.tables) >= 3
    assert len(doc.inline_shapes) == len(rep.pictures) == 2
    assert doc.tables[1].rows[0].cells[1].text == "县区/开发区"
    # the government look: A4, 仿宋 body, 黑体 headings, page numbers
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "黑体"
    assert "PAGE" in sec.footer.paragraphs[0]._p.xml
    # fonts named outright: the template's theme (a Japanese East Asian font) must not win over them
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Subtitle", "Caption"):
        assert "eastAsiaTheme" not in doc.styles[name].element.xml, name
    assert 'w:eastAsia="zh-CN"' in doc.styles.element.xml.split("</w:docDefaults>")[0]
    check_facts(rep, text)


def test_quarterly_numbers_are_the_warehouse(q3):
    """Known answers of the fixture at 2026-09 (tests/fixtures.py) and the queries behind them."""
    rep = quarterly.build(q3)
    text = word.text_of(opened(rep))
    k = queries.run("overview_kpis", period=SEP, unit=None, library=None).row(0, named=True)
    assert (k["ytd_wan"], k["plan_wan"]) == (25500, 60000)  # A 7000 + B 9500 + G 9000 of 10000 + 20000 + 30000
    assert "1-9月，全市年度建设项目累计完成投资2.55亿元，占年度计划投资6.00亿元的42.5%，低于序时进度（75.0%）32.5个百分点" in text
    # the forecast: no complete earlier year, so linear: 25500 × 12 ÷ 9 = 34000; (60000 − 25500) ÷ 3 = 11500
    assert "按序时推算测算，全市预计全年完成投资3.40亿元，为年度计划的56.7%；完成年度计划，剩余3个月需月均完成1.15亿元。" in text
    # every fact taken from overview_kpis is the query's value
    for s in rep.sentences:
        for f in s.facts:
            m = re.fullmatch(r"overview_kpis\.(\w+)", f.source)
            if m:
                assert f.value == pytest.approx(k[m.group(1)]), f
    # facts from the county table and the problem list are those queries' values
    units = queries.run("by_unit", period=SEP, library=None)
    by_name = {r["unit_name"]: r for r in units.iter_rows(named=True)}
    problems = queries.run("briefing_problems", period=SEP)
    checked = 0
    for s in rep.sentences:
        for f in s.facts:
            if f.source == "by_unit.completion_rate":
                assert f.value == pytest.approx(by_name[f.label.removesuffix("完成率")]["completion_rate"])
                checked += 1
            elif f.source == "by_unit.gap_pts" and f.label.endswith("本季度末与序时进度之差"):
                assert f.value == pytest.approx(by_name[f.label.removesuffix("本季度末与序时进度之差")]["gap_pts"])
            elif f.source == "briefing_problems（条数）":
                assert f.value == problems.height
                checked += 1
            elif f.source == "briefing_problems.is_overdue":
                assert f.value == problems.filter(pl.col("is_overdue")).height
                checked += 1
    assert checked >= 5
    # counties: 平城区 55.0% (16500 of 30000) first, 经开区 30.0% last; no quarter before to compare
    assert "完成率最高的是平城区（55.0%），最低的是大同经济技术开发区（30.0%）" in text
    assert "2026年6月无可比数据，本季度不比较名次变化。" in text
    ranking = [[c.text for c in r.cells] for r in opened(rep).tables[1].rows]
    assert ranking[1][:5] == ["1", "平城区", "3.00", "1.65", "55.0%"]
    # key projects at 2026-09: A yellow (overdue WT-3), B yellow (27.5 behind), G red (45.0 behind)
    assert "重点工程3个，其中红色1个、黄色2个、绿色0个" in text
    assert "3个重点工程由2位领导包联，均已明确包联领导；包联项目中有红色项目的领导1位（王建国）。" in text
    assert "建议取消重点工程资格的0个，建议推荐申报省级重点工程的市级重点工程0个" in text
    assert "连续3个月落后序时进度超过30个百分点" in text  # the rules with their thresholds
    # problems at 2026-09: WT-1 and WT-3 overdue, WT-4 open
    assert "问题清单中未办结问题3个，其中超过完成时限2个" in text
    assert "（四）动态调整重点工程" in text and "（一）加快投资进度" in text


def test_quarterly_extra_problem_sources(q3, monkeypatch):
    """四、存在的问题 takes approval/factor sentences when their query exists, and says nothing otherwise."""
    from ui.summary import Sentence

    before = quarterly.build(q3)
    assert not [s for s in before.sentences if s.topic == "审批"]
    d = quarterly.QuarterData(**{**q3.__dict__, "extra": [Sentence("审批", "审批事项超时限2项。", ())]})
    text = [s.text for s in quarterly.build(d).sentences]
    assert "三是审批事项超时限2项。" in text and any(t.startswith("四是数据报送质量有待提高") for t in text)


def test_counts_in_the_text_have_thousands_separators():
    """A count is written as the tables write it: 「89,799项」, like 「1,049亩」 (and 「7项」)."""
    frames = {"approvals_totals": pl.DataFrame({"items": [89799]}),
              "approvals_departments": pl.DataFrame({"department": ["市行政审批服务管理局", None],
                                                     "overdue": [1204, 7], "overdue_waiting": [1011, 0]}),
              "approvals_low_risk": pl.DataFrame({"complete": [True] * 3 + [False], "within": [True, True, False, False]})}
    s = quarterly.approvals_sentence(frames, OCT)
    assert s.text.startswith("审批办理仍有堵点。截至2026年10月末，全市报送审批事项89,799项，超过办理时限1,211项"
                             "（其中仍在办理1,011项），涉及2个审批部门：市行政审批服务管理局（1,204项）、未明确审批部门（7项）；"
                             "低风险小型项目全流程办结3个，其中2个"), s.text
    for f in s.facts:
        assert f.shown in s.text


def test_forecast_sentence_with_history():
    from ui import forecast as fc

    h = pl.DataFrame({"year": [2024, 2024, 2025, 2025, 2026], "month": [10, 12, 10, 12, 10],
                      "plan_wan": [1e6, 1e6, 1.1e6, 1.1e6, 1e6], "ytd_wan": [8e5, 1e6, 9e5, 1.2e6, 7.75e5]})
    s = quarterly.forecast_sentence(fc.forecast(h, 2026, 10))
    assert s.text == ("按季节比例法测算，全市预计全年完成投资100.00亿元（预计区间93.75～106.25亿元，按同一方法回测2025年的误差为6.2%），"
                      "为年度计划的100.0%；完成年度计划，剩余2个月需月均完成11.25亿元。")
    k = {"completion_rate": 0.775}
    assert quarterly.schedule_sentence(fc.forecast(h, 2026, 10), k).text == (
        "以往年份到10月底平均完成全年投资的77.5%（季节序时进度），本年完成率77.5%，与之持平（红黄绿判定仍按线性序时进度83.3%）。")


# ---------------------------------------------------------------- 排队通报

@pytest.fixture(scope="module")
def oct_notice(fixture_db):
    return notice.load(OCT)


def test_notice(oct_notice):
    d = oct_notice
    rep = notice.build(d)
    doc = opened(rep)
    text = word.text_of(doc)
    assert doc.paragraphs[0].text == "2026年10月全市项目建设\n“比亮晒”排队通报" and doc.paragraphs[0].style.name == "Title"
    assert doc.core_properties.title == "2026年10月全市项目建设“比亮晒”排队通报"
    assert "数据截至2026年10月31日" in text
    # the same ranking as the 比亮晒 page computes
    cfg = lg.load_config()
    units = lg.league(queries.run("league_units", period=OCT), queries.run("league_units", period=SEP), cfg, "units")
    ranked = units.filter(pl.col("ranked"))
    table = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert [r[1] for r in table[1:]] == ranked["unit_name"].to_list()
    assert [r[2] for r in table[1:]] == [f"{s:.1f}" for s in ranked["composite"]]
    # one sentence per ranked unit, from its weakest metric
    per_unit = [s for s in rep.sentences if s.topic == "单位"]
    assert len(per_unit) == ranked.height
    for s, r in zip(per_unit, ranked.iter_rows(named=True)):
        assert s.text.startswith(f"{r['unit_name']}：综合得分{r['composite']:.1f}分，排第{r['rank']}名")
        m = notice.weakest(r, cfg, "units")
        assert (m is None) or (cfg.labels[m] in s.text and f"单项得分{r[f'score_{m}']:.1f}分" in s.text)
    # 红榜/末位 and rank changes
    top = lg.badge_names(units, lg.TOP_BADGE)
    assert f"列入红榜的是{'、'.join(top)}" in text
    assert "与上月相比，名次上升的有1个：大同经济技术开发区（↑1）；名次下降的有1个：平城区（↓1）。" in text
    # weights as configured
    assert "招商引资签约开工率" in text and "每个超期问题扣10分，扣完为止" in text
    check_facts(rep, text)


@pytest.mark.parametrize("scores, weakest", [
    ({"completion": 60.0, "growth": 40.0}, "growth"),
    ({"completion": 40.0, "growth": 40.0}, "completion"),  # a tie goes to the heavier weight
    ({"completion": 100.0, "growth": 100.0}, None),  # nothing to improve
    ({"completion": None, "growth": 100.0}, None),  # not scored is not a weakness
])
def test_weakest_metric(scores, weakest):
    cfg = lg.LeagueConfig(labels={}, targets={}, deduct_per_problem=10,
                          weights={"units": {"completion": 30, "growth": 15}}, top=3, bottom=3)
    assert notice.weakest({f"score_{m}": v for m, v in scores.items()}, cfg, "units") == weakest


def test_notice_per_unit(oct_notice):
    codes = notice.ranked_units(oct_notice)
    assert len(codes) == 3
    rep = notice.build_unit(oct_notice, "140213")
    doc = opened(rep)
    assert doc.paragraphs[0].text.endswith("（平城区）")
    own = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert [r[0] for r in own[1:]] == list(oct_notice.cfg.labels[m] for m in oct_notice.cfg.weights["units"])
    row = oct_notice.units.filter(pl.col("unit_code") == "140213").row(0, named=True)
    assert own[1][3] == f"{row['score_completion']:.1f}"
    check_facts(rep, word.text_of(doc))


# ---------------------------------------------------------------- 项目专报

def test_special_by_leader(fixture_db):
    d = special.load(OCT, leader="王建国")
    assert [f.project["project_code"] for f in d.projects] == [CODES["A"], CODES["G"]]  # most behind first
    rep = special.build(d)
    doc = opened(rep)
    text = word.text_of(doc)
    assert doc.paragraphs[0].text == "重点工程项目专报（王建国包联）"
    # one page per project: a page break between the two
    assert sum("w:br w:type=\"page\"" in p._p.xml for p in doc.paragraphs) == 1
    assert "项目总投资3.00亿元，2026年计划投资10,000万元，1-10月累计完成8,000万元，完成率80.0%，落后序时进度3.3个百分点" in text
    assert "（四）存在问题。未销号问题1个。" in text  # WT-4 (WT-3 was cleared in October)
    check_facts(rep, text)


def test_special_by_code_and_default(fixture_db):
    d = special.load(OCT, projects=[CODES["B"]])
    rep = special.build(d)
    text = word.text_of(opened(rep))
    p = queries.run("dossier_project", code=CODES["B"]).row(0, named=True)
    assert f"{yi(p['total_investment_wan'])}" in text
    assert "共6个节点，已完成3个，已逾期1个（逾期最久的是「二期管网铺设完成」，计划2026年9月30日完成，已逾期31天）" in text
    assert "未销号问题1个，其中超过完成时限1个。" in text  # WT-1 (督办, 61 days past its deadline)
    check_facts(rep, text)
    # without codes or a leader: the month's red key projects, most behind first (B 33.3, F 33.3)
    red = special.load(OCT)
    assert {f.project["name"] for f in red.projects} == {"平城区供热管网改造工程", "云州区黄花产业园"}


# ---------------------------------------------------------------- the command line (charts drawn by kaleido)

def test_cli(fixture_db, tmp_path, monkeypatch):
    from ui.report.__main__ import main

    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    assert main(["quarterly", "--quarter", "2026Q3", "--out", str(tmp_path)]) == 0
    doc = docx.Document(tmp_path / "季度分析_2026Q3.docx")
    pics = [s for s in doc.inline_shapes]
    assert len(pics) == 2
    blobs = [doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in pics]
    assert all(b[:8] == b"\x89PNG\r\n\x1a\n" and len(b) > 20_000 for b in blobs)  # real charts, not placeholders
    assert main(["notice", "--period", "2026-10", "--out", str(tmp_path), "--units"]) == 0
    assert sorted(p.name for p in tmp_path.glob("排队通报_*.docx")) == [
        "排队通报_2026-10.docx", "排队通报_2026-10_云州区.docx", "排队通报_2026-10_大同经济技术开发区.docx",
        "排队通报_2026-10_平城区.docx"]
    assert main(["special", "--period", "2026-10", "--leader", "王建国", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "项目专报_2026-10_王建国.docx").is_file()
    assert main(["special", "--period", "2026-10", "--leader", "没有这个人", "--out", str(tmp_path)]) == 2
    assert main(["quarterly", "--quarter", "2026Q1", "--out", str(tmp_path)]) == 2  # no data for 2026-03


def test_command_line_upgrades_a_warehouse_of_an_earlier_version(tmp_path, fixture_files, monkeypatch, capsys):
    """`python -m ui.report` on a warehouse an earlier version built (without a mart this version's
    queries read) upgrades it first, as the server does, instead of failing on the missing table."""
    import duckdb

    from etl.warehouse import current_state, load_files
    from ui.report.__main__ import main

    db = tmp_path / "wh" / "cockpit.duckdb"
    assert load_files(fixture_files, db=db).ok
    con = duckdb.connect(str(current_state(db)))
    con.execute("drop table mart_progress_month")
    con.close()
    monkeypatch.setenv("COCKPIT_DB", str(db))
    assert main(["quarterly", "--quarter", "2026Q3", "--out", str(tmp_path / "out")]) == 0
    assert "已生成1个Word文档" in capsys.readouterr().out
    assert list((tmp_path / "out").glob("*.docx"))
