"""Blocks the pages place for the centre's documents: the year-end forecast (预计全年完成) with
the seasonal 序时进度, the key-project review list (重点工程动态调整), and the download buttons
of the Word documents (季度分析, 排队通报, 项目专报). Each is one call from a page; the numbers
come from ui.forecast, etl.review and ui.report, the data through the cached ui.data.q."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from etl import review
from ui import forecast as fc
from ui.data import q, runner
from ui.format import data_date_label, pct, period_label, yi
from ui.memo import memo
from ui.report import QUARTER_NAME, render
from ui.report.word import DOCX_MIME
from ui.tiles import Tile, tiles
from ui.widgets import download_button, downloads, escape, show_table


def scope_forecasts(period: dt.date, library: str | None) -> dict:
    """Forecasts of the city (key None) and every unit for the month and library."""
    return fc.forecasts(q("forecast_history", period=period, library=library), period.year, period.month)


def forecast_block(period: dt.date, unit: str | None, library: str | None, scope_name: str) -> None:
    """预计全年完成 of one scope as tiles, with the method and the backtest behind it."""
    fcs = scope_forecasts(period, library)
    f = fcs.get(unit)
    if f is None or f.point_wan is None:
        return
    st.subheader(f"{scope_name}预计全年完成")
    need = f.need_per_month_wan
    rng = fc.range_text(f)
    tiles([
        Tile("预计全年完成", yi(f.point_wan), f"区间 {rng}" if f.low_wan is not None else fc.METHOD_LABEL[f.method],
             help=fc.METHOD_TEXT),
        Tile("预计全年完成率", pct(f.completion_forecast), f"年度计划 {yi(f.plan_wan)}"),
        Tile("剩余月份月均需完成", "—" if need is None else ("已完成" if need == 0 else yi(need)),
             f"剩余{f.remaining_months:,}个月，完成年度计划" if need else ("已完成年度计划" if need == 0 else "全年已结束")),
        Tile("季节序时进度", "—" if f.seasonal_schedule is None else pct(f.seasonal_schedule),
             f"线性序时进度 {pct(f.linear_schedule)}（红黄绿按线性）",
             help="季节序时进度 = 以往完整年度到同月累计完成占全年完成的平均比例；线性序时进度 = 当月月数 ÷ 12"),
    ])
    st.caption(f"{fc.METHOD_LABEL[f.method]} · {fc.error_text(f)} · {fc.schedule_text(f)}")
    with st.expander("预计全年完成的测算方法", icon=":material/functions:"):
        st.markdown(escape(fc.METHOD_TEXT))
        if f.history:
            st.markdown("以往各年到同月累计完成占全年的比例：" + "；".join(
                f"{y}年 {pct(s)}" for y, s in f.history.items()))
        if f.backtests:
            st.markdown("回测：" + "；".join(
                f"{b.year}年从{period.month}月推算{yi(b.forecast_wan)}，实际{yi(b.actual_wan)}，误差{b.error * 100:+.1f}%"
                for b in f.backtests))


def forecast_units_table(period: dt.date, library: str | None, key: str = "fc_units") -> None:
    """Every unit's 预计全年完成 in an expander, with its downloads."""
    from ui.data import units as all_units

    u = all_units()
    names = {None: "全市", **dict(zip(u["code"], u["name"]))}
    table = fc.forecast_table(scope_forecasts(period, library), names, [None, *u["code"].to_list()])
    with st.expander("各县区、开发区预计全年完成", icon=":material/table_view:"):
        show_table(table)
        downloads(table, "预计全年完成", f"各县区、开发区预计全年完成（{period_label(period)}）",
                  f"{period_label(period)} · {data_date_label(period)}", key=key, period=period)


# ---------------------------------------------------------------- 重点工程动态调整

@memo
def _review_lists(rows, period: dt.date, cfg: review.ReviewConfig):
    """The two review tables (project by project in Python: kept per month and settings)."""
    from ui.report.quarterly import review_tables

    return review_tables(review.removals(rows, period, cfg), review.promotions(rows, period, cfg))


def review_block(period: dt.date, key: str = "review") -> None:
    """The review list: rules and thresholds shown, candidates to lose key status, and municipal
    key projects to propose for the provincial list."""
    cfg = review.load_config()
    rm, pr = _review_lists(q("review_key_months", period=period, months=cfg.months_needed), period, cfg)
    st.subheader("重点工程动态调整")
    for line in review.rules_text(cfg):
        st.caption(escape(line))
    st.caption("各项阈值由推进中心确定；需要调整时请联系系统管理员。")
    for table, label, file_name, empty, suffix in (
            (rm, "建议取消重点工程资格", "建议取消重点工程资格的项目", "本期没有符合条件的项目。", "rm"),
            (pr, "建议推荐申报省级重点工程", "建议推荐申报省级重点工程的项目", "本期没有符合条件的市级重点工程。", "pr")):
        st.markdown(f"**{label}（{table.height:,}个）**")
        if table.height:
            show_table(table)
            downloads(table, label, f"{file_name}（{period_label(period)}）",
                      f"{period_label(period)} · {data_date_label(period)}", key=f"{key}_{suffix}", period=period)
        else:
            st.caption(empty)


# ---------------------------------------------------------------- Word downloads

def notice_downloads(period: dt.date, key: str = "notice_docx") -> None:
    """排队通报 as Word: the whole notice, and one county's or zone's own version."""
    from ui.report import notice

    data = notice.load(period, run=q)
    slug = f"{period:%Y-%m}"
    c1, c2, c3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    download_button("下载排队通报（Word）", lambda: render(notice.build(data)), file_name=f"排队通报_{slug}.docx",
                    mime=DOCX_MIME, icon=":material/description:", key=key, width="stretch", where=c1)
    codes = notice.ranked_units(data)
    if codes:
        names = dict(zip(data.units["unit_code"], data.units["unit_name"]))
        code = c2.selectbox("县区、开发区", codes, format_func=names.get, key=f"{key}_unit")
        download_button(f"下载{names[code]}通报（Word）", lambda: render(notice.build_unit(data, code)),
                        file_name=f"排队通报_{slug}_{names[code]}.docx", mime=DOCX_MIME,
                        icon=":material/description:", key=f"{key}_one", width="stretch", where=c3)


def quarters(periods: list[dt.date]) -> list[tuple[int, int]]:
    """The quarters whose last month has data, latest first."""
    return [(p.year, p.month // 3) for p in periods if p.month % 3 == 0]


def report_downloads(period: dt.date, periods: list[dt.date], key: str = "docs") -> None:
    """季度分析 and 项目专报 as Word, for the briefing page."""
    from ui.report import quarterly, special

    st.subheader("季度分析与项目专报（Word，可编辑）")
    from ui import auth

    if auth.current_user().role == "unit":  # city-wide documents the centre writes for the city's leaders
        st.caption("季度分析和项目专报由市项目推进中心编写并报市领导，县区、开发区和部门账号不提供下载；"
                   "本单位的排队通报可在「比亮晒」下载。")
        return
    run = runner()  # the documents are drawn when clicked, outside this script run
    c1, c2 = st.columns(2)
    qs = quarters(periods)
    with c1:
        if qs:
            year, quarter = st.selectbox("季度", qs, format_func=lambda t: f"{t[0]}年{QUARTER_NAME[t[1]]}",
                                         key=f"{key}_quarter")
            download_button("下载季度分析（Word）", lambda: render(quarterly.build(quarterly.load(year, quarter, run=run))),
                            file_name=f"季度分析_{year}Q{quarter}.docx", mime=DOCX_MIME,
                            type="primary", icon=":material/description:", key=f"{key}_q", width="stretch")
            st.caption("按“一、总体情况 … 五、下步工作建议”成文，含图表和预计全年完成；生成约需十余秒。")
        else:
            st.caption("尚无完整季度的数据。")
    with c2:
        leaders = sorted({n.strip() for n in q("review_key_months", period=period, months=1)["leader"].drop_nulls()
                          if n.strip()})
        who = st.selectbox("项目专报", [None, *leaders], key=f"{key}_leader",
                           format_func=lambda n: "本月红色重点工程" if n is None else f"{n}包联的重点工程")
        download_button("下载项目专报（Word）", lambda: render(special.build(special.load(period, leader=who, run=run))),
                        file_name=f"项目专报_{period:%Y-%m}{'_' + who if who else ''}.docx", mime=DOCX_MIME,
                        icon=":material/description:", key=f"{key}_s", width="stretch")
        st.caption("每个项目一页：基本情况、投资完成、形象进度、节点计划、存在问题。")
