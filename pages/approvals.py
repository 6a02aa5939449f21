"""审批与要素: what holds the projects up — the approval queue by department (who is slow), the
low-risk 20-working-day target, 承诺制 and 代办 in the zones, starts held by an approval; factor
needs against secured by kind and department, the key projects waiting, the land kept for them."""

import streamlit as st

from etl.status import RULE_TITLE as STATUS_RULE_TITLE
from etl.workdays import COUNT_RULE, known_years
from ui import approvals as ap
from ui.data import q
from ui.filters import sidebar
from ui.format import data_date_label, pct, period_label
from ui.labels import RULE_TEXT as STATUS_RULE_TEXT
from ui.tiles import Tile, tiles
from ui.widgets import chart, downloads, listing, no_data, page_header, show_table
from ui.gaps import gaps_notice

f = sidebar(show_library=False)
page_header(f"{f.unit_name}审批与要素保障", f.period)
gaps_notice(f.period, f.unit)  # senders missing since last month
# what the page shows, counted and summed by the queries (the items and factors as last reported)
at = dict(period=f.period, unit=f.unit)
totals = q("approvals_totals", **at).row(0, named=True)
subtitle = f"{period_label(f.period)} · {f.unit_name} · {data_date_label(f.period)}"
first, last = known_years()

with st.expander("计算口径", icon=":material/rule:"):
    st.markdown(f"""\
- **工作日**：{COUNT_RULE}；同日受理同日办结为0个工作日。仍在办理的事项算到报表所属月份的月末。
  法定节假日日历目前覆盖{first}—{last}年，超出的日期不计算工作日并单独提示。
- **超时限**：用时（工作日）超过该事项的办理时限。
- **{ap.TARGET_NAME}**（规划目标）：低风险小型项目从赋码备案到不动产登记，各审批事项用时（工作日）之和
  不超过{ap.LOW_RISK_TARGET_DAYS}个工作日（不含企业施工时间）；只统计已取得不动产证、全流程办结的项目。
- **承诺制、代办**：开发区内有审批事项的项目中，有事项实行告知承诺制、由部门代办的项目所占比例。
- **要素缺口** = 需求量 − 已落实；过了计划落实时间仍有缺口的为「逾期未落实」。
- **重点工程用地保障**：全市（所选县区）已落实的用地中用于重点工程的比例，规划要求为重点工程预留不低于
  {ap.LAND_RESERVE_TARGET * 100:.0f}%的用地指标。""")
with st.expander(STATUS_RULE_TITLE, icon=":material/traffic:"):
    st.markdown(STATUS_RULE_TEXT)

if not totals["items"] and not totals["factors"]:
    no_data(f"{period_label(f.period)}{f.unit_name}没有报送审批事项和要素保障")
    st.stop()

if totals["unknown_calendar"]:
    st.warning(f"{totals['unknown_calendar']:,}项审批事项的日期超出法定节假日日历的已知年份（{first}—{last}年），未计算工作日；"
               f"请在国务院公布节假日安排后更新 chinesecalendar。", icon=":material/event_busy:")

chains = q("approvals_low_risk", **at, target_days=ap.LOW_RISK_TARGET_DAYS)
lr = ap.low_risk_share(chains)
rank = q("approvals_departments", **at)
zones = q("approvals_zones", **at)
held = q("approvals_held", **at, limit=ap.LIST_ROWS)
waiting = q("approvals_overdue", **at, limit=ap.LIST_ROWS)
fsum = q("factors_by_kind", **at)
keyw = q("factors_key_waiting", **at, limit=ap.LIST_ROWS)
land = ap.land_reserve(totals)
n_held = int(held["total"][0]) if held.height else 0
zone_all = zones.filter(zones["unit_name"] == "全部开发区").to_dicts()
zone_all = zone_all[0] if zone_all else {}

tiles([
    Tile(f"低风险项目≤{ap.LOW_RISK_TARGET_DAYS}工作日", pct(lr["share"]),
         f"全流程办结 {lr['complete']:,}个，达标 {lr['within']:,}个" if lr["complete"] else "尚无全流程办结的项目",
         help=ap.TARGET_NAME + "（规划目标）"),
    Tile("审批事项超时限", f"{totals['overdue']:,}项",
         f"其中仍在办理 {totals['overdue_waiting']:,}项", help="用时（工作日）超过办理时限"),
    Tile("开工受审批制约", f"{n_held:,}个", "未开工、有审批事项在办的新开工项目"),
    Tile("开发区承诺制", pct(zone_all.get("promise_share")),
         f"代办 {pct(zone_all.get('agent_share'))}" if zone_all else "所选范围没有开发区项目"),
    Tile("要素有缺口的项目", f"{totals['gap_projects']:,}个", f"逾期未落实 {totals['factors_overdue']:,}项"),
    Tile("重点工程等待要素", f"{totals['key_waiting_projects']:,}个", f"其中逾期 {totals['key_overdue_projects']:,}个"),
    Tile("重点工程用地保障占比", pct(land["share"]),
         f"要求不低于{ap.LAND_RESERVE_TARGET * 100:.0f}%，" + ("已达到" if land["met"] else "未达到")
         if land["share"] is not None else "没有用地数据"),
    Tile("在办审批事项", f"{totals['waiting']:,}项", f"已办结 {totals['done']:,}项"),
])

st.header("审批")
if not totals["items"]:
    no_data("所选范围没有报送审批事项")
else:
    st.subheader("各审批部门办理情况（谁慢）")
    chart(ap.department_bars(rank, "各审批部门审批事项办理情况（个）", subtitle), "审批部门办理情况", f.period,
          key="dept_bars")
    rt = ap.ranking_table(rank)
    show_table(rt)
    downloads(rt, f"审批部门排名_{f.unit_name}", f"{f.unit_name}审批部门办理情况（{period_label(f.period)}）",
              subtitle, key="rank", period=f.period)

    listing(f"开工受审批制约的项目（{n_held:,}个）", ap.held_table(held), empty="没有因审批事项未办结而未开工的新开工项目。",
            name=f"开工受审批制约的项目_{f.unit_name}", title=f"{f.unit_name}开工受审批制约的项目", subtitle=subtitle,
            key="held", period=f.period, note=ap.list_note(held))
    listing(f"超时限仍在办理的审批事项（{totals['overdue_waiting']:,}项）", ap.items_table(waiting),
            empty="没有超过办理时限仍在办理的审批事项。", name=f"超时限审批事项_{f.unit_name}",
            title=f"{f.unit_name}超时限仍在办理的审批事项", subtitle=subtitle, key="waiting", period=f.period,
            note=ap.list_note(waiting))

    left, right = st.columns(2)
    with left:
        st.subheader("开发区承诺制与代办")
        if zones.is_empty():
            st.markdown("所选范围没有开发区项目的审批事项。")
        else:
            show_table(ap.zone_table(zones))
    with right:
        st.subheader(ap.TARGET_NAME)
        if chains.is_empty():
            st.markdown("所选范围没有低风险小型项目。")
        else:
            st.markdown(f"全流程办结 **{lr['complete']}** 个，其中 **{lr['within']}** 个在"
                        f"{ap.LOW_RISK_TARGET_DAYS:,}个工作日以内（**{pct(lr['share'])}**）；另有 {lr['in_progress']:,} 个仍在办理。")
            show_table(ap.low_risk_table(chains))

st.header("要素保障")
if not totals["factors"]:
    no_data("所选范围没有报送要素保障")
else:
    chart(ap.factor_bars(fsum, "各类要素落实情况（已落实 / 需求）", subtitle), "要素落实情况", f.period, key="factor_bars")
    show_table(ap.summary_table(fsum))
    left, right = st.columns(2)
    with left:
        st.subheader("各责任部门")
        show_table(q("factors_by_department", **at).rename(
            {"department": "责任部门", "rows": "要素（项）", "gap_rows": "有缺口（项）", "overdue": "逾期未落实（项）"}))
    with right:
        st.subheader("重点工程用地保障")
        if land["share"] is None:
            st.markdown("所选范围没有已落实的用地。")
        else:
            st.markdown(f"已落实用地 **{land['total_mu']:,.1f}亩**，其中重点工程 **{land['key_mu']:,.1f}亩**，"
                        f"占 **{pct(land['share'])}**（规划要求预留不低于{ap.LAND_RESERVE_TARGET * 100:.0f}%，"
                        f"{'已达到' if land['met'] else '未达到'}）。")
    listing(f"等待要素保障的重点工程（{totals['key_waiting_projects']:,}个）", ap.factor_table(keyw),
            empty="重点工程的要素均已落实。", name=f"等待要素的重点工程_{f.unit_name}",
            title=f"{f.unit_name}等待要素保障的重点工程", subtitle=subtitle, key="key_waiting", period=f.period,
            note=ap.list_note(keyw))
