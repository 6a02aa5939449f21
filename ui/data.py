"""Cached access to the warehouse for pages. Results are keyed on the query, its parameters,
the warehouse state and the signed-in user's scope, so a new load shows on the next rerun
and users never share a result computed for other parameters or for another unit."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
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


def runner():
    """A query runner for work done after this script run — a document made when its download
    button is clicked runs outside the session: the signed-in user's scope is bound now, and it
    needs neither the session nor the cache."""
    from functools import partial

    from ui import auth

    user = auth.current_user()
    if user is None:
        st.info("请先登录")
        st.stop()
    return partial(queries.run, scope=user.scope)


def has_data() -> bool:
    return queries.state_name() is not None


@st.cache_resource(show_spinner="正在升级数据仓库……")
def _upgraded(db: str) -> bool:
    """Once per process and warehouse: add the columns this version reads to a warehouse an
    earlier version built (etl.warehouse.upgrade)."""
    from etl.warehouse import upgrade

    return upgrade(Path(db)) is not None


# the stages of a first start, on one bar: (step, of steps, text, unit counted)
STAGES = {
    # a sample generated now: the overview's months (this month, last month, last year's) first
    "early": (0, 2, "第1步（共2步）：生成并检查本月、上月和上年同月的示例报表", "个月"),
    "early_load": (1, 2, "第2步（共2步）：写入数据仓库并汇总", "个文件"),
    # then the history, in the background
    "history": (0, 3, "历史月份：生成示例报表", "个月"),
    "history_read": (1, 3, "历史月份：检查报表", "个文件"),
    "history_load": (2, 3, "历史月份：写入数据仓库并汇总", "个文件"),
    # a sample already there: checking its files, loading them
    "generate": (0, 3, "第1步（共3步）：生成示例报表", "个月"),
    "read": (1, 3, "第2步（共3步）：检查报表", "个文件"),
    "load": (2, 3, "第3步（共3步）：写入数据仓库并汇总", "个文件"),
}


def progress_text(stage: str, done: int, total: int) -> tuple[float, str]:
    """Where the first start's bar stands (0–1 over the stage's steps) and what it says."""
    step, steps, text, unit = STAGES.get(stage, (2, 3, stage, ""))
    share = min(done / max(total, 1), 1.0)
    return min((step + share) / steps, 1.0), f"{text}：{done:,}/{total:,}{unit}"


class FirstBuild:
    """The first start's build of the sample warehouse, shared by every session of the server:
    where its bar stands, whether the overview's months are in (`ready`), and how it ended."""

    def __init__(self):
        self.share, self.text = 0.0, "准备示例数据"
        self.ready = self.done = False
        self.error = None
        self.started = time.monotonic()


def _build(db: str, build: FirstBuild) -> None:
    cmd = [sys.executable, "-m", "etl", "bootstrap", "--db", db, "--progress-lines"]
    try:
        proc = subprocess.Popen(cmd, cwd=config.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8")
        for line in proc.stdout:
            parts = line.split()
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                if parts[0] == "ready":
                    build.ready = True
                    continue
                build.share, build.text = progress_text(parts[0], int(parts[1]), int(parts[2]))
        err = proc.stderr.read()
        if proc.wait() != 0 or not has_data():
            build.error = err[-2000:] or "（没有输出）"
    except OSError as e:
        build.error = str(e)
    finally:
        build.ready = build.done = True


@st.cache_resource(show_spinner=False)
def _first_build(db: str) -> FirstBuild:
    """Start building the warehouse in the background, once per server and warehouse path."""
    build = FirstBuild()
    threading.Thread(target=_build, args=(db, build), daemon=True, name="first-build").start()
    return build


def history_loading() -> bool:
    """True while a first start has loaded only the overview's months and the history is still
    being loaded (etl.bootstrap): figures that need earlier months say 「加载中」 or wait."""
    from etl.bootstrap import history_pending

    return history_pending(config.db_path()) is not None


def start_first_build() -> None:
    """On a server with no warehouse yet, start building it from the sample at once — at the
    first request, the sign-in page — so it is under way while the first user signs in (and
    resume a first start's history that a restart interrupted)."""
    if not has_data() or history_loading():
        _first_build(str(config.db_path()))


def _wait(build: FirstBuild, label: str, until) -> None:
    box = st.status(label, expanded=True)
    bar = box.progress(build.share, text=build.text)
    while not until():
        time.sleep(0.25)
        bar.progress(build.share, text=build.text)
    if build.error or not has_data():
        _first_build.clear()  # the next visit tries again
        box.update(label="数据仓库建立失败", state="error", expanded=True)
        st.error("用示例数据建立数据仓库失败，请查看服务器日志。")
        st.code(build.error or "（没有输出）", language=None)
        st.stop()
    box.update(label="数据仓库已建立", state="complete", expanded=False)


@st.fragment(run_every=3)
def _reload_when_history_is_in() -> None:
    """Every few seconds while a first start loads the history: run the whole page again once it is in."""
    if not history_loading():
        st.rerun(scope="app")


def ensure_data(early_ok: bool = False) -> None:
    """On first start, wait for the build of the warehouse from the bundled sample, showing progress.

    The build runs as its own process (`python -m etl bootstrap`), where generating and
    checking the sample use every core; it starts at the first request (start_first_build)
    and every session waits for the same build. It loads the overview's months first: a page
    that marks what needs earlier months (`early_ok`, the overview) shows as soon as they are
    in, with a note that the history is being loaded; other pages wait for the whole sample.
    A warehouse an earlier version built is upgraded once (etl.warehouse.upgrade)."""
    db = str(config.db_path())
    if has_data() and not history_loading():
        _upgraded(db)
        return
    build = _first_build(db)
    if not has_data():
        _wait(build, "首次启动：正在用示例数据建立数据仓库，请稍候……",
              lambda: build.ready and (has_data() or build.done))
    if not history_loading():
        return
    if early_ok:
        st.info(f"首次启动：本月数据已就绪，历史月份正在后台加载（{build.text}）。问题清单、比亮晒排名、"
                "累计完成走势和预计全年完成等需要历史月份的内容暂显示「加载中」，加载完成后页面自动刷新。",
                icon=":material/hourglass_top:")
        _reload_when_history_is_in()
        return
    _wait(build, "首次启动：本页需要历史月份的数据，正在加载……", lambda: build.done or not history_loading())


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
