"""领导包联: the leader-level rule, the overview of all leaders, a leader's changes since last
month, display tables and figures. Pure functions (frame in, frame/Figure out)."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import polars as pl

from etl.problem_rules import STATE_LABEL
from etl.vocab import KEY_LEVEL, STATUS, STATUS_COLOR
from ui.memo import memo
from ui.figures import _layout, count_axis
from ui.format import date_label, escape, gap_text, period_label
from ui.labels import STATUS_DOT

# a title naming one of these posts is a city leader (市领导); others are county/department leaders
CITY_LEADER_POSTS = ["市委书记", "市委副书记", "市委常委", "市长", "副市长", "常务副市长",
                     "市人大常委会主任", "市人大常委会副主任", "市政协主席", "市政协副主席"]
CITY_LEADER_PATTERN = "(" + "|".join(sorted(CITY_LEADER_POSTS, key=len, reverse=True)) + ")"
MILESTONE_WINDOW_DAYS = 30

LEVEL_LABEL = {"city": "市领导", "local": "县区/部门领导", None: "职务未填"}

LEADER_RULE_TITLE = "包联规则"
LEADER_RULE_TEXT = f"""\
**{LEADER_RULE_TITLE}**

- 省定省管、省定市管重点工程由**市领导**包联；市级重点工程由**县区或市直部门领导**包联。
- 领导职务中含「{'、'.join(CITY_LEADER_POSTS)}」的视为市领导，其余视为县区或部门领导；
  某行职务未填时取该领导在其他项目中填报的职务，仍无职务的无法核对层级。
- 省级重点工程由非市领导包联的，标记为「**包联层级不符**」；没有填报包联领导的重点工程，标记为「**未明确包联领导**」。
- 节点：计划完成时间已过仍未完成的为「逾期」，{MILESTONE_WINDOW_DAYS}天内到期的为「即将到期」。
- 「本月变化」与上一个自然月的报送数据比较；上月没有数据时不作比较。"""

# overview sort options: column → (label, descending)
SORTS = {
    "red": ("红色项目数", True),
    "overdue_problems": ("超期问题数", True),
    "open_problems": ("未销号问题数", True),
    "gap_pts": ("落后序时进度", True),
    "projects": ("包联项目数", True),
    "total_investment_wan": ("包联总投资", True),
    "leader": ("姓名", False),
}


def leader_level(title: str | None) -> str | None:
    """「副市长」 → 'city', 「平城区区长」 → 'local', blank → None (the rule the SQL applies)."""
    if title is None or not str(title).strip():
        return None
    return "city" if re.search(CITY_LEADER_PATTERN, str(title)) else "local"


def leader_names(projects: pl.DataFrame) -> list[str]:
    """Leaders holding key projects, most projects first, then by name."""
    if projects.is_empty():
        return []
    counts = projects.filter(pl.col("leader").is_not_null()).group_by("leader").len()
    return counts.sort(["len", "leader"], descending=[True, False])["leader"].to_list()


def overview(projects: pl.DataFrame) -> pl.DataFrame:
    """One row per leader (from leader_projects for all leaders): portfolio, 红黄绿, problems."""
    d = projects.filter(pl.col("leader").is_not_null())
    schema_cols = ["leader", "leader_title", "leader_level", "projects", "provincial", "municipal",
                   "total_investment_wan", "annual_plan_wan", "ytd_wan", "completion_rate", "gap_pts", "red",
                   "yellow", "green", "open_problems", "overdue_problems", "mismatches", "newly_red"]
    if d.is_empty():
        return pl.DataFrame(schema={c: pl.String if c.startswith("leader") else pl.Float64 for c in schema_cols})
    out = d.group_by("leader").agg(
        pl.col("leader_title").drop_nulls().first().alias("leader_title"),
        pl.col("leader_level").drop_nulls().first().alias("leader_level"),
        pl.len().cast(pl.Int64).alias("projects"),
        pl.col("is_provincial").sum().cast(pl.Int64).alias("provincial"),
        (pl.col("key_level") == "municipal").sum().cast(pl.Int64).alias("municipal"),
        pl.col("total_investment_wan").sum().alias("total_investment_wan"),
        pl.col("annual_plan_wan").sum().alias("annual_plan_wan"),
        pl.col("completed_ytd_wan").sum().alias("ytd_wan"),
        pl.col("time_progress").first().alias("time_progress"),
        (pl.col("status") == "red").sum().cast(pl.Int64).alias("red"),
        (pl.col("status") == "yellow").sum().cast(pl.Int64).alias("yellow"),
        (pl.col("status") == "green").sum().cast(pl.Int64).alias("green"),
        pl.col("open_problems").sum().cast(pl.Int64).alias("open_problems"),
        pl.col("overdue_problems").sum().cast(pl.Int64).alias("overdue_problems"),
        pl.col("level_mismatch").sum().cast(pl.Int64).alias("mismatches"),
        pl.col("newly_red").sum().cast(pl.Int64).alias("newly_red"),
    )
    rate = pl.when(pl.col("annual_plan_wan") > 0).then(pl.col("ytd_wan") / pl.col("annual_plan_wan"))
    out = out.with_columns(rate.alias("completion_rate")).with_columns(
        ((pl.col("time_progress") - pl.col("completion_rate")) * 100).round(1).alias("gap_pts"))
    return sort_overview(out.select(schema_cols), "red")


def sort_overview(ov: pl.DataFrame, by: str) -> pl.DataFrame:
    """Sorted by one of SORTS, ties broken by overdue problems, red projects, then name."""
    desc = SORTS.get(by, SORTS["red"])[1]
    keys = [by] + [k for k in ("overdue_problems", "red", "leader") if k != by]
    return ov.sort(keys, descending=[desc] + [k != "leader" for k in keys[1:]], nulls_last=True)


def overview_table(ov: pl.DataFrame) -> pl.DataFrame:
    """The overview with Chinese headers (amounts in 亿元)."""
    return pl.DataFrame({
        "包联领导": ov["leader"],
        "职务": ov["leader_title"],
        "层级": [LEVEL_LABEL.get(v, LEVEL_LABEL[None]) for v in ov["leader_level"]],
        "包联项目数": ov["projects"],
        "其中省级": ov["provincial"],
        "其中市级": ov["municipal"],
        "包联总投资（亿元）": (ov["total_investment_wan"] / 10000).round(2),
        "年度计划（亿元）": (ov["annual_plan_wan"] / 10000).round(2),
        "年累计完成（亿元）": (ov["ytd_wan"] / 10000).round(2),
        "完成率": ov["completion_rate"],
        "落后序时进度（个百分点）": ov["gap_pts"],
        "红": ov["red"],
        "黄": ov["yellow"],
        "绿": ov["green"],
        "未销号问题": ov["open_problems"],
        "超期问题": ov["overdue_problems"],
        "层级不符": ov["mismatches"],
        "本月新变红": ov["newly_red"],
    }, schema_overrides={"包联总投资（亿元）": pl.Float64, "年度计划（亿元）": pl.Float64,
                         "年累计完成（亿元）": pl.Float64, "完成率": pl.Float64, "落后序时进度（个百分点）": pl.Float64})


# the overview columns shown on screen (exports carry all of overview_table)
OVERVIEW_SCREEN = ["包联领导", "红", "黄", "绿", "超期问题", "未销号问题", "包联项目数", "完成率", "落后序时进度（个百分点）",
                   "包联总投资（亿元）", "其中省级", "本月新变红", "职务", "层级"]


def on_screen(table: pl.DataFrame, rate_cols=("完成率", "序时进度")) -> pl.DataFrame:
    """Rates as percentages (×100) for st.dataframe's 「%.1f%%」 format; exports keep fractions."""
    rates = [(pl.col(c) * 100).round(1) for c in rate_cols if c in table.columns]
    wan = [pl.col(c).round(0) for c in table.columns if "（万元）" in c]
    return table.with_columns(rates + wan)


def status_label(status: str | None) -> str:
    return f"{STATUS_DOT.get(status, STATUS_DOT[None])} {STATUS.get(status, '—')}" if status else "—"


def projects_table(df: pl.DataFrame) -> pl.DataFrame:
    """A leader's key projects with Chinese headers."""
    return pl.DataFrame({
        "红黄绿": [status_label(s) for s in df["status"]],
        "项目名称": df["name"],
        "县区/开发区": df["unit_name"],
        "级别": [KEY_LEVEL.get(k, "") for k in df["key_level"]],
        "年度计划（万元）": df["annual_plan_wan"],
        "年累计完成（万元）": df["completed_ytd_wan"],
        "完成率": df["completion_rate"],
        "序时进度": df["time_progress"],
        "判定依据": df["status_reason"],
        "形象进度": df["progress_text"],
        "未销号问题": df["open_problems"],
        "超期问题": df["overdue_problems"],
        "包联层级": [("包联层级不符" if m else "") for m in df["level_mismatch"]],
    }, schema_overrides={"年度计划（万元）": pl.Float64, "年累计完成（万元）": pl.Float64, "完成率": pl.Float64,
                         "序时进度": pl.Float64})


def unassigned_table(df: pl.DataFrame) -> pl.DataFrame:
    """Key projects without a leader, or held at the wrong level."""
    return pl.DataFrame({
        "项目名称": df["name"],
        "县区/开发区": df["unit_name"],
        "级别": [KEY_LEVEL.get(k, "") for k in df["key_level"]],
        "红黄绿": [status_label(s) for s in df["status"]],
        "包联领导": df["leader"].fill_null(""),
        "领导职务": df["leader_title"].fill_null(""),
        "项目代码": df["project_code"],
    })


def milestones_table(df: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "节点状态": [("逾期" if s == "overdue" else "即将到期") for s in df["node_state"]],
        "项目名称": df["project_name"],
        "节点": df["node_name"],
        "计划完成时间": df["planned_date"],
        "逾期或剩余": [f"逾期{o}天" if s == "overdue" else ("今天到期" if not left else f"还剩{left}天")
                      for s, o, left in zip(df["node_state"], df["days_overdue"], df["days_left"])],
    }, schema_overrides={"计划完成时间": pl.Date})


def leader_problems_table(df: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({
        "问题编号": df["problem_id"],
        "状态": [STATE_LABEL.get(s, s) for s in df["state"]],
        "项目名称": df["project_name"],
        "问题类型": df["problem_type"],
        "问题描述": df["description"],
        "责任单位": df["responsible_unit"],
        "完成时限": df["deadline"],
        "超期（天）": df["days_overdue"],
        "账龄（天）": df["days_open"],
        "未续报": ["是" if d else "" for d in df["disappeared"]],
    }, schema_overrides={"完成时限": pl.Date, "超期（天）": pl.Int64, "账龄（天）": pl.Int64})


_DROP_REASON = {"not_reported": "本月未报送", "not_key": "不再列为重点工程", "leader_changed": "改由{}包联"}


def changes(projects: pl.DataFrame, problems: pl.DataFrame, dropped: pl.DataFrame) -> list[tuple[str, str]]:
    """What changed since last month for one leader, as (kind, text) lines in reading order.

    projects: leader_projects; problems: leader_problems; dropped: leader_dropped (one leader each).
    """
    out: list[tuple[str, str]] = []
    for r in projects.filter(pl.col("newly_red")).iter_rows(named=True):
        was = f"{STATUS.get(r['prev_status'], '')}→红" if r["prev_status"] else "上月未报送"
        out.append(("新变红", f"{r['name']}（{was}，{r['status_reason']}）"))
    for r in projects.filter(pl.col("left_red")).iter_rows(named=True):
        out.append(("转出红色", f"{r['name']}（红→{STATUS.get(r['status'], '—')}）"))
    for r in projects.filter(pl.col("newly_started")).iter_rows(named=True):
        when = f"，实际开工{date_label(r['actual_start'])}" if r["actual_start"] else ""
        out.append(("新开工", f"{r['name']}{when}"))
    for r in projects.filter(pl.col("newly_key") | pl.col("leader_changed")).iter_rows(named=True):
        how = "新列入重点工程或上月未报送" if r["newly_key"] else f"原由{r['prev_leader'] or '（未填）'}包联"
        out.append(("新增包联", f"{r['name']}（{how}）"))
    for r in dropped.iter_rows(named=True):
        reason = _DROP_REASON[r["reason"]].format(r["new_leader"] or "（未填）")
        out.append(("不再包联", f"{r['name']}（{reason}）"))
    for r in problems.filter(pl.col("cleared_this_month")).iter_rows(named=True):
        out.append(("问题销号", f"{r['description']}（{r['project_name']}，企业{r['satisfaction']}）"))
    for r in problems.filter(pl.col("new_this_month")).iter_rows(named=True):
        out.append(("新发现问题", f"{r['description']}（{r['project_name']}）"))
    for r in problems.filter(pl.col("newly_escalated")).iter_rows(named=True):
        out.append(("新转督办", f"{r['description']}（{r['project_name']}，超期{r['days_overdue']}天）"))
    for r in problems.filter(pl.col("disappeared")).iter_rows(named=True):
        out.append(("未续报", f"{r['description']}（{r['project_name']}，最后报送{period_label(r['last_period'])}，未销号）"))
    return out


def headline(ov_row: dict) -> str:
    """「包联重点工程2个（省级1个、市级1个）；年累计完成率87.5%，快于序时进度4.2个百分点」."""
    return (f"包联重点工程{ov_row['projects']:,}个（省级{ov_row['provincial']:,}个、市级{ov_row['municipal']:,}个）；"
            f"{gap_text(ov_row['gap_pts'])}")


# ---------------------------------------------------------------- figures

@memo
def status_bars(ov: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Each leader's key projects as red/yellow/green stacked bars (status colours), in ov's order."""
    d = ov.head(25)
    names = [escape(n) for n in d["leader"].to_list()]  # plotly reads tags in tick labels and hover
    fig = go.Figure()
    for key in ("red", "yellow", "green"):
        fig.add_bar(y=names, x=d[key].to_list(), orientation="h", name=STATUS[key],
                    marker_color=STATUS_COLOR[key], hovertemplate=f"%{{y}}<br>{STATUS[key]} %{{x}}个<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", automargin=True)
    count_axis(fig, d["projects"].max() or 0)
    return _layout(fig, title, subtitle, height=max(300, 28 * d.height + 150))
