"""Figure builders: pure functions, data frame in, plotly Figure out.

Every figure carries its own title, unit and data date, so an exported PNG stands alone.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ui.format import escape
from ui.labels import STATUS, STATUS_COLOR
from ui.memo import memo

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
BLUE, GREY, ORANGE, INK = "#1f5fa8", "#9aa5b1", "#e07b00", "#1f2933"


SUBTITLE_CHARS = 26  # about what a 360 px phone chart shows on one line at 12 px


def wrap_subtitle(subtitle: str, width: int = SUBTITLE_CHARS) -> list[str]:
    """A chart's subtitle in lines of about `width` characters, broken at 「 · 」 (plotly does
    not wrap: a long one was cut at the right edge on a phone)."""
    lines: list[str] = []
    for part in subtitle.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines or [""]


def _layout(fig: go.Figure, title: str, subtitle: str, height: int = 420) -> go.Figure:
    lines = wrap_subtitle(subtitle)
    extra = 16 * (len(lines) - 1)
    # titles carry names from the data: plotly reads <a>, <b>, <br> in any text
    sub = "<br>".join(f"<span style='font-size:12px;color:#52606d'>{escape(line)}</span>" for line in lines)
    fig.update_layout(
        title={"text": f"<b>{escape(title)}</b><br>{sub}",
               "x": 0.01, "xanchor": "left", "y": 1 - 16 / (height + extra), "yanchor": "top"},
        font={"family": FONT, "size": 13, "color": INK},
        height=height + extra,
        margin={"l": 60, "r": 20, "t": 78 + extra, "b": 80},
        paper_bgcolor="white",
        plot_bgcolor="white",
        # below the plot, a fixed 56 px under it (a fraction of a tall chart put it far below the
        # bars); at the top it collides with the subtitle on a phone. Traces in the order drawn.
        legend={"orientation": "h", "yanchor": "top", "y": -56 / max(height - 158, 100),
                "xanchor": "left", "x": 0, "traceorder": "normal"},
        hoverlabel={"font": {"family": FONT}},
        separators=".,",
    )
    fig.update_xaxes(showgrid=False, linecolor="#cbd2d9")
    fig.update_yaxes(gridcolor="#eef1f4", zerolinecolor="#cbd2d9")
    return fig


def month_axis(fig: go.Figure, months: list) -> go.Figure:
    """The x axis of a series by month (first days of months): 「10月」 under each tick and the
    year under the first and wherever it changes (plotly shows the line after 「\\n」 only when it
    differs from the tick before), 「2026年10月」 on hover. Plotly thins the ticks of a long
    series on a narrow phone; one spanning half a year or less gets exactly one tick a month
    (plotly's own choice put two ticks in a month, 「9月 9月」). Every chart by month goes through here."""
    fig.update_xaxes(type="date", tickformat="%-m月\n%Y年", hoverformat="%Y年%-m月", tickangle=0)
    if months:
        first, last = min(months), max(months)
        if (last.year - first.year) * 12 + last.month - first.month < 6:
            fig.update_xaxes(dtick="M1", tick0=first)
    return fig


def count_axis(fig: go.Figure, top: float, axis: str = "x") -> go.Figure:
    """An axis of counts (个): whole numbers only (「0 0.5 1 1.5」 for two problems), one tick per
    unit while the largest count is small."""
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(tickformat=",d", dtick=1 if top <= 10 else None)
    return fig


@memo
def cumulative_chart(df: pl.DataFrame, title: str, subtitle: str, current_year: int) -> go.Figure:
    """Year-to-date completion by month vs 序时进度 and last year, in 亿元.

    df: month, schedule_wan, ytd_wan, ytd_last_year_wan.
    """
    months = df["month"].to_list()  # a number axis: plotly thins the ticks on a narrow phone
    fig = go.Figure()
    fig.add_scatter(x=months, y=(df["schedule_wan"] / 10000).to_list(), name="序时进度（年度计划×月数/12）",
                    mode="lines", line={"color": GREY, "dash": "dash", "width": 2},
                    hovertemplate="%{x}月 序时进度 %{y:,.2f}亿元<extra></extra>")
    fig.add_scatter(x=months, y=(df["ytd_last_year_wan"] / 10000).to_list(), name=f"{current_year - 1}年累计完成",
                    mode="lines+markers", line={"color": ORANGE, "width": 2}, marker={"size": 5},
                    hovertemplate="%{x}月 上年累计 %{y:,.2f}亿元<extra></extra>")
    fig.add_scatter(x=months, y=(df["ytd_wan"] / 10000).to_list(), name=f"{current_year}年累计完成",
                    mode="lines+markers", line={"color": BLUE, "width": 3}, marker={"size": 7},
                    hovertemplate="%{x}月 本年累计 %{y:,.2f}亿元<extra></extra>")
    fig.update_yaxes(title_text="亿元", rangemode="tozero")
    fig.update_xaxes(range=[0.6, 12.4], tickmode="linear", dtick=1, tickangle=0)
    return _layout(fig, title, subtitle)


@memo
def unit_bars(df: pl.DataFrame, title: str, subtitle: str, time_progress: float) -> go.Figure:
    """Completion rate by county/zone as horizontal bars with the 序时进度 line.

    df: unit_name, completion_rate, ytd_wan, plan_wan (in display order, top first).
    """
    d = df.filter(pl.col("plan_wan") > 0)
    rates = (d["completion_rate"] * 100).to_list()
    colors = [STATUS_COLOR["red"] if (time_progress * 100 - r) > 30 else STATUS_COLOR["yellow"]
              if (time_progress * 100 - r) > 10 else BLUE for r in rates]
    custom = list(zip((d["ytd_wan"] / 10000).to_list(), (d["plan_wan"] / 10000).to_list()))
    top = max(rates + [time_progress * 100]) * 1.05
    fig = go.Figure(go.Bar(
        y=d["unit_name"].to_list(), x=rates, orientation="h", marker_color=colors, customdata=custom,
        hovertemplate="%{y}<br>完成率 %{x:.1f}%<br>年累计 %{customdata[0]:,.2f}亿元 / 计划 %{customdata[1]:,.2f}亿元"
                      "<extra></extra>"))
    # the values in a column in the right margin: beside each bar they sat on the dashed 序时进度
    # line, and inside the plot the longest bar ran under them on a phone
    for name, r in zip(d["unit_name"].to_list(), rates):
        fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=6, y=name, yref="y", text=f"{r:.1f}%",
                           showarrow=False, font={"size": 12})
    fig.add_vline(x=time_progress * 100, line_dash="dash", line_color=GREY, layer="below",
                  annotation_text=f"序时进度 {time_progress * 100:.1f}%", annotation_position="top")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="年度投资完成率（%）", range=[0, top])
    fig.update_layout(showlegend=False)
    fig = _layout(fig, title, subtitle, height=max(360, 34 * d.height + 130))
    return fig.update_layout(margin_r=62)


@memo
def status_donut(counts: dict[str, int], title: str, subtitle: str) -> go.Figure:
    """Key projects by red/yellow/green."""
    keys = ["red", "yellow", "green"]
    fig = go.Figure(go.Pie(
        labels=[STATUS[k] for k in keys], values=[counts.get(k, 0) for k in keys], hole=0.6, sort=False,
        marker={"colors": [STATUS_COLOR[k] for k in keys]}, textinfo="label+value", insidetextorientation="horizontal",
        hovertemplate="%{label}：%{value}个（%{percent}）<extra></extra>"))
    total = sum(counts.get(k, 0) for k in keys)
    fig.add_annotation(text=f"<b>{total}</b><br>个", showarrow=False, font={"size": 18})
    fig.update_layout(showlegend=False)
    return _layout(fig, title, subtitle, height=340)
