"""Real-format county files (tests/realfiles.py), each with its known answer, and the rule that
holds on every file: each row under a header is accepted, quarantined or skipped with a
reason, and each sheet is read or skipped with a reason."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

import fixtures
import realfiles
from etl.read import FileError, FileReport, read_file, read_grids

TODAY = dt.date(2026, 11, 27)


def assert_every_row_accounted(path: Path, report: FileReport) -> None:
    """rows under the headers + rows of skipped sheets = accepted + quarantined + skipped, row by row."""
    grids = dict(read_grids(path))
    assert list(grids) == sorted({s.sheet for s in report.sheets} | {k.sheet for k in report.skipped_sheets},
                                 key=list(grids).index), "every sheet is read or skipped"
    for s in report.sheets:
        grid = grids[s.sheet]
        under = {i + 1 for i in range(s.header_row - 1 + s.header_rows, len(grid)) if any(grid[i])}
        accepted = set(s.accepted["source_row"].to_list())
        quarantined = set(s.quarantine["source_row"].to_list())
        skipped = [r for r, _ in s.skipped]
        assert len(accepted) == s.accepted.height, "a row accepted twice"
        assert len(set(skipped)) == len(skipped) and all(reason for _, reason in s.skipped)
        assert not (accepted & quarantined) and not (accepted & set(skipped)) and not (quarantined & set(skipped))
        assert accepted | quarantined | set(skipped) == under, s.sheet
        assert s.rows_read == len(accepted) + len(quarantined)
    for k in report.skipped_sheets:
        assert k.reason and k.rows == sum(1 for r in grids[k.sheet] if any(r)), k
    total_under = sum(sum(1 for i in range(s.header_row - 1 + s.header_rows, len(grids[s.sheet]))
                          if any(grids[s.sheet][i])) for s in report.sheets)
    assert total_under + sum(k.rows for k in report.skipped_sheets) == \
        report.rows_accepted + report.rows_quarantined + report.rows_skipped


@pytest.mark.parametrize("variant", realfiles.VARIANTS, ids=lambda v: v.id)
def test_real_format_variant(tmp_path, variant: realfiles.Variant):
    path = variant.write(tmp_path)
    if variant.error:
        with pytest.raises(FileError) as e:
            read_file(path, period=variant.period, today=TODAY)
        assert variant.error in str(e.value) and f"文件「{path.name}」" in str(e.value)
        assert not any(w in str(e.value) for w in ("calamine", "Error", "error", "Traceback"))
        return
    r = read_file(path, period=variant.period, today=TODAY)
    assert (r.period, r.sender) == (variant.expect_period, variant.sender)
    got = {k: r.sheet(k).accepted.height for k in ("progress", "reserve", "problems", "milestones") if r.sheet(k)}
    assert got == variant.accepted
    q = sorted((row["sheet"], row["source_row"], row["rule"], row["value"])
               for s in r.sheets for row in s.quarantine.iter_rows(named=True))
    assert q == sorted(variant.quarantined)
    assert [k.sheet for k in r.skipped_sheets] == variant.skipped_sheets
    if variant.sums:
        acc = r.sheet("progress").accepted
        assert {c: acc[c].fill_null(0).sum() for c in variant.sums} == pytest.approx(variant.sums)
    assert len(r.warnings) == len(variant.warnings), r.warnings
    for w in variant.warnings:
        assert any(w in x for x in r.warnings), (w, r.warnings)
    mapping = {k: v for s in r.sheets for k, v in s.mapping.items()}
    assert {k: mapping.get(k) for k in variant.mapping} == variant.mapping
    assert r.filled_date == variant.filled_date
    assert_every_row_accounted(path, r)


def test_fixture_files_account_for_every_row(tmp_path):
    for path in fixtures.write_all(tmp_path):
        assert_every_row_accounted(path, read_file(path, today=TODAY))


def test_quarantine_quotes_the_cell_not_zero(tmp_path):
    # a 「-」 in 年累计 with 10 in 本月 was reported as 「年累计完成投资（0）小于本月」
    r = read_file(realfiles._error_cells_xlsx(tmp_path), today=TODAY)
    q = r.sheet("progress").quarantine.filter(pl.col("source_row") == 5).row(0, named=True)
    assert q["value"] == "-" and q["column_name"] == "年累计完成投资（万元）"
    assert q["message"].endswith("第5行：缺少年累计完成投资（单元格为「-」，按未填报处理）")
    na = r.sheet("progress").quarantine.filter(pl.col("source_row") == 4).row(0, named=True)
    assert "「#N/A」" in na["message"] and "#N/A" in na["raw"]
    # an error value in an optional amount is not reported: stored empty, not 0
    acc = r.sheet("progress").accepted.sort("source_row")
    assert acc["completed_month_wan"].to_list() == [10.0, None, None]


def test_implausible_amount_bound_is_configurable(tmp_path, monkeypatch):
    path = realfiles._yi_yuan_bound(tmp_path)
    monkeypatch.setenv("COCKPIT_MAX_PROJECT_YI", "20000")
    assert read_file(path, today=TODAY).sheet("progress").accepted.height == 2
    monkeypatch.setenv("COCKPIT_MAX_PROJECT_YI", "1")
    q = read_file(path, today=TODAY).sheet("progress").quarantine
    # 2亿 and 1.5亿 in row 4, 15000亿 in row 5; 1亿 itself is within
    assert q.select("source_row", "column_name", "rule").rows() == [
        (4, "年度计划投资（万元）", "金额超出合理范围"), (4, "年累计完成投资（万元）", "金额超出合理范围"),
        (5, "年度计划投资（万元）", "金额超出合理范围")]
    assert q["message"][0].endswith("「年度计划投资（万元）」「2」超出合理范围（单个项目不超过1亿元）")


def test_two_sheets_of_one_kind_load_as_one(tmp_path):
    r = read_file(realfiles._two_progress_sheets(tmp_path), today=TODAY)
    both = r.sheet("progress")
    assert sorted(both.accepted["source_row"].to_list()) == [3, 5, 5]
    assert set(both.accepted["sheet"]) == {"新开工项目", "续建项目"}
    assert both.rows_quarantined == 3 == r.rows_quarantined
    msg = both.quarantine.filter(pl.col("rule") == "重复行")["message"][0]
    assert msg.endswith("续建项目」第3行：与工作表「新开工项目」第3行完全相同，只保留工作表「新开工项目」第3行")


def test_xls_on_the_command_line(tmp_path, capsys):
    """An Excel 97-2003 folder of files checks and loads like xlsx (a folder is searched for .xls)."""
    from etl.__main__ import main

    folder = tmp_path / "in"
    folder.mkdir()
    realfiles._xls_year_month(folder)
    realfiles._xls_reserve(folder)
    assert main(["check", str(folder), "--json"]) == 0
    got = {r["file"]: (r["rows_accepted"], [s["kind"] for s in r["sheets"]]) for r in json.loads(capsys.readouterr().out)}
    assert got == {"阳高县2026年10月项目进展.xls": (30, ["progress"]), "阳高县2026年10月储备.xls": (4, ["reserve"])}
    db = tmp_path / "wh" / "cockpit.duckdb"
    assert main(["load", str(folder), "--db", str(db), "--json"]) == 0
    assert {f["status"] for f in json.loads(capsys.readouterr().out)["files"]} == {"loaded"}


def test_an_unexpected_fault_is_a_chinese_file_error(tmp_path, monkeypatch):
    import etl.read

    def broken(*args):
        raise KeyError("internal")

    monkeypatch.setattr(etl.read, "_settle_duplicates", broken)
    with pytest.raises(FileError) as e:
        read_file(realfiles._yuan(tmp_path), today=TODAY)
    assert str(e.value) == "文件「阳高县2026年10月_元.xlsx」读取时出现意外错误，未能读取；请将文件发给系统管理员核查"


@pytest.mark.parametrize("write,progress,reserve", [
    (realfiles._two_progress_sheets, {"新开工项目": 2, "续建项目": 1}, 0),
    # 25 annual and 18 reserve rows read, and each one stored (43 read, 25 stored before)
    (realfiles._note_annual_reserve, {"年度项目": 25}, 18),
])
def test_every_sheet_of_a_kind_is_stored(tmp_path, write, progress, reserve):
    import duckdb

    from etl.warehouse import load_files

    result = load_files([write(tmp_path)], db=tmp_path / "wh" / "cockpit.duckdb")
    assert result.ok, result.as_dict()
    con = duckdb.connect(str(result.state), read_only=True)
    stored = dict(con.sql("select sheet, count(*) from stg_progress group by sheet").fetchall())
    assert stored == progress and con.sql("select count(*) from stg_reserve").fetchall()[0][0] == reserve
    con.close()
