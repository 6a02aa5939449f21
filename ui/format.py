"""Number and date formats as Chinese readers expect them. Amounts arrive in 万元."""

from __future__ import annotations

import datetime as dt
import math
import re

import polars as pl


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def yi(wan, digits: int = 2, unit: bool = True) -> str:
    """万元 → 「564.87亿元」."""
    if _missing(wan):
        return "—"
    s = f"{wan / 10000:,.{digits}f}"
    return f"{s}亿元" if unit else s


def wan(x, digits: int = 0, unit: bool = True) -> str:
    """「12,345万元」."""
    if _missing(x):
        return "—"
    s = f"{x:,.{digits}f}"
    return f"{s}万元" if unit else s


def money(x) -> str:
    """亿元 for big amounts, 万元 below 1亿元."""
    if _missing(x):
        return "—"
    return yi(x) if abs(x) >= 10000 else wan(x)


def pct(x, digits: int = 1) -> str:
    """0.873 → 「87.3%」."""
    if _missing(x):
        return "—"
    return f"{x * 100:.{digits}f}%"


def pts(x, digits: int = 1) -> str:
    """Gap in percentage points: 「4.2个百分点」."""
    if _missing(x):
        return "—"
    return f"{abs(x):.{digits}f}个百分点"


def gap_text(gap_pts) -> str:
    """「落后序时进度4.2个百分点」 / 「快于序时进度1.0个百分点」."""
    if _missing(gap_pts):
        return "—"
    if abs(gap_pts) < 0.05:
        return "与序时进度持平"
    return ("落后序时进度" if gap_pts > 0 else "快于序时进度") + pts(gap_pts)


def growth(x, digits: int = 1) -> str:
    """Change with an arrow and a sign, never colour alone: 「↑9.1%」, 「↓2.3%」."""
    if _missing(x):
        return "—"
    if abs(x) < 0.0005:
        return "→0.0%"
    return f"{'↑' if x > 0 else '↓'}{abs(x) * 100:.{digits}f}%"


def rank_change(delta) -> str:
    """Rank moves: 「↑2」, 「↓1」, 「—」 (no change or no previous rank)."""
    if _missing(delta) or delta == 0:
        return "—"
    return f"↑{int(delta)}" if delta > 0 else f"↓{int(-delta)}"


def times(x, digits: int = 1) -> str:
    if _missing(x):
        return "—"
    return f"{x:.{digits}f}倍"


def by_value(frame: pl.DataFrame, column: str, fn, dtype=pl.String) -> pl.Expr:
    """`pl.col(column)` with each value replaced by `fn(value)`, `fn` called here, in this thread,
    once per distinct value (nulls stay null).

    Never hand polars a Python function to run (`map_elements`, `map_batches`): polars runs it on its
    own threads, which must then take the interpreter lock, while a page's thread holding that lock may
    be waiting for those threads (pickling a frame into st.cache_data does). With one thread in polars'
    pool, as in a process confined to one core, the server stops there for good.
    tests/test_no_python_in_polars.py fails on any such call."""
    values = frame.get_column(column).unique().to_list()
    return pl.col(column).replace_strict({v: fn(v) for v in values if v is not None}, default=None,
                                         return_dtype=dtype)


def period_label(p: dt.date) -> str:
    """「2026年10月」."""
    return f"{p.year}年{p.month}月"


def ytd_label(p: dt.date) -> str:
    """「1-10月」 (「1月」 in January)."""
    return f"1-{p.month}月" if p.month > 1 else "1月"


def month_end(p: dt.date) -> dt.date:
    nxt = dt.date(p.year + (p.month == 12), p.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def data_date_label(p: dt.date) -> str:
    """「数据截至2026年10月31日」 for the month p."""
    d = month_end(p)
    return f"数据截至{d.year}年{d.month}月{d.day}日"


def date_label(d) -> str:
    if _missing(d):
        return "—"
    return f"{d.year}年{d.month}月{d.day}日"


def period_slug(p: dt.date) -> str:
    """For file names: 「2026-10」."""
    return f"{p.year}-{p.month:02d}"


# ---------------------------------------------------------------- text from the data or the URL

# Every character that markdown (Streamlit's, with GFM, emoji/icon shortcodes and $math$), HTML or
# plotly's text markup could read as syntax becomes a character reference: the reader sees the
# text as written, and no link, image, element, emphasis or formula can come from it.
_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
                        **{c: f"&#{ord(c)};" for c in "[]*_`$~|\\#:"},
                        "\r": " ", "\n": " "})
# GFM links a bare http://…, https://… or www.… even in text written with character references
# (it looks at the decoded text): an invisible word joiner after the scheme or www breaks that
_BARE_LINK = re.compile(r"(?i)(https?:|www(?=\.))")
_JOINER = "\u2060"


def escape(text) -> str:
    """Text from the data or the URL, made inert wherever it is shown: st.markdown (with or
    without unsafe_allow_html), captions, alerts, titles, labels and help, HTML blocks and their
    attributes, folium popups, pydeck tooltips, plotly text, hover and annotations. The one
    escaping helper of the product; None is empty. (Word documents and tables take text as it
    is: they are not markup.)"""
    s = "" if text is None else str(text)
    return _BARE_LINK.sub(lambda m: m.group(1) + _JOINER, s).translate(_INERT)
