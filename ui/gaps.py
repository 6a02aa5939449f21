"""Figures that say what they lack: senders that reported last month and not this month
(「10月缺市住房和城乡建设局报表：上月5个项目，年度计划19.93亿元」), and the rows of the month
held back for checking (待核实). Every page whose figures include projects calls
`gaps_notice(period, unit)` in one line under its title."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from ui.format import escape
from ui.data import q
from ui.format import yi

NOT_COMPARABLE = "（不可比：缺报）"


def missing_lines(missing: pl.DataFrame, period: dt.date) -> list[str]:
    """One line per missing sender (the missing_senders query), largest plan first."""
    return [f"{period.month}月缺{r['sender']}报表：上月{r['projects']:,}个项目，年度计划{yi(r['plan_wan'])}"
            for r in missing.iter_rows(named=True)]


def missing_text(missing: pl.DataFrame, period: dt.date) -> str | None:
    """The whole notice, or None when every sender of last month has reported."""
    lines = missing_lines(missing, period)
    if not lines:
        return None
    return ("；".join(lines) + "。本月数字不含这些项目，与上月、上年同期的比较不是同口径。")


def held_text(held: dict, period: dt.date) -> str | None:
    """「2026年10月有12行待核实（未通过检查，未计入），年度计划3.45亿元」 or None."""
    if not held or not held.get("rows_held"):
        return None
    plan = f"，涉及年度计划{yi(held['plan_wan'])}" if held.get("plan_wan") else ""
    return (f"{period.year}年{period.month}月有{held['rows_held']}行报表数据待核实（未通过检查，未计入上面的数字）"
            f"{plan}；明细见「数据管理」")


def comparable_suffix(missing: pl.DataFrame) -> str:
    """Appended to a month-on-month or year-on-year figure when a sender is missing."""
    return NOT_COMPARABLE if missing.height else ""


def gaps_notice(period: dt.date, unit: str | None, held: bool = False) -> pl.DataFrame:
    """Draw the missing-sender notice (and, with `held`, the 待核实 line) for the figures of
    `unit` (None: the whole city) at `period`; returns the missing senders for the page to
    mark its comparisons with `comparable_suffix`."""
    missing = q("missing_senders", period=period, unit=unit)
    if text := missing_text(missing, period):
        st.warning(escape(text), icon=":material/report:")
    if held:
        summary = q("quarantine_summary", period=period, unit=unit)
        if text := held_text(summary.row(0, named=True) if summary.height else {}, period):
            st.info(escape(text), icon=":material/pending_actions:")
    return missing


def unreported_table(df: pl.DataFrame) -> pl.DataFrame:
    """The progress_unreported query for a table: 本月未报 projects with last month's figures."""
    from ui.labels import LIBRARY_LONG

    return df.select(
        pl.col("project_code").alias("项目代码"),
        pl.col("name").alias("项目名称"),
        pl.col("unit_name").alias("县区/开发区"),
        pl.col("sender").alias("报送单位"),
        pl.col("library").replace_strict(LIBRARY_LONG, default="—").alias("类别"),
        pl.when(pl.col("sender_reported")).then(pl.lit("本月报表中没有该项目"))
        .otherwise(pl.lit("报送单位本月未报")).alias("未报原因"),
        (pl.col("annual_plan_wan") / 10000).round(2).alias("年度计划（亿元）"),
        (pl.col("completed_ytd_wan") / 10000).round(2).alias("上月年累计完成（亿元）"),
        pl.col("progress_text").fill_null("").alias("上月形象进度"),
    )
