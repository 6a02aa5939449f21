"""投资进度: the cuts (county, sector, library, key level, 六新, investment kind), the drill-down
tables, the project's monthly history and the consistency questions (待核实). Pure functions."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from etl.vocab import INVEST_KIND, KEY_LEVEL, LIBRARY, LIBRARY_LONG, SECTORS, SIX_NEW, STATUS
from ui.figures import BLUE, GREY, ORANGE, _layout, month_axis
from ui.format import by_value, period_label, wan
from ui.labels import STATUS_DOT

# dimension code -> (tab label, column header of the group)
CUTS = {
    "unit": ("县区/开发区", "县区/开发区"),
    "sector": ("行业", "所属行业"),
    "library": ("项目类别", "项目类别"),
    "key_level": ("重点工程级别", "重点工程级别"),
    "six_new": ("六新类型", "六新类型"),
    "invest_kind": ("投资类型", "投资类型"),
}
_NULL_LABEL = {"unit": "未识别县区", "sector": "未分类", "library": "未分类", "key_level": "非重点工程",
               "six_new": "非六新项目", "invest_kind": "未填报"}
_LABELS = {"library": LIBRARY_LONG, "key_level": KEY_LEVEL, "invest_kind": INVEST_KIND}
_ORDER = {"sector": SECTORS, "library": list(LIBRARY_LONG), "key_level": list(KEY_LEVEL), "six_new": SIX_NEW,
          "invest_kind": list(INVEST_KIND)}


def label_cut(df: pl.DataFrame, dim: str) -> pl.DataFrame:
    """Adds `label` (Chinese group name) and puts the groups in their official order
    (unknown values after the known ones, the blank group last)."""
    keys = df["group_key"].to_list()
    if dim == "unit":
        labels = [n or _NULL_LABEL[dim] for n in df["unit_name"].to_list()]
        order = [s if s is not None else 10_000 for s in df["unit_sort"].to_list()]
    else:
        names = _LABELS.get(dim, {})
        known = _ORDER.get(dim, [])
        labels = [_NULL_LABEL[dim] if k is None else names.get(k, k) for k in keys]
        order = [20_000 if k is None else (known.index(k) if k in known else 1_000) for k in keys]
    return (df.with_columns(pl.Series("label", labels, dtype=pl.String), pl.Series("_order", order))
            .sort(["_order", "label"]).drop("_order"))


def totals(df: pl.DataFrame, time_progress: float) -> dict:
    """The whole scope from any one cut (every project is in exactly one group)."""
    plan = df["plan_wan"].sum() if df.height else None
    ytd = df["ytd_wan"].sum() if df.height else None
    ly = df["ytd_last_year_wan"].sum() if df.height and df["ytd_last_year_wan"].null_count() < df.height else None
    rate = ytd / plan if plan else None
    return {
        "projects": int(df["projects"].sum()) if df.height else 0,
        "plan_wan": plan,
        "month_wan": df["month_wan"].sum() if df.height else None,
        "ytd_wan": ytd,
        "completion_rate": rate,
        "gap_pts": (time_progress - rate) * 100 if rate is not None else None,
        "ytd_last_year_wan": ly,
        "yoy_growth": ytd / ly - 1 if ly else None,
    }


def cut_table(df: pl.DataFrame, dim: str) -> pl.DataFrame:
    """One cut with Chinese headers and units; numbers stay numbers so the table sorts. The
    key columns first (a phone shows three or four): rate, gap, done, plan."""
    return df.select(
        pl.col("label").alias(CUTS[dim][1]),
        pl.col("completion_rate").alias("完成率"),
        pl.col("gap_pts").round(1).alias("落后序时进度（个百分点）"),
        (pl.col("ytd_wan") / 10000).round(2).alias("年累计完成（亿元）"),
        (pl.col("plan_wan") / 10000).round(2).alias("年度计划（亿元）"),
        (pl.col("month_wan") / 10000).round(2).alias("本月完成（亿元）"),
        pl.col("yoy_growth").alias("同比增长"),
        pl.col("projects").alias("项目数"),
    )


def project_table(df: pl.DataFrame) -> pl.DataFrame:
    """A unit's projects for the drill-down list (amounts in 万元)."""
    return df.select(
        pl.col("name").alias("项目名称"),
        pl.col("status").replace_strict({k: f"{STATUS_DOT[k]}{v}" for k, v in STATUS.items()}, default="—")
        .alias("红黄绿"),
        pl.col("completion_rate").alias("完成率"),
        pl.col("gap_pts").round(1).alias("落后序时进度（个百分点）"),
        pl.col("annual_plan_wan").alias("年度计划（万元）"),
        pl.col("completed_month_wan").alias("本月完成（万元）"),
        pl.col("completed_ytd_wan").alias("年累计完成（万元）"),
        pl.col("library").replace_strict(LIBRARY, default="—").alias("项目类别"),
        pl.col("key_level").replace_strict(KEY_LEVEL, default="—").alias("重点工程级别"),
        pl.col("status_reason").alias("判定依据"),
        pl.col("project_code").alias("项目代码"),
    )


def history_table(df: pl.DataFrame) -> pl.DataFrame:
    """One project's months, oldest first."""
    return df.select(
        by_value(df, "period", period_label).alias("月份"),
        pl.col("library").replace_strict(LIBRARY, default="—").alias("项目类别"),  # a reserve month has no plan
        pl.col("annual_plan_wan").alias("年度计划（万元）"),
        pl.col("completed_month_wan").alias("本月完成（万元）"),
        pl.col("completed_ytd_wan").alias("年累计完成（万元）"),
        pl.col("completed_cum_wan").alias("开工累计完成（万元）"),
        pl.col("completion_rate").alias("完成率"),
        pl.col("gap_pts").round(1).alias("落后序时进度（个百分点）"),
        pl.col("status").replace_strict({k: f"{STATUS_DOT[k]}{v}" for k, v in STATUS.items()}, default="—")
        .alias("红黄绿"),
        pl.col("status_reason").alias("判定依据"),
        pl.col("progress_text").alias("形象进度"),
    )


def history_chart(df: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    """A project's completion month by month: 本月 as bars, 年累计 and 序时进度 as lines (万元)."""
    x = df["period"].to_list()
    schedule = [None if plan is None else plan * p.month / 12
                for plan, p in zip(df["annual_plan_wan"].to_list(), df["period"].to_list())]
    fig = go.Figure()
    fig.add_bar(x=x, y=df["completed_month_wan"].to_list(), name="本月完成", marker_color=ORANGE,
                hovertemplate="%{x|%Y年%-m月} 本月完成 %{y:,.0f}万元<extra></extra>")
    fig.add_scatter(x=x, y=df["completed_ytd_wan"].to_list(), name="年累计完成", mode="lines+markers",
                    line={"color": BLUE, "width": 3}, hovertemplate="%{x|%Y年%-m月} 年累计 %{y:,.0f}万元<extra></extra>")
    fig.add_scatter(x=x, y=schedule, name="序时进度（年度计划×月数/12）", mode="lines+markers",
                    line={"color": GREY, "dash": "dash", "width": 2},
                    hovertemplate="%{x|%Y年%-m月} 序时进度 %{y:,.0f}万元<extra></extra>")
    month_axis(fig, x)
    fig.update_yaxes(title_text="万元", rangemode="tozero", tickformat=",.0f")
    fig = _layout(fig, title, subtitle, height=400)
    return fig.update_layout(title_y=1 - 14 / 400, margin_t=86)


# ---------------------------------------------------------------- consistency (待核实)

FLAG_RULES = {
    "ytd_vs_months": "年累计与逐月不符",
    "ytd_decrease": "年累计比上月减少",
    "cum_below_ytd": "开工累计低于年累计",
    "month_over_half": "单月超年计划一半",
    "magnitude_jump": "数额跳变十倍以上",
}
_FIELDS = {"annual_plan": "年度计划投资", "total_investment": "总投资", "cumulative": "开工累计完成投资"}

FLAG_NOTE = ("以下是统计部门可能追问的数据，供与报送单位核实，不等于数据错误：年累计应等于上月年累计加本月完成；"
             "年累计不应比上月减少；开工累计不应低于年累计；单月完成一般不超过年度计划的一半；"
             "年度计划、总投资、开工累计与上期相比不应相差10倍以上（常见原因是万元、亿元填错）。")


def question(row: dict) -> str:
    """One flag as the question to put to the sender (amounts in 万元)."""
    rule, v, ref = row["rule"], row["value_wan"], row["reference_wan"]
    if rule == "ytd_vs_months":
        if row.get("prev_ytd_wan") is None:
            return f"1月年累计完成{wan(v)}，与本月完成{wan(ref)}不一致，请核实哪一个数有误？"
        return (f"年累计完成{wan(v)}，而上月年累计{wan(row['prev_ytd_wan'])}加本月完成{wan(row['completed_month_wan'])}"
                f"应为{wan(ref)}，相差{wan(abs(v - ref))}，请核实年累计或本月完成是否填报有误？")
    if rule == "ytd_decrease":
        return f"年累计完成{wan(v)}，比上月年累计{wan(ref)}减少{wan(ref - v)}，是否调减了以前月份的数据？"
    if rule == "cum_below_ytd":
        return f"开工累计完成{wan(v)}，低于本年累计完成{wan(ref)}，开工累计是否漏报了本年完成？"
    if rule == "month_over_half":
        share = v / ref * 100 if ref else 0
        return f"本月完成{wan(v)}，占年度计划投资{wan(ref)}的{share:.1f}%，是否属实、单位是否填错？"
    if rule == "magnitude_jump":
        field = _FIELDS.get(row.get("field"), "金额")
        ratio = max(v, ref) / min(v, ref) if v and ref else 0
        return f"{field}由上期{wan(ref)}变为{wan(v)}，相差约{ratio:.0f}倍，是否把万元、亿元填错？"
    raise KeyError(rule)


def flag_table(flags: pl.DataFrame) -> pl.DataFrame:
    """The flagged projects, one question per row."""
    rows = [{"县区/开发区": r["unit_name"] or "—", "项目名称": r["name"], "核实事项": FLAG_RULES[r["rule"]],
             "待核实问题": question(r), "报送单位": r["sender"], "项目代码": r["project_code"]}
            for r in flags.iter_rows(named=True)]
    cols = ["县区/开发区", "项目名称", "核实事项", "待核实问题", "报送单位", "项目代码"]
    return pl.DataFrame(rows, schema={c: pl.String for c in cols})


def flag_counts(flags: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """Per county/zone (those in `units`: unit_code, unit_name, in display order): projects to
    verify and questions by rule, zero where nothing was flagged, with a 合计 row."""
    base = units.select("unit_code", "unit_name")
    if flags.height:
        per = flags.group_by("unit_code").agg(
            pl.col("project_code").n_unique().alias("待核实项目"),
            pl.len().alias("待核实数据"),
            *[(pl.col("rule") == r).sum().alias(label) for r, label in FLAG_RULES.items()],
        )
        extra = flags.filter(~pl.col("unit_code").is_in(base["unit_code"].to_list()))
        if extra.height:  # flagged units outside the list (e.g. a project without a county)
            base = pl.concat([base, extra.select("unit_code", pl.col("unit_name").fill_null("未识别县区")).unique(
                maintain_order=True)])
        out = base.join(per, on="unit_code", how="left", maintain_order="left")
    else:
        out = base.with_columns(pl.lit(0).alias("待核实项目"), pl.lit(0).alias("待核实数据"),
                                *[pl.lit(0).alias(label) for label in FLAG_RULES.values()])
    count_cols = ["待核实项目", "待核实数据", *FLAG_RULES.values()]
    out = out.with_columns([pl.col(c).fill_null(0).cast(pl.Int64) for c in count_cols]).drop("unit_code")
    out = out.rename({"unit_name": "县区/开发区"})
    total = pl.DataFrame([{"县区/开发区": "合计", **{c: int(out[c].sum()) for c in count_cols}}],
                         schema=out.schema)
    return pl.concat([out, total])


def question_lines(flags: pl.DataFrame, limit: int = 60) -> list[str]:
    """The questions as short lines for the page: 「项目（县区）— 核实事项：问题」 (text, not yet escaped)."""
    return [f"{r['name']}（{r['unit_name'] or '未识别县区'}）— {FLAG_RULES[r['rule']]}：{question(r)}"
            for r in flags.head(limit).iter_rows(named=True)]

