"""比亮晒: composite score, ranks, ties, rank changes, 红榜/末位 and the 排队通报 layout.

Pure functions (frames in, frames or HTML out). The method and the weights are read from
config/league.toml and explained there in Chinese; the page shows them as they are.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ui.format import escape, growth, pct, rank_change, times
from ui.memo import memo

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "config" / "league.toml"

# metric code -> the column of queries/league_*.sql holding the value users read
METRICS = {
    "completion": "completion_rate",
    "growth": "yoy_growth",
    "new_start": "start_rate",
    "key_green": "key_green_share",
    "problem_closure": "closure_rate",
    "overdue_problems": "overdue_problems",
    "reserve_ratio": "reserve_ratio",
    "signed_started": "signed_started_ratio",
    "approvals": "approval_timely_rate",
}
DEDUCT = "overdue_problems"  # the one metric scored by deduction
GROUPS = {"units": "县区、开发区", "departments": "市直部门"}





NOT_RANKED_NO_PROJECTS = "无项目，不参与排名"
NO_PREVIOUS_DATA = "上期无数据"
NOT_RANKED_BEFORE = "上期未排名"
TIED = "并列"
TOP_BADGE, BOTTOM_BADGE = "红榜", "末位"


@dataclass(frozen=True)
class LeagueConfig:
    labels: dict[str, str]
    targets: dict[str, float]
    deduct_per_problem: float
    weights: dict[str, dict[str, float]]  # group -> metric -> weight (only weights > 0)
    top: int
    bottom: int


def load_config(path: Path | str | None = None) -> LeagueConfig:
    """Read the weights file (COCKPIT_LEAGUE_CONFIG overrides the path) and check it."""
    path = Path(path or os.environ.get("COCKPIT_LEAGUE_CONFIG", CONFIG_FILE))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    metrics = raw.get("metrics", {})
    unknown = set(metrics) - set(METRICS)
    if unknown:
        raise ValueError(f"评分配置中有未知指标：{'、'.join(sorted(unknown))}")
    weights: dict[str, dict[str, float]] = {}
    for group in GROUPS:
        w = raw.get("weights", {}).get(group, {})
        bad = set(w) - set(METRICS)
        if bad:
            raise ValueError(f"评分配置 weights.{group} 中有未知指标：{'、'.join(sorted(bad))}")
        if any(float(v) < 0 for v in w.values()):
            raise ValueError(f"评分配置 weights.{group} 中有负权重")
        weights[group] = {m: float(w[m]) for m in METRICS if float(w.get(m, 0)) > 0}
    hl = raw.get("highlight", {})
    return LeagueConfig(
        labels={m: metrics.get(m, {}).get("label", m) for m in METRICS},
        targets={m: float(metrics.get(m, {}).get("target", 1.0)) for m in METRICS if m != DEDUCT},
        deduct_per_problem=float(metrics.get(DEDUCT, {}).get("deduct_per_problem", 10)),
        weights=weights,
        top=int(hl.get("top", 3)),
        bottom=int(hl.get("bottom", 3)),
    )


def _num(x) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def basis(row: dict, metric: str) -> float | None:
    """The number a metric is scored on (see config/league.toml)."""
    if metric == "completion":
        rate, tp = _num(row.get("completion_rate")), _num(row.get("time_progress"))
        return rate / tp if rate is not None and tp else None
    if metric == "growth":
        g = _num(row.get("yoy_growth"))
        return max(1 + g, 0.0) if g is not None else None
    return _num(row.get(METRICS[metric]))


def participates(row: dict, group: str) -> bool:
    """Counties and zones need annual projects; departments projects or problems."""
    if group == "departments":
        return (row.get("projects") or 0) > 0 or (row.get("problems") or 0) > 0
    return (row.get("projects") or 0) > 0


def rank_min(scores: list[float | None]) -> tuple[list[int | None], list[bool]]:
    """Competition ranks (1, 2, 2, 4) of scores, higher first; None is not ranked.
    Returns the ranks and whether each rank is shared (并列)."""
    ranked = [s for s in scores if s is not None]
    ranks = [None if s is None else 1 + sum(1 for o in ranked if o > s) for s in scores]
    tied = [r is not None and ranks.count(r) > 1 for r in ranks]
    return ranks, tied


def score(df: pl.DataFrame, cfg: LeagueConfig, group: str) -> pl.DataFrame:
    """Per-metric scores, composite score (one decimal), rank and 并列 for one group of units.

    Adds: ranked, score_<metric> (None where the metric has no data or the unit is not ranked),
    composite, weight_used, rank, tied, note.
    """
    weights = cfg.weights[group]
    rows = df.to_dicts()
    taking = [participates(r, group) for r in rows]
    bases = {m: [basis(r, m) if t else None for r, t in zip(rows, taking)] for m in weights}
    scores: dict[str, list[float | None]] = {}
    for m, vals in bases.items():
        if m == DEDUCT:
            scores[m] = [None if v is None else max(0.0, 100.0 - cfg.deduct_per_problem * v) for v in vals]
            continue
        present = [v for v in vals if v is not None]
        base = max(present + [cfg.targets[m]]) if present else cfg.targets[m]
        scores[m] = [None if v is None else (0.0 if base <= 0 else min(max(v / base, 0.0), 1.0) * 100) for v in vals]
    composite, used = [], []
    for i, t in enumerate(taking):
        avail = {m: scores[m][i] for m in weights if scores[m][i] is not None}
        w = sum(weights[m] for m in avail)
        if not t or w == 0:
            composite.append(None)
            used.append(0.0)
        else:
            composite.append(round(sum(weights[m] * s for m, s in avail.items()) / w + 1e-9, 1))
            used.append(w)
    ranks, tied = rank_min(composite)
    notes = []
    for r, t, c in zip(rows, taking, composite):
        if not t:
            notes.append(NOT_RANKED_NO_PROJECTS if group == "units" else "无项目和问题，不参与排名")
        elif c is None:
            notes.append("无可计分指标，不参与排名")
        elif group == "departments" and not (r.get("projects") or 0):
            notes.append("无牵头项目，按问题办理指标计分")
        else:
            notes.append(None)
    return df.with_columns(
        pl.Series("ranked", [c is not None for c in composite]),
        *[pl.Series(f"score_{m}", scores[m], dtype=pl.Float64) for m in weights],
        pl.Series("composite", composite, dtype=pl.Float64),
        pl.Series("weight_used", used, dtype=pl.Float64),
        pl.Series("rank", ranks, dtype=pl.Int64),
        pl.Series("tied", tied),
        pl.Series("note", notes, dtype=pl.String),
    )


def unit_key(df: pl.DataFrame) -> pl.Expr:
    return pl.col("unit_code") if "unit_code" in df.columns else pl.col("unit_name")


def compare(current: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    """Rank change since the previous month: prev_rank, rank_delta (+ = moved up), change text.

    previous is the scored previous month, or None when there is no previous month at all.
    """
    if previous is None:
        return current.with_columns(pl.lit(None, dtype=pl.Int64).alias("prev_rank"),
                                    pl.lit(None, dtype=pl.Int64).alias("rank_delta"),
                                    pl.when(pl.col("ranked")).then(pl.lit(NO_PREVIOUS_DATA))
                                    .otherwise(pl.lit(None, dtype=pl.String)).alias("change"))
    prev = previous.filter(pl.col("ranked")).select(unit_key(previous).alias("_key"),
                                                    pl.col("rank").alias("prev_rank"))
    out = current.with_columns(unit_key(current).alias("_key")).join(prev, on="_key", how="left",
                                                                     maintain_order="left")
    changes = []
    for r in out.iter_rows(named=True):
        if not r["ranked"]:
            changes.append(None)
        elif r["prev_rank"] is None:
            changes.append(NOT_RANKED_BEFORE)
        else:
            changes.append(rank_change(r["prev_rank"] - r["rank"]))
    return out.with_columns(
        (pl.col("prev_rank") - pl.col("rank")).alias("rank_delta"),
        pl.Series("change", changes, dtype=pl.String),
    ).drop("_key")


def highlight(df: pl.DataFrame, top: int, bottom: int) -> pl.DataFrame:
    """红榜 for the top units, 末位 for the bottom ones: at most a third of the ranked units each
    (none when fewer than three are ranked); units sharing a boundary rank share the badge."""
    ranks = sorted(r for r in df["rank"].to_list() if r is not None)
    n = len(ranks)
    k_top, k_bottom = min(top, n // 3), min(bottom, n // 3)
    top_cut = ranks[k_top - 1] if k_top else 0
    bottom_cut = ranks[n - k_bottom] if k_bottom else math.inf
    badges = []
    for r in df["rank"].to_list():
        if r is None:
            badges.append(None)
        elif r <= top_cut:
            badges.append(TOP_BADGE)
        elif r >= bottom_cut:
            badges.append(BOTTOM_BADGE)
        else:
            badges.append(None)
    return df.with_columns(pl.Series("badge", badges, dtype=pl.String))


def league(current: pl.DataFrame, previous: pl.DataFrame | None, cfg: LeagueConfig, group: str) -> pl.DataFrame:
    """The league table of one month: scored, compared with last month, badged, in rank order
    (units not ranked last, in the order they came)."""
    now = score(current, cfg, group)
    before = score(previous, cfg, group) if previous is not None else None
    out = highlight(compare(now, before), cfg.top, cfg.bottom)
    return out.with_row_index("_order").sort([pl.col("rank").is_null(), "rank", "_order"]).drop("_order")


def rank_label(rank, tied: bool) -> str:
    """「1」, 「2（并列）」, 「—」."""
    if rank is None:
        return "—"
    return f"{rank}（{TIED}）" if tied else str(rank)


# ---------------------------------------------------------------- how values read

def metric_text(row: dict, metric: str) -> str:
    """A metric's value as users read it (「—」 when there is no data)."""
    if metric == "completion":
        rate, tp = row.get("completion_rate"), row.get("time_progress")
        if rate is None:
            return "—"
        gap = (tp - rate) * 100 if tp is not None else None
        if gap is None:
            return pct(rate)
        side = "落后" if gap > 0.05 else ("快于" if gap < -0.05 else "持平")
        return pct(rate) + ("（与序时持平）" if side == "持平" else f"（{side}序时{abs(gap):.1f}个百分点）")
    if metric == "growth":
        return growth(row.get("yoy_growth"))
    if metric == "new_start":
        return "—" if row.get("start_rate") is None else f"{pct(row['start_rate'])}（{row['started']:,}/{row['due_to_start']:,}）"
    if metric == "key_green":
        return ("—" if row.get("key_green_share") is None
                else f"{pct(row['key_green_share'])}（{row['key_green']:,}/{row['key_projects']:,}）")
    if metric == "problem_closure":
        return ("—" if row.get("closure_rate") is None
                else f"{pct(row['closure_rate'])}（{row['cleared']:,}/{row['problems']:,}）")
    if metric == "overdue_problems":
        return "—" if row.get("overdue_problems") is None else f"{row['overdue_problems']:,}个"
    if metric == "reserve_ratio":
        return times(row.get("reserve_ratio"), 2)
    if metric == "approvals":
        return ("—" if row.get("approval_timely_rate") is None
                else f"{pct(row['approval_timely_rate'])}（{row['approvals_on_time']:,}/{row['approvals_done']:,}）")
    if metric == "signed_started":
        return ("—" if row.get("signed_started_ratio") is None
                else f"{pct(row['signed_started_ratio'])}（{row['signed_started']:,}/{row['signed']:,}）")
    raise KeyError(metric)


def display_table(df: pl.DataFrame, cfg: LeagueConfig, group: str, compact: bool = False) -> pl.DataFrame:
    """The league table with Chinese headers, for the page and the downloads."""
    metrics = list(cfg.weights[group])
    rows = []
    for r in df.iter_rows(named=True):
        out = {
            "名次": rank_label(r["rank"], r["tied"]),
            "单位": r["unit_name"],
            "综合得分": "—" if r["composite"] is None else f"{r['composite']:.1f}",
            "较上月": r["change"] or "—",
            "红榜/末位": r["badge"] or "",
        }
        if not compact:
            for m in metrics:
                out[cfg.labels[m]] = metric_text(r, m) if r["ranked"] else "—"
        out["说明"] = r["note"] or ""
        rows.append(out)
    cols = ["名次", "单位", "综合得分", "较上月", "红榜/末位"] + ([] if compact else [cfg.labels[m] for m in metrics]) + ["说明"]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols}) if rows else pl.DataFrame(schema={c: pl.String for c in cols})


RANKING_NAME = "“比亮晒”综合得分（各项指标加权）"


def rank_answer(t: pl.DataFrame, cfg: LeagueConfig, unit_name: str | None) -> tuple[str, str]:
    """The home page's answer on the county league: (value, note). For one unit its rank and
    why; for the city who leads and who is last."""
    ranked = t.filter(pl.col("ranked")).sort("rank")
    if ranked.is_empty():
        return "—", "本月没有可参与排名的县区、开发区"
    if unit_name:
        reasons = dict(rank_reasons(t, cfg, "units"))
        if unit_name not in reasons:
            return "不参与排名", NOT_RANKED_NO_PROJECTS
        row = ranked.filter(pl.col("unit_name") == unit_name).row(0, named=True)
        return f"第{rank_label(row['rank'], row['tied'])}名", reasons[unit_name].split("。", 1)[1] or "按综合得分排名"
    first, last = ranked.row(0, named=True), ranked.row(ranked.height - 1, named=True)
    return first["unit_name"], f"第1名（{first['composite']:.1f}分）；末位：{last['unit_name']}（{last['composite']:.1f}分）"


def rank_reasons(df: pl.DataFrame, cfg: LeagueConfig, group: str, weakest: int = 2) -> list[tuple[str, str]]:
    """Why each ranked unit stands where it does, in words: its weakest metrics (single-metric
    score against the average of the ranked units) and its strongest. (unit, sentence)."""
    metrics = list(cfg.weights[group])
    d = df.filter(pl.col("ranked")).sort("rank")
    means = {m: d[f"score_{m}"].mean() for m in metrics}
    out = []
    for r in d.iter_rows(named=True):
        gaps = sorted(((r[f"score_{m}"] - means[m], m) for m in metrics
                       if r[f"score_{m}"] is not None and means[m] is not None), key=lambda x: x[0])
        low = [(g, m) for g, m in gaps if g < -0.05][:weakest]
        high = [(g, m) for g, m in reversed(gaps) if g > 0.05][:1]
        text = f"第{rank_label(r['rank'], r['tied'])}名（{r['composite']:.1f}分）。"
        if low:
            text += "弱项：" + "；".join(f"{cfg.labels[m]}{metric_text(r, m)}，单项得分低于平均{abs(g):.1f}分"
                                      for g, m in low) + "。"
        else:
            text += "各项单项得分都不低于平均。"
        if high:
            g, m = high[0]
            text += f"强项：{cfg.labels[m]}{metric_text(r, m)}，高于平均{g:.1f}分。"
        out.append((r["unit_name"], text))
    return out


def score_table(df: pl.DataFrame, cfg: LeagueConfig, group: str) -> pl.DataFrame:
    """Each ranked unit's single-metric scores (「无数据」 where not scored)."""
    metrics = list(cfg.weights[group])
    rows = []
    for r in df.filter(pl.col("ranked")).iter_rows(named=True):
        out = {"名次": rank_label(r["rank"], r["tied"]), "单位": r["unit_name"],
               "综合得分": f"{r['composite']:.1f}"}
        for m in metrics:
            s = r[f"score_{m}"]
            out[f"{cfg.labels[m]}（权重{cfg.weights[group][m]:g}）"] = "无数据，不计分" if s is None else f"{s:.1f}"
        out["计分权重合计"] = f"{r['weight_used']:g}"
        rows.append(out)
    return pl.DataFrame(rows) if rows else pl.DataFrame()


def weights_table(cfg: LeagueConfig) -> pl.DataFrame:
    """The weights as configured, both groups side by side."""
    rows = []
    for m in METRICS:
        u, d = cfg.weights["units"].get(m), cfg.weights["departments"].get(m)
        if u is None and d is None:
            continue
        if m == DEDUCT:
            rule = f"每个超期问题扣{cfg.deduct_per_problem:g}分，扣完为止"
        elif m == "completion":
            rule = f"完成率÷序时进度，目标{cfg.targets[m]:g}（达到序时进度）"
        elif m == "growth":
            rule = f"本年累计÷上年同期，目标增长{cfg.targets[m] * 100:g}%"
        elif m == "reserve_ratio":
            rule = f"目标{cfg.targets[m]:g}倍"
        else:
            rule = f"目标{cfg.targets[m] * 100:g}%"
        rows.append({"指标": cfg.labels[m], "县区、开发区权重": "—" if u is None else f"{u:g}",
                     "市直部门权重": "—" if d is None else f"{d:g}", "计分基准": rule})
    return pl.DataFrame(rows)


METHOD_TEXT = ("单项得分 = 本单位数值 ÷ 基准值 × 100（最高100分），基准值取参与排名单位的最优值与目标值中的较高者；"
               "超期未办结问题按个扣分。综合得分 = Σ（单项得分 × 权重）÷ 有数据指标的权重之和。"
               "某项无数据的不计分、权重按其余指标折算；得分相同名次并列；当月无年度建设项目的县区、开发区不参与排名；县（区）人民政府、开发区管委会不列入市直部门排名。")


def not_ranked(df: pl.DataFrame) -> list[tuple[str, list[str]]]:
    """The units left out of the ranking, grouped by the reason: [(reason, names)]."""
    out: dict[str, list[str]] = {}
    for r in df.filter(~pl.col("ranked")).iter_rows(named=True):
        out.setdefault(r["note"] or "不参与排名", []).append(r["unit_name"])
    return list(out.items())


def badge_names(df: pl.DataFrame, badge: str) -> list[str]:
    return df.filter(pl.col("badge") == badge)["unit_name"].to_list()


# ---------------------------------------------------------------- 排队通报

NOTICE_CSS = """
<style>
.notice {background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:22px 26px;max-width:980px;
         margin:0 auto;color:#1f2933;font-size:15px;line-height:1.7;}
.notice h2 {text-align:center;font-size:22px;margin:0 0 4px 0;color:#1f2933;}
.notice .date {text-align:center;color:#52606d;font-size:13px;margin-bottom:12px;}
.notice h3 {font-size:16px;margin:16px 0 6px 0;color:#1f2933;}
.notice p {margin:4px 0;}
.notice table {border-collapse:collapse;width:100%;font-size:14px;}
.notice th, .notice td {border:1px solid #cbd2d9;padding:4px 6px;text-align:center;}
.notice th {background:#eef2f7;font-weight:600;}
.notice td.name {text-align:left;}
.notice tr.top td {background:#f4f7fb;font-weight:600;}
.notice tr.bottom td {background:#faf7f0;}
.notice .note {color:#52606d;font-size:12.5px;}
@media (max-width: 640px) {
  .notice {padding:12px 8px;font-size:14px;}
  .notice h2 {font-size:18px;}
  .notice table {font-size:12.5px;}
  .notice .wide {display:none;}
}
</style>
"""


def _notice_rows(df: pl.DataFrame, cfg: LeagueConfig, group: str, detail: list[str]) -> str:
    out = []
    for r in df.filter(pl.col("ranked")).iter_rows(named=True):
        cls = {TOP_BADGE: "top", BOTTOM_BADGE: "bottom"}.get(r["badge"], "")
        cells = [rank_label(r["rank"], r["tied"]), r["unit_name"], f"{r['composite']:.1f}", r["change"] or "—"]
        tds = [f"<td>{escape(cells[0])}</td>", f"<td class='name'>{escape(cells[1])}</td>",
               f"<td>{escape(cells[2])}</td>", f"<td>{escape(cells[3])}</td>"]
        tds += [f"<td class='wide'>{escape(metric_text(r, m))}</td>" for m in detail]
        out.append(f"<tr class='{cls}'>{''.join(tds)}</tr>")
    head = "".join(["<th>名次</th>", "<th>单位</th>", "<th>综合得分</th>", "<th>较上月</th>"] +
                   [f"<th class='wide'>{escape(cfg.labels[m])}</th>" for m in detail])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(out)}</tbody></table>"


def _badge_lines(df: pl.DataFrame) -> str:
    top, bottom = badge_names(df, TOP_BADGE), badge_names(df, BOTTOM_BADGE)
    if not top and not bottom:
        return "<p class='note'>参与排名单位不足，本期不设红榜、末位。</p>"
    lines = []
    if top:
        lines.append(f"<p><b>红榜：</b>{escape('、'.join(top))}</p>")
    if bottom:
        lines.append(f"<p><b>末位：</b>{escape('、'.join(bottom))}</p>")
    return "".join(lines)


def notice_html(units: pl.DataFrame, departments: pl.DataFrame, cfg: LeagueConfig, title: str, date_text: str,
                intro: str, previous_note: str | None) -> str:
    """The monthly ranking notice (排队通报) as one HTML block, every data text escaped."""
    detail_units = [m for m in ("completion", "growth", "key_green") if m in cfg.weights["units"]]
    detail_depts = [m for m in ("completion", "problem_closure", "overdue_problems") if m in cfg.weights["departments"]]
    parts = [NOTICE_CSS, "<div class='notice'>", f"<h2>{escape(title)}</h2>", f"<div class='date'>{escape(date_text)}</div>",
             f"<p>{escape(intro)}</p>"]
    if previous_note:
        parts.append(f"<p class='note'>{escape(previous_note)}</p>")
    parts.append("<h3>一、县（区）、开发区排名</h3>")
    if units.filter(pl.col("ranked")).height:
        parts.append(_notice_rows(units, cfg, "units", detail_units))
        parts.append(_badge_lines(units))
    else:
        parts.append("<p>本期无参与排名的县（区）、开发区。</p>")
    for note, names in not_ranked(units):
        parts.append(f"<p class='note'>{escape('、'.join(names))}：{escape(note)}。</p>")
    parts.append("<h3>二、市直部门排名</h3>")
    if departments.height and departments.filter(pl.col("ranked")).height:
        parts.append(_notice_rows(departments, cfg, "departments", detail_depts))
        parts.append(_badge_lines(departments))
    else:
        parts.append("<p>本期无参与排名的市直部门。</p>")
    w = "；".join(f"{cfg.labels[m]}{v:g}分" for m, v in cfg.weights["units"].items())
    wd = "；".join(f"{cfg.labels[m]}{v:g}分" for m, v in cfg.weights["departments"].items())
    parts.append("<h3>三、评分办法</h3>")
    parts.append(f"<p class='note'>县区、开发区：{escape(w)}。市直部门：{escape(wd)}。{escape(METHOD_TEXT)}</p>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- chart

@memo
def score_bars(df: pl.DataFrame, title: str, subtitle: str):
    """Composite scores of the ranked units as horizontal bars, best on top, with rank change.
    Neutral colours: 红榜 dark blue, 末位 dark grey, others light blue (red/green mean status)."""
    import plotly.graph_objects as go

    from ui.figures import BLUE, _layout

    d = df.filter(pl.col("ranked"))
    colours = {TOP_BADGE: BLUE, BOTTOM_BADGE: "#52606d"}
    fig = go.Figure(go.Bar(
        y=[f"{rank_label(r, t)}　{n}" for r, t, n in zip(d["rank"], d["tied"], d["unit_name"])],
        x=d["composite"].to_list(), orientation="h",
        marker_color=[colours.get(b, "#9fb3c8") for b in d["badge"].to_list()],
        text=[f"{s:.1f}分  {c or ''}" for s, c in zip(d["composite"], d["change"])], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}<br>综合得分 %{x:.1f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    # a 满分100 score on a 0–100 axis; the values and rank changes sit in the right margin
    fig.update_xaxes(title_text="综合得分（满分100）", range=[0, 100], tickvals=[0, 50, 100], tickangle=0)
    fig.update_layout(showlegend=False)
    height = max(380, 34 * d.height + 150)
    fig = _layout(fig, title, subtitle, height=height)
    return fig.update_layout(title_y=1 - 14 / height, margin_t=86, margin_r=96)


QUERIES = {"units": "league_units", "departments": "league_departments"}


def league_tables(run, period: dt.date, previous: dt.date | None, cfg: LeagueConfig,
                  groups=tuple(GROUPS)) -> dict[str, pl.DataFrame]:
    """The ranked tables of `groups` for `period` (rank changes against `previous`, None when that
    month has no data), with 手续办理: the one way the page, the home page's answer and the
    排队通报 document rank, so a unit has one score and one rank wherever it is shown.
    `run(query, **params)` is the caller's query runner (ui.data.q on a page)."""
    def rows(group: str, p: dt.date) -> pl.DataFrame:
        return with_approvals(run(QUERIES[group], period=p), run("approvals_league", period=p))

    return {g: league(rows(g, period), rows(g, previous) if previous else None, cfg, g) for g in groups}


def with_approvals(df: pl.DataFrame, approvals: pl.DataFrame) -> pl.DataFrame:
    """The 手续办理 columns (queries/approvals_league.sql) joined to a league frame by unit; a unit
    with no approval completed in the month has no data for that metric (it is not scored)."""
    cols = {"approvals_done": pl.Int64, "approvals_on_time": pl.Int64, "approval_timely_rate": pl.Float64}
    if "unit_code" not in df.columns:
        return df.with_columns(*(pl.lit(None, t).alias(c) for c, t in cols.items()))
    a = approvals.select("unit_code", *(pl.col(c).cast(t) for c, t in cols.items())) if approvals.height else \
        pl.DataFrame(schema={"unit_code": pl.String, **cols})
    return df.join(a, on="unit_code", how="left")
