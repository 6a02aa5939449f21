"""数据管理: upload the monthly files, check them, load them after confirmation; the load
history and roll back; who has reported for the month; the filling-in template."""

import polars as pl
import streamlit as st

from etl import config
from ui import access, admin, auth
from ui.data import periods, q, status, units
from ui.format import data_date_label, escape, period_label
from ui.tiles import Tile, tiles
from ui.widgets import download_button, downloads, page_header, show_table, uploader

page_header("数据管理")

flash = st.session_state.pop("adm_flash", None)
if flash:
    info = status()
    st.success(f"{flash['headline']}驾驶舱已更新：{data_date_label(info['data_period'])}。", icon=":material/check_circle:")
    if flash.get("outcomes") is not None:
        show_table(flash["outcomes"])

today = config.today()
me = auth.current_user()
centre_tabs = ["账号管理", "审计日志"] if me.role == "centre" else []
tab_load, tab_fresh, tab_hist, tab_tpl, *tab_centre = st.tabs(["上传与加载", "报送情况", "加载历史与回退", "填报模板",
                                                              *centre_tabs])

with tab_load:
    if not access.may_load(me):
        st.info("市领导账号只能查看数据，加载由推进中心和各填报单位进行。", icon=":material/lock:")
    c2, c3 = st.columns(2)
    months = ["auto"] + admin.period_choices(today, periods())
    current = admin.reporting_period(today, status().get("data_period"))
    choice = c2.selectbox("数据期间", months, index=months.index(current) if current in months else 0,
                          format_func=lambda p: "自动识别（按标题或文件名）" if p == "auto" else period_label(p),
                          key="adm_period", help="文件标题或文件名中的月份与此不符时，文件不予加载")
    period = None if choice == "auto" else choice
    if me.role == "unit":  # a unit's files are its own: the sender is the signed-in unit
        unit = me.unit
        c3.text_input("填报单位", value=me.unit, disabled=True, key="adm_unit_fixed")
    else:
        unit = c3.selectbox("填报单位", admin.sender_choices(units(), q("admin_senders")["sender"].to_list()),
                            format_func=admin.sender_label, key="adm_unit",
                            help="文件中没有「填报单位：」落款、且项目分属多个县区时选择；选定后以所选单位为准")
    sender_note = c3.empty()  # a file that needs the sender chosen says so here
    n = st.session_state.setdefault("adm_upload_n", 0)
    files = uploader("上传各单位报表（可一次选多个文件）", list(s.lstrip(".") for s in admin.ALLOWED_SUFFIXES),
                     config.max_upload_mb(), key=f"adm_files_{n}", disabled=not access.may_load(me))
    st.caption("xls 为 Excel 97-2003 格式；csv 可为 UTF-8 或 GBK 编码。文件先检查、后加载，确认前不会改动驾驶舱数据。")
    if taught_n := st.session_state.pop("adm_taught", None):
        st.success(f"已保存 {taught_n:,} 个表头的识别，文件已按新的识别重新检查。", icon=":material/school:")

    version = admin.taught.version()
    checked = [access.check_upload(me, f.name, f.getvalue(), period, unit, today, version)
               for f in files or []] if access.may_load(me) else []
    access.audit_refusals(checked)
    if note := admin.sender_notice(checked):
        sender_note.warning(escape(note), icon=":material/arrow_upward:")
    for i, c in enumerate(checked):
        with st.container(border=True):
            prev = existing = None
            if c.ok:
                prev = q("admin_previous", period=c.report.period, sender=c.report.sender)
                existing = q("admin_partitions", period=c.report.period, sender=c.report.sender)
            admin.show_check(c, prev, existing, key=f"adm_chk_{n}_{i}")
            access.teach_headers(me, c, key=f"adm_chk_{n}_{i}")

    good = [c for c in checked if c.ok]
    if checked:
        bad = len(checked) - len(good)
        rows_q = sum(c.report.rows_quarantined for c in good)
        st.markdown(f"**共 {len(checked):,} 个文件：{len(good):,} 个可以加载**"
                    + (f"，{bad:,} 个有错误不会加载" if bad else "")
                    + (f"；未通过检查的 {rows_q} 行不会导入" if rows_q else ""))
    if good:
        sure = st.checkbox("我已核对上面的检查结果，确认加载", key=f"adm_confirm_{n}")
        if st.button(f"加载 {len(good):,} 个文件到驾驶舱", type="primary", disabled=not sure, key="adm_load",
                     icon=":material/upload:"):
            result = access.load(me, checked)
            loaded = sum(o.status == "loaded" for o in result.outcomes)
            st.session_state["adm_flash"] = {
                "headline": f"加载完成：{loaded:,} 个文件已加载" + ("" if loaded == len(result.outcomes) else
                                                            f"，{len(result.outcomes) - loaded:,} 个内容相同未更改") + "。",
                "outcomes": admin.outcome_frame(result.outcomes),
            }
            st.session_state["adm_upload_n"] = n + 1
            st.rerun()

with tab_fresh:
    months_known = periods()
    f_period = st.selectbox("报送期间", ["current"] + months_known, key="adm_fresh_period",
                            format_func=lambda p: "当前报送期" if p == "current" else period_label(p))
    fresh, summary = admin.freshness(None if f_period == "current" else f_period)
    tiles([Tile("应报单位", f"{summary.expected:,}个"), Tile("已报送", f"{summary.reported:,}个"),
           Tile("逾期未报", f"{len(summary.missing):,}个", tone="red" if summary.missing else "green"),
           Tile("逾期报送", f"{len(summary.late):,}个", tone="yellow" if summary.late else "green")])
    st.caption(f"{period_label(summary.period)}数据截止报送日为{summary.deadline.year}年{summary.deadline.month}月"
               f"{summary.deadline.day}日（次月{config.report_deadline_day()}日）；是否逾期按文件中写的填报日期计，文件没有填报日期的按加载入驾驶舱的时间计。"
               f"应报单位为全部县区、开发区，以及近{config.expected_sender_months():,}个月报送过的其他单位。")
    table = admin.freshness_frame(fresh)
    show_table(table, height=admin.table_height(table.height))
    downloads(table, f"报送情况_{summary.period:%Y-%m}", f"{period_label(summary.period)}数据报送情况",
              f"截止{summary.deadline:%Y-%m-%d} · 统计于{today:%Y-%m-%d}", key="adm_fresh")

with tab_hist:
    log = q("admin_history")
    history = admin.history_frame(log)
    st.caption(f"共 {history.height} 条记录，最新的在前；加载和回退都记在这里。")
    show_table(history, height=admin.table_height(history.height, cap=12),
                 column_config=admin.HISTORY_COLUMNS)
    downloads(history, "加载历史", "驾驶舱数据加载历史", f"导出于{today:%Y-%m-%d}", key="adm_hist")
    st.subheader("回退到历史状态")
    st.caption("回退把驾驶舱整体恢复到所选时刻的数据（之后的加载全部撤销），并记入上面的历史；回退本身也可以再回退。")
    choices = admin.rollback_choices() if access.may_roll_back(me) else {}
    if not access.may_roll_back(me):
        st.info("回退由推进中心操作。", icon=":material/lock:")
    elif not choices:
        st.info("还没有可回退的历史状态", icon=":material/info:")
    else:
        target = st.selectbox("恢复到", list(choices), format_func=choices.get, key="adm_state")
        sure = st.checkbox("确认回退：驾驶舱将显示所选时刻的数据", key="adm_rb_confirm")
        if st.button("回退", disabled=not sure, key="adm_rollback", icon=":material/history:"):
            access.roll_back(me, target, choices[target])
            st.session_state["adm_flash"] = {"headline": f"已回退到 {choices[target]}。"}
            st.session_state.pop("adm_rb_confirm", None)
            st.rerun()

with tab_tpl:
    st.markdown("各单位按模板填报，表头、下拉选项和数字格式与驾驶舱一致，检查一次通过。模板含「项目进展」「储备项目」"
                "「问题清单」「节点计划」四张表和「填报须知」；不用的表留空即可。")
    u = units().filter(pl.col("kind") != "city")
    c1, c2 = st.columns(2)
    t_period = c1.selectbox("数据期间", admin.period_choices(today, [])[:13], index=1, format_func=period_label,
                            key="adm_tpl_period")
    t_sender = c2.selectbox("填报单位", [""] + u["name"].to_list(), key="adm_tpl_sender",
                            format_func=lambda s: s or "不指定（由填报单位填写）")
    download_button("下载填报模板（Excel）", admin.template(t_period, t_sender), type="primary",
                    file_name=f"{t_period:%Y-%m}_{t_sender or '项目建设'}_月报模板.xlsx", mime=admin.XLSX_MIME,
                    key="adm_tpl", icon=":material/download:", on_click="rerun")
    st.markdown("**各列填写要求**（深蓝色表头为必填列）")
    guide = admin.template_guide()
    show_table(guide, height=admin.table_height(guide.height, cap=14))

if tab_centre:
    with tab_centre[0]:
        access.accounts_tab(me)
    with tab_centre[1]:
        access.audit_tab(today)
