"""问题清单：发现、交办、办理、办结，企业不满意的重新办理，以及每月末的状态。"""

from __future__ import annotations

import datetime as dt
import math
import random

from etl import divisions, vocab
from etl.problem_rules import SATISFIED
from etl.sample.calibration import PROBLEMS_BASE_RATE, REOPEN_STAY_OPEN, REOPEN_STAY_OPEN_MONTHS, SEASON, VANISH_RATE
from etl.sample.catalogue import DEPT_TEMPLATES, PROBLEM_CASES
from etl.sample.model import Problem, Reopen
from etl.sample.util import _date_in, _mi_of, _month_end, _person, _poisson, _weighted


def _problems(rng: random.Random, rng_reopen: random.Random, year_entries: dict, y_start: int, y_end: int,
              end_mi: int, head_of: dict, used_people: set) -> list[Problem]:
    out: list[Problem] = []
    for y in range(max(min(year_entries), y_start - 1), y_end + 1):
        for p in year_entries[y]:
            e = p.entries[y]
            first = max(e.listed_from, y * 12)
            months = list(range(first, y * 12 + 12))
            lam = PROBLEMS_BASE_RATE * len(months) / 12
            lam *= 1 + 1.6 * max(0.0, 1 - e.factor) if e.started is not None else 2.5
            if e.key:
                lam *= 1.5
            if e.stall:
                lam *= 2.5
            for _ in range(_poisson(rng, lam)):
                if e.stall and rng.random() < 0.6:
                    mi = rng.randint(*e.stall)
                else:
                    mi = rng.choices(months, weights=[SEASON[m % 12] + 0.03 for m in months])[0]
                found = _date_in(mi, rng.randint(1, 28))
                if e.started is None or (e.started and mi < e.started):
                    weights = {"审批": .35, "用地": .3, "征地拆迁": .2, "资金": .1, "其他": .05}
                elif e.stall:
                    weights = {"资金": .5, "征地拆迁": .15, "其他": .2, "用地": .15}
                elif p.invest_kind == "government":
                    weights = {"资金": .35, "用地": .2, "征地拆迁": .15, "审批": .1, "水电气暖接入": .1, "其他": .1}
                else:
                    weights = {"资金": .2, "审批": .15, "用地": .15, "水电气暖接入": .25, "征地拆迁": .05, "其他": .2}
                ptype = _weighted(rng, weights)
                assigned = found + dt.timedelta(days=rng.randint(2, 12))
                working = assigned + dt.timedelta(days=rng.randint(3, 20))
                deadline = found + dt.timedelta(days=rng.randint(30, 90))
                dur = 10 + int(rng.lognormvariate(math.log(55), 0.6) * (1.4 if e.factor < 0.85 else 1.0))
                closed: dt.date | None = found + dt.timedelta(days=dur)
                last_year = max(p.entries)
                if last_year < y_end:  # 项目已不再列入：问题在项目最后一次列入时销号
                    limit = dt.date(last_year, 12, 28)
                    if closed > limit:
                        closed = max(found + dt.timedelta(days=3), limit - dt.timedelta(days=rng.randint(0, 20)))
                vanish = None
                if rng.random() < VANISH_RATE:
                    last = min(_mi_of(closed), end_mi) if closed else end_mi
                    if last - 1 >= mi:
                        vanish = rng.randint(mi, last - 1)
                text, unit, solution = rng.choice(PROBLEM_CASES[ptype])
                unit = unit.format(county=divisions.COUNTY_NAME[p.county])
                if p.leader and not p.leader_blank:
                    leader = p.leader[0]
                else:
                    head = head_of.get(p.sender if p.sender in DEPT_TEMPLATES else (p.zone or p.county))
                    leader = head["name"]
                pr = Problem(pid=p.pid, code_admin=p.code.split("-")[1], ptype=ptype,
                             text=text, found=found, assigned=assigned, working=working,
                             deadline=deadline, closed=closed, escalate=rng.random() < 0.55, vanish_after=vanish,
                             unit=unit, leader=leader, person=_person(rng, used_people),
                             solution=solution,
                             satisfaction=rng.choices(vocab.SATISFACTION, weights=(78, 17, 5))[0])
                if rng.random() < 0.08:  # 「五到位」缺一项
                    gap = rng.choice(("unit", "leader", "person", "solution", "deadline"))
                    if gap == "deadline":
                        pr.deadline = None  # type: ignore[assignment]
                    else:
                        setattr(pr, gap, None)
                if vanish is None:
                    _reopen(rng_reopen, pr, last_year < y_end, end_mi)
                out.append(pr)
    out.sort(key=lambda pr: (pr.found, pr.pid))
    seq: dict[tuple[str, int], int] = {}
    for pr in out:
        k = (pr.code_admin, pr.found.year)
        seq[k] = seq.get(k, 0) + 1
        pr.pid_str = f"WT-{pr.code_admin}-{pr.found.year}-{seq[k]:04d}"
    return out


def _reopen(rng: random.Random, pr: Problem, project_gone: bool, end_mi: int) -> None:
    """办结但企业不满意（或未评价）的问题不能销号：次月重新办理（办理中，新的完成时限为30—60天后，
    问题编号不变），之后以满意或基本满意销号；最近几个月重新办理的少数问题到数据截止仍未办结，超期转督办。
    项目已不再列入年度项目的，重新办理后都会销号。"""
    if pr.closed is None or pr.satisfaction in SATISFIED:
        return
    mi = _mi_of(pr.closed) + 1
    reopened = _date_in(mi, rng.randint(1, 10))
    deadline = reopened + dt.timedelta(days=rng.randint(30, 60))
    if not project_gone and mi > end_mi - REOPEN_STAY_OPEN_MONTHS and rng.random() < REOPEN_STAY_OPEN:
        pr.reopens.append(Reopen(reopened, deadline, None, None, True))
        return
    closed = reopened + dt.timedelta(days=rng.randint(25, 80))
    if _mi_of(closed) == mi:  # 重新办理的当月至少报一次「办理中」
        closed = _date_in(mi + 1, rng.randint(1, 28))
    satisfaction = rng.choices(SATISFIED, weights=(70, 30))[0]
    pr.reopens.append(Reopen(reopened, deadline, closed, satisfaction, rng.random() < 0.55))


def problem_at(pr: Problem, mi: int) -> tuple[str, dt.date | None, dt.date | None, str | None] | None:
    """问题在某月末的（办理状态, 完成时限, 办结时间, 企业满意度）；该月不在清单中时为 None。

    办结的当月报「已办结」；企业满意或基本满意的，次月起不再列入清单；不满意（或未评价）的，
    次月重新办理（见 _reopen），直到满意销号。"""
    end = _month_end(mi)
    if pr.found > end:
        return None
    if pr.vanish_after is not None and mi > pr.vanish_after:
        return None
    if pr.closed is None or _mi_of(pr.closed) >= mi:
        if pr.closed and pr.closed <= end:
            return "closed", pr.deadline, pr.closed, pr.satisfaction
        if pr.escalate and pr.deadline and end > pr.deadline + dt.timedelta(days=7):
            return "escalated", pr.deadline, None, None
        if end >= pr.working:
            return "in_progress", pr.deadline, None, None
        if end >= pr.assigned:
            return "assigned", pr.deadline, None, None
        return "open", pr.deadline, None, None
    for rd in pr.reopens:
        if rd.closed is not None and _mi_of(rd.closed) < mi:
            continue
        if rd.reopened > end:
            return None
        if rd.closed and rd.closed <= end:
            return "closed", rd.deadline, rd.closed, rd.satisfaction
        if rd.escalate and end > rd.deadline + dt.timedelta(days=7):
            return "escalated", rd.deadline, None, None
        return "in_progress", rd.deadline, None, None
    return None


def problem_state(pr: Problem, mi: int) -> str | None:
    """问题在某月末的办理状态；该月不在清单中时为 None。"""
    at = problem_at(pr, mi)
    return at[0] if at else None
