"""First start: the cockpit builds its warehouse from the sample in a process of its own (so
generation and checking use every core), with the navigation already shown, and then opens
the overview; a failed build says so in Chinese."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from apptest import markup, page_test


def _sample(folder, fixture_files):
    """A sample folder that needs no generation: the fixture files and a manifest."""
    folder.mkdir()
    for f in fixture_files:
        shutil.copy(f, folder / f.name)
    (folder / "manifest.json").write_text(json.dumps({"files": [f.name for f in fixture_files]}), encoding="utf-8")
    return folder


def test_first_start_builds_the_warehouse_and_opens_the_overview(tmp_path, fixture_files, empty_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_SAMPLE", str(_sample(tmp_path / "sample", fixture_files)))
    at = page_test("app", timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("项目建设总览")
    # the build starts before sign-in (ui.data.start_first_build), so it may be done by the time
    # the page asks; if not, its status box says so once it is (the bar: test_browser_first_start)
    boxes = [c for c in at.main.children.values() if type(c).__name__ == "Status"]
    assert [b.label for b in boxes] in ([], ["数据仓库已建立"])
    from etl.warehouse import current_state, history

    assert current_state(empty_db) is not None
    log = history(empty_db)
    assert log.height == len(fixture_files) and set(log["user_name"]) == {"示例数据"}


def test_a_failed_first_start_is_reported_in_chinese(tmp_path, empty_db, monkeypatch):
    broken = tmp_path / "sample"
    broken.mkdir()
    (broken / "manifest.json").write_text("{}", encoding="utf-8")
    (broken / "2026-10_平城区.xlsx").write_bytes(b"not a workbook")
    monkeypatch.setenv("COCKPIT_SAMPLE", str(broken))
    at = page_test("app", timeout=180).run()
    assert "用示例数据建立数据仓库失败" in " ".join(e.value for e in at.error)
    assert not at.title  # the overview did not run on a missing warehouse


# ---------------------------------------------------------------- a first start that generates the sample

SMALL = dict(seed=2021, scale=0.05, start="2025-08", end="2026-10")  # 15 months: the latest has its 同比
# what differs between two loads of the same files by design: which load brought a row, and when
BOOKKEEPING = {"load_id", "loaded_at", "state_file", "duration_s"}


def same(a, b) -> None:
    """Equal frames, up to the last bits of sums that add the same numbers in another order."""
    from polars.testing import assert_frame_equal

    assert_frame_equal(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _tables(db) -> dict:
    import duckdb

    from etl.warehouse import current_state

    con = duckdb.connect(str(current_state(db)), read_only=True)
    try:
        out = {}
        for (t,) in con.sql("select table_name from information_schema.tables where table_schema = 'main'").fetchall():
            cols = [c for (c,) in con.sql("select column_name from information_schema.columns where table_name = ? "
                                          "order by ordinal_position", params=[t]).fetchall() if c not in BOOKKEEPING]
            df = con.sql(f"select {', '.join(cols)} from {t}" + (" where key <> 'built_at'" if t == "meta" else "")).pl()
            out[t] = df.sort(df.columns, nulls_last=True) if df.height else df
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """A first start that generates a (small) sample: the state published when the overview's months
    were in (snapshot at the 「ready」 line), the end state, and a normal load of the same files."""
    from etl import bootstrap, config
    from etl.warehouse import current_state, load_files

    root = tmp_path_factory.mktemp("staged")
    mp = pytest.MonkeyPatch()
    mp.setattr(bootstrap, "SAMPLE", SMALL)
    mp.setenv("COCKPIT_SAMPLE", str(root / "sample"))
    db, seen, snap = root / "wh" / "cockpit.duckdb", [], {}
    db.parent.mkdir()

    def progress(stage, done, total):
        seen.append((stage, done, total))
        if stage == "ready":
            snap["early"] = root / "early.duckdb"
            shutil.copy(current_state(db), snap["early"])
            snap["marker"] = bootstrap.history_pending(db)

    assert bootstrap.ensure_warehouse(db, progress=progress)
    full = root / "full" / "cockpit.duckdb"
    full.parent.mkdir()
    assert load_files(bootstrap.sample_files(config.sample_dir()), db=full, user="示例数据").ok
    mp.undo()
    return {"db": db, "full": full, "seen": seen, **snap}


def test_first_start_loads_the_overview_months_first_and_ends_as_a_full_load(staged):
    from etl import bootstrap
    from etl.warehouse import history

    assert staged["marker"] == {"early": ["2026-10", "2026-09", "2025-10"], "months": 15}
    assert bootstrap.history_pending(staged["db"]) is None  # the marker is gone at the end
    stages = [s for s, _, _ in staged["seen"]]
    assert stages.index("ready") < stages.index("history") < stages.index("history_read") < stages.index("history_load")
    assert ("history", 12, 12) in staged["seen"]
    assert not bootstrap.ensure_warehouse(staged["db"])  # built: nothing more to do
    ours, full = _tables(staged["db"]), _tables(staged["full"])
    assert ours.keys() == full.keys()
    for name in full:
        same(ours[name], full[name])
    assert history(staged["db"]).height == history(staged["full"]).height


# the overview's figures that the early state must already give exactly; the others (the problems'
# figures, the 比亮晒 score that counts them, the year's cumulative curve, the forecast) need the
# whole history and say 加载中 until it is in (test_the_overview_marks_what_needs_the_history)
OVERVIEW_QUERIES = [("overview_kpis", dict(unit=None, library=None)), ("by_unit", dict(library=None)),
                    ("start_watch", dict(unit=None)), ("policy_targets", dict(unit=None)), ("units", {}),
                    ("missing_senders", dict(unit=None)), ("quarantine_summary", dict(unit=None)),
                    ("admin_freshness", dict(period=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 5),
                                             today=dt.date(2026, 12, 1), months=3))]


@pytest.mark.parametrize("name,params", OVERVIEW_QUERIES, ids=[n for n, _ in OVERVIEW_QUERIES])
def test_the_early_state_gives_the_overview_the_full_load_s_figures(staged, name, params):
    import queries

    args = {"period": dt.date(2026, 10, 1), **params} if "period" in queries.parameters(name) else dict(params)
    early = queries.Warehouse(staged["early"]).run(name, **args)
    full = queries.Warehouse(staged["full"]).run(name, **args)
    assert early.height or name == "missing_senders"
    same(early, full)


def _early_warehouse(staged, tmp_path, monkeypatch):
    """The cockpit pointed at a copy of the early state, with the marker: the history still loading."""
    from etl import bootstrap

    db = tmp_path / "wh" / "cockpit.duckdb"
    db.parent.mkdir()
    shutil.copy(staged["early"], db)
    monkeypatch.setenv("COCKPIT_DB", str(db))
    monkeypatch.setenv("COCKPIT_STATES", str(tmp_path / "states"))
    bootstrap.history_marker(db).write_text(json.dumps(staged["marker"]), encoding="utf-8")
    return db


def test_the_overview_marks_what_needs_the_history(staged, tmp_path, monkeypatch):
    """The overview on the early state (the history still being loaded): this month's figures are
    shown, the problems, the 比亮晒 rank, the forecast and the year's curve say 加载中, and the
    period list offers only the latest month; once the marker is gone they are all back."""
    from etl import bootstrap

    db = _early_warehouse(staged, tmp_path, monkeypatch)
    at = page_test("overview").run()
    assert not at.exception, [e.value for e in at.exception]
    html = markup(at)
    for question in ("超期未办结问题", "比亮晒排名（综合得分）"):
        assert f'{question}<span class="go">详情 ›</span></div><div class="a">加载中</div>' in html, question
    assert '新开工<span class="go">详情 ›</span></div><div class="a">' in html and "累计完成" in html
    notes = [i.value for i in at.info if i.value.startswith("加载中")]
    assert len(notes) == 2 and "预计全年完成" in notes[0] and "累计完成走势" in notes[1]
    assert [s.options for s in at.sidebar.selectbox if s.label == "数据期间"] == [["2026年10月"]]

    bootstrap.history_marker(db).unlink()
    at = page_test("overview").run()
    assert not at.exception and not [i for i in at.info if i.value.startswith("加载中")]
    assert "加载中" not in markup(at)
    assert len([s for s in at.sidebar.selectbox if s.label == "数据期间"][0].options) == 3


def test_a_first_start_stopped_while_loading_the_history_resumes(tmp_path, fixture_files, empty_db, monkeypatch):
    """The server stopped after the overview's months were in (the marker still there, the sample
    complete): the next start loads the rest, skipping what is in, and removes the marker."""
    from etl import bootstrap
    from etl.warehouse import history, load_files

    monkeypatch.setenv("COCKPIT_SAMPLE", str(_sample(tmp_path / "sample", fixture_files)))
    early = [f for f in fixture_files if "2026-10" in f.name or "2026年10月" in f.name]
    assert early and len(early) < len(fixture_files)
    assert load_files(early, db=empty_db, user="示例数据").ok
    bootstrap.history_marker(empty_db).write_text('{"early": ["2026-10"], "months": 3}', encoding="utf-8")
    assert bootstrap.history_pending(empty_db) == {"early": ["2026-10"], "months": 3}
    assert bootstrap.ensure_warehouse(empty_db)
    assert bootstrap.history_pending(empty_db) is None
    log = history(empty_db)
    assert log.height == len(fixture_files) and log["file_name"].n_unique() == len(fixture_files)
    assert not bootstrap.ensure_warehouse(empty_db)


def test_the_first_user_gets_the_overview_while_the_history_loads(staged, tmp_path, monkeypatch):
    """Signed in at 「/」 during the history's load: the overview (the centre's home page) runs at
    once, with a note that says how far the history is, instead of waiting for the whole build."""
    from ui import data

    _early_warehouse(staged, tmp_path, monkeypatch)
    # the build, at the point the overview's months are in: handed to the page as it stands (a
    # stand-in for the build process set in the build's thread could still be unset when the
    # page reads it, on a busy machine or while the pages' background imports hold the thread)
    build = data.FirstBuild()
    build.ready, build.text = True, "历史月份：生成示例报表：3/12个月"
    monkeypatch.setattr(data, "_first_build", lambda db: build)
    at = page_test("app").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("项目建设总览")
    notes = [i.value for i in at.info if i.value.startswith("首次启动")]
    assert len(notes) == 1 and "历史月份正在后台加载（历史月份：生成示例报表：3/12个月）" in notes[0]
    assert "本页需要历史月份" not in " ".join(getattr(c, "label", "") or "" for c in at.main.children.values())
