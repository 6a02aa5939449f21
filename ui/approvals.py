"""审批与要素: the approval queue and factor guarantees as tables and figures (pure functions:
frames from queries/approvals_*.sql and queries/factors_*.sql in, frames and plotly figures out;
the counting and summing is done by those queries)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from etl.vocab import FACTOR_KIND
from ui.format import by_value
from ui.memo import memo
from ui.figures import BLUE, GREY, ORANGE, _layout, count_axis
from ui.labels import APPROVAL_COLUMNS, FACTOR_COLUMNS

LOW_RISK_TARGET_DAYS = 20     # the plan: a low-risk small project's whole chain in at most 20 working days
LAND_RESERVE_TARGET = 0.10    # the plan: at least 10 % of the land quota kept for key projects
TARGET_NAME = f"低风险小型项目全流程审批不超过{LOW_RISK_TARGET_DAYS:,}个工作日"
LIST_ROWS = 500               # rows a list on the page shows (the longest over first); its heading counts all


def _date(col: str) -> pl.Expr:
    """A date column as 「2026-03-15」, 「—」 when blank (tables show no 「None」)."""
    return pl.col(col).dt.strftime("%Y-%m-%d").fill_null("—")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def list_note(rows: pl.DataFrame) -> str | None:
    """「共1,234项，列出排在前面的500项。」 under a list the query cut at LIST_ROWS (its `total` column)."""
    total = int(rows["total"][0]) if rows.height else 0
    return f"共{total:,}项，列出排在前面的{rows.height:,}项。" if total > rows.height else None


# ---------------------------------------------------------------- approvals

def low_risk_share(chains: pl.DataFrame) -> dict:
    complete = chains.filter(pl.col("complete"))
    within = int(complete["within"].sum()) if complete.height else 0
    return {"complete": complete.height, "within": within, "share": _share(within, complete.height),
            "in_progress": chains.height - complete.height}


def items_table(df: pl.DataFrame) -> pl.DataFrame:
    """Approval items with Chinese headers (days in working days)."""
    if df.is_empty():
        return pl.DataFrame({v: [] for v in APPROVAL_COLUMNS.values()})
    return df.select(
        pl.col("project_code"), pl.col("name"), pl.col("unit_name"),
        pl.col("item_name"), pl.col("department").fill_null("—"), _date("accepted_date"), _date("completed_date"),
        pl.col("working_days").cast(pl.String).fill_null("—"), pl.col("limit_days").cast(pl.String).fill_null("—"),
        pl.when(pl.col("is_overdue")).then(pl.lit("超时限")).otherwise(pl.lit("")).alias("overdue_text"),
        pl.when(pl.col("is_waiting")).then(pl.lit("办理中")).otherwise(pl.lit("已办结")).alias("state_text"),
        pl.when(pl.col("is_promise")).then(pl.lit("是")).otherwise(pl.lit("否")).alias("promise_text"),
        pl.when(pl.col("is_agent")).then(pl.lit("是")).otherwise(pl.lit("否")).alias("agent_text"),
    ).rename(APPROVAL_COLUMNS)


def ranking_table(rank: pl.DataFrame) -> pl.DataFrame:
    return rank.select(
        pl.col("department").alias("审批部门"), pl.col("items").alias("受理事项（个）"),
        pl.col("done").alias("已办结（个）"), pl.col("waiting").alias("办理中（个）"),
        pl.col("overdue").alias("超时限（个）"), pl.col("overdue_waiting").alias("其中仍在办理（个）"),
        (pl.col("overdue_rate") * 100).round(1).alias("超时限比例（%）"),
        by_value(rank, "avg_days", lambda v: f"{v:.1f}").fill_null("—")
        .alias("已办结平均用时（工作日）"))


def zone_table(z: pl.DataFrame) -> pl.DataFrame:
    return z.select(
        pl.col("unit_name").alias("开发区"), pl.col("projects").alias("有审批事项的项目（个）"),
        pl.col("promise").alias("承诺制项目（个）"), (pl.col("promise_share") * 100).round(1).alias("承诺制占比（%）"),
        pl.col("agent").alias("代办项目（个）"), (pl.col("agent_share") * 100).round(1).alias("代办占比（%）"))


def held_table(h: pl.DataFrame) -> pl.DataFrame:
    if h.is_empty():
        return pl.DataFrame({k: [] for k in ("项目代码", "项目名称", "县区/开发区", "等待的审批事项", "审批部门",
                                             "受理时间", "已用工作日", "办理时限（工作日）", "超出（工作日）")})
    return h.select(
        pl.col("project_code").alias("项目代码"), pl.col("name").alias("项目名称"),
        pl.col("unit_name").alias("县区/开发区"), pl.col("item_name").alias("等待的审批事项"),
        pl.col("department").fill_null("—").alias("审批部门"), _date("accepted_date").alias("受理时间"),
        pl.col("working_days").alias("已用工作日"), pl.col("limit_days").alias("办理时限（工作日）"),
        pl.col("days_over").alias("超出（工作日）"))


def low_risk_table(chains: pl.DataFrame) -> pl.DataFrame:
    return chains.select(
        pl.col("project_code").alias("项目代码"), pl.col("name").alias("项目名称"),
        pl.col("unit_name").alias("县区/开发区"), pl.col("items").alias("审批事项（个）"),
        pl.col("total_days").alias("审批用时合计（工作日）"),
        pl.when(pl.col("complete")).then(pl.lit("已取得不动产证")).otherwise(pl.lit("办理中")).alias("全流程"),
        pl.when(~pl.col("complete")).then(pl.lit("—")).when(pl.col("within")).then(pl.lit("达标"))
        .otherwise(pl.lit("超过20个工作日")).alias("是否达标"))


@memo
def department_bars(rank: pl.DataFrame, title: str, subtitle: str, top: int = 15) -> go.Figure:
    """Items per department: on time, past the limit (done late / still waiting); the slowest first."""
    d = rank.head(top)
    names = d["department"].to_list()
    on_time = (d["items"] - d["overdue"]).to_list()
    late_done = (d["overdue"] - d["overdue_waiting"]).to_list()
    fig = go.Figure()
    fig.add_bar(y=names, x=on_time, orientation="h", name="未超时限", marker_color=BLUE,
                hovertemplate="%{y}<br>未超时限 %{x}个<extra></extra>")
    fig.add_bar(y=names, x=late_done, orientation="h", name="超时限（已办结）", marker_color=GREY,
                hovertemplate="%{y}<br>超时限已办结 %{x}个<extra></extra>")
    fig.add_bar(y=names, x=d["overdue_waiting"].to_list(), orientation="h", name="超时限（仍在办理）",
                marker_color=ORANGE, hovertemplate="%{y}<br>超时限仍在办理 %{x}个<extra></extra>")
    totals = d["items"].to_list()
    labels = [f"超时限{r * 100:.1f}%" for r in d["overdue_rate"].to_list()]
    fig.add_scatter(y=names, x=totals, mode="text", text=labels, textposition="middle right", showlegend=False,
                    hoverinfo="skip", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, max(totals + [1]) * 1.45])
    count_axis(fig, max(totals + [1]) * 1.45)
    fig = _layout(fig, title, subtitle, height=max(340, 30 * d.height + 190))
    fig.update_layout(barmode="stack", margin={"b": 90})
    return fig


# ---------------------------------------------------------------- factors

def land_reserve(totals: dict) -> dict:
    """Land secured for key projects as a share of all land secured (the plan keeps ≥ 10 % for them),
    from approvals_totals' `land_total_mu` and `land_key_mu`."""
    total, key = float(totals.get("land_total_mu") or 0), float(totals.get("land_key_mu") or 0)
    share = key / total if total else None
    return {"key_mu": key, "total_mu": total, "share": share,
            "met": share is not None and share >= LAND_RESERVE_TARGET}


def kind_label(kind: str, detail: str | None = None) -> str:
    label = FACTOR_KIND.get(kind, kind)
    return f"{label}·{detail}" if detail else label


def kind_label_expr(kind: str = "kind", detail: str = "detail") -> pl.Expr:
    """kind_label as a polars expression: 「土地·建设用地」, 「能耗」 when there is no detail."""
    label = pl.col(kind).replace_strict(FACTOR_KIND, default=pl.col(kind), return_dtype=pl.String)
    has = pl.col(detail).fill_null("") != ""
    return pl.when(has).then(pl.concat_str([label, pl.lit("·"), pl.col(detail)])).otherwise(label)


def _amount(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}{unit}" if abs(v) >= 100 else f"{v:,.1f}{unit}"


def factor_table(df: pl.DataFrame) -> pl.DataFrame:
    if df.is_empty():
        return pl.DataFrame({v: [] for v in FACTOR_COLUMNS.values()})
    return df.select(
        pl.col("project_code"), pl.col("name"), pl.col("unit_name"),
        kind_label_expr().alias("kind_text"),
        pl.col("unit"), pl.col("needed").round(1), pl.col("secured").round(1), pl.col("gap").round(1),
        pl.col("department").fill_null("—"), _date("planned_date"),
        pl.when(pl.col("is_overdue")).then(pl.lit("逾期未落实")).when(pl.col("gap") > 0).then(pl.lit("待落实"))
        .otherwise(pl.lit("已落实")).alias("state_text"),
    ).rename(FACTOR_COLUMNS)


def summary_table(s: pl.DataFrame) -> pl.DataFrame:
    return s.select(
        pl.col("kind").replace_strict(FACTOR_KIND, default="其他").alias("要素"), pl.col("unit").alias("单位"),
        pl.col("projects").alias("项目（个）"), pl.col("needed").round(1).alias("需求量"),
        pl.col("secured").round(1).alias("已落实"), pl.col("gap").round(1).alias("缺口"),
        (pl.col("secured_rate") * 100).round(1).alias("落实比例（%）"),
        pl.col("gap_projects").alias("有缺口的项目（个）"), pl.col("overdue").alias("逾期未落实（项）"))


@memo
def factor_bars(s: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Secured share of each factor kind (kinds have different units), the amounts written beside."""
    kinds = [FACTOR_KIND.get(k, k) for k in s["kind"].to_list()]
    rates = [r * 100 if r is not None else 0 for r in s["secured_rate"].to_list()]
    text = [f"{_amount(sec, u)} / {_amount(need, u)}" for sec, need, u in
            zip(s["secured"].to_list(), s["needed"].to_list(), s["unit"].to_list())]
    fig = go.Figure()
    fig.add_bar(y=kinds, x=rates, orientation="h", name="已落实", marker_color=BLUE,
                hovertemplate="%{y}<br>已落实 %{x:.1f}%<extra></extra>")
    fig.add_bar(y=kinds, x=[100 - r for r in rates], orientation="h", name="缺口", marker_color=ORANGE,
                hovertemplate="%{y}<br>缺口 %{x:.1f}%<extra></extra>")
    fig.add_scatter(y=kinds, x=[100] * len(kinds), mode="text", text=[f" {r:.1f}%（{t}）" for r, t in zip(rates, text)],
                    textposition="middle right", showlegend=False, hoverinfo="skip", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, 175], tickvals=[0, 25, 50, 75, 100], ticksuffix="%")
    fig = _layout(fig, title, subtitle, height=max(300, 48 * len(kinds) + 190))
    fig.update_layout(barmode="stack", margin={"b": 90})
    return fig

