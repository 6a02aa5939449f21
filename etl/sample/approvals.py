"""审批事项和要素保障：每个重点工程和许多年度项目的审批链条（各事项的部门、受理、办结、办理时限、
承诺制、代办）与要素需求（用地、用能、排污总量、资金），以及 13710 督办的交办、答复时间。

用独立的随机数流生成，不改变盘子中其他任何数。几个部门办得慢（市生态环境局的环评、天镇县和
浑源县的行政审批服务管理局、不动产登记），开发区一般工业项目多实行承诺制、多有代办；低风险
小型项目的整个链条大多在20个工作日以内；落后县区的政府投资项目资金缺口大，未开工的新开工
项目用地指标常未落实。工作日按国家法定节假日和调休（etl/workdays.py）。
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from etl import divisions, workdays
from etl.sample.calibration import COUNTY_FACTOR
from etl.sample.catalogue import DEPT_TEMPLATES
from etl.sample.model import Programme, Project
from etl.sample.util import _date_in, _month_end

# 部门办理速度：实际用时 ≈ 时限 × 系数 × 随机（> 1 的部门常超时）
DEPT_SLOWNESS = {"市生态环境局": 1.45, "天镇县行政审批服务管理局": 1.6, "浑源县行政审批服务管理局": 1.35,
                 "市不动产登记中心": 1.3, "灵丘县住房和城乡建设局": 1.25}
APPROVAL_SHARE = 0.55          # 非重点的新开工项目中有审批事项表的比例
LOW_RISK_MAX_WAN = 5000.0      # 低风险小型项目：企业投资、总投资不超过这个数（万元）的工业、服务业项目之一部分
LOW_RISK_SHARE = 0.35
PROMISE_SHARE = 0.75           # 开发区一般工业项目实行承诺制的比例
FACTOR_SHARE = 0.6             # 非重点的新开工项目中有要素保障表的比例
POLLUTANTS = ("二氧化硫", "氮氧化物", "化学需氧量", "氨氮", "颗粒物", "挥发性有机物")
FUNDING_SOURCE = {"专项债": "地方政府专项债", "中央预算内资金": "中央预算内资金", "银行贷款": "银行贷款",
                  "产业投资基金": "产业投资基金"}


@dataclass(slots=True)
class Approval:
    item: str            # 表中写的事项名称
    code: str            # etl.vocab.APPROVAL_ITEM 的代码
    dept: str
    accepted: dt.date
    completed: dt.date | None   # None：到数据截止仍在办理
    limit: int
    promise: bool
    agent: bool
    low_risk: bool


@dataclass(slots=True)
class Factor:
    kind: str            # land | energy | emission | funding
    detail: str | None
    needed: float
    dept: str
    planned: dt.date
    secured_path: list[tuple[dt.date, float]] = field(default_factory=list)  # （日期, 累计落实）

    def secured_at(self, d: dt.date) -> float:
        s = 0.0
        for when, v in self.secured_path:
            if when <= d:
                s = v
        return s


def _unit_dept(p: Project, what: str) -> str:
    """县区、开发区或市本级的审批、住建部门。"""
    if p.sender in DEPT_TEMPLATES:
        return {"approval": "市行政审批服务管理局", "housing": "市住房和城乡建设局"}[what]
    if p.zone:
        return f"{divisions.ZONE_NAME[p.zone]}行政审批局" if what == "approval" else \
            f"{divisions.COUNTY_NAME[p.county]}住房和城乡建设局"
    county = divisions.COUNTY_NAME[p.county]
    return f"{county}行政审批服务管理局" if what == "approval" else f"{county}住房和城乡建设局"


def _after(rng: random.Random, accepted: dt.date, limit: int, dept: str, end: dt.date) -> dt.date | None:
    """按部门快慢抽一个办理用时（工作日），返回办结日；超出日历已知年份或晚于 end 时为 None。"""
    slow = DEPT_SLOWNESS.get(dept, 1.0)
    used = max(0, round(limit * slow * rng.uniform(0.25, 1.05)))
    if rng.random() < 0.04 * slow:
        used = round(limit * rng.uniform(1.1, 1.8))  # 偶有超时
    try:
        done = workdays.add_working_days(accepted, used)
    except workdays.CalendarRangeError:
        return None
    return done if done <= end else None


def _chain(rng: random.Random, p: Project, end: dt.date) -> list[Approval]:
    first = p.entries[min(p.entries)]
    start = _date_in(p.started, p.start_day) if p.started is not None else _date_in(first.ps, p.start_day)
    gov = p.invest_kind == "government"
    low_risk = (not gov and p.total <= LOW_RISK_MAX_WAN and p.sector in ("工业", "服务业")
                and rng.random() < LOW_RISK_SHARE)
    promise = bool(p.zone) and not gov and p.sector == "工业" and not low_risk and rng.random() < PROMISE_SHARE
    agent = rng.random() < (0.7 if p.zone else 0.3)
    approval, housing = _unit_dept(p, "approval"), _unit_dept(p, "housing")
    steps: list[tuple[str, str, str, int, int]] = []  # 事项、代码、部门、时限、相对开工的受理天数
    if low_risk:
        steps += [("赋码备案", "project", approval, 1, -40), ("规划许可", "planning", approval, 3, -30),
                  ("施工许可", "construction", approval, 3, -15)]
    else:
        if gov:
            steps.append(("立项审批", "project", "市发展和改革委员会", 20, -170))
        elif p.total >= 100000:
            steps.append(("项目核准", "project", "市行政审批服务管理局", 20, -170))
        else:
            steps.append(("备案", "project", approval, 1, -150))
        if p.land:
            steps.append(("用地预审与选址", "land_site", "市规划和自然资源局", 20, -130))
        steps.append(("规划许可", "planning", approval if not gov else "市规划和自然资源局", 1 if promise else 10, -85))
        if p.sector == "工业" or rng.random() < 0.45:
            steps.append(("环评", "eia", "市生态环境局", 30 if p.sector == "工业" else 15, -90))
        if p.sector == "工业" and not promise:
            steps.append(("节能审查", "energy", "市能源局", 15, -80))
        steps.append(("施工许可", "construction", approval if not gov else housing, 1 if promise else 5, -25))
    out: list[Approval] = []
    for item, code, dept, limit, offset in steps:
        accepted = start + dt.timedelta(days=offset + rng.randint(-12, 8))
        if accepted > end:
            continue
        if p.started is None and code in ("construction", "land_site", "eia") and rng.random() < 0.55:
            # 还没开工：卡在这一步（常已超过时限）
            done = None
        else:
            # 低风险小型项目偶有一项拖得久（补正材料、现场核查），整个链条就超过20个工作日
            slow = 4 if low_risk and rng.random() < 0.1 else 1
            done = _after(rng, accepted, limit * slow, dept, end)
            if p.started is not None and done is not None and done > start and code != "property":
                done = max(accepted, start - dt.timedelta(days=rng.randint(1, 5)))
        out.append(Approval(item, code, dept, accepted, done, limit, promise, agent and rng.random() < 0.9,
                            low_risk))
    if p.done is not None:
        finish = _date_in(p.done, p.done_day)
        for item, code, dept, limit in (("竣工验收", "acceptance", housing, 5 if low_risk else 15),
                                        ("不动产登记", "property", "市不动产登记中心", 3 if low_risk else 5)):
            accepted = finish + dt.timedelta(days=rng.randint(3, 20))
            if accepted > end:
                break
            done = _after(rng, accepted, limit * (4 if low_risk and rng.random() < 0.1 else 1), dept, end)
            out.append(Approval(item, code, dept, accepted, done, limit, promise, agent, low_risk))
            if done is None:
                break
            finish = done
    return out


def _factors(rng: random.Random, p: Project, end: dt.date) -> list[Factor]:
    first = p.entries[min(p.entries)]
    planned_start = _date_in(first.ps, p.start_day)
    started = _date_in(p.started, p.start_day) if p.started is not None else None
    lag = COUNTY_FACTOR.get(p.county, 1.0) < 0.95  # 落后县区
    out: list[Factor] = []

    def path(f: Factor, full_by: dt.date | None, first_share: float) -> None:
        """从计划落实时间前两个月起逐月落实；full_by 之前落实完（None 表示到截止仍有缺口）。"""
        d = f.planned - dt.timedelta(days=60)
        share = first_share
        while d <= end:
            if full_by is not None and d >= full_by:
                f.secured_path.append((d, f.needed))
                return
            f.secured_path.append((d, round(f.needed * min(share, 0.95 if full_by is None else 1.0), 1)))
            share += rng.uniform(0.05, 0.2)
            d += dt.timedelta(days=30)

    if p.land:
        f = Factor("land", None, float(p.land), "市规划和自然资源局", planned_start - dt.timedelta(days=45))
        # 已开工的，开工前落实；未开工的新开工项目常有缺口
        path(f, (started - dt.timedelta(days=rng.randint(5, 40))) if started else None, rng.uniform(0.2, 0.6))
        out.append(f)
    if p.sector == "工业":
        tce = float(max(50, round(p.total * rng.uniform(0.02, 0.12), -1)))
        f = Factor("energy", None, tce, "市能源局", planned_start - dt.timedelta(days=30))
        path(f, f.planned + dt.timedelta(days=rng.randint(-40, 60 if rng.random() < 0.2 else 0)), 0.5)
        out.append(f)
        if rng.random() < 0.6:
            f = Factor("emission", rng.choice(POLLUTANTS), round(rng.uniform(0.5, 40.0), 1), "市生态环境局",
                       planned_start - dt.timedelta(days=20))
            path(f, f.planned + dt.timedelta(days=rng.randint(-30, 45)), 0.4)
            out.append(f)
    sources = [FUNDING_SOURCE[s] for s in p.funding.split("、") if s in FUNDING_SOURCE]
    if p.invest_kind == "government" or "产业投资基金" in sources:
        y = max(min(p.entries), end.year - 1)
        plan = p.entries.get(y, first).plan_wan or first.plan_wan
        for src in sources or ["地方政府专项债"]:
            need = float(max(100, round(plan * rng.uniform(0.2, 0.6), -1)))
            f = Factor("funding", src, need, "市财政局" if src != "产业投资基金" else "市发展和改革委员会",
                       dt.date(y, rng.choice((6, 9)), 30))
            gap = lag and rng.random() < 0.7
            path(f, None if gap else f.planned + dt.timedelta(days=rng.randint(-60, 30)),
                 rng.uniform(0.2, 0.5) if gap else 0.5)
            out.append(f)
    return out


def approvals_and_factors(prog: Programme) -> tuple[dict[int, list[Approval]], dict[int, list[Factor]]]:
    """每个重点工程，以及一部分窗口内的新开工项目，各自的审批链条和要素需求（按项目 pid）。"""
    end = _month_end(prog.end)
    y_start = prog.start // 12
    chains: dict[int, list[Approval]] = {}
    factors: dict[int, list[Factor]] = {}
    for p in prog.projects:
        if p.cohort is None or not p.entries or max(p.entries) < y_start:
            continue
        rng = random.Random(f"{prog.seed}|审批要素|{p.pid}")
        key = any(e.key for e in p.entries.values())
        if key or (p.cohort >= y_start and rng.random() < APPROVAL_SHARE):
            chain = _chain(rng, p, end)
            if chain:
                chains[p.pid] = chain
        if key or (p.cohort >= y_start and rng.random() < FACTOR_SHARE):
            fs = _factors(rng, p, end)
            if fs:
                factors[p.pid] = fs
    return chains, factors


def set_clock(prog: Programme) -> None:
    """13710：问题的交办（多在1个工作日内）、答复（多在3个工作日内）时间，以及重大问题。

    改写 Problem.assigned / working（清单中「已交办」「办理中」状态据此判断）。"""
    rng = random.Random(f"{prog.seed}|13710")
    key_pids = {p.pid for p in prog.projects if any(e.key for e in p.entries.values())}
    for pr in prog.problems:
        d1 = rng.choices((0, 1, 2, 3, 5), weights=(45, 38, 9, 5, 3))[0]
        d2 = d1 + rng.choices((1, 2, 3, 4, 6), weights=(40, 30, 14, 10, 6))[0]
        try:
            pr.assigned = workdays.add_working_days(pr.found, d1)
            pr.working = workdays.add_working_days(pr.found, d2)
        except workdays.CalendarRangeError:
            continue
        pr.major = pr.pid in key_pids and pr.ptype in ("用地", "资金", "征地拆迁", "审批") and rng.random() < 0.45
