"""按已知方式弄坏少量行（错误行、漏报、留空），以及统计部门会核实的口径疑点。"""

from __future__ import annotations

import random

from etl.sample.calibration import FAULT_RATE, INCONSISTENCY_RATE, LATE_REPORTER, OMIT_RATE
from etl.sample.model import Programme, Project
from etl.sample.senders import Style, STYLES
from etl.sample.util import _poisson
from etl.sample.writers import _written_wan


FAULT_KINDS = ("missing_code", "unknown_county", "negative_amount", "non_numeric_amount", "ytd_below_month",
               "coords_outside", "exact_duplicate", "conflicting_duplicate")
FAULT_LABEL = {"missing_code": "缺少项目代码", "unknown_county": "未知县区（大同市北城区）", "negative_amount": "金额为负",
               "non_numeric_amount": "金额不是数字（约…）", "ytd_below_month": "年累计小于本月",
               "coords_outside": "坐标不在大同市范围内", "exact_duplicate": "完全重复的行",
               "conflicting_duplicate": "同一项目两行数据不一致"}
# 统计口径疑点（queries/consistency_flags.sql 提出的问题）：行本身合规、ETL 照常接收
INCONSISTENCY_KINDS = ("ytd_vs_months", "ytd_decrease", "cum_below_ytd", "magnitude_jump")


def _inject_faults(rows_by_section: list[list[dict]], rng: random.Random, forced: list[str], style: Style,
                   allow_omit: bool, protect: set | frozenset = frozenset()
                   ) -> tuple[list[list[dict]], list[dict], list[dict]]:
    """按已知方式弄坏少量行；返回（各段的行、错误行、漏报的行）。protect 中的项目（pid）不弄坏、不漏报。"""
    dec = style.decimals
    out_sections, faulty, omitted = [], [], []
    flat_positions = [(s, i) for s, rows in enumerate(rows_by_section) for i in range(len(rows))]
    plan: dict[tuple[int, int], str] = {}
    for pos in flat_positions:
        if rng.random() < FAULT_RATE:
            plan[pos] = rng.choice(FAULT_KINDS)
    kept = {pos for pos in flat_positions if rows_by_section[pos[0]][pos[1]]["_pid"] in protect}
    plan = {pos: kind for pos, kind in plan.items() if pos not in kept}
    free = [pos for pos in flat_positions if pos not in plan and pos not in kept]
    for kind in forced:
        if free:
            pos = free.pop(rng.randrange(len(free)))
            plan[pos] = kind
    for s, rows in enumerate(rows_by_section):
        out: list[dict] = []
        tail: list[dict] = []
        for i, row in enumerate(rows):
            kind = plan.get((s, i))
            if kind is None and allow_omit and row.get("_omit_ok") and rng.random() < OMIT_RATE:
                omitted.append(row)
                continue
            out.append(row)
            if kind is None:
                continue
            row["_fault"] = kind
            faulty.append(row)
            month, ytd = row["completed_month_wan"], row["completed_ytd_wan"]
            if kind == "missing_code":
                row["project_code"] = None
            elif kind == "unknown_county":
                row["county"] = "大同市北城区"
            elif kind == "negative_amount":
                row["completed_month_wan"] = -(abs(month) or (13.0 if dec == 0 else 12.5))
            elif kind == "non_numeric_amount":
                f = rng.choice(("completed_month_wan", "completed_ytd_wan"))
                v = row[f]
                row[f] = f"约{v / 10000:.2f}" if style.unit == "亿元" else f"约{max(10, int(round(v, -1)))}"
                row["_fault_field"] = f
            elif kind == "ytd_below_month":
                if month < 20:
                    month = float(max(20, round(row["annual_plan_wan"] * 0.05)))
                row["completed_month_wan"] = month
                row["completed_ytd_wan"] = round(month * 0.4, dec) if dec else float(round(month * 0.4))
            elif kind == "coords_outside":
                if rng.random() < 0.5:
                    row["lon"], row["lat"] = row["lat"], row["lon"]
                else:
                    row["lon"], row["lat"] = 0.0, 0.0
            elif kind == "exact_duplicate":
                copy = dict(row)
                copy["_exact_of"] = row
                row["_fault"] = None  # 第一行有效，第二行是重复
                faulty.pop()
                faulty.append(copy)
                out.append(copy)
            elif kind == "conflicting_duplicate":
                copy = {k: v for k, v in row.items() if not k.startswith("_cells")}
                delta = float(max(10, round(abs(month) * 0.3 + 50)))
                copy["completed_month_wan"] = round(month + delta, dec)
                copy["completed_ytd_wan"] = round(ytd + delta, dec)
                copy["completed_cum_wan"] = round(row["completed_cum_wan"] + delta, dec)
                copy["_fault"] = kind
                faulty.append(copy)
                tail.append(copy)
        out_sections.append(out + tail)
    return out_sections, faulty, omitted


def _blank_some(row: dict, rng: random.Random) -> None:
    for f, rate in (("owner", 0.02), ("funding_source", 0.04), ("tags", 0.05), ("land_area_mu", 0.03)):
        if row.get(f) is not None and rng.random() < rate:
            row[f] = None


def _listed(p: Project, mi: int) -> bool:
    """项目在 mi 月的项目进展表中（列入年度项目）。"""
    e = p.entries.get(mi // 12)
    return e is not None and e.listed_from <= mi


def _amounts(p: Project, mi: int) -> tuple[float, float, float]:
    """（本月, 年累计, 开工累计），万元，与 _progress_row 写出的一致。"""
    e = p.entries[mi // 12]
    m = mi % 12
    ytd = e.ytd_wan[m]
    prev = e.ytd_wan[m - 1] if m else 0.0
    return round(ytd - prev, p.decimals), ytd, round(e.cum_prev_wan + ytd, p.decimals)


def _inconsistency(kind: str, p: Project, mi: int, start: int, style: Style, rng: random.Random) -> dict | None:
    """把 p 在 mi 月的一个数改成统计部门会提出疑问的样子（行仍合规）；不适用时为 None。

    返回 set（改写的字段，万元）、field、label，以及与 consistency_flags.sql 一致的
    value_wan（被质疑的数）和 reference_wan（比较的数），均为文件中实际写的数折成万元。"""
    dec = p.decimals

    def w(v: float) -> float:
        return _written_wan(v, style)

    mon, ytd, cum = _amounts(p, mi)
    first_month = mi % 12 == 0
    has_prev = mi - 1 >= start and _listed(p, mi - 1)  # 上月报表中有该项目
    if kind == "ytd_vs_months":
        # 本月只填了部分（如只填了一个标段），年累计按实际
        if mon < 20 or not (first_month or has_prev):
            return None
        new = round(mon * rng.uniform(0.3, 0.7), dec)
        ref = w(new) if first_month else w(_amounts(p, mi - 1)[1]) + w(new)
        if w(new) <= 0 or abs(w(ytd) - ref) <= 2:
            return None
        return {"set": {"completed_month_wan": new}, "field": None, "value_wan": w(ytd), "reference_wan": ref,
                "label": "年累计不等于上月年累计加本月完成（本月少填）"}
    if not has_prev or (first_month and kind != "magnitude_jump"):
        return None
    if kind == "ytd_decrease":
        # 年累计回退（填成了较早的数）；本月照实填
        prev_ytd = _amounts(p, mi - 1)[1]
        if prev_ytd < 20 or mon > 0.5 * prev_ytd:
            return None
        new = round(rng.uniform(max(mon, 0.6 * prev_ytd), 0.9 * prev_ytd), dec)
        if not (w(mon) <= w(new) < w(prev_ytd) - 2):
            return None
        return {"set": {"completed_ytd_wan": new}, "field": None, "value_wan": w(new), "reference_wan": w(prev_ytd),
                "label": "年累计小于上月年累计"}
    if kind == "cum_below_ytd":
        # 开工累计没有更新，仍是上月的数
        prev_cum = _amounts(p, mi - 1)[2]
        if not (0.5 * ytd <= prev_cum and w(prev_cum) < w(ytd) - 2):
            return None
        return {"set": {"completed_cum_wan": prev_cum}, "field": None, "value_wan": w(prev_cum),
                "reference_wan": w(ytd), "label": "开工累计小于年累计（开工累计未更新，仍为上月数）"}
    if kind == "magnitude_jump":
        prev_cum = _amounts(p, mi - 1)[2]
        variants = ["total", "cum"] if rng.random() < 0.5 else ["cum", "total"]
        for v in variants:
            if v == "total" and style.unit == "万元":
                new = round(p.total / 10000, dec)
                if w(new) > 0 and w(new) * 10 <= w(p.total):
                    return {"set": {"total_investment_wan": new}, "field": "total_investment", "value_wan": w(new),
                            "reference_wan": w(p.total), "label": "总投资按亿元填在万元栏（缩小一万倍）"}
            if v == "cum" and w(prev_cum) > 0 and w(cum) > 0:
                new = round(cum * 10000, dec)
                label = ("开工累计按万元填在亿元栏（放大一万倍）" if style.unit == "亿元"
                         else "开工累计按元填报（放大一万倍）")
                return {"set": {"completed_cum_wan": new}, "field": "cumulative", "value_wan": w(new),
                        "reference_wan": w(prev_cum), "label": label}
        return None
    raise ValueError(kind)


def _plan_inconsistencies(prog: Programme, months: list[int]) -> dict[int, dict]:
    """各月要弄出统计口径疑点的行：{月: {"seeds": {pid: 改法}, "protect": 不加错误、不漏报的 pid}}。

    每种疑点约占当月项目进展行的 INCONSISTENCY_RATE，最后一个月每种至少一个。比较的上月行
    （上月年累计、开工累计、总投资）也受保护，保证该疑点确实能被查出；同一项目不连续两个月被改。"""
    rng = random.Random(f"{prog.seed}|{prog.scale}|统计口径疑点")
    plan: dict[int, dict] = {mi: {"seeds": {}, "protect": set()} for mi in months}
    for mi in months:
        y = mi // 12
        rows = sorted((p for p in prog.year_entries.get(y, []) if p.entries[y].listed_from <= mi
                       and not (mi == prog.end and p.sender == LATE_REPORTER)), key=lambda p: p.pid)
        seeds = plan[mi]["seeds"]
        before = plan.get(mi - 1, {"seeds": {}})["seeds"]
        for kind in INCONSISTENCY_KINDS:
            n = max(1 if mi == prog.end else 0, _poisson(rng, INCONSISTENCY_RATE * len(rows)))
            order = rows[:]
            rng.shuffle(order)
            for p in order:
                if n <= 0:
                    break
                if p.pid in seeds or p.pid in before:
                    continue
                spec = _inconsistency(kind, p, mi, prog.start, STYLES[p.sender], rng)
                if spec is None:
                    continue
                seeds[p.pid] = {"kind": kind, **spec}
                plan[mi]["protect"].add(p.pid)
                if mi - 1 in plan:
                    plan[mi - 1]["protect"].add(p.pid)
                n -= 1
    return plan


def _forced_faults(prog: Programme, months: list[int]) -> dict[tuple[int, str], list[str]]:
    """保证每种错误至少出现一次（小规模样例也有），分散到行数足够的文件中。"""
    out: dict[tuple[int, str], list[str]] = {}
    for i, kind in enumerate(FAULT_KINDS):
        mi = months[(len(months) - 1 - i) % len(months)]
        y = mi // 12
        rows: dict[str, int] = {}
        for p in prog.year_entries.get(y, []):
            if p.entries[y].listed_from <= mi and not (mi == prog.end and p.sender == LATE_REPORTER):
                rows[p.sender] = rows.get(p.sender, 0) + 1
        eligible = [s.sid for s in prog.senders if rows.get(s.sid, 0) - 2 * len(out.get((mi, s.sid), [])) >= 3]
        if not eligible:
            continue
        sid = eligible[(3 + 5 * i) % len(eligible)]
        out.setdefault((mi, sid), []).append(kind)
    return out
