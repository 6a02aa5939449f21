"""Cached access to the warehouse for pages. Results are keyed on the query, its parameters
and the warehouse state, so a new load shows on the next rerun and users never share a
result computed for other parameters."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

import queries
from etl import config


@st.cache_data(max_entries=2000, show_spinner=False)
def _run_cached(name: str, state: str, params: tuple) -> pl.DataFrame:
    return queries.run(name, **dict(params))


def q(name: str, **params) -> pl.DataFrame:
    """Run a named query (cached)."""
    state = queries.state_name()
    if state is None:
        ensure_data()
        state = queries.state_name()
    return _run_cached(name, state, tuple(sorted(params.items())))


def has_data() -> bool:
    return queries.state_name() is not None


def ensure_data() -> None:
    """On first start, build the warehouse from the bundled sample, showing progress."""
    if has_data():
        return
    from etl.bootstrap import ensure_warehouse

    box = st.status("首次启动：正在用示例数据建立数据仓库……", expanded=True)
    bar = box.progress(0.0, text="准备中")
    names = {"generate": "生成示例报表", "read": "检查报表", "load": "写入数据仓库"}

    def progress(stage, done, total):
        bar.progress(min(done / max(total, 1), 1.0), text=f"{names.get(stage, stage)}：{done}/{total}")

    ensure_warehouse(config.db_path(), progress=progress)
    box.update(label="数据仓库已建立", state="complete", expanded=False)


def periods() -> list[dt.date]:
    return q("periods")["period"].to_list()


def status() -> dict:
    df = q("data_status")
    return df.to_dicts()[0] if df.height else {}


def units() -> pl.DataFrame:
    return q("units")


def state() -> str | None:
    """The current warehouse state's name: a cache key for anything drawn from the data."""
    return queries.state_name()
