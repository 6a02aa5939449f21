"""示例数据生成器 etl/sample.py：确定性、文件结构、合计、坐标、表头写法、标定，以及经 ETL 读回与 truth 一致。"""

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

from etl import boundary, divisions, sample, vocab  # noqa: E402

TINY = dict(seed=2021, scale=0.05, start="2026-08", end="2026-10")
PERIODS = ["2026-08", "2026-09", "2026-10"]
KIND_LETTER = {"progress": "P", "reserve": "R", "problems": "Q", "milestones": "M"}


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
    out = {k: {} for k in "PRQM"}
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
        if "milestones" in kinds:
            assert kinds[-1] == "milestones"
    assert any("milestones" in [s["kind"] for s in f["sheets"]] for f in manifest["files"])


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
                        "milestones": {"project_code", "node_name", "node_planned"}}[sheet["kind"]]
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


def test_etl_reads_the_truth(tiny):
    """真正的 ETL 读这些文件：有效行的合计与 truth 一致，隔离的行正是 faults 中列出的行。"""
    read = pytest.importorskip("etl.read")
    out, manifest, _ = tiny
    got = {p: {"rows": 0, "plan": 0.0, "ytd": 0.0, "month": 0.0, "reserve": 0, "problems": 0} for p in PERIODS}
    quarantined = set()
    for f in manifest["files"]:
        rep = read.read_file(out / f["path"], today=dt.date(2026, 11, 27))
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

def test_calibration_scale_1():
    prog = sample.build_programme(seed=2021, scale=1.0)
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
