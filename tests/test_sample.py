"""示例数据生成器 etl/sample/：确定性、文件结构、合计、坐标、表头写法、标定，以及经 ETL 读回与 truth 一致；
企业不满意的问题次月重新办理（只有约2%的问题未办结就消失），统计口径疑点照常入库且能被查出。"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
import tomllib
from pathlib import Path

import fastexcel
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from etl import boundary, divisions, sample, vocab  # noqa: E402
from etl.problem_rules import SATISFIED  # noqa: E402

TINY = dict(seed=2021, scale=0.05, start="2026-08", end="2026-10")
PERIODS = ["2026-08", "2026-09", "2026-10"]
KIND_LETTER = {"progress": "P", "reserve": "R", "problems": "Q", "milestones": "M", "approvals": "A", "factors": "F"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_a")
    calls = []
    manifest = sample.generate(out, progress=lambda done, total: calls.append((done, total)), **TINY)
    return out, manifest, calls


@pytest.fixture(scope="module")
def tiny_again(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_b")
    return out, sample.generate(out, workers=2, **TINY)  # 另一次运行，且走多进程路径


@pytest.fixture(scope="module")
def reports(tiny):
    """真正的 ETL（etl.read.read_file）读每个文件：路径 → FileReport。"""
    read = pytest.importorskip("etl.read")
    out, manifest, _ = tiny
    return {f["path"]: read.read_file(out / f["path"], today=dt.date(2026, 11, 27)) for f in manifest["files"]}


@pytest.fixture(scope="module")
def tiny_db(reports, tmp_path_factory):
    """读回的报表装入一个临时数据仓库（不碰 data/）。"""
    from etl.warehouse import load_reports

    db = tmp_path_factory.mktemp("sample_wh") / "cockpit.duckdb"
    result = load_reports(list(reports.values()), db)
    assert result.ok
    return db


@pytest.fixture(scope="module")
def prog1():
    """scale=1 的完整盘子（只构造，不写文件）。"""
    return sample.build_programme(seed=2021, scale=1.0)


@pytest.fixture(scope="module")
def grids(tiny):
    """每个文件每张表：工作表名 → 单元格文字二维表（xlsx 取公式的计算结果，csv 按 GBK 读）。"""
    out, manifest, _ = tiny
    result = {}
    for f in manifest["files"]:
        path = out / f["path"]
        if f["format"] == "csv":
            text = path.read_bytes().decode("gbk")
            rows = [[c if c != "" else None for c in r] for r in csv.reader(io.StringIO(text))]
            result[f["path"]] = {f["sheets"][0]["name"]: rows}
        else:
            reader = fastexcel.read_excel(path.read_bytes())
            result[f["path"]] = {
                name: [[None if v is None or v == "" else v for v in r]
                       for r in reader.load_sheet(name, header_row=None, dtypes="string").to_polars().iter_rows()]
                for name in reader.sheet_names}
    return result


def _norm(text) -> str:
    s = re.sub(r"[\s\u3000]+", "", str(text)).replace("（", "(").replace("）", ")")
    return re.sub(r"\((万元|亿元)\)", "", s)


def _header(rows):
    """（表头起始行号, 表头行数, 各列表头名「上|下」）——与 docs/data-contract.md 的约定一致。"""
    h = next(i for i, r in enumerate(rows) if r and r[0] in ("序号", "项目代码", "项目编码"))
    top = rows[h]
    sub = rows[h + 1] if h + 1 < len(rows) else []
    two = bool(sub) and sub[0] is None and any(sub)  # 第二行表头：首列（序号/项目代码）纵向合并为空
    names, last = [], None
    for j, t in enumerate(top):
        s = sub[j] if two and j < len(sub) else None
        if t:
            last = t
        elif s:
            t = last
        names.append(f"{_norm(t)}|{_norm(s)}" if (t and s) else _norm(t or ""))
    return h, 2 if two else 1, names


def _aliases():
    raw = tomllib.loads((ROOT / "etl" / "aliases.toml").read_text(encoding="utf-8"))
    out = {k: {} for k in "PRQMAF"}
    for col, spec in raw.items():
        for kind in spec["kind"]:
            for a in [spec["label"], *spec["aliases"]]:
                out[kind].setdefault(_norm(a), col)
    return out


def _columns(names, letter):
    """表头名 → 规范列名：列序号。"""
    aliases = _aliases()[letter]
    col = {}
    for j, nm in enumerate(names):
        c = aliases.get(nm) or (aliases.get(nm.split("|", 1)[1]) if "|" in nm else None)
        if c:
            col.setdefault(c, j)
    return col


def _num(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def _data_rows(rows, h, n):
    """数据行：序号（或节点序号所在行的项目代码）有值、不是分段/小计/合计/落款的行。"""
    out = []
    for i in range(h + n, len(rows)):
        r = rows[i]
        if not r or r[0] is None:
            continue
        first = str(r[0])
        if first.startswith(("填报", "联系", "审核")) or first in ("小计", "合计") or first[0] in "一二三四五":
            continue
        out.append((i + 1, r))
    return out


# ---------------------------------------------------------------- 确定性

def test_deterministic(tiny, tiny_again):
    (out_a, man_a, _), (out_b, man_b) = tiny, tiny_again
    assert json.dumps(man_a, ensure_ascii=False) == json.dumps(man_b, ensure_ascii=False)
    assert json.loads((out_a / "manifest.json").read_text(encoding="utf-8")) == man_a
    for f in man_a["files"]:
        assert (out_a / f["path"]).read_bytes() == (out_b / f["path"]).read_bytes(), f["path"]


def test_progress_callback(tiny):
    _, manifest, calls = tiny
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# ---------------------------------------------------------------- 文件和工作表

def test_files_and_sheets(tiny, grids):
    out, manifest, _ = tiny
    assert manifest["months"] == PERIODS
    senders = [s["name"] for s in manifest["senders"]]
    assert len(senders) == 18
    for period in PERIODS:
        y, m = map(int, period.split("-"))
        expected = set(senders) - ({"市住房和城乡建设局"} if period == PERIODS[-1] else set())
        got = {f["sender"] for f in manifest["files"] if f["period"] == period}
        assert got == expected, period
        for s in got:
            assert (out / period / f"{y}年{m}月_{s}_项目进展情况表.xlsx").exists()
        assert (out / period / f"{y}年{m}月_天镇县_项目进展情况表.csv").exists()
    assert manifest["truth"][PERIODS[-1]]["senders_missing"] == ["市住房和城乡建设局"]
    for f in manifest["files"]:
        kinds = [s["kind"] for s in f["sheets"]]
        assert [s["name"] for s in f["sheets"]] == list(grids[f["path"]]), f["path"]
        if f["format"] == "csv":
            assert kinds == ["progress"] and f["sender"] == "天镇县"
            raw = (out / f["path"]).read_bytes()
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
        elif f["sender"] == "天镇县":
            assert kinds[:2] == ["reserve", "problems"]
        else:
            assert kinds[:3] == ["progress", "reserve", "problems"]
        tail = [k for k in kinds if k not in ("progress", "reserve", "problems")]
        assert tail == sorted(tail, key=["milestones", "approvals", "factors"].index)  # in this order, after
    for kind in ("milestones", "approvals", "factors"):
        assert any(kind in [s["kind"] for s in f["sheets"]] for f in manifest["files"]), kind


def test_titles_units_and_footnotes(tiny, grids):
    _, manifest, _ = tiny
    style = {s["name"]: s["style"] for s in manifest["senders"]}
    for f in manifest["files"]:
        y, m = map(int, f["period"].split("-"))
        for name, rows in grids[f["path"]].items():
            title = rows[0][0]
            assert f"{y}年{m}月" in title, (f["path"], name, title)
            footers = [c for r in rows for c in r if isinstance(c, str) and c.startswith("填报单位：")]
            assert footers, (f["path"], name)
            assert divisions.unit_for_sender(footers[0].split("：", 1)[1]) in (
                divisions.COUNTY_CODE.get(f["sender"]), divisions.ZONE_CODE.get(f["sender"]), "140200")
            kind = next(s["kind"] for s in f["sheets"] if s["name"] == name)
            if kind in ("progress", "reserve") and style[f["sender"]]["unit_line"]:
                assert rows[1][0] == f"单位：{style[f['sender']]['unit']}"
    assert any(s["style"]["unit"] == "亿元" for s in manifest["senders"])


def test_headers_are_known_aliases(tiny, grids):
    """每一列表头都能按 aliases.toml 映射到正确的列（或是序号）。"""
    _, manifest, _ = tiny
    aliases = _aliases()
    seen_styles = set()
    for f in manifest["files"]:
        for sheet in f["sheets"]:
            rows = grids[f["path"]][sheet["name"]]
            h, n, names = _header(rows)
            letter = KIND_LETTER[sheet["kind"]]
            cols = []
            for nm in names:
                if nm in ("", "序号"):
                    continue
                col = aliases[letter].get(nm)
                if col is None and "|" in nm:
                    col = aliases[letter].get(nm.split("|", 1)[1])
                assert col is not None, (f["path"], sheet["name"], nm)
                cols.append(col)
            assert len(cols) == len(set(cols)), (f["path"], sheet["name"], cols)
            required = {"progress": {"project_code", "name", "county", "annual_plan_wan", "completed_ytd_wan"},
                        "reserve": {"project_code", "name", "county", "total_investment_wan"},
                        "problems": {"project_code", "description"},
                        "milestones": {"project_code", "node_name", "node_planned"},
                        "approvals": {"project_code", "approval_item"},
                        "factors": {"project_code", "factor_kind", "needed"}}[sheet["kind"]]
            assert required <= set(cols)
            seen_styles.add((n, names[1] if len(names) > 1 else ""))
    assert {1, 2} <= {n for n, _ in seen_styles}  # 单行表头和两行合并表头都有
    assert any(code == "统一项目代码" for _, code in seen_styles)


def test_totals_equal_sum_of_rows(tiny, grids):
    _, manifest, _ = tiny
    checked = 0
    for f in manifest["files"]:
        for sheet in f["sheets"]:
            if sheet["kind"] not in ("progress", "reserve"):
                continue
            rows = grids[f["path"]][sheet["name"]]
            h, n, names = _header(rows)
            data = _data_rows(rows, h, n)
            assert len(data) == sheet["rows"], (f["path"], sheet["name"])
            total = next(r for r in rows if r and r[0] == "合计")
            col = _columns(names, KIND_LETTER[sheet["kind"]])
            money = [col[c] for c in sample.MONEY_FIELDS if c in col]
            assert len(money) == (5 if sheet["kind"] == "progress" else 1)
            for j in money:
                s = sum(v for _, r in data if (v := _num(r[j])) is not None)
                assert _num(total[j]) == pytest.approx(s, abs=0.02), (f["path"], sheet["name"], names[j])
            checked += 1
    assert checked > 30


# ---------------------------------------------------------------- 内容

def test_valid_rows_inside_their_county(tiny, grids):
    _, manifest, _ = tiny
    bad_rows = {(x["file"], x["row"]) for x in manifest["faults"]}
    n = 0
    for f in manifest["files"]:
        sheet = next((s for s in f["sheets"] if s["kind"] == "progress"), None)
        if sheet is None:
            continue
        rows = grids[f["path"]][sheet["name"]]
        h, nh, names = _header(rows)
        col = _columns(names, "P")
        for row_no, r in _data_rows(rows, h, nh):
            if (f["path"], row_no) in bad_rows:
                continue
            county = divisions.normalise_county(r[col["county"]])
            assert county is not None, r[col["county"]]
            lon, lat = _num(r[col["lon"]]), _num(r[col["lat"]])
            assert boundary.county_at(lon, lat) == county, (f["path"], row_no, lon, lat)
            assert round(lon, 6) == lon and round(lat, 6) == lat
            assert re.fullmatch(r"\d{4}-\d{6}-\d{2}-0[1-4]-\d{6}", r[col["project_code"]])
            n += 1
    assert n == sum(t["progress_rows"] for t in manifest["truth"].values())


def test_faults_are_listed_and_visible(tiny, grids):
    _, manifest, _ = tiny
    kinds = {x["kind"] for x in manifest["faults"]}
    assert kinds == set(sample.FAULT_KINDS)
    for x in manifest["faults"]:
        rows = grids[x["file"]][x["sheet"]]
        r = rows[x["row"] - 1]
        if x["kind"] == "missing_code":
            assert x["project_code"] not in r
        elif x["kind"] == "unknown_county":
            assert "大同市北城区" in r
        elif x["kind"] == "non_numeric_amount":
            assert any(isinstance(v, str) and v.startswith("约") for v in r)
        elif x["kind"] in ("exact_duplicate",):
            assert rows[x["row"] - 2] == r
        else:
            assert x["project_code"] in r


def test_problems_and_milestones(tiny, grids):
    _, manifest, _ = tiny
    states = set()
    for f in manifest["files"]:
        for sheet in f["sheets"]:
            rows = grids[f["path"]][sheet["name"]]
            h, n, names = _header(rows)
            if sheet["kind"] == "problems":
                for _, r in _data_rows(rows, h, n):
                    pid = r[1]
                    assert re.fullmatch(r"WT-\d{6}-\d{4}-\d{4}", pid)
                    states.add(vocab.PROBLEM_STATE_WORDS[r[_columns(names, "Q")["state"]]])
            if sheet["kind"] == "milestones":
                by_project = {}
                for r in rows[h + n:]:
                    if r[0] and re.fullmatch(r"\d{4}-\d{6}-\d{2}-\d{2}-\d{6}", str(r[0])):
                        by_project.setdefault(r[0], []).append(r)
                assert by_project
                assert all(5 <= len(v) <= 8 for v in by_project.values())
    assert states


def test_truth_counts(tiny):
    _, manifest, _ = tiny
    for period, t in manifest["truth"].items():
        assert t["progress_rows"] > 20
        assert t["reserve_rows"] > 20
        assert sum(t["key_projects"].values()) >= 3
        assert set(t["problems"]) == set(vocab.PROBLEM_STATE)
        assert t["annual_plan_wan"] > t["completed_ytd_wan"] > 0
    s = manifest["summary"]["years"]["2026"]
    assert 20 <= s["new_start"] <= 45 and 12 <= s["continuing"] <= 35  # scale 0.05
    for v in manifest["summary"]["months"].values():
        assert 40 <= v["reserve_projects"] <= 90


def test_etl_reads_the_truth(tiny, reports):
    """真正的 ETL 读这些文件：有效行的合计与 truth 一致，隔离的行正是 faults 中列出的行。"""
    out, manifest, _ = tiny
    got = {p: {"rows": 0, "plan": 0.0, "ytd": 0.0, "month": 0.0, "reserve": 0, "problems": 0} for p in PERIODS}
    quarantined = set()
    for f in manifest["files"]:
        rep = reports[f["path"]]
        assert rep.sender == f["sender"]
        assert rep.period.strftime("%Y-%m") == f["period"]
        for s in rep.sheets:
            assert not s.unrecognised, (f["path"], s.sheet, s.unrecognised)
            g = got[f["period"]]
            if s.kind == "progress":
                g["rows"] += s.accepted.height
                g["plan"] += float(s.accepted["annual_plan_wan"].sum())
                g["ytd"] += float(s.accepted["completed_ytd_wan"].sum())
                g["month"] += float(s.accepted["completed_month_wan"].fill_null(0).sum())
            elif s.kind == "reserve":
                g["reserve"] += s.accepted.height
            elif s.kind == "problems":
                g["problems"] += s.accepted.height
            quarantined |= {(f["path"], r) for r in s.quarantine["source_row"].to_list()}
    for p in PERIODS:
        t = manifest["truth"][p]
        assert got[p]["rows"] == t["progress_rows"]
        assert got[p]["plan"] == pytest.approx(t["annual_plan_wan"], abs=0.05)
        assert got[p]["ytd"] == pytest.approx(t["completed_ytd_wan"], abs=0.05)
        assert got[p]["month"] == pytest.approx(t["completed_month_wan"], abs=0.05)
        assert got[p]["reserve"] == t["reserve_rows"]
        assert got[p]["problems"] == t["problem_rows"]
    assert quarantined == {(x["file"], x["row"]) for x in manifest["faults"]}


# ---------------------------------------------------------------- 标定（scale=1，只构造盘子，不写文件）

def test_calibration_scale_1(prog1):
    prog = prog1
    s = sample.programme_summary(prog)
    targets = {"2024": 670, "2025": 730, "2026": 795}
    for y, v in s["years"].items():
        assert v["annual_plan_yi"] == pytest.approx(targets[y], rel=0.02)
        assert 900 <= v["annual_projects"] <= 1150
        assert 520 <= v["new_start"] <= 650
        assert 350 <= v["continuing"] <= 520
        assert 12 <= v["key_projects"]["province_managed"] <= 18
        assert 30 <= v["key_projects"]["province_city_managed"] <= 40
        assert 140 <= v["key_projects"]["municipal"] <= 160
        assert 300 <= v["promotion_signed"] <= 400
        assert 0.38 <= v["promotion_started_same_year"] / v["promotion_signed"] <= 0.6
        assert 0.25 <= v["six_new_share_of_industrial"] <= 0.42
        assert 0.3 <= v["industrial_share_of_plan"] <= 0.55
    for y in ("2024", "2025"):
        assert 280 <= s["years"][y]["problems_found"] <= 420
    ratios = [v["reserve_ratio"] for v in s["months"].values()]
    assert all(1000 <= v["reserve_projects"] <= 1500 for v in s["months"].values())
    assert all(4.3 <= r <= 6.0 for r in ratios)
    assert any(r < 5 for r in ratios) and any(r >= 5 for r in ratios)  # 储备规模在 5 倍上下，有的月份不达标
    assert len(prog.blank_leader_codes) == 3
    titles = {ld["title"] for ld in prog.leaders}
    assert {"市长", "常务副市长", "副市长", "市委常委"} <= titles and len(prog.leaders) == 30


# ---------------------------------------------------------------- 问题闭环：不满意的重新办理，只有约2%消失

def test_problems_leave_only_when_cleared_or_vanished(prog1):
    """问题只在满意/基本满意销号后、或属于故意消失的约2%时，才从下月清单中消失；
    办结但企业不满意的，次月以同一编号重新办理（办理中/督办，新的完成时限为30—60天后，无办结时间）。"""
    months = range(prog1.start, prog1.end)
    listed, vanished, reopened = set(), set(), 0
    for pr in prog1.problems:
        for mi in months:
            at, nxt = sample.problem_at(pr, mi), sample.problem_at(pr, mi + 1)
            if at is None:
                continue
            listed.add(pr.pid_str)
            state, _deadline, closed, satisfaction = at
            assert sample.problem_state(pr, mi) == state
            if state == "closed" and satisfaction not in SATISFIED and pr.vanish_after != mi:
                assert nxt is not None, (pr.pid_str, sample._period(mi))
                reopened += 1
                assert nxt[0] in ("in_progress", "escalated") and nxt[2] is None and nxt[3] is None
                rd = pr.reopens[0]
                assert nxt[1] == rd.deadline and 30 <= (rd.deadline - rd.reopened).days <= 60
                assert rd.reopened > closed and sample._mi_of(rd.reopened) == mi + 1
            if nxt is None:
                cleared = state == "closed" and satisfaction in SATISFIED
                assert cleared or pr.vanish_after == mi, (pr.pid_str, sample._period(mi), at)
                if not cleared:
                    vanished.add(pr.pid_str)
    assert 30 <= reopened <= 120
    assert 0.01 <= len(vanished) / len(listed) <= 0.03  # 故意消失的约2%，不更多
    # 重新办理的大多以满意或基本满意销号；少数（只在最近几个月）仍在办理，超期转督办
    reopens = [(pr, rd) for pr in prog1.problems for rd in pr.reopens]
    still_open = [(pr, rd) for pr, rd in reopens if rd.closed is None]
    assert all(rd.satisfaction in SATISFIED for _, rd in reopens if rd.closed)
    assert 1 <= len(still_open) <= 0.2 * len(reopens)
    for pr, rd in still_open:
        assert sample._mi_of(rd.reopened) > prog1.end - sample.REOPEN_STAY_OPEN_MONTHS
        if sample._month_end(prog1.end) > rd.deadline + dt.timedelta(days=7):
            assert sample.problem_state(pr, prog1.end) == "escalated"


def test_reopened_problem_rows(prog1):
    """重新办理的问题在表中的样子：办结不满意 → 次月办理中（新时限、备注说明）→ 满意销号。"""
    project = {p.pid: p for p in prog1.projects}
    pr = next(pr for pr in prog1.problems if pr.reopens and pr.reopens[0].closed
              and prog1.start <= sample._mi_of(pr.closed) and sample._mi_of(pr.reopens[0].closed) <= prog1.end)
    rd = pr.reopens[0]
    first, again, last = sample._mi_of(pr.closed), sample._mi_of(rd.reopened), sample._mi_of(rd.closed)
    rows = {mi: sample._problem_row(pr, project[pr.pid], sample.problem_at(pr, mi), mi) for mi in (first, again, last)}
    assert (rows[first]["state"], rows[first]["closed_date"], rows[first]["satisfaction"]) == \
        ("closed", pr.closed, pr.satisfaction)
    assert pr.satisfaction not in SATISFIED
    assert rows[again]["state"] in ("in_progress", "escalated") and rows[again]["deadline"] == rd.deadline
    assert rows[again]["closed_date"] is None and rows[again]["satisfaction"] is None
    assert rows[again]["remarks"] in ("企业不满意，重新办理", "已超期")
    assert (rows[last]["state"], rows[last]["closed_date"]) == ("closed", rd.closed)
    assert rows[last]["satisfaction"] in SATISFIED
    assert {r["problem_id"] for r in rows.values()} == {pr.pid_str} and last > again
    assert sample.problem_at(pr, last + 1) is None


def test_disappeared_problems_in_the_warehouse(tiny_db):
    """经 ETL 入库后，标「未续报」的问题正是故意消失的那些（不再有办结不满意后被丢下的问题）。"""
    prog = sample.build_programme(**TINY)
    sender = {p.pid: p.sender for p in prog.projects}
    expected = {pr.pid_str for pr in prog.problems
                if pr.vanish_after is not None and prog.start <= pr.vanish_after < prog.end
                and sample.problem_at(pr, pr.vanish_after) is not None
                # 迟报单位最后一个月没有报表：它上月还在的问题不算消失
                and not (sender[pr.pid] == sample.LATE_REPORTER and pr.vanish_after == prog.end - 1)}
    got = queries.run("problem_list", db=tiny_db, period=dt.date(2026, 10, 1), unit=None)
    assert got.height > 5
    assert set(got.filter(got["disappeared"])["problem_id"].to_list()) == expected


# ---------------------------------------------------------------- 统计口径疑点

def test_inconsistency_rate_scale_1(prog1):
    """每种疑点约占项目进展行的0.3%，逐月确定；同一项目不连续两个月被改。"""
    months = list(range(prog1.start, prog1.end + 1))
    plan = sample._plan_inconsistencies(prog1, months)
    rows = sum(len(sample.annual_members(prog1, mi)) for mi in months)
    for kind in sample.INCONSISTENCY_KINDS:
        n = sum(1 for mi in months for v in plan[mi]["seeds"].values() if v["kind"] == kind)
        assert 0.0015 <= n / rows <= 0.0045, (kind, n, rows)
        assert any(v["kind"] == kind for v in plan[prog1.end]["seeds"].values())
    for mi in months[1:]:
        assert not set(plan[mi]["seeds"]) & set(plan[mi - 1]["seeds"])
        assert set(plan[mi]["seeds"]) <= plan[mi - 1]["protect"] & plan[mi]["protect"]
    assert plan == sample._plan_inconsistencies(prog1, months)


def test_inconsistencies_pass_the_row_checks(tiny, reports):
    """疑点行不是错误：不在 faults 中，ETL 的行检查照常接收，读回的数正是 manifest 记的数。"""
    _, manifest, _ = tiny
    inc = manifest["inconsistencies"]
    assert {x["kind"] for x in inc} == set(sample.INCONSISTENCY_KINDS)
    assert {x["kind"] for x in inc if x["period"] == PERIODS[-1]} == set(sample.INCONSISTENCY_KINDS)
    assert not {(x["file"], x["row"]) for x in inc} & {(x["file"], x["row"]) for x in manifest["faults"]}
    column = {"ytd_vs_months": "completed_ytd_wan", "ytd_decrease": "completed_ytd_wan",
              "cum_below_ytd": "completed_cum_wan", "total_investment": "total_investment_wan",
              "cumulative": "completed_cum_wan"}
    for x in inc:
        sheet = reports[x["file"]].sheet("progress")
        assert x["row"] not in sheet.quarantine["source_row"].to_list()
        row = sheet.accepted.filter(sheet.accepted["source_row"] == x["row"]).row(0, named=True)
        assert row["project_code"] == x["project_code"]
        assert row[column[x["field"] or x["kind"]]] == pytest.approx(x["value_wan"], abs=0.01)
        assert x["label"] and x["sender"] == reports[x["file"]].sender


def test_inconsistencies_are_flagged(tiny, tiny_db):
    """queries/consistency_flags.sql 查出每个疑点；除「本月超过年度计划一半」外，没有别的疑点
    （其余的只是上月疑点在本月的连带：年累计回退后恢复、数量级错误后恢复）。"""
    _, manifest, _ = tiny
    inc = manifest["inconsistencies"]
    for period in PERIODS:
        flags = queries.run("consistency_flags", db=tiny_db, period=dt.date.fromisoformat(period + "-01"), unit=None)
        got = {(r["project_code"], r["rule"], r["field"]): r for r in flags.iter_rows(named=True)}
        mine = [x for x in inc if x["period"] == period]
        for x in mine:
            r = got[(x["project_code"], x["kind"], x["field"])]
            assert r["value_wan"] == pytest.approx(x["value_wan"], abs=0.01)
            assert r["reference_wan"] == pytest.approx(x["reference_wan"], abs=0.01)
        prev = {x["project_code"] for x in inc if x["period"] < period}
        for code, rule, _field in got:
            if rule != "month_over_half":
                assert code in {x["project_code"] for x in mine} | prev, (period, code, rule)
