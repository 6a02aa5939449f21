"""Exports staff can send on.

Tables: xlsx with a title row and a row with the filters and the data date, Chinese headers
with units, numbers kept as numbers; csv in UTF-8 with BOM so Excel opens it in Chinese.
Charts: PNG files rendered server-side by kaleido (the system Chromium), several in one
batch so the browser starts once; every exported chart carries its data date.
No streamlit here: pages reach these through ui.widgets.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

CHART_EXPORT = {"width": 1600, "height": 900, "scale": 2}  # print resolution: 3200×1800 px
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


_RATE_ENDINGS = ("率", "占比", "增长", "增速", "序时进度")


def rate_columns(df: pl.DataFrame) -> list[str]:
    """Float columns holding a rate as a fraction (「完成率」 0.873): named for a rate and not
    already in percent or points (「完成率（%）」, 「…（个百分点）」 hold the shown number)."""
    return [c for c, t in df.schema.items()
            if t.is_float() and (c.endswith(_RATE_ENDINGS) or "率（" in c) and "%" not in c and "百分点" not in c]


def table_xlsx(df: pl.DataFrame, title: str, subtitle: str, sheet: str = "数据") -> bytes:
    """One sheet: title row, a row with filters and data date, then the table."""
    return tables_xlsx([(sheet, df, title, subtitle)])


def tables_xlsx(sheets: list[tuple[str, pl.DataFrame, str, str]]) -> bytes:
    """Several tables, one sheet each: (sheet name, frame, title, subtitle)."""
    import xlsxwriter

    buf = io.BytesIO()
    # text from the counties' files is written as text, never as a formula or a link
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "default_date_format": "yyyy-mm-dd",
                                   "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    sub_fmt = wb.add_format({"font_color": "#555555"})
    head_fmt = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True,
                              "valign": "vcenter", "align": "center"})
    num_fmt = wb.add_format({"num_format": "#,##0.00", "border": 1})
    int_fmt = wb.add_format({"num_format": "#,##0", "border": 1})
    pct_fmt = wb.add_format({"num_format": "0.0%", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd", "border": 1})
    text_fmt = wb.add_format({"border": 1})
    for name, df, title, subtitle in sheets:
        ws = wb.add_worksheet(name[:31])
        ws.write(0, 0, title, title_fmt)
        ws.write(1, 0, subtitle, sub_fmt)
        rates = set(rate_columns(df))
        for j, col in enumerate(df.columns):
            ws.write(2, j, col, head_fmt)
            dtype = df.schema[col]
            fmt = (pct_fmt if col in rates else num_fmt if dtype.is_float()
                   else int_fmt if dtype.is_integer() else date_fmt if dtype in (pl.Date, pl.Datetime) else text_fmt)
            width = max(8, min(40, max([len(str(col))] + [len(str(v)) for v in df[col].head(200).to_list()]) * 1.6))
            ws.set_column(j, j, width)
            for i, v in enumerate(df[col].to_list()):
                if v is None or (isinstance(v, float) and v != v):
                    ws.write_blank(3 + i, j, None, fmt)
                elif isinstance(v, (dt.date, dt.datetime)):
                    ws.write_datetime(3 + i, j, v if isinstance(v, dt.datetime) else
                                      dt.datetime(v.year, v.month, v.day), fmt)
                elif isinstance(v, bool):
                    ws.write(3 + i, j, "是" if v else "否", fmt)
                else:
                    ws.write(3 + i, j, v, fmt)
        ws.freeze_panes(3, 0)
        ws.set_row(2, 32)
        # printable as it is: landscape, all columns on one page width, header repeated
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
    wb.close()
    return buf.getvalue()


def table_csv(df: pl.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel opens it in Chinese); rates in percent with one decimal and the
    unit in the header, as the page and the xlsx show them (「完成率（%）」 83.2); a missing
    value is an empty cell; text that Excel would run as a formula (=, +, -, @ first) gets a
    leading apostrophe."""
    rates = rate_columns(df)
    df = df.with_columns((pl.col(c) * 100).round(1) for c in rates).rename({c: f"{c}（%）" for c in rates})
    text_cols = [c for c, t in df.schema.items() if t == pl.String]
    safe = df.with_columns(
        pl.when(pl.col(c).str.contains(r"^[=+\-@\t\r]"))
        .then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in text_cols)
    return safe.write_csv().encode("utf-8-sig")


def file_name(name: str, period: dt.date | None = None, ext: str | None = None) -> str:
    """「投资进度_县区」 + 2026-10 → 「投资进度_县区_2026-10.png」; characters Windows refuses become 「_」."""
    stem = _UNSAFE.sub("_", name).strip("_") or "导出"
    if period is not None:
        slug = f"{period.year}-{period.month:02d}"
        if slug not in stem:
            stem = f"{stem}_{slug}"
    return f"{stem}.{ext}" if ext else stem


def figure_title(fig: go.Figure) -> str:
    text = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ""
    return text


def stamp_figure(fig: go.Figure, data_date: str) -> go.Figure:
    """The figure with 「数据截至…」 in its title (a copy), unless the title already says it."""
    title = figure_title(fig)
    if "数据截至" in title or "数据截至" in " ".join(a.text or "" for a in fig.layout.annotations):
        return fig
    out = go.Figure(fig)
    line = f"<span style='font-size:12px;color:#52606d'>{data_date}</span>"
    out.update_layout(title={"text": f"{title}<br>{line}" if title else line})
    top = out.layout.margin.t if out.layout.margin and out.layout.margin.t is not None else None
    if top is None or top < 78:
        out.update_layout(margin={"t": 78})
    return out


@dataclass(frozen=True)
class Image:
    """One static image to render: a figure, its file name and size (pixels before scaling)."""

    name: str
    fig: go.Figure
    width: int = CHART_EXPORT["width"]
    height: int = CHART_EXPORT["height"]
    scale: float = CHART_EXPORT["scale"]
    format: str = "png"


_render_lock = threading.Lock()
_browser_kept = False  # this process started kaleido's sync server (see render_images)


def _in_server() -> bool:
    """True inside a running Streamlit server (a long-lived process worth keeping a browser for)."""
    import sys

    runtime = sys.modules.get("streamlit.runtime")
    return bool(runtime and runtime.exists())


def render_images(images: list[Image]) -> dict[str, bytes]:
    """Render figures to PNG/PDF/SVG with kaleido in one batch; name → bytes.

    Kaleido finds /usr/bin/chromium itself and uses plotly.js from the plotly package; MathJax
    is switched off (kaleido would load it from a CDN). Chinese needs fonts-noto-cjk. A command
    line run starts Chromium once for the batch; inside the Streamlit server one Chromium is
    kept running (kaleido's sync server), which halves the time of every later batch. One
    batch at a time per process.
    """
    import kaleido

    global _browser_kept
    if not images:
        return {}
    with _render_lock, tempfile.TemporaryDirectory(prefix="cockpit-img-") as tmp:
        paths = [Path(tmp) / f"{i}.{im.format}" for i, im in enumerate(images)]
        specs = [{"fig": im.fig.to_dict(), "path": path,
                  "opts": {"format": im.format, "width": im.width, "height": im.height, "scale": im.scale}}
                 for im, path in zip(images, paths)]
        if _browser_kept or _in_server():
            try:
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
                _browser_kept = True
                kaleido.write_fig_from_object_sync(specs)
            except Exception:  # a browser that died: start afresh for this batch
                kaleido.stop_sync_server(silence_warnings=True)
                _browser_kept = False
                kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False})
        else:
            kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False})
        return {im.name: path.read_bytes() for im, path in zip(images, paths)}


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Files in a zip (UTF-8 names, so Chinese names survive on Windows and macOS)."""
    import zipfile

    buf = io.BytesIO()
    stamp = dt.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= 0x800
            zf.writestr(info, data)
    return buf.getvalue()
