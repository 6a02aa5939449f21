"""领导包联: every leader's key projects at a glance (?leader=<name>), and the overview of all
leaders: portfolio, 红黄绿, problems, key projects without a leader or held at the wrong level."""

from urllib.parse import urlencode

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from etl.problem_rules import NO_PROBLEM_PATTERN
from ui import leaders as ld
from ui import viewstate
from ui.auth import own_leader
from ui.data import q
from ui.filters import sidebar
from ui.format import data_date_label, gap_text, pct, period_label, yi, ytd_label
from ui.tiles import Tile, tiles
from ui.widgets import chart, downloads, escape, listing, no_data, page_header, show_table
from ui.gaps import gaps_notice

SCOPE = "leaders"
f = sidebar(show_library=False, show_unit=False)
top = st.container()

projects = q("leader_projects", period=f.period, leader=None, city_pattern=ld.CITY_LEADER_PATTERN)
names = ld.leader_names(projects)
asked = st.query_params.get("leader")
leader = viewstate.select("包联领导", [None, *names], "leader", SCOPE, default=own_leader(names),
                         format_func=lambda n: "全部领导（总览）" if n is None else n)
subtitle = f"{period_label(f.period)} · {data_date_label(f.period)}"

with top:
    page_header(f"{leader}包联重点工程" if leader else "领导包联重点工程", f.period)
    gaps_notice(f.period, None)  # senders missing since last month
    if asked and asked not in names:
        st.warning(f"「{escape(asked)}」在{period_label(f.period)}没有包联的重点工程，已显示全部领导。", icon=":material/info:")

if projects.is_empty():
    no_data(f"{period_label(f.period)}没有重点工程数据")
    st.stop()

ov = ld.overview(projects)
if leader is None:
    no_leader = projects.filter(pl.col("no_leader"))
    mismatch = projects.filter(pl.col("level_mismatch"))
    tiles([
        Tile("包联领导", f"{ov.height}人", f"其中市领导 {ov.filter(pl.col('leader_level') == 'city').height}人"),
        Tile("重点工程", f"{projects.height:,}个", f"已明确包联 {projects.height - no_leader.height:,}个"),
        Tile("未明确包联领导", f"{no_leader.height:,}个", "重点工程中"),
        Tile("包联层级不符", f"{mismatch.height:,}个", "省级项目非市领导包联",
             help="省定省管、省定市管重点工程应由市领导包联"),
    ])

    sort = viewstate.select("排序", list(ld.SORTS), "sort", SCOPE, default="red",
                           format_func=lambda k: f"按{ld.SORTS[k][0]}")
    ov = ld.sort_overview(ov, sort)
    st.subheader("各位领导包联情况")
    st.caption("点选一行查看该领导的包联项目；点击表头可按该列排序。")
    table = ld.overview_table(ov)

    def _open_leader():
        rows = st.session_state["leaders_overview"].selection.rows
        if rows:
            viewstate.set_value("leader", SCOPE, table["包联领导"][rows[0]])

    show_table(ld.on_screen(table), key="leaders_overview", on_select=_open_leader,
               selection_mode="single-row", column_order=ld.OVERVIEW_SCREEN, column_config={
                     "包联领导": st.column_config.TextColumn(pinned=True),
                     "包联项目数": st.column_config.NumberColumn("项目数"),
                     "其中省级": st.column_config.NumberColumn("省级"),
                     "包联总投资（亿元）": st.column_config.NumberColumn("总投资（亿元）", format="%.2f"),
                     "完成率": st.column_config.NumberColumn(format="%.1f%%"),
                     "落后序时进度（个百分点）": st.column_config.NumberColumn(
                         "落后序时（个百分点）", format="%.1f", help="负数为快于序时进度"),
                     "未销号问题": st.column_config.NumberColumn("未销号"),
                     "超期问题": st.column_config.NumberColumn("超期"),
                     "本月新变红": st.column_config.NumberColumn("新变红"),
                 })
    downloads(table, f"领导包联情况_{f.period:%Y-%m}", f"各位领导包联重点工程情况（{period_label(f.period)}）", subtitle,
              key="leaders_table")
    chart(ld.status_bars(ov, "各位领导包联重点工程红黄绿（个）", subtitle), "领导包联红黄绿", f.period, key="bars")

    listing(f"未明确包联领导的重点工程（{no_leader.height:,}个）", ld.unassigned_table(no_leader),
            empty="每个重点工程都已明确包联领导。", name=f"未明确包联领导_{f.period:%Y-%m}",
            title="未明确包联领导的重点工程", subtitle=subtitle, key="no_leader")
    if mismatch.height:
        listing(f"包联层级不符（{mismatch.height:,}个）", ld.unassigned_table(mismatch), empty="",
                name=f"包联层级不符_{f.period:%Y-%m}", title="省级重点工程由非市领导包联", subtitle=subtitle,
                key="mismatch")
    with st.expander(ld.LEADER_RULE_TITLE, icon=":material/rule:"):
        st.markdown(ld.LEADER_RULE_TEXT)
    st.stop()

# ---------------------------------------------------------------- one leader
mine = projects.filter(pl.col("leader") == leader)
row = ov.filter(pl.col("leader") == leader).row(0, named=True)
st.markdown(f"**{escape(leader)}**　{escape(row['leader_title'] or '职务未填')} · "
            f"{ld.LEVEL_LABEL.get(row['leader_level'], ld.LEVEL_LABEL[None])}")
st.caption(f"{f.period.year}年计划投资 {yi(row['annual_plan_wan'])} · 总投资 {yi(row['total_investment_wan'])}")
tiles([
    Tile("包联重点工程", f"{row['projects']:,}个", f"省级{row['provincial']:,}个 · 市级{row['municipal']:,}个"),
    Tile("红黄绿", f"红{row['red']} 黄{row['yellow']} 绿{row['green']}",
         f"未销号问题{row['open_problems']:,}个 · 超期{row['overdue_problems']:,}个"),
    Tile(f"{ytd_label(f.period)}累计完成", yi(row["ytd_wan"]), f"完成率 {pct(row['completion_rate'])}"),
    Tile("序时进度", pct(mine["time_progress"][0]), gap_text(row["gap_pts"]),
         help="序时进度 = 当月月数 ÷ 12；完成率 = 年累计完成投资 ÷ 年度计划投资"),
])

problems = q("leader_problems", period=f.period, leader=leader)
dropped = q("leader_dropped", period=f.period, leader=leader)
st.subheader("本月变化")
if not mine["has_prev"][0]:
    st.info("上月没有报送数据，无法比较本月变化。", icon=":material/info:")
else:
    lines = ld.changes(mine, problems, dropped)
    if lines:
        st.markdown("\n".join(f"- **{kind}**：{escape(text)}" for kind, text in lines))
    else:
        st.markdown("与上月相比没有变化：没有新变红、新开工的项目，也没有销号或新发现的问题。")

st.subheader(f"包联项目（{mine.height:,}个）")
pt = ld.projects_table(mine)
show_table(ld.on_screen(pt), column_config={
    "完成率": st.column_config.ProgressColumn(format="%.1f%%", min_value=0.0, max_value=100.0),
    "序时进度": st.column_config.NumberColumn(format="%.1f%%"),
    "年度计划（万元）": st.column_config.NumberColumn(format="localized"),
    "年累计完成（万元）": st.column_config.NumberColumn(format="localized"),
})
downloads(pt, f"{leader}包联项目_{f.period:%Y-%m}", f"{leader}包联重点工程（{period_label(f.period)}）", subtitle,
          key="leader_projects")
if mine["level_mismatch"].any():
    st.warning("有省级重点工程由非市领导包联（包联层级不符），请核实。", icon=":material/warning:")

st.subheader(f"节点计划：逾期和{ld.MILESTONE_WINDOW_DAYS}天内到期")
nodes = q("leader_milestones", period=f.period, leader=leader, days=ld.MILESTONE_WINDOW_DAYS)
if nodes.is_empty():
    st.markdown(f"没有逾期或{ld.MILESTONE_WINDOW_DAYS}天内到期的节点。")
else:
    show_table(ld.milestones_table(nodes),
                 column_config={"计划完成时间": st.column_config.DateColumn(format="YYYY-MM-DD")})

open_problems = problems.filter(pl.col("is_open"))
st.subheader(f"未销号问题（{open_problems.height:,}个，超期{int(open_problems['is_overdue'].sum()):,}个）")
if open_problems.is_empty():
    st.markdown("包联项目没有未销号问题。")
else:
    show_table(ld.leader_problems_table(open_problems),
                 column_config={"完成时限": st.column_config.DateColumn(format="YYYY-MM-DD")})
try:
    st.page_link("pages/problems.py", label="在问题清单中查看全部问题", icon=":material/report:",
                 query_params={"leader": leader, "period": f"{f.period:%Y-%m}"})
except StreamlitPageNotFoundError:  # the page run on its own, outside the app's navigation
    st.markdown(f"[在问题清单中查看全部问题](problems?{urlencode({'leader': leader, 'period': f'{f.period:%Y-%m}'})})")

unfiled = q("problem_unfiled", period=f.period, unit=None, no_problem_pattern=NO_PROBLEM_PATTERN)
unfiled = unfiled.filter(pl.col("project_code").is_in(mine["project_code"].implode()))
if unfiled.height:
    st.subheader(f"未建档问题（{unfiled.height:,}个）")
    st.caption("进展表「存在问题」栏填了问题，但问题清单中没有该项目在办问题。")
    st.markdown("\n".join(f"- {escape(r['name'])}：{escape(r['problem_text'])}" for r in unfiled.iter_rows(named=True)))

with st.expander(ld.LEADER_RULE_TITLE, icon=":material/rule:"):
    st.markdown(ld.LEADER_RULE_TEXT)
