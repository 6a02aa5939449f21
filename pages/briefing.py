"""周报: the weekly briefing as one fixed 16:9 view for screenshots, the pack to download,
the drafted 数据分析 with its figures, and the full tables behind the view."""

import streamlit as st

from ui import briefing, summary
from ui.data import periods, q, state, status
from ui.documents import report_downloads
from ui.filters import sidebar
from ui.format import data_date_label, period_label, period_slug
from ui.tiles import Tile, tiles
from ui.widgets import CSS, chart, download_button, downloads, escape, no_data, show_table
from ui.gaps import gaps_notice

# the view starts at the top of the page and always fits one screen: a 1920×1080 screenshot
# holds all of it; narrower screens show the same drawing scaled down, never squeezed
st.markdown(CSS + """<style>
.block-container {padding-top:3.4rem !important;padding-left:1.2rem !important;padding-right:1.2rem !important;
                  max-width:none !important;}
.briefing-view {width:100%;max-width:min(100%, calc((100vh - 4.5rem) * 16 / 9));aspect-ratio:16 / 9;
                box-shadow:0 0 0 1px #e4e9f0;}
.briefing-text {font-size:1.02rem;line-height:1.9;max-width:72rem;}
/* a phone gets the same content stacked and readable; the 16:9 drawing stays for the download */
.st-key-briefing_phone, .st-key-briefing_phone_body {display:none;}
@media (max-width: 640px) {
  .briefing-view {display:none;}
  .st-key-briefing_phone, .st-key-briefing_phone_body {display:flex;}
  .block-container {padding-top:1.2rem !important;padding-left:0.6rem !important;padding-right:0.6rem !important;}
}
</style>""", unsafe_allow_html=True)


@st.cache_data(max_entries=100, show_spinner="正在绘制周报……")
def view_svg(period, state: str) -> str:
    """The view of one month for one warehouse state (a new load draws it anew)."""
    return briefing.view_svg(briefing.load(period))


f = sidebar(show_library=False, show_unit=False)
b = briefing.load(f.period, run=q)
slug = period_slug(f.period)
if not b.has_data:
    st.title(f"周报（{period_label(f.period)}）")
    st.caption(data_date_label(f.period))
    no_data("本月没有年度建设项目数据，无法生成周报")
    st.stop()

st.markdown(f"<div class='briefing-view'>{view_svg(f.period, state())}</div>", unsafe_allow_html=True)
with st.container(key="briefing_phone"):
    st.title(f"周报（{period_label(f.period)}）")
    st.markdown(f"<div class='cockpit-date'><b>{data_date_label(f.period)}</b></div>", unsafe_allow_html=True)
# under the title on both widths: the view's own (which carries the title) or the phone's
gaps_notice(f.period, None)  # senders missing since last month
with st.container(key="briefing_phone_body"):
    tiles([Tile(label, value, note, tone="red" if color == briefing.RED else "blue")
           for label, value, note, color in briefing.tiles(b)])
    for name, fig in briefing.charts(b):
        chart(fig, name, f.period, key=f"phone_{name}")

info = status()
loaded = f" · 最后加载 {info['last_load_at']:%Y-%m-%d %H:%M}" if info.get("last_load_at") else ""
st.caption(f"{data_date_label(f.period)}{loaded} · 周报版式固定为16:9，每周内容位置一致，便于对比；"
           "窗口较小时整体等比缩小。可直接截图，或下载2倍清晰度的单页PNG。")

c1, c2, c3 = st.columns([1, 1, 3], vertical_alignment="center")
download_button("下载单页PNG", lambda: briefing.view_png(b), file_name=f"周报_{slug}.png", mime="image/png",
                icon=":material/image:", key="page_png", width="stretch", where=c2)
download_button("下载周报包", lambda: briefing.pack_zip(b), file_name=f"周报_{slug}.zip", mime="application/zip",
                type="primary", icon=":material/folder_zip:", key="pack", width="stretch", where=c1)
c3.caption("周报包含：周报单页（PNG 2倍清晰度、PDF）、各图表PNG、各表格Excel（每表一个工作表）、数据分析文本。"
           "生成约需数秒。如需每周自动生成周报包，请联系系统管理员设置。")

# 季度分析 and 项目专报 as Word (ui/documents.py)
report_downloads(f.period, periods(), key="br_docs")

st.subheader("数据分析")
st.markdown("<div class='briefing-text'>" + "".join(escape(s.text) for s in b.sentences) + "</div>",
            unsafe_allow_html=True)
with st.expander("每句话的数据依据", icon=":material/fact_check:"):
    basis = summary.as_table(b.sentences)
    show_table(basis)
    downloads(basis, "数据分析依据", f"数据分析（{period_label(f.period)}）：每句话的数据依据",
              f"{period_label(f.period)} · 全市", key="basis", period=f.period)

st.subheader(f"红色重点工程（{b.red_key.height:,}个）")
red = briefing.red_key_table(b)
if red.height:
    show_table(red, percent=("完成率",), column_config={
        "年度计划投资（万元）": st.column_config.NumberColumn(format="localized"),
        "年累计完成投资（万元）": st.column_config.NumberColumn(format="localized")})
    downloads(red, "红色重点工程", f"红色重点工程（{period_label(f.period)}）",
              f"{period_label(f.period)} · 全市 · 重点工程", key="red", period=f.period)
else:
    no_data("本月没有红色重点工程")

st.subheader(f"超过完成时限未办结的问题（{b.overdue.height:,}个）")
overdue = briefing.overdue_table(b)
if overdue.height:
    show_table(overdue)
    downloads(overdue, "超期问题", f"超过完成时限未办结的问题（{period_label(f.period)}）",
              f"{period_label(f.period)} · 全市 · 问题清单", key="overdue", period=f.period)
else:
    no_data("本月没有超过完成时限的问题")

st.subheader("各县区、开发区排名（按年度投资完成率）")
st.caption("本排名按年度投资完成率；比亮晒的名次按各项指标加权的综合得分，两者口径不同。")
ranking = briefing.ranking_table(b)
show_table(ranking, percent=("完成率",), column_config={
    "年度计划投资（万元）": st.column_config.NumberColumn(format="localized"),
    "年累计完成投资（万元）": st.column_config.NumberColumn(format="localized")})
downloads(ranking, "县区完成率排名", f"各县区、开发区年度投资完成率排名（{period_label(f.period)}）",
          f"{period_label(f.period)} · 全市 · 全部年度项目", key="ranking", period=f.period)
