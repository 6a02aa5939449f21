"""总览: this year's investment against plan and 序时进度, counts, 红黄绿 and the policy targets."""

import datetime as dt

import polars as pl
import streamlit as st

from ui import answers, figures
from ui import league as lg
from ui.admin import freshness_badge
from ui.data import history_loading, periods, q
from ui.documents import forecast_block
from ui.gaps import comparable_suffix, gaps_notice
from ui.filters import sidebar
from ui.links import page_path
from ui.format import data_date_label, gap_text, growth, pct, period_label, times, yi, ytd_label
from ui.labels import RULE_TEXT
from ui.tiles import Tile, tiles
from ui.widgets import chart, downloads, html_block, loading_note, no_data, page_header, show_table

f = sidebar()
page_header(f"{f.unit_name}项目建设总览", f.period)
freshness_badge()  # who has not reported yet (数据管理 › 报送情况)
missing = gaps_notice(f.period, f.unit, held=True)  # senders missing since last month; rows 待核实

k = q("overview_kpis", **f.params()).row(0, named=True)
if not k["projects"]:
    no_data()
    st.stop()

# the answers a leader asks for, first, each one tap from its detail; on a first start whose history
# is still being loaded, what needs earlier months (the problems, the 比亮晒 score, the year's curve,
# the forecast) says 加载中 (etl/bootstrap.py loads this month, last month and last year's first)
loading = history_loading()
starts = q("start_watch", period=f.period, unit=f.unit)
overdue = rank = None
if not loading:
    overdue = q("problem_list", period=f.period, unit=f.unit).filter(pl.col("is_open") & pl.col("is_overdue")).sort(
        "days_overdue", descending=True)
    previous = (f.period - dt.timedelta(days=1)).replace(day=1)
    cfg = lg.load_config()
    league = lg.league_tables(q, f.period, previous if previous in periods() else None, cfg, ("units",))["units"]
    rank = lg.rank_answer(league, cfg, f.unit_name if f.unit else None)
targets = q("policy_targets", period=f.period, unit=f.unit)
html_block(answers.answers_html(answers.overview_answers(
    f.period, f.unit, k, starts, overdue, targets, {p: page_path(p) for p in ("progress", "mobile", "problems", "league")},
    rank=rank, loading=loading)))

tiles([
    Tile(f"{f.period.year}年计划投资", yi(k["plan_wan"]), f"{k['projects']:,}个年度项目"),
    Tile(f"{ytd_label(f.period)}累计完成", yi(k["ytd_wan"]), f"完成率 {pct(k['completion_rate'])}"),
    Tile("序时进度", pct(k["time_progress"]), gap_text(k["gap_pts"]),
         help="序时进度 = 当月月数 ÷ 12；完成率 = 年累计完成投资 ÷ 年度计划投资"),
    Tile("同比增长", growth(k["yoy_growth"]), f"上年同期 {yi(k['ytd_last_year_wan'])}{comparable_suffix(missing)}"),
    Tile("储备项目", f"{k['reserve_projects'] or 0:,}个", f"总投资 {yi(k['reserve_total_wan'])}"),
    Tile("新开工项目", f"{k['new_start']:,}个", f"开工率 {pct(k['start_rate'])}（{k['started']:,}/{k['due_to_start']:,}）",
         help="开工率 = 已开工项目数 ÷ 计划开工时间已到的新开工项目数"),
    Tile("续建项目", f"{k['continuing']:,}个", f"本月完成 {yi(k['month_wan'])}"),
    Tile("重点工程", f"{k['key_projects']:,}个", f"红 {k['key_red']} · 黄 {k['key_yellow']} · 绿 {k['key_green']}"),
])

subtitle = f"{f.describe()} · {data_date_label(f.period)}"
cum_title = f"{f.unit_name}{f.period.year}年固定资产投资累计完成情况（亿元）"
if loading:
    st.subheader(f"{f.unit_name}预计全年完成")
    loading_note("预计全年完成按以往各年的月度规律测算")
    st.subheader(cum_title)
    loading_note("累计完成走势需要今年各月的数据")
else:
    # 预计全年完成 and the seasonal 序时进度 (ui/documents.py)
    forecast_block(f.period, f.unit, f.library, f.unit_name)
    cum = q("monthly_cumulative", **f.params())
    chart(figures.cumulative_chart(cum, cum_title, subtitle, f.period.year), f"投资累计_{f.unit_name}", f.period,
          key="cum")

left, right = st.columns([3, 2])
with left:
    units = q("by_unit", period=f.period, library=f.library)
    chart(figures.unit_bars(units, "各县区、开发区年度投资完成率", subtitle, k["time_progress"]),
          "投资完成率_县区", f.period, key="units")
with right:
    chart(figures.status_donut({"red": k["key_red"], "yellow": k["key_yellow"], "green": k["key_green"]},
                               "重点工程红黄绿", subtitle), "重点工程红黄绿", f.period, key="donut")
    with st.expander("红黄绿判定规则", icon=":material/rule:"):
        st.markdown(RULE_TEXT)

st.subheader("政策目标完成情况", anchor=answers.ANCHOR_TARGETS)
fmt = {"times": times, "share": pct, "growth": growth}
tiles([
    Tile(t["short_label"], fmt[t["unit"]](t["actual"]),
         f"目标 {fmt[t['unit']](t['goal'])} · " + ("—" if t["met"] is None else ("达标" if t["met"] else "未达标")),
         tone="blue" if t["met"] is None else ("green" if t["met"] else "red"), help=t["label"])
    for t in targets.iter_rows(named=True)
])

st.subheader(f"分县区投资完成情况（{period_label(f.period)}）")
table = units.filter(pl.col("projects") > 0).select(
    pl.col("unit_name").alias("县区/开发区"),
    (pl.col("completion_rate") * 100).round(1).alias("完成率（%）"),
    (pl.col("gap_pts")).round(1).alias("落后序时进度（个百分点）"),
    (pl.col("ytd_wan") / 10000).round(2).alias("年累计完成（亿元）"),
    (pl.col("plan_wan") / 10000).round(2).alias("年度计划（亿元）"),
    (pl.col("month_wan") / 10000).round(2).alias("本月完成（亿元）"),
    pl.col("projects").alias("项目数"),
    (pl.col("yoy_growth") * 100).round(1).alias("同比增长（%）"),
    pl.col("red").alias("红"), pl.col("yellow").alias("黄"), pl.col("green").alias("绿"),
)
show_table(table, column_config={
    "完成率（%）": st.column_config.NumberColumn(format="%.1f"),
    "落后序时进度（个百分点）": st.column_config.NumberColumn(format="%.1f", help="负数表示快于序时进度"),
    "同比增长（%）": st.column_config.NumberColumn(format="%+.1f"),
})
downloads(table, f"分县区投资完成情况_{f.period:%Y-%m}", f"分县区投资完成情况（{period_label(f.period)}）",
          f"{f.describe()} · {data_date_label(f.period)}", key="units_table")

month_starts = starts.filter(pl.col("started_this_month"))
st.subheader(f"{f.period.month}月新开工项目（{month_starts.height:,}个）", anchor=answers.ANCHOR_STARTS)
if month_starts.height:
    html_block(answers.start_cards(month_starts, page_path("dossier"), late=False))
else:
    no_data("本月没有实际开工的新开工项目")
late = starts.filter(pl.col("late_start"))
st.subheader(f"计划开工未开工项目（{late.height:,}个）", anchor=answers.ANCHOR_LATE)
st.caption(f"计划开工时间已到（截至{period_label(f.period)}末）、尚未开工且未完成投资的新开工项目，推迟最久的在前。")
if late.height:
    html_block(answers.start_cards(late, page_path("dossier"), late=True))
else:
    no_data("计划开工时间已到的新开工项目都已开工")
if starts.height:
    downloads(answers.starts_table(starts), f"本月开工与计划开工未开工_{f.unit_name}", f"{period_label(f.period)}新开工项目开工情况",
              f"{f.describe()} · {data_date_label(f.period)}", key="starts", period=f.period)
