"""First start: the cockpit builds its warehouse from the sample in a process of its own (so
generation and checking use every core), with the navigation already shown, and then opens
the overview; a failed build says so in Chinese."""

from __future__ import annotations

import json
import shutil

from apptest import page_test


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
