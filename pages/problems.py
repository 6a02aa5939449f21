"""问题清单: every problem with its five responsibilities and state, the closed-loop rules,
closure by unit and type, the trend of open problems, and 存在问题 not yet on the list."""

import polars as pl
import streamlit as st

from etl.problem_rules import (CLOCK_MISSED, CLOCK_RULE_TEXT, CLOCK_RULE_TITLE, CLOCK_STAGE, NO_PROBLEM_PATTERN,
                               RULE_TEXT, RULE_TITLE)
from ui import problems as pb
from ui import viewstate
from ui.data import q
from ui.filters import sidebar
from ui.format import data_date_label, month_end, pct, period_label
from ui.tiles import Tile, tiles
from ui.widgets import chart, downloads, html_block, no_data, page_header, show_table
from ui.gaps import gaps_notice

SCOPE = "problems"
f = sidebar(show_library=False)
page_header(f"{f.unit_name}项目问题清单", f.period)
gaps_notice(f.period, f.unit)  # senders missing since last month

rows = q("problem_list", period=f.period, unit=f.unit)
unfiled = q("problem_unfiled", period=f.period, unit=f.unit, no_problem_pattern=NO_PROBLEM_PATTERN)
with st.expander(RULE_TITLE, icon=":material/rule:"):
    st.markdown(RULE_TEXT)
with st.expander(CLOCK_RULE_TITLE, icon=":material/timer:"):
    st.markdown(CLOCK_RULE_TEXT)
if rows.is_empty() and unfiled.is_empty():
    no_data(f"{period_label(f.period)}{f.unit_name}没有报送问题")
    st.stop()

box = st.expander("筛选条件", icon=":material/filter_list:")
c = box.columns(2)
state = viewstate.select("办理状态", list(pb.STATE_FILTER), "state", SCOPE, default="open_all", container=c[0],
                         format_func=lambda s: pb.STATE_FILTER[s])
# several values in one pass (资金 + 用地, two 责任单位); the choices are the user's own problems
ptype = viewstate.several("问题类型（可多选）", pb.choices(rows, "problem_type"), "type", SCOPE, container=c[1],
                          pills=True)
c = box.columns(2)
resp_unit = viewstate.several("责任单位（可多选）", pb.choices(rows, "responsible_unit"), "resp", SCOPE,
                              container=c[0])
leader = viewstate.several("领导（责任领导或包联领导，可多选）", pb.leaders(rows), "leader", SCOPE, container=c[1])
overdue = viewstate.checkbox("只看超期（督办）", "overdue", SCOPE, container=box)
incomplete = viewstate.checkbox("只看五到位不全", "incomplete", SCOPE, container=box)
gone = viewstate.checkbox("只看未续报", "gone", SCOPE, container=box)
active = pb.describe_filters(state, ptype, resp_unit, leader, overdue, incomplete, gone)
st.caption(f"当前筛选：{active}")
if leader:
    unfiled = unfiled.filter(pl.col("leader").is_in(leader))

# statistics cover the chosen type, unit and leader; the list also applies state and flags
scope = pb.apply_filters(rows, ptype=ptype, resp_unit=resp_unit, leader=leader)
shown = pb.apply_filters(scope, state=state, overdue=overdue, incomplete=incomplete, disappeared=gone)
s = pb.summary(scope)
ages = pb.age_counts(scope)

longest = scope["days_overdue"].max() or 0
tiles([
    Tile("问题总数", f"{s['total']:,}个", f"已销号 {s['cleared']:,}个"),
    Tile("未销号问题", f"{s['open']:,}个", f"其中办结未销号 {s['unsatisfied']:,}个",
         help="已办结但企业不满意或未评价的问题不算销号"),
    Tile("超期督办", f"{s['overdue']:,}个", f"最长超期 {longest}天" if s["overdue"] else "没有超期问题"),
    Tile("办结率", pct(s["closure_rate"]),
         f"平均办结 {s['avg_days_to_close']:.0f}天" if s["avg_days_to_close"] is not None else "尚无销号问题",
         help="办结率 = 已销号问题数 ÷ 问题总数"),
    Tile("五到位不全", f"{s['incomplete']:,}个", "未销号问题中"),
    Tile("未续报", f"{s['disappeared']:,}个", "本期报送中消失、未销号", help="上期在报、本期报送中不再出现且未销号的问题"),
    Tile("未建档问题", f"{unfiled.height:,}个", "进展表有、清单中没有",
         help="项目进展表「存在问题」栏有内容，但问题清单中没有该项目在办问题"),
    Tile("账龄超过90天", f"{sum(v for k, v in ages.items() if k in pb.AGE_BAND_ORDER[2:])}个", "未销号问题中"),
])

narrowed = "".join(f" · {'、'.join(v)}" for v in (ptype, resp_unit, leader) if v)
subtitle = f"{period_label(f.period)} · {f.unit_name}{narrowed} · {data_date_label(f.period)}"
if shown.height:
    st.subheader("最需关注的问题")
    html_block(pb.focus_cards_html(shown))
st.subheader(f"问题清单（{shown.height:,}个）")
if shown.is_empty():
    no_data("没有符合筛选条件的问题")
else:
    table = pb.problems_table(shown)
    show_table(table, column_config={
        "问题描述": st.column_config.TextColumn(width="medium"),
        "标记": st.column_config.TextColumn(width="medium"),
        "发现时间": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "完成时限": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "办结时间": st.column_config.DateColumn(format="YYYY-MM-DD"),
    })
    downloads(table, f"问题清单_{f.unit_name}_{f.period:%Y-%m}", f"{f.unit_name}项目问题清单（{period_label(f.period)}）",
              f"{period_label(f.period)} · {f.unit_name} · {active} · {data_date_label(f.period)}", key="problems_table")

if scope.height:
    left, right = st.columns(2)
    by_unit = pb.closure_by(scope, "responsible_unit")
    by_type = pb.closure_by(scope, "problem_type")
    with left:
        chart(pb.closure_bars(by_unit, "responsible_unit", "各责任单位问题办结情况（个）", subtitle), "问题办结_责任单位",
              f.period, key="by_unit")
    with right:
        chart(pb.closure_bars(by_type, "problem_type", "各类问题办结情况（个）", subtitle), "问题办结_问题类型",
              f.period, key="by_type")
    with st.expander("办结率明细表", icon=":material/table:"):
        for by, col, name in ((by_unit, "responsible_unit", "责任单位"), (by_type, "problem_type", "问题类型")):
            t = pb.closure_table(by, col, name)
            show_table(t.with_columns((pl.col("办结率") * 100).round(1)),
                         column_config={"办结率": st.column_config.NumberColumn(format="%.1f%%")})
            downloads(t, f"问题办结率_{name}_{f.period:%Y-%m}", f"各{name}问题办结率（{period_label(f.period)}）",
                      subtitle, key=f"closure_{name}")

history = pb.apply_filters(q("problem_history", unit=f.unit), ptype=ptype, resp_unit=resp_unit, leader=leader)
trend = pb.open_trend(history.filter(pl.col("period") <= f.period))
if trend.height:
    trend_sub = f"{f.unit_name}{narrowed} · 近{pb.TREND_MONTHS:,}个月各月末 · {data_date_label(f.period)}"
    chart(pb.trend_chart(trend, "未销号问题月度变化（个）", trend_sub), "未销号问题趋势", f.period, key="trend")

# the 13710 clock (山西 13710 督办): stage and missed clocks of the open problems in view
clocked = pb.with_clock(scope, q("approvals_problem_clock", period=f.period), month_end(f.period))
cc = pb.clock_counts(clocked)
st.subheader(f"13710督办时限（未办结问题 {cc['open']:,}个）")
tiles([Tile(CLOCK_STAGE[s], f"{n:,}个", "所处环节") for s, n in cc["stages"].items() if s != "done"]
      + [Tile("纳入13710督办", f"{cc['in_13710']:,}个", "重点工程的重大问题")]
      + [Tile(CLOCK_MISSED[m], f"{n:,}个", "未办结问题中") for m, n in cc["missed"].items()])
ct = pb.clock_table(clocked)
if ct.height:
    show_table(ct, column_config={"发现时间": st.column_config.DateColumn(format="YYYY-MM-DD")})
    downloads(ct, f"13710督办时限_{f.unit_name}_{f.period:%Y-%m}", f"{f.unit_name}问题13710督办时限（{period_label(f.period)}）",
              subtitle, key="clock_table")

st.subheader(f"未建档问题（{unfiled.height:,}个）")
st.caption("项目进展表「存在问题」栏填了问题，但问题清单中没有该项目在办问题的，请报送单位补建问题台账。")
if unfiled.is_empty():
    st.markdown("本期没有未建档问题。")
else:
    ut = pb.unfiled_table(unfiled)
    show_table(ut)
    downloads(ut, f"未建档问题_{f.unit_name}_{f.period:%Y-%m}", f"{f.unit_name}未建档问题（{period_label(f.period)}）",
              subtitle, key="unfiled_table")
