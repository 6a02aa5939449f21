"""Small shared widgets: page header with the data date, KPI tiles, charts with a proper PNG
export, tables, table downloads, the file uploader. Streamlit's and plotly's own English
(toolbar tooltips, the uploader's texts, 「None」 in empty cells) is kept out here, once."""

from __future__ import annotations

import datetime as dt
import json

# Imported whole here, before any page builds a figure: plotly looks pandas up in sys.modules
# without importing it, and on a fresh server a second session could find it half-initialised
# while the first was still importing it (AttributeError: partially initialized module 'pandas').
import pandas  # noqa: F401
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ui import auth, data
from ui.export import CHART_EXPORT, Image, file_name, render_images, stamp_figure, table_csv, table_xlsx
from ui.format import data_date_label, escape, period_label  # noqa: F401 - pages take escape from here

CSS = """
<style>
[data-testid="stMetric"] {background:#f7f9fc;border:1px solid #e4e9f0;border-radius:10px;padding:10px 14px;}
[data-testid="stMetricValue"] {font-size:1.55rem;font-weight:650;}
[data-testid="stMetricLabel"] p {font-size:0.92rem;color:#3e4c59;}
.cockpit-date {color:#52606d;font-size:0.9rem;margin:-0.6rem 0 0.6rem 0;}
.cockpit-date b {color:#1f5fa8;}
.cockpit-note {color:#52606d;font-size:0.85rem;}
.block-container {padding-top:2.2rem;}
/* Streamlit's running indicator says "Running..." and offers "Stop": keep only its spinner */
[data-testid="stStatusWidget"] button, [data-testid="stStatusWidget"] label {display:none !important;}
/* the tables' and charts' own toolbar: its CSV (English-free only by chance, rates as raw
   fractions) gives way to the Chinese downloads under each table; its hover tooltips ("Search",
   "Fullscreen", "Show/hide columns") are said in Chinese while one of its buttons is hovered */
[data-testid="stElementToolbarButton"]:has(button[aria-label="Download as CSV"]) {display:none !important;}
body:has([data-testid="stElementToolbarButton"] [aria-describedby]) [data-testid="stTooltipContent"]
  {visibility:hidden;font-size:0 !important;padding:0 !important;}
body:has([data-testid="stElementToolbarButton"] [aria-describedby]) [data-testid="stTooltipContent"]::after
  {visibility:visible;display:block;font-size:0.8rem;padding:3px 8px;border-radius:4px;background:#fff;
   color:#1f2933;border:1px solid #d0d7de;white-space:nowrap;}
body:has([aria-describedby] > button[aria-label="Search"]) [data-testid="stTooltipContent"]::after {content:"搜索";}
body:has([aria-describedby] > button[aria-label="Show/hide columns"]) [data-testid="stTooltipContent"]::after
  {content:"显示或隐藏列";}
body:has([aria-describedby] > button[aria-label="Fullscreen"]) [data-testid="stTooltipContent"]::after {content:"全屏";}
body:has([aria-describedby] > button[aria-label="Close fullscreen"]) [data-testid="stTooltipContent"]::after
  {content:"退出全屏";}
/* a select box or multiselect whose typed text matches no option: Streamlit says "No results"
   (its empty-state spans, by the class names of the pinned version; a browser test types into one) */
span.equpb2c9, span.eo2qvtu11 {visibility:hidden;font-size:0 !important;}
span.equpb2c9::after, span.eo2qvtu11::after {content:"没有匹配的选项";visibility:visible;font-size:0.875rem;}
/* a hint under wide tables, shown on a phone only */
.cockpit-scroll-hint {display:none;color:#7b8794;font-size:0.8rem;margin:-0.4rem 0 0.4rem 0;}
@media (max-width: 640px) {
  .block-container {padding-left:0.6rem;padding-right:0.6rem;padding-top:1.2rem;}
  [data-testid="stMetricValue"] {font-size:1.25rem;}
  h1 {font-size:1.5rem !important;}
  .cockpit-scroll-hint {display:block;}
}
</style>
"""


def frame_css() -> None:
    """The house CSS, drawn by the frame (app.py) before anything else, so it holds even while
    a first start builds the data; pages draw it again for AppTest, which runs them alone."""
    st.markdown(CSS, unsafe_allow_html=True)


FRAME_JS = """<script>
(function () {
  if (window.__cockpitFrame) { window.__cockpitFrame.pages = PAGES; return; }
  var frame = window.__cockpitFrame = {pages: PAGES};
  // on a phone the sidebar menu covers most of the screen and stays open after a page is
  // chosen: close it as soon as a page (or a link inside it) is tapped
  document.addEventListener("click", function (e) {
    if (window.innerWidth > 640) { return; }
    var link = e.target.closest && e.target.closest('[data-testid="stSidebarNav"] a');
    if (!link) { return; }
    setTimeout(function () {
      var close = document.querySelector('[data-testid="stSidebarCollapseButton"] button')
        || document.querySelector('[data-testid="stSidebarCollapseButton"]');
      if (close) { close.click(); }
    }, 60);
  }, true);
  // a link to another view of the cockpit (the home page's answers, cards, lists, the map's
  // popups) opens inside the running app, as the menu does, instead of loading the whole app
  // again: the address changes, and Streamlit runs the page named by the new address with its
  // query (its handling of the browser's back and forward buttons), so Back, a copied link and a
  // reload keep working. open() says whether it took the link.
  frame.open = function (href) {
    var url = new URL(href, location.href);
    if (url.origin !== location.origin || frame.pages.indexOf(url.pathname.replace(/\\/$/, "")) < 0) { return false; }
    if (url.pathname === location.pathname && url.search === location.search && url.hash) { return false; }
    history.pushState(null, "", url.pathname + url.search + url.hash);
    dispatchEvent(new PopStateEvent("popstate", {state: null}));
    var main = document.querySelector('[data-testid="stMain"]');
    if (main) { main.scrollTo(0, 0); }
    window.scrollTo(0, 0);
    return true;
  };
  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || a.hasAttribute("download") || (a.target && a.target !== "_self")) { return; }
    if (frame.open(a.href)) { e.preventDefault(); }
  });
})();
</script>"""


def html_block(body: str) -> None:
    """Place HTML built (and escaped) in ui/ — cards, answers, a project's head — as HTML, not as
    markdown: Streamlit parses a markdown body that allows HTML with its markdown and HTML parsers
    in the browser, which on a phone cost about as much as drawing the page's charts (the home
    page: ≈ 0.5 s of its main thread). The browser's own parser takes st.html's body as it is
    (sanitised: no script, no event handler)."""
    st.html(body)


def frame_script(page_paths: list[str]) -> None:
    """The frame's one script (app.py): the phone's menu closes when a page is chosen, and links to
    the cockpit's pages (`page_paths`, as ui.links.page_path gives them) open inside the running app."""
    st.html(FRAME_JS.replace("PAGES", json.dumps(sorted(set(page_paths)))), unsafe_allow_javascript=True)


def page_header(title: str, period: dt.date | None = None) -> None:
    """Page title (which may name a leader or project: shown as text), then 「数据截至…」 and
    when the data was last loaded."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(escape(title))
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
        parts.append(f"本期已报送 {info['senders_reported']:,} 个单位")
    st.markdown(f"<div class='cockpit-date'>{' · '.join(parts)}</div>", unsafe_allow_html=True)


def kpi(col, label: str, value: str, delta: str | None = None, help: str | None = None) -> None:
    """A KPI tile. Deltas are text with arrows in a neutral colour (red/green mean status here)."""
    col.metric(label, value, delta=delta, delta_color="off", delta_arrow="off", help=help, border=False)


PLOT_CONFIG = {
    # plotly's toolbar speaks English ("Download plot as a png", "Autoscale", …) and sits on
    # the chart's title; plotly's zh-CN locale is not part of the plotly.js Streamlit ships
    # and cannot be registered from Python. So no toolbar: each chart has its own Chinese
    # download button below it.
    "displayModeBar": False,
    "displaylogo": False,
    "scrollZoom": False,
}


def chart(fig: go.Figure, name: str, period: dt.date | None = None, key: str | None = None, *,
          export_size: tuple[int, int] | None = None, width="stretch", download: bool = True, **kwargs):
    """Place a figure with a 「下载图片」 button below it: a PNG at 2× (1600×900 unless
    export_size) named 「name_2026-10.png」, with 「数据截至…」 in the image (added to the title
    if the figure lacks it), drawn on the server when clicked."""
    if period is not None:
        fig = stamp_figure(fig, data_date_label(period))
    w, h = export_size or (CHART_EXPORT["width"], CHART_EXPORT["height"])
    out = st.plotly_chart(fig, width=width, key=key, config=PLOT_CONFIG, **kwargs)
    if download:
        png = file_name(name, period, "png")
        download_button("下载图片", lambda: chart_png(fig, png, w, h), file_name=png, mime="image/png",
                        key=f"{key or name}_png", icon=":material/image:", type="tertiary")
    return out


def chart_png(fig: go.Figure, name: str, width: int, height: int) -> bytes:
    """The figure as a print-quality PNG (kaleido, the system Chromium)."""
    return render_images([Image(name, fig, width, height)])[name]


def show_table(df: pl.DataFrame, *, height: int | None = None, max_rows: int = 25, pin_first: bool = True,
          percent: tuple[str, ...] = (), **kwargs):
    """st.dataframe in the house style: 「—」 for a missing value (never "None"), sized to its
    rows when it has up to `max_rows` (no inner scrolling, no empty row), the first column
    pinned and a hint on a phone that more columns scroll sideways. `percent` columns hold
    fractions (kept for the downloads) and show as 「87.3%」."""
    config = {c: st.column_config.NumberColumn(format="%.1f%%") for c in percent if c in df.columns}
    if pin_first and df.columns and df.columns[0] not in config:
        config[df.columns[0]] = st.column_config.Column(pinned=True)
    config.update(kwargs.pop("column_config", None) or {})
    shown = df.with_columns([pl.col(c) * 100 for c in percent if c in df.columns]) if percent else df
    if height is None and df.height <= max_rows:
        height = table_height(df.height)
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    out = st.dataframe(shown, height=height if height is not None else "auto", placeholder="—",
                       column_config=config, **kwargs)
    if len(df.columns) > 3:
        st.markdown("<div class='cockpit-scroll-hint'>← 左右滑动查看更多列 →</div>", unsafe_allow_html=True)
    return out


def table_height(rows: int) -> int:
    """Pixels for st.dataframe to show `rows` rows (and its header) exactly."""
    return 35 * (max(rows, 1) + 1) + 3


def downloads(df: pl.DataFrame, name: str, title: str, subtitle: str, key: str, *,
              period: dt.date | None = None) -> None:
    """xlsx and csv buttons for a table (headers already in Chinese, with units).

    The xlsx carries `title` and `subtitle` (the filters) above the table; with `period`, the
    data date is added to the subtitle and the period to the file name when they are missing."""
    if period is not None:
        if "数据截至" not in subtitle:
            subtitle = f"{subtitle} · {data_date_label(period)}" if subtitle else data_date_label(period)
    # one row on a phone too (columns stack one per row below 640 px)
    row = st.container(horizontal=True, gap="small")
    c1 = c2 = row
    # the files are made when a button is clicked, not on every rerun (an xlsx of a few
    # thousand rows costs a second of the page's script time), and a click does not rerun the
    # page (the other button stays ready at once)
    xlsx, csv = file_name(name, period, "xlsx"), file_name(name, period, "csv")
    download_button("下载 Excel", lambda: table_xlsx(df, title, subtitle), file_name=xlsx, where=c1,
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                    icon=":material/download:", width="content")
    download_button("下载 CSV", lambda: table_csv(df), file_name=csv, mime="text/csv", where=c2,
                    key=f"{key}_csv", icon=":material/download:", width="content")


def listing(heading: str, table: pl.DataFrame, *, empty: str, name: str, title: str, subtitle: str, key: str,
            period: dt.date | None = None, note: str | None = None) -> None:
    """A list a page shows under its own heading: the table (its headers in Chinese), `note` under
    it (e.g. 「共1,234项，列出排在前面的500项。」) and its two downloads; `empty` in words when
    there is nothing to list."""
    st.subheader(heading)
    if table.is_empty():
        st.markdown(empty)
        return
    show_table(table)
    if note:
        st.caption(note)
    downloads(table, name, title, subtitle, key=key, period=period)


def download_button(label: str, data, *, file_name: str, mime: str, key: str, where=None,
                    on_click="ignore", **kwargs):
    """Every download button of the product goes through here: the click is recorded in the
    audit log (who, when, from which address, which file) before the file is handed over.
    `data` is the bytes, or a function making them when clicked (outside the script run: it
    must not need the session). `where` is the container (st by default)."""
    make = data if callable(data) else (lambda: data)
    return (where or st).download_button(label, auth.audited_download(make, file_name), file_name=file_name,
                                         mime=mime, key=key, on_click=on_click, **kwargs)


UPLOADER_CSS = """
<style>
/* Streamlit's uploader speaks English and has no way to be told otherwise: its texts are hidden
   (display:none, so they are not read out either) and Chinese ones drawn in their place.
   The button ("Upload") and its limits ("20MB per file • XLSX…") */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {display:none !important;}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {content:"选择文件";}
[data-testid="stFileUploaderDropzoneInstructions"] span {display:none !important;}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after
  {content:"把文件拖到这里，或点「选择文件」";color:#52606d;font-size:0.88rem;white-space:normal;}
/* a file dragged over the box ("Drag and drop files here"): the box's only span in a plain div */
[data-testid="stFileUploaderDropzone"] > div > span {display:none !important;}
[data-testid="stFileUploaderDropzone"] > div:has(> span)::after
  {content:"松开即可添加文件";color:#1f5fa8;font-weight:700;font-size:0.9rem;}
/* a file refused or failed ("Error: File must be 20.0MB or smaller.", "… files are not allowed.",
   "Upload failed"): said beside the chip; the chip's hover tooltip repeats the English, not shown */
[data-testid="stFileChip"][aria-invalid="true"] [role="alert"] {display:none !important;}
[data-testid="stFileChip"][aria-invalid="true"]::after
  {content:"%(refused)s";color:#d62728;font-size:0.8rem;margin-left:0.4rem;}
[data-testid="stTooltipErrorContent"] {display:none !important;}
</style>
"""


def uploader_css(max_mb: int) -> str:
    """The uploader's Chinese texts for files up to `max_mb` MB."""
    # the chip does not say which: too large and wrong type are refused in the browser, a
    # broken connection fails the upload (the caption under the box names the types)
    return UPLOADER_CSS % {"refused": f"未接收：超过{max_mb}MB、格式不符或上传中断"}


def uploader(label: str, types: list[str], max_mb: int, *, key: str, multiple: bool = True, help: str | None = None,
             disabled: bool = False):
    """st.file_uploader with its English hidden and a Chinese caption: which files, how big.
    A file over the limit is not handed to the page by Streamlit; the caption says the limit."""
    st.markdown(uploader_css(max_mb), unsafe_allow_html=True)
    files = st.file_uploader(label, type=types, accept_multiple_files=multiple, key=key, max_upload_size=max_mb,
                             help=help, disabled=disabled)
    st.caption(f"支持 {'、'.join(t.upper() for t in types)} 文件，"
               f"单个文件不超过{max_mb}MB{'，可一次选多个' if multiple else ''}；超过大小的文件不会被接收。")
    return files


def no_data(message: str = "所选条件下没有数据") -> None:
    st.info(message, icon=":material/info:")


def loading_note(what: str) -> None:
    """In place of a figure that needs the months a first start is still loading: 「加载中」, never a wrong figure."""
    st.info(f"加载中：{what}，历史月份正在后台加载，完成后页面自动刷新。", icon=":material/hourglass_top:")
