"""问题清单: filters, closure statistics, the open-problem trend, display tables and figures.

Pure functions (frame in, frame/Figure out). The rules themselves are applied in the
warehouse (etl/sql/problems.sql) and described in etl/problem_rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from etl.problem_rules import AGE_BAND_ORDER, FLAG_LABEL, STATE_LABEL, STATE_ORDER, age_band
from etl.vocab import KEY_LEVEL, PROBLEM_TYPES
from ui.figures import BLUE, GREY, ORANGE, _layout, count_axis, month_axis
from ui.format import date_label, escape, period_label
from ui.memo import memo

# filter choices kept in the URL: key → label
STATE_FILTER = {"open_all": "全部未销号", "all": "全部（含已销号）", **{s: STATE_LABEL[s] for s in STATE_ORDER}}


Several = str | Sequence[str] | None  # one value, several (any of them), or None / empty for all


def _values(v: Several) -> list[str]:
    return [] if not v else [v] if isinstance(v, str) else list(v)


def apply_filters(df: pl.DataFrame, state: str | None = None, ptype: Several = None,
                  resp_unit: Several = None, leader: Several = None, overdue: bool = False,
                  incomplete: bool = False, disappeared: bool = False) -> pl.DataFrame:
    """The problems matching every given filter (None / False / empty = no filter on that field);
    a filter given several values takes a problem matching any of them.

    state: an effective state, 「open_all」 for every problem not cleared, 「all」 (or None) for all.
    leader: the problem's 责任领导 or the 包联领导 of its project.
    """
    out = df
    if state == "open_all":
        out = out.filter(pl.col("is_open"))
    elif state and state != "all":
        out = out.filter(pl.col("state") == state)
    if types := _values(ptype):
        out = out.filter(pl.col("problem_type").is_in(types))
    if units := _values(resp_unit):
        out = out.filter(pl.col("responsible_unit").is_in(units))
    if leaders := _values(leader):
        out = out.filter(pl.col("resp_leader").is_in(leaders) | pl.col("project_leader").is_in(leaders))
    if overdue:
        out = out.filter(pl.col("is_overdue"))
    if incomplete:
        out = out.filter(pl.col("is_incomplete"))
    if disappeared:
        out = out.filter(pl.col("disappeared"))
    return out


def describe_filters(state: str | None, ptype: Several, resp_unit: Several, leader: Several,
                     overdue: bool, incomplete: bool, disappeared: bool) -> str:
    """The active filters in words: 「全部未销号 · 资金、用地 · 李明 · 只看超期」."""
    parts = [STATE_FILTER.get(state or "all", "全部")]
    parts += ["、".join(vs) for vs in map(_values, (ptype, resp_unit, leader)) if vs]
    parts += [label for on, label in ((overdue, "只看超期"), (incomplete, "只看五到位不全"),
                                      (disappeared, "只看未续报")) if on]
    return " · ".join(parts)


def choices(df: pl.DataFrame, col: str) -> list[str]:
    """Distinct non-empty values of a column, sorted (types in the official order)."""
    values = [v for v in df[col].unique().to_list() if v] if col in df.columns else []
    if col == "problem_type":
        return [t for t in PROBLEM_TYPES if t in values]
    return sorted(values)


def leaders(df: pl.DataFrame) -> list[str]:
    """Every 责任领导 and 包联领导 named on the problems."""
    names = set(choices(df, "resp_leader")) | set(choices(df, "project_leader"))
    return sorted(names)


def summary(df: pl.DataFrame) -> dict:
    """Counts and rates for KPI tiles."""
    total = df.height
    cleared = int(df["is_cleared"].sum()) if total else 0
    days = df.filter(pl.col("is_cleared"))["days_to_close"].drop_nulls() if total else pl.Series([], dtype=pl.Int64)
    return {
        "total": total,
        "open": int(df["is_open"].sum()) if total else 0,
        "cleared": cleared,
        "overdue": int(df["is_overdue"].sum()) if total else 0,
        "escalated": int((df["state"] == "escalated").sum()) if total else 0,
        "unsatisfied": int(df["closed_unsatisfied"].sum()) if total else 0,
        "incomplete": int((df["is_incomplete"] & df["is_open"]).sum()) if total else 0,
        "disappeared": int(df["disappeared"].sum()) if total else 0,
        "closure_rate": cleared / total if total else None,
        "avg_days_to_close": float(days.mean()) if days.len() else None,
    }


def closure_by(df: pl.DataFrame, col: str) -> pl.DataFrame:
    """Problems, cleared, open, overdue, closure rate and average days to close by one column."""
    schema = {col: pl.String, "total": pl.UInt32, "cleared": pl.Int64, "open": pl.Int64, "overdue": pl.Int64,
              "closure_rate": pl.Float64, "avg_days_to_close": pl.Float64}
    if df.is_empty():
        return pl.DataFrame(schema=schema)
    out = (
        df.with_columns(pl.col(col).fill_null("（未填）"))
        .group_by(col)
        .agg(
            pl.len().alias("total"),
            pl.col("is_cleared").sum().cast(pl.Int64).alias("cleared"),
            pl.col("is_open").sum().cast(pl.Int64).alias("open"),
            pl.col("is_overdue").sum().cast(pl.Int64).alias("overdue"),
            pl.col("days_to_close").filter(pl.col("is_cleared")).mean().cast(pl.Float64).alias("avg_days_to_close"),
        )
        .with_columns((pl.col("cleared") / pl.col("total")).alias("closure_rate"))
    )
    if col == "problem_type":
        order = {t: i for i, t in enumerate(PROBLEM_TYPES)}
        out = out.with_columns(pl.col(col).replace_strict(order, default=99).alias("_o")).sort("_o").drop("_o")
    else:
        out = out.sort(["open", "total", col], descending=[True, True, False])
    return out.select(list(schema))


def open_trend(history: pl.DataFrame) -> pl.DataFrame:
    """Per month: problems open at month end, of which past deadline and 未续报, and cleared so far."""
    schema = {"period": pl.Date, "open": pl.Int64, "overdue": pl.Int64, "disappeared": pl.Int64,
              "cleared": pl.Int64}
    if history.is_empty():
        return pl.DataFrame(schema=schema)
    return (
        history.group_by("period")
        .agg(
            pl.col("is_open").sum().cast(pl.Int64).alias("open"),
            pl.col("is_overdue").sum().cast(pl.Int64).alias("overdue"),
            pl.col("disappeared").sum().cast(pl.Int64).alias("disappeared"),
            pl.col("is_cleared").sum().cast(pl.Int64).alias("cleared"),
        )
        .sort("period")
        .select(list(schema))
    )


def flags(row: dict) -> str:
    """「超期61天、五到位不全（缺责任领导）、未续报」 for one problem."""
    out = []
    if row.get("is_overdue"):
        out.append(f"{FLAG_LABEL['is_overdue']}{row.get('days_overdue') or 0}天")
    if row.get("is_incomplete") and row.get("is_open"):
        out.append(f"{FLAG_LABEL['is_incomplete']}（缺{row.get('missing_fields')}）")
    if row.get("disappeared"):
        out.append(f"{FLAG_LABEL['disappeared']}（最后报送{period_label(row['last_period'])}）"
                   if row.get("last_period") else FLAG_LABEL["disappeared"])
    if row.get("closed_unsatisfied"):
        out.append(f"{FLAG_LABEL['closed_unsatisfied']}（{row.get('satisfaction') or '未评价'}）")
    return "、".join(out)


def problems_table(df: pl.DataFrame) -> pl.DataFrame:
    """The problem list with Chinese headers (dates as dates, days as integers)."""
    rows = df.to_dicts()
    return pl.DataFrame({
        "问题编号": df["problem_id"],
        "状态": [STATE_LABEL.get(s, s) for s in df["state"]],
        "项目名称": df["project_name"],
        "问题描述": df["description"],
        "标记": [flags(r) for r in rows],
        "问题类型": df["problem_type"],
        "县区/开发区": df["unit_name"],
        "责任单位": df["responsible_unit"],
        "责任领导": df["resp_leader"],
        "责任人": df["responsible_person"],
        "解决措施": df["solution"],
        "完成时限": df["deadline"],
        "超期（天）": df["days_overdue"],
        "发现时间": df["found_date"],
        "账龄（天）": df["days_open"],
        "账龄分段": [age_band(d) for d in df["days_open"]],
        "办结时间": df["closed_date"],
        "企业满意度": df["satisfaction"],
        "包联领导": df["project_leader"],
        "重点工程级别": [KEY_LEVEL.get(k, "") if k else "" for k in df["key_level"]],
    }, schema_overrides={"发现时间": pl.Date, "完成时限": pl.Date, "办结时间": pl.Date,
                         "账龄（天）": pl.Int64, "超期（天）": pl.Int64})


def closure_table(by: pl.DataFrame, col: str, label: str) -> pl.DataFrame:
    return by.select(
        pl.col(col).alias(label),
        pl.col("total").cast(pl.Int64).alias("问题数"),
        pl.col("cleared").alias("已销号"),
        pl.col("open").alias("未销号"),
        pl.col("overdue").alias("超期"),
        pl.col("closure_rate").alias("办结率"),
        pl.col("avg_days_to_close").round(1).alias("平均办结天数"),
    )


def unfiled_table(df: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "项目代码": df["project_code"],
        "项目名称": df["name"],
        "县区/开发区": df["unit_name"],
        "重点工程级别": [KEY_LEVEL.get(k, "") if k else "" for k in df["key_level"]],
        "包联领导": df["leader"],
        "存在问题（进展表填报）": df["problem_text"],
        "报送单位": df["sender"],
    })


def age_counts(df: pl.DataFrame) -> dict[str, int]:
    """Open problems by ageing band, in band order."""
    open_ = df.filter(pl.col("is_open"))
    bands = [age_band(d) for d in open_["days_open"]]
    return {b: bands.count(b) for b in AGE_BAND_ORDER}


CARD_CSS = """
<style>
.pb-cards {display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px;margin:0.3rem 0 1rem 0;}
.pb-card {border:1px solid #e4e9f0;border-left:5px solid #9aa5b1;border-radius:8px;padding:8px 12px;background:#fff;}
.pb-card.escalated {border-left-color:#e07b00;}
.pb-card .head {font-size:0.85rem;color:#52606d;}
.pb-card .head b {color:#1f2933;}
.pb-card .desc {font-size:1.02rem;font-weight:600;color:#1f2933;margin:2px 0;}
.pb-card .meta {font-size:0.85rem;color:#52606d;}
</style>
"""


def focus_cards_html(df: pl.DataFrame, n: int = 6) -> str:
    """The first n problems of a list (already most urgent first) as cards; every text escaped."""
    cards = []
    for r in df.head(n).iter_rows(named=True):
        state = STATE_LABEL.get(r["state"], r["state"] or "")
        flag = flags(r)
        head = f"<b>{escape(state)}</b>" + (f" · {escape(flag)}" if flag else "") + f" · {escape(r['problem_id'])}"
        meta = [r["project_name"], r["unit_name"],
                f"责任单位 {r['responsible_unit']}" if r["responsible_unit"] else "责任单位未填",
                f"责任人 {r['responsible_person']}" if r["responsible_person"] else None,
                f"时限 {date_label(r['deadline'])}" if r["deadline"] else "时限未填"]
        cards.append(f'<div class="pb-card {escape(r["state"] or "")}"><div class="head">{head}</div>'
                     f'<div class="desc">{escape(r["description"])}</div>'
                     f'<div class="meta">{" · ".join(escape(m) for m in meta if m)}</div></div>')
    return CARD_CSS + '<div class="pb-cards">' + "".join(cards) + "</div>"


# ---------------------------------------------------------------- figures

@memo
def closure_bars(by: pl.DataFrame, col: str, title: str, subtitle: str) -> go.Figure:
    """Cleared and open problems per unit/type as stacked bars, closure rate written at the end."""
    d = by.head(15)
    names = d[col].to_list()
    fig = go.Figure()
    fig.add_bar(y=names, x=d["cleared"].to_list(), orientation="h", name="已销号", marker_color=BLUE,
                hovertemplate="%{y}<br>已销号 %{x}个<extra></extra>")
    fig.add_bar(y=names, x=(d["open"] - d["overdue"]).to_list(), orientation="h", name="未销号（未超期）",
                marker_color=GREY, hovertemplate="%{y}<br>未销号未超期 %{x}个<extra></extra>")
    fig.add_bar(y=names, x=d["overdue"].to_list(), orientation="h", name="超期（督办）", marker_color=ORANGE,
                hovertemplate="%{y}<br>超期 %{x}个<extra></extra>")
    totals = d["total"].to_list()
    labels = [f"办结率{r * 100:.1f}%" if r is not None else "" for r in d["closure_rate"].to_list()]
    fig.add_scatter(y=names, x=totals, mode="text", text=labels, textposition="middle right", showlegend=False,
                    hoverinfo="skip", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, max(totals + [1]) * 1.5])
    count_axis(fig, max(totals + [1]) * 1.5)
    fig = _layout(fig, title, subtitle, height=max(340, 30 * d.height + 190))
    # legend under the plot: these charts sit in half-width columns
    fig.update_layout(barmode="stack", legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12,
                                               "yanchor": "top", "traceorder": "normal"},
                      margin={"b": 90})
    return fig


TREND_MONTHS = 13  # the trend shows this many months up to the chosen one


@memo
def trend_chart(trend: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Open problems at each month end, with those past deadline and those 未续报 (last TREND_MONTHS)."""
    trend = trend.tail(TREND_MONTHS)
    # a date axis (month_axis: category labels were cut to two characters on a phone); the legend
    # names are short so the legend fits a phone's width
    months = trend["period"].to_list()
    fig = go.Figure()
    fig.add_bar(x=months, y=trend["open"].to_list(), name="未销号", marker_color=BLUE,
                text=trend["open"].to_list(), textposition="outside", cliponaxis=False,
                constraintext="none", textfont={"size": 11},  # one size: plotly shrank some to the bar
                hovertemplate="%{x|%Y年%-m月}<br>未销号 %{y}个<extra></extra>")
    fig.add_scatter(x=months, y=trend["overdue"].to_list(), name="其中超期", mode="lines+markers",
                    line={"color": ORANGE, "width": 3}, marker={"size": 8},
                    hovertemplate="%{x|%Y年%-m月}<br>超期 %{y}个<extra></extra>")
    fig.add_scatter(x=months, y=trend["disappeared"].to_list(), name="其中未续报", mode="lines+markers",
                    line={"color": GREY, "width": 2, "dash": "dot"}, marker={"size": 6},
                    hovertemplate="%{x|%Y年%-m月}<br>未续报 %{y}个<extra></extra>")
    top = max(trend["open"].to_list() + [1])
    fig.update_yaxes(rangemode="tozero", range=[0, top * 1.2])
    count_axis(month_axis(fig, months), top, axis="y")
    return _layout(fig, title, subtitle, height=380)


# ---------------------------------------------------------------- the 13710 clock

@memo
def with_clock(rows: pl.DataFrame, clock: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Problems with their 13710 stage, the clocks they have missed and 纳入13710督办 (rules:
    etl.problem_rules.clock_13710). `clock`: queries/approvals_problem_clock.sql."""
    from etl.problem_rules import clock_13710

    cols = clock.select("problem_id", "assigned_date", "answered_date", "severity")
    df = rows.join(cols, on="problem_id", how="left") if rows.height else rows.with_columns(
        pl.lit(None, pl.Date).alias("assigned_date"), pl.lit(None, pl.Date).alias("answered_date"),
        pl.lit(None, pl.String).alias("severity"))
    stages, missed, in_13710 = [], [], []
    for r in df.iter_rows(named=True):
        c = clock_13710(r["found_date"], r["assigned_date"], r["answered_date"],
                        r["closed_date"] if r["state"] in ("closed", "unsatisfied") else None,
                        r["severity"] == "major", r["key_level"] is not None, as_of, r["state"])
        stages.append(c["stage"])
        missed.append(c["missed"])
        in_13710.append(c["in_13710"])
    return df.with_columns(pl.Series("clock_stage", stages, pl.String),
                           pl.Series("clock_missed", missed, pl.List(pl.String)),
                           pl.Series("in_13710", in_13710, pl.Boolean))


def clock_counts(df: pl.DataFrame) -> dict:
    """Open problems by 13710 stage, how many missed each clock, how many are in the 13710 system."""
    from etl.problem_rules import CLOCK_MISSED, CLOCK_STAGE_ORDER

    open_ = df.filter(pl.col("state") != "closed") if df.height else df
    stages = {s: int((open_["clock_stage"] == s).sum()) if open_.height else 0 for s in CLOCK_STAGE_ORDER}
    missed = {m: int(open_["clock_missed"].list.contains(m).sum()) if open_.height else 0 for m in CLOCK_MISSED}
    return {"stages": stages, "missed": missed, "in_13710": int(open_["in_13710"].sum()) if open_.height else 0,
            "open": open_.height}


def clock_table(df: pl.DataFrame) -> pl.DataFrame:
    """Open problems with their stage and missed clocks, those in the 13710 system and most missed first."""
    from etl.problem_rules import CLOCK_MISSED, CLOCK_STAGE

    if df.is_empty():
        return pl.DataFrame({k: [] for k in ("问题编号", "项目名称", "问题级别", "纳入13710督办", "所处环节", "已超时限",
                                             "发现时间", "责任单位")})
    return df.filter(pl.col("state") != "closed").sort(
        [pl.col("in_13710"), pl.col("clock_missed").list.len(), pl.col("found_date")],
        descending=[True, True, False]).select(
        pl.col("problem_id").alias("问题编号"), pl.col("project_name").alias("项目名称"),
        pl.when(pl.col("severity") == "major").then(pl.lit("重大问题")).otherwise(pl.lit("一般问题")).alias("问题级别"),
        pl.when(pl.col("in_13710")).then(pl.lit("是")).otherwise(pl.lit("")).alias("纳入13710督办"),
        pl.col("clock_stage").replace_strict(CLOCK_STAGE, default="—").alias("所处环节"),
        pl.col("clock_missed").list.eval(pl.element().replace_strict(CLOCK_MISSED, default="")).list.join("、")
        .alias("已超时限"),
        pl.col("found_date").alias("发现时间"),
        pl.col("responsible_unit").fill_null("—").alias("责任单位"))
