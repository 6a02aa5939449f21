"""项目档案 (一项一档): one project's file, opened by URL (?project=<项目代码>), from the map, from
tables or by searching its name or code; laid out to print or screenshot as one page."""

import polars as pl
import streamlit as st

from etl.status import STAGE_RULE_TEXT, project_stage
from etl.workdays import COUNT_RULE
from ui import dossier
from ui.auth import audit
from ui.data import periods, q
from ui.format import data_date_label, escape, month_end, period_label
from ui.links import dossier_url, page_path
from ui.maps import project_table
from ui.tiles import Tile, tiles
from ui.widgets import chart, downloads, html_block, no_data, page_header, show_table

code = (st.query_params.get("project") or "").strip()
found = q("dossier_project", code=code) if code else None
p = found.row(0, named=True) if found is not None and found.height else None

page_header("项目档案", p["period"] if p else None)
html_block(dossier.CSS)
if code and p is None:
    if q("project_known", code=code)["known"][0]:  # it exists, but not in this user's scope
        st.warning("无权查看该项目", icon=":material/lock:")
        audit("denied", target=code, detail="项目档案")
    else:
        st.warning(f"没有找到项目代码为「{escape(code)}」的项目，请检查代码或按名称查找。", icon=":material/search_off:")

with st.expander("查找项目（名称或代码）", expanded=p is None, icon=":material/search:"):
    text = st.text_input("项目名称或代码", placeholder="如：供热管网、2024-140213", key="dossier_search")
    if text.strip():
        hits = q("dossier_search", text=text.strip())
        if hits.is_empty():
            st.caption("没有找到匹配的项目")
        else:
            st.caption(f"找到{hits.height:,}个{'（最多显示30个，可输入更多字缩小范围）' if hits.height >= 30 else ''}；"
                       "重点工程在前，圆点为红黄绿。")
            html_block(dossier.search_cards(hits, page_path("dossier")))

if p is None:
    period = periods()[0]
    st.subheader(f"重点工程（{period_label(period)}）")
    keys = q("map_projects", period=period, unit=None, level=None, status=None, six_new=None, leader=None)
    if keys.is_empty():
        no_data("暂无重点工程")
        st.stop()
    show_table(project_table(keys, page_path("dossier")), percent=("完成率",), column_config={
        "项目档案": st.column_config.LinkColumn("项目档案", display_text="打开档案")})
    st.stop()

if p["period"] != p["data_period"]:
    st.info(f"该项目最近一次报送为{period_label(p['period'])}，以下为当时的情况（全市数据已更新至"
            f"{period_label(p['data_period'])}）。", icon=":material/history:")

url = dossier_url(p["project_code"], absolute=True)
html_block(dossier.head_html(p, dossier.qr_data_uri(url), url))
pb = q("dossier_problems", code=p["project_code"])
open_pb = pb.filter(pl.col("state") != "closed")
if open_pb.height:  # a leader's first question on a project: what is stuck and whose it is
    st.markdown(f"**未销号问题（{open_pb.height:,}个）**")
    html_block(dossier.open_problem_cards(pb, "#dossier-problems"))

tiles([Tile(label, value, note or "") for label, value, note in dossier.investment_summary(p)])
html_block(dossier.identity_html(p))
# the project's stage (前期 → 在建 → 竣工 → 投产 → 达产)
st.markdown(dossier.stage_html(project_stage(p.get("library"), p.get("actual_start"), p.get("progress_text"),
                                             p.get("invest_kind"), p.get("completed_cum_wan"))),
            unsafe_allow_html=True, help=STAGE_RULE_TEXT)

months = q("progress_project_history", project=p["project_code"])
subtitle = f"{p['name']} · {data_date_label(p['period'])}"
left, right = st.columns([3, 2])
with left:
    if dossier.has_investment(months, p["period"].year):
        chart(dossier.investment_chart(months, p["period"].year, f"{p['period'].year}年投资完成情况（万元）",
                                       subtitle), f"项目投资_{p['project_code']}", p["period"], key="invest")
    else:
        st.markdown(f"**{p['period'].year}年投资完成情况**")
        st.caption("该项目本年没有年度计划和完成投资（储备项目进入年度建设后开始按月报送）。")
with right:
    st.markdown("**红黄绿（逐月）**")
    html_block(dossier.status_months_html(months))
    st.markdown("**形象进度（逐月）**")
    progress = dossier.progress_table(months)
    show_table(progress.select("月份", "年累计完成（万元）", "红黄绿", "形象进度"), max_rows=12)

st.subheader("节点计划（挂图作战）")
ms = q("dossier_milestones", code=p["project_code"])
milestones = dossier.milestone_table(ms)
if ms.is_empty():
    st.caption("该项目尚未报送节点计划。")
else:
    overdue = ms.filter(pl.col("node_state") == "overdue").height
    chart(dossier.milestone_gantt(ms, month_end(p["data_period"]), "节点计划与实际完成",
                                  f"{subtitle} · 已逾期节点 {overdue:,} 个"),
          f"节点计划_{p['project_code']}", p["period"], key="gantt")
    show_table(milestones)

# approvals (审批) and factor guarantees (要素保障), and the project's stage
st.subheader("审批事项")
chain = q("approvals_project_chain", project=p["project_code"], period=p["period"])
approval_rows = dossier.approval_table(chain)
if chain.is_empty():
    st.caption("该项目尚未报送审批事项。")
else:
    waiting_text = dossier.approval_waiting_text(chain)
    if waiting_text:
        html_block(f'<div class="dossier-wait">{dossier._esc(waiting_text)}</div>')
    timeline = dossier.approval_timeline(chain, month_end(p["period"]), "审批事项办理（计划时限与实际用时，工作日）",
                                         f"{subtitle} · 工作日按法定节假日和调休计算")
    chart(timeline, f"审批事项_{p['project_code']}", p["period"], key="approvals")
    show_table(approval_rows)
    st.caption(COUNT_RULE + "。")
st.subheader("要素保障")
fs = q("approvals_project_factors", project=p["project_code"], period=p["period"])
factor_rows = dossier.factor_status_table(fs)
if fs.is_empty():
    st.caption("该项目尚未报送要素保障。")
else:
    show_table(factor_rows)

st.subheader("问题清单", anchor="dossier-problems")
problems = dossier.problem_table(pb)
if pb.is_empty():
    st.caption("该项目没有报送问题。")
else:
    show_table(problems)

with st.expander("下载表格", icon=":material/download:"):
    stamp = f"{p['name']} · {data_date_label(p['period'])}"
    downloads(progress, f"形象进度_{p['project_code']}", "形象进度与投资（逐月）", stamp, key="dl_progress")
    if not ms.is_empty():
        downloads(milestones, f"节点计划_{p['project_code']}", "节点计划", stamp, key="dl_ms")
    if not pb.is_empty():
        downloads(problems, f"问题清单_{p['project_code']}", "问题清单", stamp, key="dl_pb")
    if not chain.is_empty():
        downloads(approval_rows, f"审批事项_{p['project_code']}", "审批事项", stamp, key="dl_approvals")
    if not fs.is_empty():
        downloads(factor_rows, f"要素保障_{p['project_code']}", "要素保障", stamp, key="dl_factors")
