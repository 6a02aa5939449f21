"""Small shared widgets: page header with the data date, KPI tiles, charts with a proper PNG
export, table downloads."""

from __future__ import annotations

import datetime as dt
import html

# Imported whole here, before any page builds a figure: plotly looks pandas up in sys.modules
# without importing it, and on a fresh server a second session could find it half-initialised
# while the first was still importing it (AttributeError: partially initialized module 'pandas').
import pandas  # noqa: F401
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ui import auth, data
from ui.export import CHART_EXPORT, file_name, stamp_figure, table_csv, table_xlsx
from ui.format import data_date_label, period_label

CSS = """
<style>
[data-testid="stMetric"] {background:#f7f9fc;border:1px solid #e4e9f0;border-radius:10px;padding:10px 14px;}
[data-testid="stMetricValue"] {font-size:1.55rem;font-weight:650;}
[data-testid="stMetricLabel"] p {font-size:0.92rem;color:#3e4c59;}
.cockpit-date {color:#52606d;font-size:0.9rem;margin:-0.6rem 0 0.6rem 0;}
.cockpit-date b {color:#1f5fa8;}
.cockpit-note {color:#52606d;font-size:0.85rem;}
.block-container {padding-top:2.2rem;}
@media (max-width: 640px) {
  .block-container {padding-left:0.6rem;padding-right:0.6rem;padding-top:1.2rem;}
  [data-testid="stMetricValue"] {font-size:1.25rem;}
  h1 {font-size:1.5rem !important;}
}
</style>
"""


def page_header(title: str, period: dt.date | None = None) -> None:
    """Page title, then 「数据截至…」 and when the data was last loaded."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(title)
    info = data.status()
    shown = period or info.get("data_period")
    parts = []
    if shown:
        parts.append(f"<b>{data_date_label(shown)}</b>")
        if info.get("data_period") and period and period != info["data_period"]:
            parts.append(f"最新数据为{period_label(info['data_period'])}")
    if info.get("last_load_at"):
        parts.append(f"最后加载 {info['last_load_at']:%Y-%m-%d %H:%M}")
    if info.get("senders_reported") is not None:
        parts.append(f"本期已报送 {info['senders_reported']} 个单位")
    st.markdown(f"<div class='cockpit-date'>{' · '.join(parts)}</div>", unsafe_allow_html=True)


def kpi(col, label: str, value: str, delta: str | None = None, help: str | None = None) -> None:
    """A KPI tile. Deltas are text with arrows in a neutral colour (red/green mean status here)."""
    col.metric(label, value, delta=delta, delta_color="off", delta_arrow="off", help=help, border=False)


def chart(fig: go.Figure, name: str, period: dt.date | None = None, key: str | None = None, *,
          export_size: tuple[int, int] | None = None, width="stretch", **kwargs):
    """Place a figure; its toolbar downloads a PNG at 2× (1600×900 unless export_size) named
    「name_2026-10.png」, with 「数据截至…」 in the image (added to the title if the figure lacks it)."""
    if period is not None:
        fig = stamp_figure(fig, data_date_label(period))
    w, h = export_size or (CHART_EXPORT["width"], CHART_EXPORT["height"])
    return st.plotly_chart(fig, width=width, key=key, config={
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": file_name(name, period), "width": w, "height": h,
                                 "scale": CHART_EXPORT["scale"]},
    }, **kwargs)


def downloads(df: pl.DataFrame, name: str, title: str, subtitle: str, key: str, *,
              period: dt.date | None = None) -> None:
    """xlsx and csv buttons for a table (headers already in Chinese, with units).

    The xlsx carries `title` and `subtitle` (the filters) above the table; with `period`, the
    data date is added to the subtitle and the period to the file name when they are missing."""
    if period is not None:
        if "数据截至" not in subtitle:
            subtitle = f"{subtitle} · {data_date_label(period)}" if subtitle else data_date_label(period)
    c1, c2, _ = st.columns([1, 1, 4])
    audited = auth.audited_download
    # the files are made when a button is clicked, not on every rerun (an xlsx of a few
    # thousand rows costs a second of the page's script time), and a click does not rerun the
    # page (the other button stays ready at once)
    c1.download_button("下载 Excel", audited(lambda: table_xlsx(df, title, subtitle), file_name(name, period, "xlsx")),
                       file_name=file_name(name, period, "xlsx"),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                       icon=":material/download:", on_click="ignore")
    c2.download_button("下载 CSV", audited(lambda: table_csv(df), file_name(name, period, "csv")),
                       file_name=file_name(name, period, "csv"), mime="text/csv",
                       key=f"{key}_csv", icon=":material/download:", on_click="ignore")


def escape(text) -> str:
    """Text from data, made safe for st.markdown(..., unsafe_allow_html=True)."""
    return html.escape("" if text is None else str(text))


def no_data(message: str = "所选条件下没有数据") -> None:
    st.info(message, icon=":material/info:")
