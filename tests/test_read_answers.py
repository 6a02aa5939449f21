"""The reader's whole answer on every real-format variant and fixture file, pinned by digest
(tests/read_answers.py: period, sender, warnings, skipped sheets, each sheet's layout, every
accepted row and every quarantined row with its reason and message, in order).

A change to how rows are checked must leave every digest as it is. When a change means to give
a different answer, update the variant's answer in tests/realfiles.py or the test that states
it first, then the digest here; `python tests/read_answers.py compare` shows the rows that
moved on a whole sample."""

from __future__ import annotations

import sys
import threading
import types

import pytest

import etl.read
import fixtures
import read_answers
import realfiles

GOLDEN = {
    "xls_year_month_headers": "9e170b66a147f6c5",
    "gbk_csv_1_9_months": "b975944bbdb80801",
    "note_annual_reserve_sheets": "8e353e6b81108b9c",
    "progress_without_plan_column": "bebfae9d43b31c44",
    "amount_1e308": "8dc4c2b8d3c19afa",
    "error_cells_xlsx": "068ea3ec917e0842",
    "error_cells_xls": "eecc673ea473848d",
    "header_month_differs": "73f5edc7c75517fa",
    "header_month_differs_from_chosen_period": "64ed09b5c7b5b228",
    "period_from_headers": "a11901d7230f57d3",
    "utf16_csv": "eb1b04a4541742fc",
    "two_progress_sheets": "19c3c87110f0f256",
    "web_page_saved_as_xls": "233958af2534dbba",
    "blank_leading_rows_and_column": "91395eb60d7b8d7b",
    "summary_sheet_beside_detail": "b04409359a1b26ec",
    "merged_group_and_date_cell": "c1ea5b6a4092e028",
    "yi_yuan_with_implausible_amount": "d5e3a5ab6402b3df",
    "yuan": "64d0efcf3abfe346",
    "full_width_line_break_headers": "8a8f1bcd2e6fa9e7",
    "xls_reserve_with_empty_sheets": "43619110cf3fbe5c",
    "large_sheet": "43f49ebbb0846b52",
    "pingcheng-2025-10": "d7439abfbcee67e2",
    "pingcheng-2026-09": "b581fdac6532870c",
    "pingcheng-2026-10": "a5eac36d9aa0f996",
    "yunzhou-csv": "8b199fdece673951",
    "zone": "647ec1523f1efbd2",
    "zone-september": "1e61eb82844b5453",
}

FIXTURES = ["pingcheng-2025-10", "pingcheng-2026-09", "pingcheng-2026-10", "yunzhou-csv", "zone",
            "zone-september"]


@pytest.fixture(params=["rules over whole sheets", "rules row by row"])
def rules(request, monkeypatch):
    """Both ways the row rules run (chosen by the sheet's size: etl.read.FRAME_RULES_FROM) give one answer."""
    monkeypatch.setattr(etl.read, "FRAME_RULES_FROM", 0 if request.param == "rules over whole sheets" else 10**9)


@pytest.mark.parametrize("variant", realfiles.VARIANTS, ids=lambda v: v.id)
def test_real_format_variant_answer_unchanged(tmp_path, variant, rules):
    r = read_answers.read(variant.write(tmp_path), period=variant.period, today=read_answers.TODAY)
    assert read_answers.digest(r) == GOLDEN[variant.id]


def test_fixture_files_answers_unchanged(tmp_path, rules):
    got = {name: read_answers.digest(read_answers.read(p)) for name, p in zip(FIXTURES, fixtures.write_all(tmp_path))}
    assert got == {name: GOLDEN[name] for name in FIXTURES}



def test_files_read_together_give_each_file_its_own_answer(tmp_path, rules):
    """read_files stacks the sheets of many files through the rules at once: every file's answer
    is still the one it has alone (variants of one chosen period read in one call)."""
    paths = {"fixtures": (None, list(zip(FIXTURES, fixtures.write_all(tmp_path / "fixtures"))))}
    for v in realfiles.VARIANTS:
        (tmp_path / v.id).mkdir()
        paths.setdefault(str(v.period), (v.period, []))[1].append((v.id, v.write(tmp_path / v.id)))
    got, calls = {}, 0
    for period, named in paths.values():
        reports = read_answers.read_many([p for _, p in named], period=period)
        got.update((name, read_answers.digest(r)) for (name, _), r in zip(named, reports))
        calls += len(named) > 1
    assert got == GOLDEN
    assert calls >= 2  # at least the fixtures and the variants without a chosen period went together


def test_a_file_that_fails_unexpectedly_refuses_only_itself(tmp_path, monkeypatch):
    """A fault while checking files together: each file is checked again alone, so only the
    file at fault is refused (with the message of an unexpected error) and the others read."""
    files = fixtures.write_all(tmp_path)
    broken = files[1].name
    real = etl.read._cells

    def cells(file_name, *args):
        if file_name == broken:
            raise ValueError("boom")
        return real(file_name, *args)

    monkeypatch.setattr(etl.read, "_cells", cells)
    reports = read_answers.read_many(files)
    assert reports[1] == f"文件「{broken}」读取时出现意外错误，未能读取；请将文件发给系统管理员核查"
    monkeypatch.setattr(etl.read, "_cells", real)
    assert [read_answers.digest(r) for k, r in enumerate(reports) if k != 1] == \
        [GOLDEN[name] for k, name in enumerate(FIXTURES) if k != 1]


def test_files_read_in_worker_processes_come_back_each_in_its_place(tmp_path, monkeypatch):
    """A load of many files reads them some dozens at a time in worker processes (etl.warehouse):
    every file gets its own answer back, in the order of the files given."""
    from etl import warehouse

    files = []
    for copy in range(3):
        for p in fixtures.write_all(tmp_path / f"copy{copy}"):
            files.append(p.rename(p.with_name(f"{copy}-{p.name}")))
    files.append(tmp_path / "missing.xlsx")
    files = files[::-1]
    split = []
    monkeypatch.setattr(warehouse, "_chunks", lambda paths, n: split.append(n) or [
        list(range(k, len(paths), 3)) for k in range(3)])
    monkeypatch.setattr(warehouse.os, "cpu_count", lambda: 2)
    want = [read_answers.digest(read_answers.read(p)) for p in files]
    got = warehouse._read_all(files, None, None, read_answers.TODAY)
    assert not split, "a few small files are read in the loading process itself"
    assert [read_answers.digest(str(r) if isinstance(r, Exception) else r) for r in got] == want
    monkeypatch.setenv("COCKPIT_READ_WORKERS_FROM_MB", "0")
    # as from the command line: no other thread in the process (a test process may keep some, from
    # the pages' background imports of an earlier test: then the load reads in its own process)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    # and the command line's own main module (an AppTest earlier in this process leaves the page it
    # ran as __main__, which a spawned worker would run again)
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    got = warehouse._read_all(files, None, None, read_answers.TODAY)
    assert split, "the files were read in worker processes"
    assert [read_answers.digest(str(r) if isinstance(r, Exception) else r) for r in got] == want
    assert isinstance(got[0], etl.read.FileError) and "missing.xlsx" in str(got[0])


def test_chunks_of_about_equal_bytes():
    from etl.warehouse import _chunks

    class P:
        def __init__(self, n):
            self.n = n

        def stat(self):
            return type("S", (), {"st_size": self.n})()

    paths = [P(n) for n in (1_000_000, 10, 10, 300_000, 300_000, 300_000, 10)]
    chunks = _chunks(paths, 2)
    assert sorted(i for c in chunks for i in c) == list(range(7))
    assert [0] in chunks  # the big file alone, the others together
    assert _chunks(paths[:1], 4) == [[0]]
