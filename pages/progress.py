"""投资进度: plan against completion month by month and by cut (county, sector, library, key
level, 六新, investment kind); drill down from a county to its projects and a project's monthly
history; and the figures the statistics office would question (待核实).
URL: ?period=2026-10&lib=key&cut=sector&unit=140213&project=<code>"""

import polars as pl
import streamlit as st

from ui import drill, figures
from ui import progress as pg
from ui.data import q, units as all_units
from ui.documents import forecast_block, forecast_units_table
from ui.filters import allowed_units, sidebar
from ui.gaps import comparable_suffix, gaps_notice, unreported_table
from ui.format import data_date_label, gap_text, growth, pct, period_label, wan, yi, ytd_label
from ui.labels import KEY_LEVEL, LIBRARY_FILTER, LIBRARY_LONG, RULE_TEXT, STATUS_DOT, STATUS_LONG
from ui.links import dossier_url
from ui.tiles import Tile, tiles
from ui.widgets import chart, downloads, escape, no_data, page_header

f = sidebar(show_unit=False)
units = all_units()
names = dict(zip(units["code"], units["name"]))
code_by_name = {v: k for k, v in names.items()}
top = st.container()

# a shared link to a project without its county: open the project's county
asked = st.query_params.get("project")
if asked and "pg_unit" not in st.session_state and not st.query_params.get("unit"):
    h = q("progress_project_history", project=asked)
    if h.height:
        st.query_params["unit"] = h["unit_code"][-1]

unit_options, unit_default = allowed_units(units["code"].to_list(), {None: "全市", **names})
unit = drill.select("县区 / 开发区", unit_options, key="pg_unit", param="unit", default=unit_default,
                    format_func=lambda c: "全市（点选县区查看项目）" if c is None else names[c])
scope_name = "全市" if unit is None else names[unit]
subtitle = f"{period_label(f.period)} · {scope_name} · {LIBRARY_FILTER[f.library]} · {data_date_label(f.period)}"
with top:
    page_header(f"{scope_name}投资进度", f.period)
    missing = gaps_notice(f.period, unit)  # senders missing since last month

# ---------------------------------------------------------------- headline figures
by_library = q("progress_by_dim", period=f.period, unit=unit, library=f.library, dim="library")
# the 序时进度 the 红黄绿 rule uses (linear, or seasonal when configured)
time_progress = by_library["time_progress"][0] if by_library.height else f.period.month / 12
t = pg.totals(by_library, time_progress)
if t["projects"] == 0:
    no_data(f"{period_label(f.period)}{scope_name}没有{LIBRARY_FILTER[f.library]}的进度数据")
else:
    tiles([
        Tile(f"{f.period.year}年计划投资", yi(t["plan_wan"]), f"{t['projects']:,}个年度项目"),
        Tile(f"{f.period.month}月完成投资", yi(t["month_wan"]), LIBRARY_FILTER[f.library]),
        Tile(f"{ytd_label(f.period)}累计完成", yi(t["ytd_wan"]),
             f"完成率 {pct(t['completion_rate'])}，{gap_text(t['gap_pts'])}（序时进度 {pct(time_progress)}）",
             help="序时进度 = 当月月数 ÷ 12；完成率 = 年累计完成投资 ÷ 年度计划投资"),
        Tile("同比增长", growth(t["yoy_growth"]), f"上年同期 {yi(t['ytd_last_year_wan'])}{comparable_suffix(missing)}",
             help="同比 = 本年累计完成 ÷ 上年同期累计完成 − 1（按上年同月报送的项目计）"),
    ])
    # 预计全年完成 and the seasonal 序时进度 (ui/documents.py)
    forecast_block(f.period, unit, f.library, scope_name)
    cum = q("monthly_cumulative", period=f.period, unit=unit, library=f.library)
    chart(figures.cumulative_chart(cum, f"{scope_name}{f.period.year}年投资累计完成与序时进度（亿元）", subtitle,
                                   f.period.year), f"投资进度_{scope_name}", f.period, key="pg_cum")

# ---------------------------------------------------------------- cuts
st.subheader("分类完成情况")
dim = drill.segmented("分类", list(pg.CUTS), key="pg_cut", param="cut", default="unit",
                      format_func=lambda d: pg.CUTS[d][0], label_visibility="collapsed")
cut = pg.label_cut(q("progress_by_dim", period=f.period, unit=None if dim == "unit" else unit,
                     library=f.library, dim=dim), dim)
cut_scope = "全市" if dim == "unit" else scope_name
cut_title = f"{cut_scope}分{pg.CUTS[dim][0]}年度投资完成率"
if cut.height:
    bars = cut.with_columns(pl.col("label").alias("unit_name"))
    fig = figures.unit_bars(bars, cut_title, subtitle.replace(scope_name, cut_scope, 1), time_progress)
    if dim == "unit":
        def _open_unit():
            points = drill.clicked_points("pg_bars")
            if points and points[0].get("y") in code_by_name:
                drill.choose("pg_unit", code_by_name[points[0]["y"]])

        st.caption("点击县区的柱形（或在页首选择县区）查看该县区的项目明细。")
        chart(fig, cut_title, f.period, key="pg_bars", on_select=_open_unit, selection_mode="points")
    else:
        chart(fig, cut_title, f.period, key="pg_cut_bars")
    table = pg.cut_table(cut, dim)
    drill.table(table)
    st.caption("落后序时进度为负数表示快于序时进度；同比增长为「—」表示上年同期无数据。点击表头可排序。")
    downloads(table, f"分{pg.CUTS[dim][0]}投资完成情况", f"{cut_title}（{period_label(f.period)}）", subtitle,
              key="pg_cut_table", period=f.period)
else:
    no_data()

if dim == "unit" and unit is None:  # every unit's 预计全年完成 on the city view (ui/documents.py)
    forecast_units_table(f.period, f.library, key="pg_fc_units")

# ---------------------------------------------------------------- drill down: county → projects → project
st.subheader(f"{scope_name}项目明细" if unit else "项目明细")
project = None
if unit is None:
    st.caption("选择县区或开发区（页首下拉框，或点击上方“县区/开发区”柱形图）后，这里列出该县区的项目。")
    drill.select("查看项目", [None], key="pg_project", param="project", label_visibility="collapsed", disabled=True,
                 format_func=lambda c: "请先选择县区")
else:
    projects = q("progress_projects", period=f.period, unit=unit, library=f.library)
    codes = projects["project_code"].to_list()
    project_names = dict(zip(codes, projects["name"].to_list()))
    if projects.is_empty():
        no_data(f"{period_label(f.period)}{scope_name}没有{LIBRARY_FILTER[f.library]}")
    else:
        table = pg.project_table(projects)

        def _open_project():
            rows = drill.selected_rows(f"pg_rows_{unit}")
            if rows:
                drill.choose("pg_project", codes[rows[0]])

        st.caption(f"共{len(codes):,}个项目，红黄绿靠前、落后多的在前。点选一行查看该项目的月度情况。")
        # long names: a pinned column of fixed width leaves room to scroll the figures on a phone
        drill.table(table, key=f"pg_rows_{unit}", on_select=_open_project, selection_mode="single-row",
                    column_config={"项目名称": st.column_config.TextColumn(pinned=True, width="medium")})
        downloads(table, f"{scope_name}项目明细", f"{scope_name}项目投资完成情况（{period_label(f.period)}）", subtitle,
                  key="pg_projects", period=f.period)
        with st.expander("红黄绿判定规则", icon=":material/rule:"):
            st.markdown(RULE_TEXT)
    project = drill.select("查看项目", [None, *codes], key="pg_project", param="project",
                           format_func=lambda c: "选择项目查看月度情况" if c is None else project_names[c])

if project:
    h = q("progress_project_history", project=project)
    now = h.filter(pl.col("period") == f.period)
    last = (now if now.height else h.tail(1)).row(0, named=True)
    st.markdown(f"#### {escape(last['name'])}")
    facts = [LIBRARY_LONG.get(last["library"], "—"), KEY_LEVEL.get(last["key_level"]) or "非重点工程",
             f"{STATUS_DOT[last['status']]}{STATUS_LONG.get(last['status'], '—')}：{last['status_reason'] or '—'}"]
    st.markdown(f"<div class='cockpit-note'>项目代码 {escape(project)} · {' · '.join(escape(x) for x in facts)}</div>",
                unsafe_allow_html=True)
    tiles([
        Tile("年度计划投资", wan(last["annual_plan_wan"]), period_label(last["period"])),
        Tile("本月完成", wan(last["completed_month_wan"])),
        Tile("年累计完成", wan(last["completed_ytd_wan"]), f"开工累计 {wan(last['completed_cum_wan'])}"),
        Tile("完成率", pct(last["completion_rate"]), gap_text(last["gap_pts"])),
    ])
    drill.page_link("pages/dossier.py", "查看项目档案（一项一档）", dossier_url(project), {"project": project},
                    icon=":material/folder_open:")
    chart(pg.history_chart(h, f"{last['name']}逐月投资完成情况（万元）", f"历次报送 · {data_date_label(f.period)}"),
          f"项目逐月完成_{project}", f.period, key="pg_history")
    history = pg.history_table(h)
    drill.table(history)
    downloads(history, f"项目逐月情况_{project}", f"{last['name']}逐月投资完成情况", f"项目代码 {project}",
              key="pg_history_table", period=f.period)

# ---------------------------------------------------------------- reported last month, not this month
unreported = q("progress_unreported", period=f.period, unit=unit)
if unreported.height:
    st.subheader(f"本月未报的项目（{unreported.height:,}个）")
    st.caption(f"上月报送、{period_label(f.period)}没有报送且未竣工的项目，列出上月的数字；这些项目不在本月的统计中。")
    table = unreported_table(unreported)
    drill.table(table)
    downloads(table, f"本月未报项目_{scope_name}", f"{scope_name}本月未报项目（{period_label(f.period)}）", subtitle,
              key="pg_unreported", period=f.period)

# ---------------------------------------------------------------- consistency questions
st.subheader("数据一致性核查（待核实）")
st.caption(pg.FLAG_NOTE)
flags = q("consistency_flags", period=f.period, unit=unit)
reporting = q("progress_by_dim", period=f.period, unit=unit, library=None, dim="unit").select(
    pl.col("group_key").alias("unit_code"), "unit_name")
counts = pg.flag_counts(flags, reporting)
flagged = flags["project_code"].n_unique()
if flags.is_empty():
    st.info(f"{period_label(f.period)}{scope_name}报送的数据未发现需要核实的情况。", icon=":material/fact_check:")
else:
    st.markdown(f"{period_label(f.period)}{scope_name}有 **{flagged}** 个项目的 **{flags.height}** 处数据需要与报送单位核实：")
    lines = pg.question_lines(flags)
    st.markdown("\n".join(f"{i}. {escape(line)}" for i, line in enumerate(lines, start=1)))
    if flags.height > len(lines):
        st.caption(f"另有{flags.height - len(lines)}处，见下载的清单。")
st.markdown("**各县区、开发区待核实数据**")
drill.table(counts)
if flags.height:
    questions = pg.flag_table(flags)
    downloads(questions, f"待核实数据_{scope_name}", f"{scope_name}待核实数据清单（{period_label(f.period)}）",
              "以下为需与报送单位核实的数据，不等于数据错误", key="pg_flags", period=f.period)
