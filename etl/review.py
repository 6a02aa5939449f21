"""重点工程动态调整: the rules that propose key projects to lose key status, and municipal key
projects to propose for the provincial list. This is the only place the rules live; their
thresholds are in config/review.toml (COCKPIT_REVIEW_CONFIG overrides the path) and the pages
and the quarterly report show them with `rules_text`.

Pure functions over the rows of queries/review_key_months.sql (one row per key project and
month, oldest first). No streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.config import ROOT
from etl.status import RED_GAP_PTS

CONFIG_FILE = ROOT / "config" / "review.toml"

LAG, WEAK, NOT_STARTED = "lag", "weak_investment", "not_started"
RULE_LABEL = {LAG: "实施进度明显滞后", WEAK: "投资强度明显不够", NOT_STARTED: "未按期开工"}


@dataclass(frozen=True)
class ReviewConfig:
    lag_months: int = 3
    min_plan_share: float = 0.3
    from_month: int = 6
    not_started_months: int = 3
    green_months: int = 3
    max_gap_pts: float = 0.0
    min_total_investment_wan: float = 50000.0

    @property
    def months_needed(self) -> int:
        """How many months of history the rules read."""
        return max(self.lag_months, self.green_months)


def load_config(path: Path | str | None = None) -> ReviewConfig:
    """Read config/review.toml and check it (a clear message naming the bad setting)."""
    path = Path(path or os.environ.get("COCKPIT_REVIEW_CONFIG", CONFIG_FILE))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rm, pr = raw.get("remove", {}), raw.get("promote", {})
    d = ReviewConfig()
    cfg = ReviewConfig(
        lag_months=int(rm.get("lag_months", d.lag_months)),
        min_plan_share=float(rm.get("min_plan_share", d.min_plan_share)),
        from_month=int(rm.get("from_month", d.from_month)),
        not_started_months=int(rm.get("not_started_months", d.not_started_months)),
        green_months=int(pr.get("green_months", d.green_months)),
        max_gap_pts=float(pr.get("max_gap_pts", d.max_gap_pts)),
        min_total_investment_wan=float(pr.get("min_total_investment_wan", d.min_total_investment_wan)),
    )
    for name in ("lag_months", "not_started_months", "green_months"):
        if getattr(cfg, name) < 1:
            raise ValueError(f"{path.name} 中 {name} 应为不小于1的整数：{getattr(cfg, name)}")
    if not 0 <= cfg.min_plan_share <= 1:
        raise ValueError(f"{path.name} 中 min_plan_share 应在0到1之间：{cfg.min_plan_share}")
    if not 1 <= cfg.from_month <= 12:
        raise ValueError(f"{path.name} 中 from_month 应为1到12：{cfg.from_month}")
    return cfg


def rules_text(cfg: ReviewConfig) -> list[str]:
    """The rules with their thresholds, one line each, as users read them."""
    return [
        f"建议取消重点工程资格（符合任一条）：①{RULE_LABEL[LAG]}：连续{cfg.lag_months}个月落后序时进度超过"
        f"{RED_GAP_PTS}个百分点；②{RULE_LABEL[WEAK]}：{cfg.from_month}月起年累计完成投资不到年度计划投资的"
        f"{cfg.min_plan_share * 100:g}%；③{RULE_LABEL[NOT_STARTED]}：超过计划开工时间{cfg.not_started_months}个月仍未开工。",
        f"建议推荐申报省级重点工程（市级重点工程，同时满足）：连续{cfg.green_months}个月为绿色；"
        f"年累计完成率{'达到' if cfg.max_gap_pts == 0 else f'落后不超过{cfg.max_gap_pts:g}个百分点于'}序时进度；"
        f"总投资不低于{cfg.min_total_investment_wan / 10000:g}亿元；没有超过完成时限未销号的问题。",
        "以上为依据报送数据自动筛选的建议名单，是否调整由项目推进中心会同有关县区、部门研究确定。",
    ]


def _month_back(p: dt.date, n: int) -> dt.date:
    k = p.year * 12 + p.month - 1 - n
    return dt.date(k // 12, k % 12 + 1, 1)


def _streak(rows: list[dict], period: dt.date, test) -> int:
    """Consecutive months up to `period` (a missing month ends it) whose row passes `test`."""
    by_period = {r["period"]: r for r in rows}
    n = 0
    while True:
        r = by_period.get(_month_back(period, n))
        if r is None or not test(r):
            return n
        n += 1


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


REMOVAL_SCHEMA = {"project_code": pl.String, "name": pl.String, "unit_name": pl.String, "key_level": pl.String,
                  "leader": pl.String, "responsible_unit": pl.String, "annual_plan_wan": pl.Float64,
                  "completed_ytd_wan": pl.Float64, "completion_rate": pl.Float64, "gap_pts": pl.Float64,
                  "rules": pl.List(pl.String), "reasons": pl.String}
PROMOTION_SCHEMA = {"project_code": pl.String, "name": pl.String, "unit_name": pl.String, "leader": pl.String,
                    "total_investment_wan": pl.Float64, "annual_plan_wan": pl.Float64, "completed_ytd_wan": pl.Float64,
                    "completion_rate": pl.Float64, "gap_pts": pl.Float64, "green_months": pl.Int64,
                    "reasons": pl.String}


def _by_project(rows: pl.DataFrame, period: dt.date) -> list[tuple[dict, list[dict]]]:
    """(the row of `period`, all rows) of every project key at `period`."""
    out = []
    for _, part in rows.sort("period").group_by("project_code", maintain_order=True):
        hist = part.to_dicts()
        now = next((r for r in hist if r["period"] == period), None)
        if now is not None and now["is_key"]:
            out.append((now, hist))
    return out


def removals(rows: pl.DataFrame, period: dt.date, cfg: ReviewConfig) -> pl.DataFrame:
    """Key projects proposed to lose key status, with every rule they meet and why."""
    out = []
    for now, hist in _by_project(rows, period):
        if now["is_done"]:
            continue
        rules, reasons = [], []
        lag = _streak(hist, period, lambda r: (_num(r["gap_pts"]) or 0) > RED_GAP_PTS and not r["is_done"])
        if lag >= cfg.lag_months:
            rules.append(LAG)
            reasons.append(f"连续{lag}个月落后序时进度超过{RED_GAP_PTS}个百分点（本月落后{now['gap_pts']:.1f}个百分点）")
        rate = _num(now["completion_rate"])
        started = now["library"] != "new_start" or now["actual_start"] is not None or (now["completed_ytd_wan"] or 0) > 0
        if period.month >= cfg.from_month and rate is not None and rate < cfg.min_plan_share and started:
            rules.append(WEAK)
            reasons.append(f"年累计完成投资仅占年度计划投资的{rate * 100:.1f}%（不到{cfg.min_plan_share * 100:g}%）")
        late = now["months_late_start"] or 0
        if late >= cfg.not_started_months:
            rules.append(NOT_STARTED)
            reasons.append(f"超过计划开工时间{late}个月仍未开工")
        if rules:
            out.append({k: now.get(k) for k in REMOVAL_SCHEMA if k not in ("rules", "reasons")}
                       | {"rules": rules, "reasons": "；".join(reasons)})
    df = pl.DataFrame(out, schema=REMOVAL_SCHEMA)
    return df.sort(pl.col("rules").list.len(), "gap_pts", descending=True, nulls_last=True)


def promotions(rows: pl.DataFrame, period: dt.date, cfg: ReviewConfig) -> pl.DataFrame:
    """Municipal key projects performing well enough to be proposed for the provincial list."""
    out = []
    for now, hist in _by_project(rows, period):
        if now["key_level"] != "municipal":
            continue
        green = _streak(hist, period, lambda r: r["status"] == "green")
        gap = _num(now["gap_pts"])
        total = _num(now["total_investment_wan"]) or 0
        if (green >= cfg.green_months and gap is not None and gap <= cfg.max_gap_pts
                and total >= cfg.min_total_investment_wan and not now["has_overdue_problem"]):
            ahead = ("与序时进度持平" if abs(gap) < 0.05 else
                     f"{'落后' if gap > 0 else '快于'}序时进度{abs(gap):.1f}个百分点")
            reason = (f"连续{green}个月为绿色，年累计完成率{now['completion_rate'] * 100:.1f}%（{ahead}），"
                      f"总投资{total / 10000:.2f}亿元")
            out.append({k: now.get(k) for k in PROMOTION_SCHEMA if k not in ("green_months", "reasons")}
                       | {"green_months": green, "reasons": reason})
    df = pl.DataFrame(out, schema=PROMOTION_SCHEMA)
    return df.sort("gap_pts", "total_investment_wan", descending=[False, True])
