"""周报 (weekly briefing): its data, the one-page 16:9 view, its tables and the pack.

No streamlit here. `view_figure(b)` draws the briefing on one 1536×864 page; the page
(pages/briefing.py) shows it as SVG scaled to the screen (`view_svg`) and the pack renders the
same figure as PNG and PDF, so a screenshot of the page and the pack's page look alike, and every
week's briefing has the same layout (fixed size, fixed places, fixed rows per table).

Command line (runs without the Streamlit server, so it can be scheduled; reads COCKPIT_DB):

    .venv/bin/python -m ui.briefing --period 2026-10 --out DIR [--zip]

writes into DIR:
    周报_2026-10.png               the one-page briefing, 1536×864 at 2× (3072×1728 px)
    周报_2026-10.pdf               the same page as a vector PDF
    投资累计完成_全市_2026-10.png   the charts, 1600×900 at 2× (3200×1800 px)
    投资完成率排名_县区_2026-10.png
    重点工程红黄绿_2026-10.png
    周报数据_2026-10.xlsx           the tables, one sheet each (titles, filters, data date)
    数据分析_2026-10.txt            the drafted text with the figures behind each sentence
and with --zip also 周报_2026-10.zip holding all of them. Without --period: the latest month.
"""

from __future__ import annotations

import argparse
import html
import datetime as dt
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from etl import config
from etl.status import RED_GAP_PTS, RED_LATE_START_MONTHS
from ui import figures, summary
from ui.export import Image, render_images, tables_xlsx, zip_bytes
from ui.figures import BLUE, FONT, GREY, INK, ORANGE
from ui.format import (data_date_label, escape, gap_text, growth, pct, period_label, period_slug,
                       rank_change, ytd_label, yi)
from ui.labels import APP_TITLE, KEY_LEVEL, STATUS_COLOR

# the view: a fixed 16:9 page (fits a 1920×1080 screen beside the sidebar); exported at 2×
VIEW_W, VIEW_H, VIEW_SCALE = 1536, 864, 2
RED_ROWS = 8  # rows of the red key projects table, every week (blank rows when fewer)
PROBLEM_ROWS = 8  # rows of the overdue problems table
RANKED_KINDS = ("county", "zone")

MUTED, LINE, TILE, HEAD = "#52606d", "#cbd2d9", "#f4f7fb", "#e8eef7"
RED = STATUS_COLOR["red"]

Runner = Callable[..., pl.DataFrame]


def previous_month(p: dt.date) -> dt.date:
    return dt.date(p.year - (p.month == 1), (p.month - 2) % 12 + 1, 1)


@dataclass(frozen=True)
class Briefing:
    """Everything one month's briefing shows."""

    period: dt.date
    kpis: dict
    curve: pl.DataFrame  # monthly_cumulative
    ranking: pl.DataFrame  # counties and zones with a plan, best first (see rank_units)
    red_key: pl.DataFrame  # briefing_red_key
    problems: pl.DataFrame  # briefing_problems: open problems, overdue first
    last_kpis: dict = field(default_factory=dict)  # overview_kpis of the month before
    sentences: list = field(default_factory=list)  # summary.Sentence

    @property
    def data_date(self) -> str:
        return data_date_label(self.period)

    @property
    def overdue(self) -> pl.DataFrame:
        return self.problems.filter(pl.col("is_overdue"))

    @property
    def turned_red(self) -> int:
        return self.red_key.filter(pl.col("turned_red")).height

    @property
    def has_data(self) -> bool:
        return bool(self.kpis.get("projects"))


def rank_units(now: pl.DataFrame, before: pl.DataFrame) -> pl.DataFrame:
    """Counties and zones with a plan, ranked on completion rate (best first), with the rank
    change since the month before (positive = moved up; null when not ranked then)."""

    def ranked(df: pl.DataFrame) -> pl.DataFrame:
        return (df.filter(pl.col("unit_kind").is_in(RANKED_KINDS) & (pl.col("plan_wan") > 0))
                .sort(["completion_rate", "sort_order"], descending=[True, False])
                .with_columns(pl.col("completion_rate").rank("min", descending=True).cast(pl.Int64).alias("rank")))

    cur = ranked(now)
    prev = ranked(before).select("unit_code", pl.col("rank").alias("prev_rank"))
    return (cur.join(prev, on="unit_code", how="left", maintain_order="left")
            .with_columns((pl.col("prev_rank") - pl.col("rank")).alias("rank_change"))
            .select("rank", "unit_code", "unit_name", "unit_kind", "plan_wan", "ytd_wan", "completion_rate", "gap_pts",
                    "prev_rank", "rank_change", "red", "yellow", "green"))


def load(period: dt.date, run: Runner | None = None) -> Briefing:
    """One month's briefing from the warehouse. `run(name, **params)` runs a named query
    (the page passes the cached ui.data.q; default queries.run)."""
    if run is None:
        import queries

        run = queries.run
    kdf = run("overview_kpis", period=period, unit=None, library=None)
    kpis = kdf.row(0, named=True) if kdf.height else {}
    ldf = run("overview_kpis", period=previous_month(period), unit=None, library=None)
    last_kpis = ldf.row(0, named=True) if ldf.height else {}
    curve = run("monthly_cumulative", period=period, unit=None, library=None)
    ranking = rank_units(run("by_unit", period=period, library=None),
                         run("by_unit", period=previous_month(period), library=None))
    red_key = run("briefing_red_key", period=period)
    problems = run("briefing_problems", period=period)
    b = Briefing(period, kpis, curve, ranking, red_key, problems, last_kpis)
    if b.has_data:
        b.sentences.extend(summary.draft(period, kpis, ranking, red_key, problems, last_kpis))
    return b


# ------------------------------------------------------------------ the view

def _em(ch: str) -> float:
    """Width of a character in em: CJK and full-width forms 1, the rest about half."""
    return 1.0 if ord(ch) > 0x2E80 else 0.55


def _cut(text, em: float) -> str:
    """Fixed-width cells: text longer than `em` (in character widths) is cut with 「…」, so every
    row keeps one line. Escaped: plotly reads tags in text, and text from data is not markup."""
    if text is None:
        return "—"
    s, used = str(text), 0.0
    if sum(_em(c) for c in s) <= em:
        return escape(s)
    out = []
    for c in s:
        if used + _em(c) > em - 1:
            break
        out.append(c)
        used += _em(c)
    return escape("".join(out) + "…")


_ZONE = re.compile(r"经济技术开发区$")


def short_unit(name) -> str:
    """「新荣经济技术开发区」 → 「新荣经开区」 for narrow cells (the usual short form)."""
    return _ZONE.sub("经开区", name) if name else "—"


# table columns of the view: (header, width in px); the two tables fill their half of the page
RED_COLUMNS = [("项目名称", 216), ("县区/开发区", 84), ("级别", 70), ("包联领导", 66), ("完成率", 60),
               ("判定依据", 184), ("较上月", 56)]
PROBLEM_COLUMNS = [("项目名称", 196), ("问题", 246), ("责任单位", 148), ("完成时限", 90), ("超期", 56)]


def _fit(columns: list[tuple[str, int]], header: str) -> float:
    """How many character widths fit in a column (12.5 px glyphs, 8 px padding each side)."""
    return (dict(columns)[header] - 16) / 12.5


def _x(px: float) -> float:
    return px / VIEW_W


def _y(px_from_top: float) -> float:
    return 1 - px_from_top / VIEW_H


def _text(fig: go.Figure, x: float, y: float, text: str, size: int = 13, color: str = INK,
          anchor: str = "left", yanchor: str = "top") -> None:
    fig.add_annotation(x=_x(x), y=_y(y), xref="paper", yref="paper", text=text, showarrow=False,
                       xanchor=anchor, yanchor=yanchor, align=anchor, font={"size": size, "color": color})


def _box(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, fill: str = TILE, line: str = "#e4e9f0") -> None:
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=_x(x0), x1=_x(x1), y0=_y(y1), y1=_y(y0),
                  fillcolor=fill, line={"color": line, "width": 1}, layer="below")


def tiles(b: Briefing) -> list[tuple[str, str, str, str]]:
    """The headline figures: (label, value, note, value colour)."""
    k, p = b.kpis, b.period
    return [
        (f"{p.year}年计划投资", yi(k.get("plan_wan")), f"年度建设项目{k.get('projects') or 0:,}个", INK),
        (f"{ytd_label(p)}累计完成投资", yi(k.get("ytd_wan")), f"{p.month}月当月完成{yi(k.get('month_wan'))}", INK),
        ("投资完成率", pct(k.get("completion_rate")),
         f"序时进度{pct(k.get('time_progress'))}，{gap_text(k.get('gap_pts')).replace('序时进度', '')}", INK),
        ("同比增长", growth(k.get("yoy_growth")), f"上年同期{yi(k.get('ytd_last_year_wan'))}", INK),
        ("红色重点工程", f"{k.get('key_red') or 0:,}个", f"重点工程{k.get('key_projects') or 0:,}个，本月新转红{b.turned_red:,}个",
         RED if k.get("key_red") else INK),
        ("超期未办结问题", f"{b.overdue.height:,}个", f"未办结问题共{b.problems.height:,}个", RED if b.overdue.height else INK),
    ]


def red_key_rows(b: Briefing, rows: int = RED_ROWS) -> dict[str, list[str]]:
    """The red key projects table as shown in the view (cut to fit, padded to `rows`)."""
    d = b.red_key.head(rows)
    cols = {
        "项目名称": [_cut(v, _fit(RED_COLUMNS, "项目名称")) for v in d["name"]],
        "县区/开发区": [_cut(short_unit(v), _fit(RED_COLUMNS, "县区/开发区")) for v in d["unit_name"]],
        "级别": [KEY_LEVEL.get(v, "—") for v in d["key_level"]],
        "包联领导": [_cut(v, _fit(RED_COLUMNS, "包联领导")) for v in d["leader"]],
        "完成率": [pct(v) for v in d["completion_rate"]],
        "判定依据": [_cut(v, _fit(RED_COLUMNS, "判定依据")) for v in d["status_reason"]],
        "较上月": ["新转红" if t else "持续红" for t in d["turned_red"]],
    }
    if d.height == 0:
        cols["项目名称"] = ["本月没有红色重点工程"]
        for c in list(cols)[1:]:
            cols[c] = [""]
    return _pad(cols, rows)


def overdue_rows(b: Briefing, rows: int = PROBLEM_ROWS) -> dict[str, list[str]]:
    """The overdue problems table as shown in the view (cut to fit, padded to `rows`)."""
    d = b.overdue.head(rows)
    cols = {
        "项目名称": [_cut(v, _fit(PROBLEM_COLUMNS, "项目名称")) for v in d["project_name"]],
        "问题": [_cut(v, _fit(PROBLEM_COLUMNS, "问题")) for v in d["description"]],
        "责任单位": [_cut(v, _fit(PROBLEM_COLUMNS, "责任单位")) for v in d["responsible_unit"]],
        "完成时限": [f"{v:%Y-%m-%d}" if v else "—" for v in d["deadline"]],
        "超期": [f"{v}天" for v in d["days_overdue"]],
    }
    if d.height == 0:
        cols["项目名称"] = ["本月没有超过完成时限的问题"]
        for c in list(cols)[1:]:
            cols[c] = [""]
    return _pad(cols, rows)


def _pad(cols: dict[str, list[str]], rows: int) -> dict[str, list[str]]:
    return {c: v + [""] * (rows - len(v)) for c, v in cols.items()}


def _table(fig: go.Figure, cols: dict[str, list[str]], widths: list[int], x0: float, y0: float, x1: float,
           y1: float, colors: dict[str, list[str]] | None = None) -> None:
    """A table trace in a fixed box; `colors`: text colour per cell for some columns."""
    n = len(next(iter(cols.values())))
    fill = [["white" if i % 2 == 0 else "#f8fafc" for i in range(n)]] * len(cols)
    colors = [(colors or {}).get(c, [INK] * n) for c in cols]
    fig.add_trace(go.Table(
        domain={"x": [_x(x0), _x(x1)], "y": [_y(y1), _y(y0)]},
        columnwidth=widths,
        header={"values": [f"<b>{c}</b>" for c in cols], "fill_color": HEAD, "line_color": "#d9e2ec",
                "align": "left", "height": 28, "font": {"size": 13, "color": INK, "family": FONT}},
        cells={"values": list(cols.values()), "fill_color": fill, "line_color": "#e4e9f0", "align": "left",
               "height": 27, "font": {"size": 12.5, "color": colors, "family": FONT}},
    ))


def view_figure(b: Briefing) -> go.Figure:
    """The briefing on one 16:9 page: title and data date, headline figures, the investment
    curve, the county ranking, the red key projects and the overdue problems."""
    p, k = b.period, b.kpis
    fig = go.Figure()
    pad, gap = 24, 16
    mid = VIEW_W / 2

    # title band
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=0, x1=1, y0=_y(60), y1=1, fillcolor=BLUE,
                  line={"width": 0}, layer="below")
    _text(fig, pad, 30, f"<b>{APP_TITLE} · 周报</b>　{period_label(p)}", 24, "white", yanchor="middle")
    _text(fig, VIEW_W - pad, 30, f"<b>{b.data_date}</b>", 16, "white", anchor="right", yanchor="middle")

    # headline figures
    top, h = 72, 96
    n = 6
    w = (VIEW_W - 2 * pad - (n - 1) * 12) / n
    for i, (label, value, note, color) in enumerate(tiles(b)):
        x0 = pad + i * (w + 12)
        _box(fig, x0, top, x0 + w, top + h)
        _text(fig, x0 + 14, top + 10, label, 13, MUTED)
        _text(fig, x0 + 14, top + 32, f"<b>{value}</b>", 25, color)
        _text(fig, x0 + 14, top + 70, note, 12, MUTED)

    # investment curve (left) and county ranking (right)
    c_top, c_bot = 188, 512
    _text(fig, pad, c_top, f"<b>{p.year}年全市固定资产投资累计完成情况</b>（亿元）", 15)
    _text(fig, mid + gap / 2, c_top, f"<b>各县区、开发区年度投资完成率排名</b>（{ytd_label(p)}，括号内为较上月排名变化）", 15)
    months = [f"{m}月" for m in b.curve["month"]]
    fig.add_scatter(x=months, y=(b.curve["schedule_wan"] / 10000).to_list(), name="序时进度", mode="lines",
                    line={"color": GREY, "dash": "dash", "width": 2}, xaxis="x", yaxis="y",
                    hovertemplate="%{x} 序时进度 %{y:,.2f}亿元<extra></extra>")
    fig.add_scatter(x=months, y=(b.curve["ytd_last_year_wan"] / 10000).to_list(), name=f"{p.year - 1}年",
                    mode="lines+markers", line={"color": ORANGE, "width": 2}, marker={"size": 5}, xaxis="x", yaxis="y",
                    hovertemplate="%{x} 上年累计 %{y:,.2f}亿元<extra></extra>")
    ytd = (b.curve["ytd_wan"] / 10000).to_list()
    fig.add_scatter(x=months, y=ytd, name=f"{p.year}年", mode="lines+markers", line={"color": BLUE, "width": 3},
                    marker={"size": 7}, xaxis="x", yaxis="y",
                    hovertemplate="%{x} 本年累计 %{y:,.2f}亿元<extra></extra>")
    if p.month - 1 < len(ytd) and ytd[p.month - 1] is not None:
        fig.add_annotation(x=months[p.month - 1], y=ytd[p.month - 1], xref="x", yref="y",
                           text=f"<b>{yi(k.get('ytd_wan'))}</b>", showarrow=True, arrowhead=0, ax=0, ay=-26,
                           font={"size": 13, "color": BLUE}, bgcolor="white")

    r = b.ranking
    tp = (k.get("time_progress") or 0) * 100
    rates = (r["completion_rate"] * 100).to_list()
    labels = [f"{rk}. {escape(name)}" for rk, name in zip(r["rank"], r["unit_name"])]
    bar_colors = [RED if tp - v > RED_GAP_PTS else STATUS_COLOR["yellow"] if tp - v > 10 else BLUE for v in rates]
    fig.add_bar(y=labels, x=rates, orientation="h", xaxis="x2", yaxis="y2", marker_color=bar_colors, showlegend=False,
                text=[f"{v:.1f}%（{rank_change(c)}）" for v, c in zip(rates, r["rank_change"])],
                textposition="outside", cliponaxis=False, textfont={"size": 12},
                customdata=list(zip((r["ytd_wan"] / 10000).to_list(), (r["plan_wan"] / 10000).to_list())),
                hovertemplate="%{y}<br>完成率 %{x:.1f}%<br>年累计 %{customdata[0]:,.2f}亿元 / "
                              "计划 %{customdata[1]:,.2f}亿元<extra></extra>")
    fig.add_shape(type="line", xref="x2", yref="y2 domain", x0=tp, x1=tp, y0=0, y1=1,
                  line={"color": GREY, "dash": "dash", "width": 1.5})
    fig.add_annotation(x=tp, y=1, xref="x2", yref="y2 domain", text=f"序时进度 {tp:.1f}%", showarrow=False,
                       yanchor="bottom", font={"size": 12, "color": MUTED})

    plot_top, plot_bot = c_top + 44, c_bot - 26
    fig.update_layout(
        xaxis={"domain": [_x(pad + 44), _x(mid - gap / 2)], "anchor": "y", "showgrid": False, "linecolor": LINE,
               "tickfont": {"size": 12}, "automargin": False},
        yaxis={"domain": [_y(plot_bot), _y(plot_top)], "anchor": "x", "rangemode": "tozero", "gridcolor": "#eef1f4",
               "tickfont": {"size": 12}, "ticksuffix": " ", "automargin": False},
        xaxis2={"domain": [_x(mid + gap / 2 + 150), _x(VIEW_W - pad - 90)], "anchor": "y2", "showgrid": True,
                "gridcolor": "#eef1f4", "range": [0, max(rates + [tp, 1]) * 1.02], "ticksuffix": "%",
                "tickfont": {"size": 11, "color": MUTED}, "zeroline": False, "automargin": False},
        yaxis2={"domain": [_y(plot_bot + 8), _y(plot_top)], "anchor": "x2", "autorange": "reversed",
                "tickfont": {"size": 12.5}, "ticksuffix": " ", "automargin": False},
        legend={"x": _x(mid - gap / 2), "xanchor": "right", "y": _y(c_top - 2), "yanchor": "top",
                "orientation": "h", "font": {"size": 12}, "bgcolor": "rgba(0,0,0,0)"},
    )
    if r.height == 0:
        _text(fig, mid + VIEW_W / 4, (plot_top + plot_bot) / 2, "本月没有可排名的县区", 14, MUTED, anchor="center")

    # red key projects (left) and overdue problems (right)
    t_top, t_bot = 528, 808
    n_red, n_ovd = b.red_key.height, b.overdue.height
    more_red = f"，列前{RED_ROWS:,}个" if n_red > RED_ROWS else ""
    more_ovd = f"，列前{PROBLEM_ROWS:,}个" if n_ovd > PROBLEM_ROWS else ""
    _text(fig, pad, t_top, f"<b>红色重点工程</b>（共{n_red:,}个，按落后程度排序{more_red}）", 15)
    _text(fig, mid + gap / 2, t_top, f"<b>超过完成时限未办结的问题</b>（共{n_ovd:,}个，按超期天数排序{more_ovd}）", 15)
    red_rows = red_key_rows(b)
    _table(fig, red_rows, [w for _, w in RED_COLUMNS], pad, t_top + 28, mid - gap / 2, t_bot,
           colors={"较上月": [RED if v == "新转红" else MUTED for v in red_rows["较上月"]]})
    _table(fig, overdue_rows(b), [w for _, w in PROBLEM_COLUMNS], mid + gap / 2, t_top + 28, VIEW_W - pad, t_bot,
           colors={"超期": [RED] * PROBLEM_ROWS})

    # footer: the rule and the units, so the page stands alone
    fig.add_shape(type="line", xref="paper", yref="paper", x0=_x(pad), x1=_x(VIEW_W - pad), y0=_y(822), y1=_y(822),
                  line={"color": "#e4e9f0", "width": 1})
    _text(fig, pad, 832, f"红黄绿判定：年累计完成率落后序时进度{RED_GAP_PTS:,}个百分点以上，或计划开工已过"
                         f"{RED_LATE_START_MONTHS:,}个月仍未开工为红色；落后10～{RED_GAP_PTS:,}个百分点为黄色。"
                         "序时进度＝当月月数÷12。金额单位：亿元。", 11.5, MUTED)
    _text(fig, VIEW_W - pad, 832, f"来源：各县区、开发区月度报表 · {b.data_date}", 11.5, MUTED, anchor="right")

    fig.update_layout(
        width=VIEW_W, height=VIEW_H, autosize=False, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="white", plot_bgcolor="white", separators=".,",
        font={"family": FONT, "size": 13, "color": INK}, hoverlabel={"font": {"family": FONT}},
    )
    return fig


def view_svg(b: Briefing) -> str:
    """The view as inline SVG that scales with its container (same drawing as the pack's page).

    Rendered server-side by kaleido; text stays text, so it is sharp at any size."""
    svg = render_images([Image("view.svg", view_figure(b), VIEW_W, VIEW_H, 1, "svg")])["view.svg"].decode("utf-8")
    head_end = svg.index(">")
    head = re.sub(r'\s(width|height|style)="[^"]*"', "", svg[:head_end])
    if "viewBox" not in head:
        head += f' viewBox="0 0 {VIEW_W} {VIEW_H}"'
    head += (f' width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="周报（{period_label(b.period)}）"'
             ' style="display:block;height:auto;"')
    # shown through st.markdown: the text plotly drew (names from the data, decoded) is made
    # inert again, and no blank line may end the HTML block
    body = _SVG_TEXT.sub(lambda m: m.group(1) + escape(html.unescape(m.group(2))), svg[head_end:])
    return head + re.sub(r"\n\s*\n", "\n", body)


_SVG_TEXT = re.compile(r"(<(?:text|tspan)\b[^>]*>)([^<]+)")


_warm_lock = threading.Lock()
_warm_thread: threading.Thread | None = None


def warm_renderer() -> threading.Thread | None:
    """Start kaleido's browser in the background, once per server process, so the first reader
    of the 周报 does not wait for Chromium to start (≈ 2–4 s); later calls return at once. None
    when switched off (COCKPIT_WARM_RENDERER=0)."""
    global _warm_thread
    if not config.warm_renderer():
        return None
    with _warm_lock:
        if _warm_thread is None:
            fig = go.Figure(go.Bar(x=["甲"], y=[1]), layout={"font": {"family": FONT}})

            def warm():
                try:
                    render_images([Image("warm.svg", fig, 160, 90, 1, "svg")])
                except Exception:  # noqa: BLE001 - no browser here: the first briefing starts one itself
                    pass

            _warm_thread = threading.Thread(target=warm, name="kaleido-warm-up", daemon=True)
            _warm_thread.start()
        return _warm_thread


def view_png(b: Briefing) -> bytes:
    """The view as a PNG at 2× (the pack's page)."""
    return render_images([Image("view.png", view_figure(b), VIEW_W, VIEW_H, VIEW_SCALE)])["view.png"]


# ------------------------------------------------------------------ charts, tables, pack

def charts(b: Briefing) -> list[tuple[str, go.Figure]]:
    """The briefing's charts on their own, each with its title, unit and data date: (name, figure)."""
    p = b.period
    sub = f"{period_label(p)} · 全市 · 全部年度项目 · {b.data_date}"
    ranked = b.ranking.with_columns(
        pl.format("{}. {}", pl.col("rank"), pl.col("unit_name")).alias("unit_name"))
    k = b.kpis
    return [
        (f"投资累计完成_全市_{period_slug(p)}",
         figures.cumulative_chart(b.curve, f"全市{p.year}年固定资产投资累计完成情况（亿元）", sub, p.year)),
        (f"投资完成率排名_县区_{period_slug(p)}",
         figures.unit_bars(ranked, f"各县区、开发区年度投资完成率排名（{ytd_label(p)}）", sub, k.get("time_progress") or 0)),
        (f"重点工程红黄绿_{period_slug(p)}",
         figures.status_donut({"red": k.get("key_red") or 0, "yellow": k.get("key_yellow") or 0,
                               "green": k.get("key_green") or 0}, "重点工程红黄绿", sub)),
    ]


def headline_table(b: Briefing) -> pl.DataFrame:
    """The headline figures as one row of numbers (units in the headers), for the xlsx."""
    k, last = b.kpis, b.last_kpis
    row = {
        "年度计划投资（万元）": k.get("plan_wan"),
        "年累计完成投资（万元）": k.get("ytd_wan"),
        "本月完成投资（万元）": k.get("month_wan"),
        "完成率": k.get("completion_rate"),
        "序时进度": k.get("time_progress"),
        "落后序时进度（个百分点）": None if k.get("gap_pts") is None else round(k["gap_pts"], 1),
        "上年同期累计完成投资（万元）": k.get("ytd_last_year_wan"),
        "同比增长": k.get("yoy_growth"),
        "年度建设项目（个）": k.get("projects"),
        "重点工程（个）": k.get("key_projects"),
        "红色重点工程（个）": k.get("key_red"),
        "上月红色重点工程（个）": last.get("key_red") if last.get("projects") else None,
        "本月新转红（个）": b.turned_red,
        "未办结问题（个）": b.problems.height,
        "超期未办结问题（个）": b.overdue.height,
    }
    floats = {c for c in row if "万元" in c or c in ("完成率", "序时进度", "同比增长") or "百分点" in c}
    for c in row:
        if "万元" in c and row[c] is not None:
            row[c] = round(row[c], 2)
    return pl.DataFrame([row], schema={c: pl.Float64 if c in floats else pl.Int64 for c in row})


def ranking_table(b: Briefing) -> pl.DataFrame:
    r = b.ranking
    return r.select(
        pl.col("rank").alias("排名"),
        pl.col("unit_name").alias("县区/开发区"),
        pl.col("plan_wan").round(2).alias("年度计划投资（万元）"),
        pl.col("ytd_wan").round(2).alias("年累计完成投资（万元）"),
        pl.col("completion_rate").alias("完成率"),
        pl.col("gap_pts").round(1).alias("落后序时进度（个百分点）"),
        pl.col("prev_rank").alias("上月排名"),
        pl.col("rank_change").alias("排名变化（位，正数为上升）"),
        pl.col("red").alias("红色项目（个）"),
    )


def red_key_table(b: Briefing) -> pl.DataFrame:
    d = b.red_key
    return pl.DataFrame({
        "项目代码": d["project_code"],
        "项目名称": d["name"],
        "县区/开发区": d["unit_name"],
        "重点工程级别": [KEY_LEVEL.get(v, v) for v in d["key_level"]],
        "包联领导": d["leader"],
        "责任单位": d["responsible_unit"],
        "年度计划投资（万元）": d["annual_plan_wan"],
        "年累计完成投资（万元）": d["completed_ytd_wan"],
        "完成率": d["completion_rate"],
        "落后序时进度（个百分点）": d["gap_pts"],
        "判定依据": d["status_reason"],
        "较上月": ["新转红" if t else "持续红" for t in d["turned_red"]],
    }, schema_overrides={"包联领导": pl.String, "责任单位": pl.String, "完成率": pl.Float64,
                         "落后序时进度（个百分点）": pl.Float64, "年度计划投资（万元）": pl.Float64,
                         "年累计完成投资（万元）": pl.Float64})


def overdue_table(b: Briefing) -> pl.DataFrame:
    d = b.overdue
    return pl.DataFrame({
        "问题编号": d["problem_id"],
        "项目名称": d["project_name"],
        "县区/开发区": d["unit_name"],
        "问题类型": d["problem_type"],
        "问题描述": d["description"],
        "责任单位": d["responsible_unit"],
        "责任领导": d["resp_leader"],
        "发现时间": d["found_date"],
        "完成时限": d["deadline"],
        "超期天数（天）": d["days_overdue"],
    }, schema_overrides={"责任领导": pl.String, "发现时间": pl.Date, "完成时限": pl.Date, "超期天数（天）": pl.Int64})


def curve_table(b: Briefing) -> pl.DataFrame:
    c = b.curve
    return c.select(
        pl.format("{}月", pl.col("month")).alias("月份"),
        pl.col("ytd_wan").round(2).alias(f"{b.period.year}年累计完成投资（万元）"),
        pl.col("ytd_last_year_wan").round(2).alias(f"{b.period.year - 1}年累计完成投资（万元）"),
        pl.col("schedule_wan").round(2).alias("序时进度投资（万元）"),
    )


def sheets(b: Briefing) -> list[tuple[str, pl.DataFrame, str, str]]:
    """The briefing's tables for one xlsx: (sheet, frame, title, subtitle with filters and data date)."""
    p = b.period
    sub = f"{period_label(p)} · 全市 · 全部年度项目 · {b.data_date}"
    return [
        ("核心指标", headline_table(b), f"周报核心指标（{period_label(p)}）", sub),
        ("县区排名", ranking_table(b), f"各县区、开发区年度投资完成率排名（{ytd_label(p)}）", sub),
        ("红色重点工程", red_key_table(b), f"红色重点工程（{period_label(p)}）", f"{period_label(p)} · 全市 · 重点工程 · {b.data_date}"),
        ("超期问题", overdue_table(b), f"超过完成时限未办结的问题（{period_label(p)}）", f"{period_label(p)} · 全市 · 问题清单 · {b.data_date}"),
        ("投资累计", curve_table(b), f"全市{p.year}年固定资产投资逐月累计完成情况", sub),
        ("数据分析", summary.as_table(b.sentences), f"数据分析（{period_label(p)}）：每句话的数据依据", sub),
    ]


def pack_files(b: Briefing) -> dict[str, bytes]:
    """Every file of the pack, name → bytes (charts and the page rendered in one kaleido batch)."""
    slug = period_slug(b.period)
    view = view_figure(b)
    images = [Image(f"周报_{slug}.png", view, VIEW_W, VIEW_H, VIEW_SCALE),
              Image(f"周报_{slug}.pdf", view, VIEW_W, VIEW_H, 1, "pdf")]
    images += [Image(f"{name}.png", fig) for name, fig in charts(b)]
    files = render_images(images)
    files[f"周报数据_{slug}.xlsx"] = tables_xlsx(sheets(b))
    files[f"数据分析_{slug}.txt"] = summary.as_text(b.period, b.sentences, b.data_date).encode("utf-8-sig")
    return files


def pack_zip(b: Briefing) -> bytes:
    return zip_bytes(pack_files(b))


def write_pack(b: Briefing, out: Path, with_zip: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = pack_files(b)
    if with_zip:
        files[f"周报_{period_slug(b.period)}.zip"] = zip_bytes(files)
    written = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def _period(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"期间应写作 2026-10：{text}") from None


def available_period(asked: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The month a command line run works on (`asked`, or else the latest) and, when the
    warehouse or that month has no data, the message saying so."""
    import queries
    from etl.warehouse import upgrade

    if queries.state_name() is None:
        return None, "数据仓库尚未建立（COCKPIT_DB）"
    upgrade()  # a warehouse an earlier version built gets this version's relations, as the server does
    periods = queries.run("periods")["period"].to_list()
    period = asked or (periods[0] if periods else None)
    if period not in periods:
        return None, (f"没有{period_label(period) if period else '任何'}的数据；"
                      f"可选：{', '.join(f'{p:%Y-%m}' for p in periods)}")
    return period, None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ui.briefing", description="生成周报包（图表PNG、周报单页PNG/PDF、表格xlsx、数据分析）")
    ap.add_argument("--period", type=_period, help="数据期间，如 2026-10（默认最新月份）")
    ap.add_argument("--out", type=Path, required=True, help="输出目录")
    ap.add_argument("--zip", action="store_true", help="另打包为一个 zip 文件")
    a = ap.parse_args(argv)

    period, error = available_period(a.period)
    if error:
        print(error, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    b = load(period)
    written = write_pack(b, a.out, a.zip)
    for path in written:
        print(f"{path}  {path.stat().st_size / 1024:,.0f} KB")
    print(f"周报包（{period_label(period)}）已生成：{len(written):,}个文件，用时{time.perf_counter() - t0:.1f}秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
