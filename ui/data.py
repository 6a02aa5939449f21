"""Cached access to the warehouse for pages. Results are keyed on the query, its parameters,
the warehouse state and the signed-in user's scope, so a new load shows on the next rerun
and users never share a result computed for other parameters or for another unit."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from pathlib import Path

import polars as pl
import streamlit as st

import queries
from etl import config
from queries.scope import Scope


@st.cache_data(max_entries=2000, show_spinner=False)
def _run_cached(name: str, state: str, scope: Scope, params: tuple) -> pl.DataFrame:
    return queries.run(name, scope=scope, **dict(params))


def q(name: str, **params) -> pl.DataFrame:
    """Run a named query (cached) for the signed-in user; nothing runs for a visitor."""
    from ui import auth

    user = auth.current_user()
    if user is None:
        st.info("请先登录")
        st.stop()
    state = queries.state_name()
    if state is None:
        ensure_data()
        state = queries.state_name()
    return _run_cached(name, state, user.scope, tuple(sorted(params.items())))


def has_data() -> bool:
    return queries.state_name() is not None


_bootstrap_lock = threading.Lock()


@st.cache_resource(show_spinner="正在升级数据仓库……")
def _upgraded(db: str) -> bool:
    """Once per process and warehouse: add the columns this version reads to a warehouse an
    earlier version built (etl.warehouse.upgrade)."""
    from etl.warehouse import upgrade

    return upgrade(Path(db)) is not None


# the three stages of a first start share one bar: generating the months' files, checking them, loading
STAGES = {"generate": (0, "第1步（共3步）：生成示例报表", "个月"),
          "read": (1, "第2步（共3步）：检查报表", "个文件"),
          "load": (2, "第3步（共3步）：写入数据仓库并汇总", "个文件")}


def progress_text(stage: str, done: int, total: int) -> tuple[float, str]:
    """Where the first start's bar stands (0–1 over the three stages) and what it says."""
    step, text, unit = STAGES.get(stage, (2, stage, ""))
    share = min(done / max(total, 1), 1.0)
    return min((step + share) / 3, 1.0), f"{text}：{done}/{total}{unit}"


def ensure_data() -> None:
    """On first start, build the warehouse from the bundled sample, showing progress.

    The build runs as its own process (`python -m etl bootstrap`), where generating and
    checking the sample use every core; sessions arriving meanwhile wait for the same build.
    A warehouse an earlier version built is upgraded once (etl.warehouse.upgrade)."""
    if has_data():
        _upgraded(str(config.db_path()))
        return
    box = st.status("首次启动：正在用示例数据建立数据仓库，约需1至2分钟……", expanded=True)
    bar = box.progress(0.0, text="准备示例数据")
    with _bootstrap_lock:
        if not has_data():
            cmd = [sys.executable, "-m", "etl", "bootstrap", "--db", str(config.db_path()), "--progress-lines"]
            proc = subprocess.Popen(cmd, cwd=config.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, encoding="utf-8")
            for line in proc.stdout:
                parts = line.split()
                if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                    share, text = progress_text(parts[0], int(parts[1]), int(parts[2]))
                    bar.progress(share, text=text)
            err = proc.stderr.read()
            if proc.wait() != 0 or not has_data():
                box.update(label="数据仓库建立失败", state="error", expanded=True)
                st.error("用示例数据建立数据仓库失败，请查看服务器日志。")
                st.code(err[-2000:] or "（没有输出）", language=None)
                st.stop()
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
