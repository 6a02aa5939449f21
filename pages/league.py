"""比亮晒: counties/districts and development zones, and separately the responsible departments,
ranked on the published metrics with the weights of config/league.toml; rank change since last
month, 红榜/末位, and the 排队通报 laid out like the monthly notice.
URL: ?period=2026-10&view=notice&group=departments"""

import datetime as dt

import polars as pl
import streamlit as st

from ui import drill
from ui import league as lg
from ui.data import periods, q
from ui.documents import notice_downloads, review_block
from ui.export import tables_xlsx
from ui.filters import sidebar
from ui.format import data_date_label, period_label, ytd_label
from ui.widgets import chart, download_button, downloads, escape, no_data, page_header
from ui.gaps import gaps_notice

f = sidebar(show_library=False, show_unit=False)
page_header("比亮晒 · 排队通报", f.period)
gaps_notice(f.period, None)  # a missing sender's unit is ranked without its projects
cfg = lg.load_config()

previous = (f.period.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
has_previous = previous in periods()
tables = lg.league_tables(q, f.period, previous if has_previous else None, cfg)
previous_note = None if has_previous else f"上期（{period_label(previous)}）无数据，本期名次变化显示为「{lg.NO_PREVIOUS_DATA}」。"
title = f"{period_label(f.period)}全市项目建设“比亮晒”排队通报"
subtitle = f"{period_label(f.period)} · {data_date_label(f.period)}"

view = drill.segmented("视图", ["table", "notice"], key="lg_view", param="view", default="table",
                       format_func={"table": "排行榜", "notice": "排队通报（可截图）"}.get, label_visibility="collapsed")
if previous_note:
    st.info(previous_note, icon=":material/info:")

if view == "notice":
    intro = (f"根据各县（区）、开发区和市直有关部门报送的{f.period.year}年{ytd_label(f.period)}项目建设数据，"
             f"按照“比亮晒”评分办法，现将{period_label(f.period)}排名情况通报如下。")
    st.markdown(lg.notice_html(tables["units"], tables["departments"], cfg, title, data_date_label(f.period), intro,
                               previous_note), unsafe_allow_html=True)
    sheets = [(lg.GROUPS[g], lg.display_table(t, cfg, g), f"{title}（{lg.GROUPS[g]}）", subtitle)
              for g, t in tables.items()]
    download_button("下载排队通报（Excel）", tables_xlsx(sheets), file_name=f"比亮晒排队通报_{f.period:%Y-%m}.xlsx",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="lg_notice_xlsx",
                    icon=":material/download:", on_click="rerun")
    notice_downloads(f.period, key="lg_notice_docx")  # the notice as Word, and one county's own version
else:
    group = drill.segmented("排名对象", list(lg.GROUPS), key="lg_group", param="group", default="units",
                            format_func=lg.GROUPS.get, label_visibility="collapsed")
    t = tables[group]
    ranked = t.filter(t["ranked"])
    if ranked.is_empty():
        no_data(f"{period_label(f.period)}没有可参与排名的{lg.GROUPS[group]}")
    else:
        top, bottom = lg.badge_names(t, lg.TOP_BADGE), lg.badge_names(t, lg.BOTTOM_BADGE)
        c = st.columns(2)
        c[0].markdown(f"**{lg.TOP_BADGE}**：{'、'.join(top) if top else '本期不设（参与排名单位不足3个）'}")
        c[1].markdown(f"**{lg.BOTTOM_BADGE}**：{'、'.join(bottom) if bottom else '本期不设（参与排名单位不足3个）'}")
        st.caption(f"名次按{lg.RANKING_NAME}排列；周报中的县区排名按年度投资完成率，两者口径不同。")
        reasons = lg.rank_reasons(t, cfg, group)
        # the first and the last one's reasons in words where the ranking is asked about, no tap needed
        ends = reasons[:1] + (reasons[-1:] if len(reasons) > 1 else [])
        st.markdown("\n".join(f"- **{escape(u)}**：{escape(text)}" for u, text in ends))
        with st.expander("为什么是这个名次：各单位的弱项和强项", icon=":material/psychology_alt:"):
            st.caption("与参与排名单位的单项得分平均相比。")
            st.markdown("\n".join(f"- **{escape(u)}**：{escape(text)}" for u, text in reasons))
        chart(lg.score_bars(t, f"{lg.GROUPS[group]}“比亮晒”综合得分", subtitle), f"比亮晒综合得分_{lg.GROUPS[group]}",
              f.period, key=f"lg_bars_{group}")
    table = lg.display_table(t, cfg, group)
    wide = {c: st.column_config.TextColumn(width="medium") for c in table.columns[3:] if c != "红榜/末位"}
    shown = table.filter(pl.col("名次") != "—")
    drill.table(shown, height=35 * (shown.height + 1) + 3,  # every unit visible, no inner scrolling
                column_config={**wide, "名次": st.column_config.TextColumn(width=92, pinned=True),
                               "单位": st.column_config.TextColumn(pinned=True)})
    for note, names in lg.not_ranked(t):
        st.markdown(f"**不参与排名**：{escape('、'.join(names))}（{escape(note)}）")
    st.caption("名次相同者标注「并列」；较上月：↑上升、↓下降、—持平。"
               + ("当月没有年度建设项目的县区、开发区不参与排名。" if group == "units" else
                  "部门按其作为责任单位的项目和问题计分。"))
    downloads(table, f"比亮晒排名_{lg.GROUPS[group]}", f"{title}（{lg.GROUPS[group]}）", subtitle, key=f"lg_{group}",
              period=f.period)
    if ranked.height:
        with st.expander("单项得分明细", icon=":material/calculate:"):
            drill.table(lg.score_table(t, cfg, group), column_config={"单位": st.column_config.TextColumn(pinned=True)})

# 重点工程动态调整: candidates to lose key status and to propose for the provincial list (ui/documents.py)
review_block(f.period, key="lg_review")

st.subheader("评分办法与权重")
st.caption(lg.METHOD_TEXT)
drill.table(lg.weights_table(cfg))
st.caption("权重和目标值由市项目推进中心确定，每项指标的口径见上表；如需调整权重或目标值，请联系市项目推进中心或系统管理员。")
