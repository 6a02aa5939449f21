"""预计全年完成: the year-end forecast of investment, and the seasonal 序时进度.

Pure functions: the monthly year-to-date totals of queries/forecast_history.sql in, a
`Forecast` out. No streamlit.

The method (shown to users as METHOD_TEXT):
- **季节比例法** (seasonal ratio-to-history): each earlier complete year y (reported up to
  December) reached share_y = 1-m月累计 ÷ 全年完成 by the same month m. A typical year's share
  is the mean of share_y; the forecast is this year's 1-m月累计 ÷ that share.
- **序时推算** (linear fallback): with fewer than MIN_HISTORY_YEARS complete earlier years,
  the forecast is 1-m月累计 ÷ (m ÷ 12).
- **区间与误差** (range and backtest error): the same method is run on each earlier complete
  year from its own month m (using only the years before it) and compared with what that year
  actually finished at; the mean absolute error of those runs, as a share of the actual, is
  the backtest error, and the range is the forecast ± that share. Without a year to test on,
  the range is the spread of the estimates from each history year (none with one year).
- **剩余月份需完成**: (年度计划 − 1-m月累计) ÷ (12 − m) a month to finish the plan.
- **季节序时进度** (seasonal schedule): the typical share itself, next to the linear m ÷ 12.
  The 红黄绿 rule (etl/status.py) keeps the linear one unless config/status.toml says seasonal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from etl.status import SEASONAL as SEASONAL_SCHEDULE
from etl.status import schedule_mode
from ui.format import pct, yi

MIN_HISTORY_YEARS = 1  # complete earlier years needed for the seasonal method
SEASONAL, LINEAR = "seasonal", "linear"
METHOD_LABEL = {SEASONAL: "季节比例法", LINEAR: "序时推算"}

METHOD_TEXT = (
    "预计全年完成按季节比例法测算：以往各完整年度（报送至12月）到同一月份累计完成投资占全年完成投资的比例取平均，"
    "作为“典型年份同期完成比例”，预计全年完成 = 本年累计完成 ÷ 该比例；以往完整年度不足"
    f"{MIN_HISTORY_YEARS}年时，按序时推算（本年累计完成 ÷ 当月月数 × 12）。"
    "回测误差：用同一方法、只用更早年份的数据，从以往各年同一月份推算该年全年完成，与其实际全年完成相比的平均相对误差；"
    "预计区间 = 预计值 ±（预计值 × 回测误差）。"
    "季节序时进度 = 典型年份同期完成比例；"
    + ("红黄绿判定按季节序时进度（装载数据时计算）。" if schedule_mode() == SEASONAL_SCHEDULE
       else "红黄绿判定按线性序时进度（当月月数 ÷ 12）。")
)


@dataclass(frozen=True)
class Backtest:
    year: int
    forecast_wan: float
    actual_wan: float

    @property
    def error(self) -> float:
        """Relative error, signed: + the forecast was too high."""
        return self.forecast_wan / self.actual_wan - 1


@dataclass(frozen=True)
class Forecast:
    year: int
    month: int
    ytd_wan: float | None
    plan_wan: float | None
    method: str  # SEASONAL or LINEAR
    share: float | None  # the share of the year taken as reached by this month
    point_wan: float | None
    low_wan: float | None = None
    high_wan: float | None = None
    history: dict[int, float] = field(default_factory=dict)  # year -> share reached by this month
    backtests: tuple[Backtest, ...] = ()

    @property
    def linear_schedule(self) -> float:
        """序时进度 as the 红黄绿 rule reads it: month ÷ 12."""
        return self.month / 12

    @property
    def seasonal_schedule(self) -> float | None:
        """季节序时进度: the share a typical earlier year had reached by this month."""
        return self.share if self.method == SEASONAL else None

    @property
    def backtest_error(self) -> float | None:
        """Mean absolute relative error of the method on earlier years (None when untested)."""
        if not self.backtests:
            return None
        return sum(abs(b.error) for b in self.backtests) / len(self.backtests)

    @property
    def completion_forecast(self) -> float | None:
        """预计全年完成率: the forecast ÷ the annual plan."""
        if self.point_wan is None or not self.plan_wan:
            return None
        return self.point_wan / self.plan_wan

    @property
    def remaining_months(self) -> int:
        return 12 - self.month

    @property
    def need_per_month_wan(self) -> float | None:
        """What each remaining month must bring to finish the plan (0 when already finished;
        None in December or without a plan)."""
        if not self.plan_wan or self.ytd_wan is None or self.remaining_months == 0:
            return None
        return max(self.plan_wan - self.ytd_wan, 0.0) / self.remaining_months


def _num(x) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def _ytd_by_year(history: pl.DataFrame) -> dict[int, dict[int, float]]:
    """{year: {month: ytd_wan}} of one scope (rows with a null ytd left out)."""
    out: dict[int, dict[int, float]] = {}
    for r in history.iter_rows(named=True):
        v = _num(r["ytd_wan"])
        if v is not None:
            out.setdefault(int(r["year"]), {})[int(r["month"])] = v
    return out


def year_shares(by_year: dict[int, dict[int, float]], month: int, before: int) -> dict[int, float]:
    """Share of its full year each complete year before `before` had reached by `month`."""
    out = {}
    for y, months in sorted(by_year.items()):
        full = months.get(12)
        if y < before and full and full > 0 and month in months:
            out[y] = months[month] / full
    return out


def _estimate(ytd: float, month: int, shares: dict[int, float], min_years: int) -> tuple[str, float]:
    """(method, share) for a year-to-date figure at `month` given earlier years' shares."""
    usable = {y: s for y, s in shares.items() if s > 0}
    if len(usable) >= min_years and usable:
        return SEASONAL, sum(usable.values()) / len(usable)
    return LINEAR, month / 12


def backtest(by_year: dict[int, dict[int, float]], month: int, year: int, method: str,
             min_years: int = MIN_HISTORY_YEARS) -> tuple[Backtest, ...]:
    """The method run on each complete year before `year` from its own `month`, using only the
    years before it, against what it finished at."""
    out = []
    for y, months in sorted(by_year.items()):
        full, ytd = months.get(12), months.get(month)
        if y >= year or not full or full <= 0 or ytd is None:
            continue
        shares = year_shares(by_year, month, y)
        m, share = _estimate(ytd, month, shares, min_years)
        if m != method:  # not enough history to test this method on that year
            continue
        out.append(Backtest(y, ytd / share, full))
    return tuple(out)


def forecast(history: pl.DataFrame, year: int, month: int, min_years: int = MIN_HISTORY_YEARS) -> Forecast:
    """The year-end forecast of one scope from its history (columns year, month, plan_wan,
    ytd_wan: one row per month; this year's rows up to `month`)."""
    by_year = _ytd_by_year(history)
    now = history.filter((pl.col("year") == year) & (pl.col("month") == month))
    ytd = _num(now["ytd_wan"][0]) if now.height else None
    plan = _num(now["plan_wan"][0]) if now.height else None
    shares = year_shares(by_year, month, year)
    if ytd is None:
        return Forecast(year, month, None, plan, LINEAR, None, None, history=shares)
    if month == 12:  # the year is done: the forecast is what it finished at
        return Forecast(year, month, ytd, plan, SEASONAL if shares else LINEAR, 1.0, ytd, ytd, ytd, shares)
    method, share = _estimate(ytd, month, shares, min_years)
    point = ytd / share
    tests = backtest(by_year, month, year, method, min_years)
    if tests:
        err = sum(abs(b.error) for b in tests) / len(tests)
        low, high = point * (1 - err), point * (1 + err)
    elif method == SEASONAL and len(shares) > 1:
        each = [ytd / s for s in shares.values() if s > 0]
        low, high = min(each), max(each)
    else:
        low = high = None
    return Forecast(year, month, ytd, plan, method, share, point, low, high,
                    shares if method == SEASONAL else {}, tests)


def forecasts(history: pl.DataFrame, year: int, month: int, min_years: int = MIN_HISTORY_YEARS
              ) -> dict[str | None, Forecast]:
    """One forecast per scope of queries/forecast_history.sql: None (the city) and each unit_code."""
    out = {}
    for (code,), part in history.group_by(["unit_code"], maintain_order=True):
        out[code] = forecast(part, year, month, min_years)
    return out


# ---------------------------------------------------------------- how it reads

def range_text(fc: Forecast) -> str:
    """「540.12～589.34亿元」, or 「—」 without a range."""
    if fc.low_wan is None or fc.high_wan is None:
        return "—"
    return f"{yi(fc.low_wan, unit=False)}～{yi(fc.high_wan)}"


def error_text(fc: Forecast) -> str:
    """「回测误差4.2%（2025年）」 / 「无可回测年份」."""
    if fc.backtest_error is None:
        return "无可回测年份"
    years = "、".join(f"{b.year}年" for b in fc.backtests)
    return f"回测误差{pct(fc.backtest_error)}（{years}）"


def need_text(fc: Forecast) -> str:
    """「完成年度计划，剩余2个月需月均完成36.50亿元」."""
    need = fc.need_per_month_wan
    if need is None:
        return "—" if fc.remaining_months else "全年已结束"
    if need == 0:
        return "已完成年度计划"
    return f"完成年度计划，剩余{fc.remaining_months:,}个月需月均完成{yi(need)}"


def schedule_text(fc: Forecast) -> str:
    """「线性序时进度83.3% · 季节序时进度79.6%」."""
    seasonal = fc.seasonal_schedule
    s = f"线性序时进度{pct(fc.linear_schedule)}"
    return s + (f" · 季节序时进度{pct(seasonal)}" if seasonal is not None else " · 季节序时进度—（历史年份不足）")


def forecast_table(fcs: dict[str | None, Forecast], names: dict[str | None, str],
                   order: list[str | None] | None = None) -> pl.DataFrame:
    """Forecasts with Chinese headers for pages and downloads: one row per scope."""
    rows = []
    for code in order or list(fcs):
        fc = fcs.get(code)
        if fc is None or fc.point_wan is None:
            continue
        rows.append({
            "范围": names.get(code, code or "全市"),
            "年度计划（亿元）": None if fc.plan_wan is None else round(fc.plan_wan / 10000, 2),
            "累计完成（亿元）": round(fc.ytd_wan / 10000, 2),
            "预计全年完成（亿元）": round(fc.point_wan / 10000, 2),
            "预计区间（亿元）": range_text(fc).removesuffix("亿元"),
            "预计全年完成率（%）": None if fc.completion_forecast is None else round(fc.completion_forecast * 100, 1),
            "回测误差": "—" if fc.backtest_error is None else pct(fc.backtest_error),
            "测算方法": METHOD_LABEL[fc.method],
            "剩余月份月均需完成（亿元）": None if fc.need_per_month_wan is None else round(fc.need_per_month_wan / 10000, 2),
            "季节序时进度（%）": None if fc.seasonal_schedule is None else round(fc.seasonal_schedule * 100, 1),
        })
    schema = {"范围": pl.String, "年度计划（亿元）": pl.Float64, "累计完成（亿元）": pl.Float64,
              "预计全年完成（亿元）": pl.Float64, "预计区间（亿元）": pl.String, "预计全年完成率（%）": pl.Float64,
              "回测误差": pl.String, "测算方法": pl.String, "剩余月份月均需完成（亿元）": pl.Float64,
              "季节序时进度（%）": pl.Float64}
    return pl.DataFrame(rows, schema=schema)
