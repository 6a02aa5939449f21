"""审批与要素: the approval queue and factor guarantees as tables and figures (pure functions:
frames from queries/approvals_*.sql in, frames and plotly figures out)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from etl.vocab import FACTOR_KIND
from ui.memo import memo
from ui.figures import BLUE, GREY, ORANGE, _layout, count_axis
from ui.labels import APPROVAL_COLUMNS, FACTOR_COLUMNS

LOW_RISK_TARGET_DAYS = 20     # the plan: a low-risk small project's whole chain in at most 20 working days
LAND_RESERVE_TARGET = 0.10    # the plan: at least 10 % of the land quota kept for key projects
TARGET_NAME = f"低风险小型项目全流程审批不超过{LOW_RISK_TARGET_DAYS}个工作日"


def _date(col: str) -> pl.Expr:
    """A date column as 「2026-03-15」, 「—」 when blank (tables show no 「None」)."""
    return pl.col(col).dt.strftime("%Y-%m-%d").fill_null("—")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------- approvals

def low_risk_chains(items: pl.DataFrame) -> pl.DataFrame:
    """Each low-risk small project: working days summed over its items (the approval time, not the
    company's building time), whether its chain is complete (不动产登记 办结) and within the target."""
    lr = items.filter(pl.col("is_low_risk"))
    if lr.is_empty():
        return pl.DataFrame(schema={"project_code": pl.String, "name": pl.String, "unit_name": pl.String,
                                    "items": pl.UInt32, "total_days": pl.Int64, "complete": pl.Boolean,
                                    "within": pl.Boolean})
    out = lr.group_by("project_code", "name", "unit_name").agg(
        pl.len().alias("items"),
        pl.col("working_days").sum().cast(pl.Int64).alias("total_days"),
        ((pl.col("item") == "property") & pl.col("completed_date").is_not_null()).any().alias("complete"),
    )
    return out.with_columns(
        (pl.col("complete") & (pl.col("total_days") <= LOW_RISK_TARGET_DAYS)).alias("within")
    ).sort("complete", "total_days", "project_code", descending=[True, False, False])


def low_risk_share(chains: pl.DataFrame) -> dict:
    complete = chains.filter(pl.col("complete"))
    within = int(complete["within"].sum()) if complete.height else 0
    return {"complete": complete.height, "within": within, "share": _share(within, complete.height),
            "in_progress": chains.height - complete.height}


def department_ranking(items: pl.DataFrame) -> pl.DataFrame:
    """Per department: items handled, past their limit (still waiting and done late), average working
    days of the completed ones; the slowest first."""
    accepted = items.filter(pl.col("accepted_date").is_not_null())
    if accepted.is_empty():
        return pl.DataFrame(schema={"department": pl.String, "items": pl.UInt32, "done": pl.UInt32,
                                    "waiting": pl.UInt32, "overdue": pl.UInt32, "overdue_waiting": pl.UInt32,
                                    "avg_days": pl.Float64, "overdue_rate": pl.Float64})
    out = accepted.group_by("department").agg(
        pl.len().alias("items"),
        pl.col("completed_date").is_not_null().sum().alias("done"),
        pl.col("is_waiting").sum().alias("waiting"),
        pl.col("is_overdue").sum().alias("overdue"),
        (pl.col("is_overdue") & pl.col("is_waiting")).sum().alias("overdue_waiting"),
        pl.col("working_days").filter(pl.col("completed_date").is_not_null()).mean().alias("avg_days"),
    ).with_columns((pl.col("overdue") / pl.col("items")).alias("overdue_rate"))
    return out.sort(["overdue", "overdue_rate", "department"], descending=[True, True, False])


def zone_shares(items: pl.DataFrame) -> pl.DataFrame:
    """承诺制 and 代办 in the development zones: projects with an item under each, per zone and all zones."""
    z = items.filter(pl.col("zone_code").is_not_null())
    schema = {"unit_name": pl.String, "projects": pl.UInt32, "promise": pl.UInt32, "agent": pl.UInt32,
              "promise_share": pl.Float64, "agent_share": pl.Float64}
    if z.is_empty():
        return pl.DataFrame(schema=schema)
    per = z.group_by("unit_name", "project_code").agg(pl.col("is_promise").any(), pl.col("is_agent").any())

    def agg(df: pl.DataFrame) -> pl.DataFrame:
        return df.agg(pl.len().alias("projects"), pl.col("is_promise").sum().alias("promise"),
                      pl.col("is_agent").sum().alias("agent"))

    by_zone = agg(per.group_by("unit_name")).sort("unit_name")
    total = agg(per.select(pl.lit("全部开发区").alias("unit_name"), "is_promise", "is_agent").group_by("unit_name"))
    out = pl.concat([by_zone, total], how="vertical_relaxed")
    return out.with_columns((pl.col("promise") / pl.col("projects")).alias("promise_share"),
                            (pl.col("agent") / pl.col("projects")).alias("agent_share")).cast(schema)


def held_starts(items: pl.DataFrame) -> pl.DataFrame:
    """New starts not yet started that wait on an approval: the first item they wait for, the longest over."""
    w = items.filter((pl.col("library") == "new_start") & pl.col("actual_start").is_null() & pl.col("is_waiting"))
    if w.is_empty():
        return w
    return (w.sort("item_seq").group_by("project_code", maintain_order=True).first()
            .sort(["is_overdue", "days_over", "project_code"], descending=[True, True, False]))


def waiting_over_limit(items: pl.DataFrame) -> pl.DataFrame:
    """Items still being handled past their limit, the longest over first."""
    return items.filter(pl.col("is_waiting") & pl.col("is_overdue")).sort(
        ["days_over", "project_code"], descending=[True, False])


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
        pl.col("avg_days").map_elements(lambda v: f"{v:.1f}", return_dtype=pl.String).fill_null("—")
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

def factor_summary(factors: pl.DataFrame) -> pl.DataFrame:
    """Per kind: projects, needed, secured, gap (in the kind's unit), secured share, past the planned date."""
    if factors.is_empty():
        return pl.DataFrame(schema={"kind": pl.String, "kind_seq": pl.Int32, "unit": pl.String,
                                    "projects": pl.UInt32, "needed": pl.Float64, "secured": pl.Float64,
                                    "gap": pl.Float64, "gap_projects": pl.UInt32, "overdue": pl.UInt32,
                                    "secured_rate": pl.Float64})
    out = factors.group_by("kind", "kind_seq", "unit").agg(
        pl.col("project_code").n_unique().cast(pl.UInt32).alias("projects"),
        pl.col("needed").sum(), pl.col("secured").sum(), pl.col("gap").sum(),
        pl.col("project_code").filter(pl.col("gap") > 0).n_unique().cast(pl.UInt32).alias("gap_projects"),
        pl.col("is_overdue").sum().cast(pl.UInt32).alias("overdue"),
    )
    return out.with_columns((pl.col("secured") / pl.col("needed")).alias("secured_rate")).sort("kind_seq")


def factor_by_department(factors: pl.DataFrame) -> pl.DataFrame:
    if factors.is_empty():
        return pl.DataFrame(schema={"department": pl.String, "rows": pl.UInt32, "gap_rows": pl.UInt32,
                                    "overdue": pl.UInt32})
    return factors.group_by("department").agg(
        pl.len().alias("rows"), (pl.col("gap") > 0).sum().alias("gap_rows"), pl.col("is_overdue").sum().alias("overdue"),
    ).sort(["overdue", "gap_rows", "department"], descending=[True, True, False])


def key_waiting(factors: pl.DataFrame) -> pl.DataFrame:
    """Key projects still waiting for a factor, those past the planned date first."""
    return factors.filter(pl.col("is_key") & (pl.col("gap") > 0)).sort(
        ["is_overdue", "kind_seq", "gap"], descending=[True, False, True])


def land_reserve(factors: pl.DataFrame) -> dict:
    """Land secured for key projects as a share of all land secured (the plan keeps ≥ 10 % for them)."""
    land = factors.filter(pl.col("kind") == "land")
    total = float(land["secured"].sum()) if land.height else 0.0
    key = float(land.filter(pl.col("is_key"))["secured"].sum()) if land.height else 0.0
    share = key / total if total else None
    return {"key_mu": key, "total_mu": total, "share": share,
            "met": share is not None and share >= LAND_RESERVE_TARGET}


def kind_label(kind: str, detail: str | None = None) -> str:
    label = FACTOR_KIND.get(kind, kind)
    return f"{label}·{detail}" if detail else label


def _amount(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}{unit}" if abs(v) >= 100 else f"{v:,.1f}{unit}"


def factor_table(df: pl.DataFrame) -> pl.DataFrame:
    if df.is_empty():
        return pl.DataFrame({v: [] for v in FACTOR_COLUMNS.values()})
    return df.select(
        pl.col("project_code"), pl.col("name"), pl.col("unit_name"),
        pl.struct("kind", "detail").map_elements(lambda s: kind_label(s["kind"], s["detail"] or None),
                                                 return_dtype=pl.String).alias("kind_text"),
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

