"""构造项目盘子：新开工、储备、施工模拟、标定、属性、重点工程与包联领导、坐标、节点计划；盘子概况。"""

from __future__ import annotations

import datetime as dt
import math
import random

from etl import divisions, vocab
from etl.sample.approvals import approvals_and_factors, set_clock
from etl.sample.calibration import (
    COUNTY_FACTOR, COUNTY_WEIGHT, CROSS_QS, DEPT_COUNTY_WEIGHT, DEPT_FACTOR, DEPT_SHARE, DEPT_WEIGHT,
    END_MONTH_W, KEY_QUOTA, NEW_STARTS_PER_YEAR, PIPELINE_PER_YEAR, PIPELINE_PROMO, PLAN_2025_WAN, PLAN_GROWTH,
    PROMO_NEXT_YEAR, PROMO_SAME_YEAR, PROMO_SECTOR_WEIGHT, RESERVE_INFLOW_W, RESERVE_TARGET_RATIO, SEASON,
    SECTOR_SIZE, SECTOR_WEIGHT, START_MONTH_W, UNIT_WAN, ZONE_SECTOR_WEIGHT, ZONE_SHARE, ZONE_WEIGHT)
from etl.sample.catalogue import (
    BIG_PIPELINE, CITIES, CITY_LEADERS, COMPANY_WORDS, DEPT_LEADERS, DEPT_TEMPLATES, RESERVOIRS, RIVERS, ROADS,
    RURAL_ONLY, SECTOR_TEMPLATES, TECH_WORDS, TOWNS, Tpl, WORDS)
from etl.sample.geo import _random_point, _zone_centres
from etl.sample.model import Entry, Node, Programme, Project
from etl.sample.problems import _problems
from etl.sample.senders import _senders, STYLES
from etl.sample.util import _cn, _date_in, _month_end, _nice, _parse_period, _period, _person, _Season, _weighted


def _pick_location(rng: random.Random, allow_dept: bool = True) -> tuple[str, str, str | None]:
    r = rng.random()
    if allow_dept and r < DEPT_SHARE:
        dept = _weighted(rng, DEPT_WEIGHT)
        return dept, _weighted(rng, DEPT_COUNTY_WEIGHT[dept]), None
    if r < DEPT_SHARE + ZONE_SHARE:
        zone = _weighted(rng, ZONE_WEIGHT)
        return divisions.ZONE_NAME[zone], divisions.ZONE_HOST[zone], zone
    county = _weighted(rng, COUNTY_WEIGHT)
    return divisions.COUNTY_NAME[county], county, None


def _pick_template(rng: random.Random, sender: str, zone: str | None, promo: bool, big: bool) -> Tpl:
    if sender in DEPT_TEMPLATES:
        tpls = DEPT_TEMPLATES[sender]
    elif big:
        tpls = [t for t in BIG_PIPELINE if not (promo and t.gov)]
    else:
        weights = PROMO_SECTOR_WEIGHT if promo else (ZONE_SECTOR_WEIGHT if zone else SECTOR_WEIGHT)
        tpls = SECTOR_TEMPLATES[_weighted(rng, weights)]
        if promo:
            tpls = [t for t in tpls if t.gov < 1] or tpls
    return rng.choices(tpls, weights=[t.weight for t in tpls])[0]


def _new_project(rng: random.Random, pid: int, cohort: int | None, promo: bool, big: bool = False,
                 size_mult: float = 1.0) -> Project:
    sender, county, zone = _pick_location(rng, allow_dept=not promo)
    for _ in range(30):
        tpl = _pick_template(rng, sender, zone, promo, big)
        if county != "140213" or not any(k in tpl.pattern for k in RURAL_ONLY):
            break
    growth = PLAN_GROWTH ** ((cohort or 2025) - 2025)
    raw = min(math.exp(rng.gauss(0.0, 1.0)), 12.0) * SECTOR_SIZE[tpl.sector] * tpl.size * growth * size_mult
    p = Project(pid=pid, cohort=cohort, sender=sender, county=county, zone=zone, tpl=tpl, sector=tpl.sector, raw=raw,
                promo=promo)
    p.est_factor = rng.uniform(0.85, 1.25)
    p.decimals = STYLES[sender].decimals
    p.prep_offset = rng.randint(0, 3)
    return p


def _schedule(rng: random.Random, p: Project, y: int, kind: str) -> None:
    """计划开工、计划竣工、进入储备库和列入年度项目的月份。"""
    y0 = y * 12
    if kind == "promo_same":
        sm = rng.choices(range(7), weights=(.12, .14, .18, .18, .16, .12, .10))[0]
        p.signed = _date_in(y0 + sm, rng.randint(1, 28))
        p.reserve_from = y0 + sm
        p.annual_from = y0 + sm + rng.choice((1, 1, 2))
        p.ps = min(p.annual_from + rng.choice((0, 1, 1, 2)), y0 + 9)
    else:
        if kind == "promo_prev":
            sm = rng.randrange(12)
            p.signed = _date_in(y0 - 12 + sm, rng.randint(1, 28))
            p.reserve_from = y0 - 12 + sm
        else:
            back = rng.choices((1, 2, 3, 4), weights=(.45, .33, .16, .06))[0]
            p.reserve_from = y0 - back * 12 + _weighted(rng, RESERVE_INFLOW_W)
        p.annual_from = y0
        p.ps = y0 + _weighted(rng, START_MONTH_W)
    rel = p.raw / PLAN_GROWTH ** (y - 2025) / SECTOR_SIZE[p.sector]
    if rel < 0.6:
        probs = (.85, .13, .02, .0)
    elif rel < 2.0:
        probs = (.64, .29, .06, .01)
    else:
        probs = (.36, .42, .17, .05)
    d = rng.choices((1, 2, 3, 4), weights=probs)[0]
    if d == 1:
        lo = p.ps % 12 + 3
        if lo > 11:
            d = 2
        else:
            p.pe = y0 + rng.randint(lo, 11)
    if d > 1:
        p.pe = (y + d - 1) * 12 + _weighted(rng, END_MONTH_W)
    r = rng.random()
    p.start_delay = 0 if r < .72 else (rng.randint(1, 2) if r < .93 else rng.randint(3, 5))
    p.fail_first = rng.random() < (0.035 if rel < 2.0 else 0.01)  # 大项目很少整年开不了工
    p.reserve_until = p.annual_from
    p.start_day = rng.randint(1, 28)
    p.done_day = rng.randint(1, 28)


def _simulate(p: Project, season: _Season, last_year: int, cf: dict, rng: random.Random) -> None:
    """逐月模拟施工：季节曲线 × 县区系数 × 项目系数，停工、推迟开工、跨年续建、竣工投产。"""
    ps, pe, delay, fail = p.ps, p.pe, p.start_delay, p.fail_first
    adj = DEPT_FACTOR.get(p.sender, 1.02 if p.zone else 1.0)
    cum, started, done = 0.0, None, None
    y = ps // 12
    while y <= last_year and done is None:
        y0, y1 = y * 12, y * 12 + 11
        if pe < y0:  # 上年未完工：重新安排，年内竣工
            pe = y0 + rng.randint(4, 8)
        s_prev = season.sched(ps, pe, y0 - 1)
        s_now = season.sched(ps, pe, y1)
        share = 1.0 if s_prev >= 1 - 1e-12 else (s_now - s_prev) / (1 - s_prev)
        plan = (1 - cum) * share
        library = "continuing" if started is not None else "new_start"
        listed_from = p.annual_from if y0 <= p.annual_from <= y1 else y0
        factor = cf[(p.county, y)] * adj * min(1.4, max(0.55, rng.gauss(1.09, 0.12)))
        if started is None and (fail or ps + delay > y1):
            # 当年未能开工：年内一直是新开工、零进度，次年重新列入
            p.entries[y] = Entry(y, library, plan, [0.0] * 12, listed_from, ps, pe, None, None, None, 0.0, cum)
            fail = False
            ps, pe = ps + 12, pe + 12
            delay = rng.choice((0, 0, 1, 2))
            y += 1
            continue
        stall = None
        if rng.random() < 0.05:
            s0 = y0 + rng.randint(3, 8)
            stall = (s0, min(y1, s0 + rng.randint(1, 4)))
        a = ps + delay if started is None else None
        w_year = season.w(max(ps, y0), min(pe, y1)) or season.w(y0, y1)
        final = pe <= y1
        ytd, ytds = 0.0, []
        for mi in range(y0, y1 + 1):
            inc = 0.0
            if done is None:
                if started is None and a is not None and mi >= a:
                    started = mi
                if started is not None and not (stall and stall[0] <= mi <= stall[1]):
                    inc = plan * SEASON[mi % 12] / w_year * factor
                    if cum + inc >= 1 - 1e-9 or (final and cum + inc >= 0.985):
                        inc = 1 - cum
                        done = mi
            cum += inc
            ytd += inc
            ytds.append(ytd)
            for q in CROSS_QS:
                if q not in p.crossings and cum >= q - 1e-9:
                    p.crossings[q] = mi
        p.entries[y] = Entry(y, library, plan, ytds, listed_from, ps, pe, started, done, stall, factor,
                             cum - ytd)
        y += 1
    p.started, p.done = started, done


def _leaders(rng: random.Random, used: set) -> list[dict]:
    out = []
    for title, sectors in CITY_LEADERS:
        out.append(dict(name=_person(rng, used), title=title, level="city", sectors=sectors, unit=None, load=0))
    for code, name in divisions.COUNTIES:
        title = f"{name}{'区长' if name.endswith('区') else '县长'}"
        out.append(dict(name=_person(rng, used), title=title, level="county", sectors=(), unit=code, load=0))
    for code, name, _ in divisions.ZONES:
        out.append(dict(name=_person(rng, used), title=f"{name}管委会主任", level="zone", sectors=(), unit=code, load=0))
    for unit, title in DEPT_LEADERS:
        out.append(dict(name=_person(rng, used), title=title, level="dept", sectors=(), unit=unit, load=0))
    return out


def _assign_leader(rng: random.Random, p: Project, level: str, leaders: list[dict]) -> dict:
    if level in vocab.PROVINCIAL_LEVELS:
        pool = [ld for ld in leaders if ld["level"] == "city" and p.sector in ld["sectors"]]
        if level == "province_managed":
            pool = [ld for ld in pool if ld["title"] in ("市长", "常务副市长", "副市长")] or pool
        else:
            pool = [ld for ld in pool if ld["title"] != "市长"] or pool
    elif p.sender in DEPT_TEMPLATES:
        pool = [ld for ld in leaders if ld["unit"] == p.sender]
    elif p.zone:
        pool = [ld for ld in leaders if ld["unit"] == p.zone]
    else:
        r = rng.random()
        if p.sector == "工业" and r < 0.2:
            pool = [ld for ld in leaders if ld["unit"] == "市工业和信息化局"]
        elif r < 0.1:
            pool = [ld for ld in leaders if ld["unit"] == "市发展和改革委员会"]
        else:
            pool = [ld for ld in leaders if ld["unit"] == p.county]
    best = min(ld["load"] for ld in pool)
    ld = rng.choice([x for x in pool if x["load"] <= best + 1])
    ld["load"] += 1
    return ld


def _attributes(rng: random.Random, p: Project, used_codes: set, used_names: dict) -> None:
    """名称、建设单位、项目代码、投资类型、资金来源、用地、标签。"""
    tpl = p.tpl
    county_name = divisions.COUNTY_NAME[p.county]
    year = (p.reserve_from // 12) if p.reserve_from is not None else (p.cohort or 2025) - 1
    gov = (not p.promo) and rng.random() < tpl.gov
    p.invest_kind = "government" if gov else "enterprise"
    word = rng.choice(COMPANY_WORDS)
    if p.zone:
        zname = divisions.ZONE_NAME[p.zone]
        place = rng.choice((zname, zname, county_name))
    elif rng.random() < 0.3:
        place = "大同市" + county_name
    elif rng.random() < 0.2 and not gov and not tpl.pattern.startswith("{yr}"):
        place = "大同" + word
    else:
        place = county_name
    for attempt in range(4):
        n = rng.choice(tpl.n)
        a, b = rng.sample(TOWNS, 2)
        name = tpl.pattern.format(place=place, county=county_name, n=n, m=2 * n, w=rng.choice(WORDS),
                                  tech=rng.choice(TECH_WORDS), a=a, b=b, r=rng.choice(RIVERS),
                                  res=rng.choice(RESERVOIRS), kv=rng.choice((110, 220)), city=rng.choice(CITIES),
                                  road=rng.choice(ROADS), yr=p.cohort or year + 1,
                                  cn=_cn(n))
        if name not in used_names:
            break
        if "{place}" in tpl.pattern and place.endswith(("区", "县")):
            # 同类项目较多时，名称中带上企业字号或所在乡镇、片区
            if not gov:
                place = place + rng.choice(COMPANY_WORDS)
            else:
                place = place + rng.choice(TOWNS) + ("片区" if ("小区" in name or "城中村" in name) else "镇")
    base, k = name, 0
    while name in used_names:
        k += 1
        phase = f"{'二三四五六七八九十'[min(k, 9) - 1]}期" if k < 10 else f"{k + 1}期"
        if base.endswith("）"):
            cut = base.rindex("（")
            name = f"{base[:cut]}{phase}{base[cut:]}"
        else:
            tail = "工程" if base.endswith("工程") else ("项目" if base.endswith("项目") else "")
            name = f"{base.removesuffix(tail)}（{phase}）{tail}"
    used_names[name] = 1
    p.name = name
    # 建设单位
    if gov:
        if p.sender in DEPT_TEMPLATES:
            p.owner = rng.choice({"市交通运输局": ("大同市交通运输局", "大同市公路事业发展中心", "大同市交通投资集团有限公司"),
                                  "市水务局": ("大同市水务局", "大同市水利工程建设中心"),
                                  "市住房和城乡建设局": ("大同市住房和城乡建设局", "大同市城市建设投资集团有限公司",
                                                      "大同市城市更新发展有限公司")}[p.sender])
        elif p.zone:
            p.owner = f"{divisions.ZONE_NAME[p.zone]}管理委员会"
        else:
            p.owner = f"{county_name}{tpl.gov_owner}"
    elif "输变电" in tpl.pattern:
        p.owner = "国网山西省电力公司大同供电公司"
    else:
        prefix = rng.choices(("大同", "山西", "大同市", county_name), weights=(45, 20, 15, 20))[0]
        suffix = rng.choices(("有限公司", "股份有限公司", "集团有限公司"), weights=(85, 8, 7))[0]
        p.owner = f"{prefix}{word}{tpl.owner}{suffix}"
    # 项目代码：年份-行政区划代码-行业代码-类型-流水号
    admin = "140200" if p.sender in DEPT_TEMPLATES else (
        p.zone if p.zone == "140271" else p.county)
    if gov:
        ptype = "01"
    elif tpl.industry == "44":
        ptype = rng.choice(("02", "03"))
    else:
        ptype = "04" if rng.random() < 0.04 else "03"
    while True:
        code = f"{year}-{admin}-{tpl.industry}-{ptype}-{rng.randint(1, 999999):06d}"
        if code not in used_codes:
            used_codes.add(code)
            break
    p.code = code
    p.six_new = tpl.six_new if p.sector == "工业" else None
    p.two_new = tpl.two_new
    if gov:
        src = ["专项债"] if rng.random() < 0.6 else []
        if rng.random() < 0.45 or not src:
            src.append("中央预算内资金")
        if rng.random() < 0.2:
            src.append("银行贷款")
    else:
        src = ["企业自筹"]
        if rng.random() < 0.5:
            src.append("银行贷款")
        if p.six_new and rng.random() < 0.35:
            src.append("产业投资基金")
    p.funding = "、".join(src)
    lo, hi = tpl.land
    p.land = None if hi == 0 or rng.random() < 0.05 else round(rng.uniform(lo, hi), 1)
    tags = list(tpl.tags)
    if p.zone:
        tags.append("园区项目")
    if p.promo:
        tags.append("招商引资")
    p.tags = ";".join(tags)


def _nodes(rng: random.Random, p: Project, e: Entry, season: _Season) -> list[Node]:
    """挂图作战节点：按计划竣工时间倒排，实际完成时间来自施工模拟。"""
    first = p.entries[min(p.entries)]
    ps, pe = first.ps, max(e.pe, first.ps + 2)
    gov = p.invest_kind == "government"
    pre = [("立项批复" if gov else "立项备案", -7), ("用地预审", -5),
           ("初步设计批复" if gov else "环评批复", -4), ("规划许可", -3)]
    pre = sorted(rng.sample(pre, rng.randint(1, 3)), key=lambda x: x[1]) + [("施工许可", -1)]
    if p.sector == "工业":
        mids = [("厂房主体完工", .5), ("设备安装", .8), ("联动调试", .95)]
    elif p.sector == "基础设施":
        mids = [("基础工程完成", .3), ("主体工程完工", .7), ("附属工程完成", .92)]
    else:
        mids = [("主体完工", .6), ("装饰装修", .85)]
    mids = sorted(rng.sample(mids, rng.randint(1, min(2, len(mids)))), key=lambda x: x[1])
    lateness = (p.started - ps) * 30 if p.started is not None else 400
    nodes: list[Node] = []
    for i, (name, off) in enumerate(pre):
        planned = _date_in(ps + off, rng.choice((10, 15, 20, 25, 28)))
        if p.started is None and i >= len(pre) - 2:
            actual = None
        else:
            actual = planned + dt.timedelta(days=rng.randint(-15, 10) + int(lateness * (i + 1) / (len(pre) + 1)))
            if p.started is not None:
                actual = min(actual, _date_in(p.started, p.start_day) - dt.timedelta(days=len(pre) - i))
        nodes.append(Node(0, name, planned, actual))
    nodes.append(Node(0, "开工建设", _date_in(ps, p.start_day),
                      _date_in(p.started, p.start_day) if p.started is not None else None))
    for name, q in mids:
        planned = _date_in(season.month_reaching(ps, pe, q), rng.choice((15, 20, 28)))
        m = p.crossings.get(q)
        nodes.append(Node(0, name, planned, _date_in(m, rng.randint(1, 28)) if m is not None else None))
    nodes.append(Node(0, "竣工验收" if gov else "竣工投产", _date_in(pe, 28),
                      _date_in(p.done, p.done_day) if p.done is not None else None))
    for i, nd in enumerate(nodes, 1):
        nd.seq = i
    return nodes


def build_programme(seed: int = 2021, scale: float = 1.0, start: str = "2024-01", end: str = "2026-10") -> Programme:
    """构造完整的项目盘子（不写文件）。"""
    start_mi, end_mi = _parse_period(start), _parse_period(end)
    if end_mi < start_mi:
        raise ValueError(f"结束月份 {end} 早于开始月份 {start}")
    if not scale > 0:
        raise ValueError("scale 必须大于 0")
    y_start, y_end = start_mi // 12, end_mi // 12
    first_cohort, last_cohort = y_start - 3, y_end + 3
    season = _Season((first_cohort - 5) * 12, (last_cohort - first_cohort + 16) * 12)
    rng = random.Random(f"{seed}|盘子")
    rng_sim = random.Random(f"{seed}|施工")
    rng_attr = random.Random(f"{seed}|属性")
    rng_key = random.Random(f"{seed}|重点")
    rng_geo = random.Random(f"{seed}|坐标")
    rng_prob = random.Random(f"{seed}|问题")
    rng_reopen = random.Random(f"{seed}|问题复核")

    projects: list[Project] = []

    def n_of(x: float) -> int:
        return max(0, round(x * scale * rng.uniform(0.95, 1.05)))

    # 各年新开工项目（含招商引资签约项目）
    for y in range(first_cohort, last_cohort + 1):
        n_total = max(1, n_of(NEW_STARTS_PER_YEAR))
        n_same = min(n_total, round(PROMO_SAME_YEAR * scale * rng.uniform(0.9, 1.1)))
        n_prev = min(n_total - n_same, round(PROMO_NEXT_YEAR * scale * rng.uniform(0.9, 1.1)))
        for i in range(n_total):
            kind = "promo_same" if i < n_same else ("promo_prev" if i < n_same + n_prev else "plain")
            p = _new_project(rng, len(projects), y, promo=kind != "plain")
            _schedule(rng, p, y, kind)
            projects.append(p)
    # 只在储备库中的项目：谋划中、调出储备库或远期开工
    for y in range(first_cohort, y_end + 1):
        n_pipe = n_of(PIPELINE_PER_YEAR)
        n_promo = round(PIPELINE_PROMO * scale)
        for i in range(n_pipe):
            promo = i < n_promo
            p = _new_project(rng, len(projects), None, promo=promo, big=rng.random() < 0.05, size_mult=2.0)
            p.reserve_from = y * 12 + _weighted(rng, RESERVE_INFLOW_W)
            p.reserve_until = p.reserve_from + rng.randint(10, 48)
            p.raw *= PLAN_GROWTH ** (y - 2025)
            if promo:
                p.signed = _date_in(p.reserve_from, rng.randint(1, 28))
            p.ps = (y + rng.randint(1, 3)) * 12 + _weighted(rng, START_MONTH_W)
            p.pe = p.ps + rng.randint(12, 36)
            projects.append(p)

    # 施工模拟
    cf = {(c, y): COUNTY_FACTOR[c] * (1 + rng_sim.gauss(0, 0.025))
          for y in range(first_cohort, y_end + 2) for c in COUNTY_FACTOR}
    built = [p for p in projects if p.cohort is not None and p.cohort <= y_end]
    for p in built:
        _simulate(p, season, y_end, cf, rng_sim)

    # 标定：各年年度计划投资之和 ≈ 目标
    targets = {y: PLAN_2025_WAN * PLAN_GROWTH ** (y - 2025) * scale for y in range(first_cohort, y_end + 1)}
    contrib: dict[tuple[int, int], float] = {}
    for p in built:
        for y, e in p.entries.items():
            contrib[(p.cohort, y)] = contrib.get((p.cohort, y), 0.0) + p.raw * e.plan_frac * UNIT_WAN
    window = range(y_start, y_end + 1)
    raw_sum = {y: sum(v for (c, yy), v in contrib.items() if yy == y) for y in window}
    k0 = sum(targets[y] / raw_sum[y] for y in window if raw_sum[y] > 0) / max(1, sum(raw_sum[y] > 0 for y in window))
    k = {c: k0 for c in range(first_cohort, last_cohort + 1)}
    for y in window:
        known = sum(v * k[c] for (c, yy), v in contrib.items() if yy == y and c < y)
        new = contrib.get((y, y), 0.0)
        if new > 0:
            k[y] = min(1.4 * k0, max(0.7 * k0, (targets[y] - known) / new))
    for p in projects:
        factor = k[p.cohort] if p.cohort is not None else k0
        p.total = _nice(min(p.raw * factor * UNIT_WAN, 1_200_000.0))
        p.est_total = _nice(p.total * p.est_factor)
    # 年度计划、逐月年累计（万元，按各单位的小数位取整）
    for p in built:
        cum_prev = 0.0
        for y in sorted(p.entries):
            e = p.entries[y]
            dec = p.decimals
            remaining = round(p.total - cum_prev, dec)
            plan = p.total * e.plan_frac
            e.plan_wan = round(remaining if e.plan_frac >= (1 - e.cum_prev_frac) - 1e-9 else
                               (round(plan, -1) if plan >= 1000 else round(plan)), dec)
            e.plan_wan = max(e.plan_wan, 1.0)
            e.cum_prev_wan = round(cum_prev, dec)
            vals = []
            for m in range(12):
                if e.done is not None and y * 12 + m >= e.done:
                    vals.append(remaining)
                else:
                    vals.append(min(remaining, round(p.total * e.ytd_frac[m], dec)))
            e.ytd_wan = vals
            cum_prev = round(cum_prev + vals[-1], dec)

    year_entries: dict[int, list[Project]] = {y: [] for y in range(first_cohort, y_end + 1)}
    for p in built:
        for y in p.entries:
            year_entries[y].append(p)
    plan_sum = {y: sum(p.entries[y].plan_wan for p in year_entries[y]) for y in year_entries}

    # 储备库规模标定：储备项目总投资 / 当年年度计划，窗口内各月中位数 ≈ 5 倍
    reserve_pool = [p for p in projects if p.reserve_from is not None and p.reserve_from <= end_mi]
    months = list(range(start_mi, end_mi + 1))
    pipe_base = {p.pid: p.raw * k0 * UNIT_WAN for p in reserve_pool if p.cohort is None}
    fixed, pipe = [], []
    for mi in months:
        f = v = 0.0
        for p in reserve_pool:
            if p.reserve_from <= mi and (p.reserve_until is None or mi < p.reserve_until):
                if p.cohort is None:
                    v += pipe_base[p.pid]
                else:
                    f += p.est_total
        fixed.append(f)
        pipe.append(v)

    def median_ratio(g: float) -> float:
        r = sorted((fixed[i] + g * pipe[i]) / max(plan_sum[months[i] // 12], 1.0) for i in range(len(months)))
        n = len(r)
        return r[n // 2] if n % 2 else (r[n // 2 - 1] + r[n // 2]) / 2

    lo, hi = 0.05, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if median_ratio(mid) < RESERVE_TARGET_RATIO else (lo, mid)
    g = (lo + hi) / 2
    for p in reserve_pool:
        if p.cohort is None:
            p.total = p.est_total = _nice(min(pipe_base[p.pid] * g, 1_500_000.0))

    # 属性
    used_codes: set = set()
    used_names: dict = {}
    for p in projects:
        _attributes(rng_attr, p, used_codes, used_names)

    # 人员
    used_people: set = set()
    leaders = _leaders(rng_key, used_people)
    head_of = {ld["unit"]: ld for ld in leaders if ld["unit"]}

    # 重点工程：逐年确定，上年重点工程如仍在建则保留（严重滞后的可能被调出），不足的从年度计划大的项目中补足
    quota = {lvl: max(1, round(q * scale)) for lvl, q in KEY_QUOTA.items()}
    prev: dict[int, str] = {}
    for y in range(max(first_cohort, y_start - 1), y_end + 1):
        rows = [p for p in year_entries[y] if p.entries[y].listed_from == y * 12]
        count = {lvl: 0 for lvl in quota}
        for p in rows:
            lvl = prev.get(p.pid)
            if lvl and not (p.entries[y].factor < 0.8 and rng_key.random() < 0.25):
                p.entries[y].key = lvl
                count[lvl] += 1
        cand = sorted((p for p in rows if p.entries[y].key is None),
                      key=lambda p: -p.entries[y].plan_wan * rng_key.lognormvariate(0, 0.35))
        for lvl in quota:
            need = quota[lvl] - count[lvl]
            while need > 0 and cand:
                p = cand.pop(0)
                p.entries[y].key = lvl
                need -= 1
        prev = {p.pid: p.entries[y].key for p in rows if p.entries[y].key}
        for p in rows:
            lvl = p.entries[y].key
            if lvl and p.leader is None:
                ld = _assign_leader(rng_key, p, lvl, leaders)
                p.leader = (ld["name"], ld["title"])
                p.resp_unit = p.tpl.unit
                p.resp_person = _person(rng_key, used_people)
    # 2—3 个重点工程故意缺包联领导
    last_keys = [p for p in year_entries[y_end] if p.entries[y_end].key == "municipal"]
    blank = rng_key.sample(last_keys, min(len(last_keys), 3 if scale >= 0.3 else 2))
    for p in blank:
        p.leader_blank = True
    blank_codes = [p.code for p in sorted(blank, key=lambda p: p.pid)]

    # 坐标和节点计划（只为窗口内出现在年度项目中的项目生成）
    centres = _zone_centres()
    for p in built:
        if any(y_start <= y <= y_end for y in p.entries):
            if p.zone:
                p.lon, p.lat = _random_point(rng_geo, p.county, centres[p.zone], 0.02)
            else:
                p.lon, p.lat = _random_point(rng_geo, p.county, None, 0.0)
            keyed = [y for y in sorted(p.entries) if p.entries[y].key]
            if keyed:
                p.nodes = _nodes(rng_key, p, p.entries[keyed[0]], season)
            if rng_attr.random() < 0.06:
                p.remark = rng_attr.choice(("已纳入专项债支持范围", "已列入省级重点项目储备", "土地已摘牌",
                                            "分期建设", "已完成招投标", "跨年度结转项目"))

    problems = _problems(rng_prob, rng_reopen, year_entries, y_start, y_end, end_mi, head_of, used_people)

    prog = Programme(seed=seed, scale=scale, start=start_mi, end=end_mi, projects=projects, senders=_senders(),
                     leaders=leaders, problems=problems, year_entries=year_entries, reserve_pool=reserve_pool,
                     targets={y: targets[y] for y in window}, blank_leader_codes=blank_codes)
    # 审批事项、要素保障和 13710 的时间（各用独立的随机数流，不改变上面的任何数）
    set_clock(prog)
    prog.approvals, prog.factors = approvals_and_factors(prog)
    return prog


# ---------------------------------------------------------------- 盘子概况（标定检查）

def reserve_members(prog: Programme, mi: int) -> list[Project]:
    """某月末在储备库中的项目。"""
    return [p for p in prog.reserve_pool
            if p.reserve_from <= mi and (p.reserve_until is None or mi < p.reserve_until)]


def annual_members(prog: Programme, mi: int) -> list[Project]:
    """某月列入年度建设项目的项目（含已竣工、年底前仍列入的）。"""
    y = mi // 12
    return [p for p in prog.year_entries.get(y, []) if p.entries[y].listed_from <= mi]


def programme_summary(prog: Programme) -> dict:
    """各年、各月的主要数字（不经过文件）：新开工/续建数、年度计划、重点工程、储备库、招商引资、问题。"""
    years: dict[str, dict] = {}
    y_start, y_end = prog.start // 12, prog.end // 12
    for y in range(y_start, y_end + 1):
        rows = prog.year_entries[y]
        ents = [p.entries[y] for p in rows]
        keys = {lvl: sum(1 for e in ents if e.key == lvl) for lvl in vocab.KEY_LEVEL}
        ind = [(p, p.entries[y]) for p in rows if p.sector == "工业"]
        ind_plan = sum(e.plan_wan for _, e in ind)
        six_plan = sum(e.plan_wan for p, e in ind if p.six_new)
        signed = [p for p in prog.projects if p.promo and p.signed and p.signed.year == y]
        started_same = [p for p in signed if p.started is not None and p.started // 12 == y]
        dec = min(y * 12 + 11, prog.end)
        ytd = sum(p.entries[y].ytd_wan[dec % 12] for p in rows if p.entries[y].listed_from <= dec)
        years[str(y)] = {
            "annual_projects": len(rows),
            "new_start": sum(1 for e in ents if e.library == "new_start"),
            "continuing": sum(1 for e in ents if e.library == "continuing"),
            "completed": sum(1 for e in ents if e.done is not None),
            "never_started": sum(1 for e in ents if e.library == "new_start" and e.started is None),
            "annual_plan_yi": round(sum(e.plan_wan for e in ents) / 10000, 2),
            "target_plan_yi": round(prog.targets[y] / 10000, 2),
            "completed_ytd_yi": round(ytd / 10000, 2),
            "ytd_month": _period(dec),
            "key_projects": keys,
            "industrial_share_of_plan": round(ind_plan / max(1.0, sum(e.plan_wan for e in ents)), 3),
            "six_new_share_of_industrial": round(six_plan / max(1.0, ind_plan), 3),
            "promotion_signed": len(signed),
            "promotion_started_same_year": len(started_same),
            "problems_found": sum(1 for pr in prog.problems if pr.found.year == y and pr.found <= _month_end(prog.end)),
        }
    months: dict[str, dict] = {}
    for mi in range(prog.start, prog.end + 1):
        res = reserve_members(prog, mi)
        y = mi // 12
        plan = sum(p.entries[y].plan_wan for p in prog.year_entries[y])
        total = sum(p.est_total for p in res)
        months[_period(mi)] = {"reserve_projects": len(res), "reserve_total_yi": round(total / 10000, 2),
                               "reserve_ratio": round(total / max(plan, 1.0), 2),
                               "annual_projects": len(annual_members(prog, mi))}
    return {"years": years, "months": months}
