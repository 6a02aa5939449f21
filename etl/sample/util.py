"""月份序号与日期、随机抽样、取整、人名电话等小工具，以及季节权重。"""

from __future__ import annotations

import datetime as dt
import math
import random

from etl.sample.calibration import SEASON
from etl.sample.catalogue import GIVEN, SURNAMES


def _mi(year: int, month: int) -> int:
    return year * 12 + month - 1


def _ym(mi: int) -> tuple[int, int]:
    return mi // 12, mi % 12 + 1


def _period(mi: int) -> str:
    y, m = _ym(mi)
    return f"{y}-{m:02d}"


def _parse_period(text: str) -> int:
    s = str(text).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "")
    y, m = s.split("-")[:2]
    return _mi(int(y), int(m))


def _month_end(mi: int) -> dt.date:
    y, m = _ym(mi + 1)
    return dt.date(y, m, 1) - dt.timedelta(days=1)


def _date_in(mi: int, day: int) -> dt.date:
    y, m = _ym(mi)
    return dt.date(y, m, min(day, 28))


def _mi_of(d: dt.date) -> int:
    return _mi(d.year, d.month)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _nice(x: float) -> float:
    """总投资、年度计划等取整到习惯的位数。"""
    if x < 1000:
        step = 10
    elif x < 10000:
        step = 50
    elif x < 100000:
        step = 100
    else:
        step = 1000
    return float(max(step, round(x / step) * step))


def _person(rng: random.Random, used: set | None = None) -> str:
    for _ in range(100):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if used is None or name not in used:
            if used is not None:
                used.add(name)
            return name
    return name


def _cn(n: int) -> str:
    """1—19 的中文数字（第七中学）。"""
    digits = "一二三四五六七八九"
    if 1 <= n <= 9:
        return digits[n - 1]
    if 10 <= n <= 19:
        return "十" + (digits[n - 11] if n > 10 else "")
    return str(n)


def _phone(rng: random.Random) -> str:
    return f"0352-{rng.randint(2, 7)}{rng.randint(0, 999999):06d}"


class _Season:
    """季节权重的前缀和，用于按月分摊计划。"""

    def __init__(self, base: int, n: int):
        self.base = base
        self.pre = [0.0]
        for i in range(n):
            self.pre.append(self.pre[-1] + SEASON[(base + i) % 12])

    def w(self, a: int, b: int) -> float:
        if b < a:
            return 0.0
        return self.pre[b - self.base + 1] - self.pre[a - self.base]

    def sched(self, ps: int, pe: int, upto: int) -> float:
        """按计划，截至 upto 月末应完成的比例。"""
        if upto < ps:
            return 0.0
        if upto >= pe:
            return 1.0
        return self.w(ps, upto) / self.w(ps, pe)

    def month_reaching(self, ps: int, pe: int, q: float) -> int:
        total = self.w(ps, pe)
        for mi in range(ps, pe + 1):
            if self.w(ps, mi) >= q * total - 1e-12:
                return mi
        return pe
