"""The command line: check, load (with --json), history, and the exit codes scripts rely on."""

from __future__ import annotations

import json

from etl.__main__ import main


def test_check_and_load_from_the_command_line(tmp_path, fixture_files, capsys):
    csv_file = next(f for f in fixture_files if f.suffix == ".csv")
    assert main(["check", str(csv_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)[0]
    assert (report["sender"], report["rows_accepted"], report["rows_quarantined"]) == ("云州区", 2, 2)
    assert report["sheets"][0]["quarantine"][0]["rule"] == "非数值金额"

    db = tmp_path / "cli" / "cockpit.duckdb"
    assert main(["load", *map(str, fixture_files), "--db", str(db), "--json", "--user", "测试"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and {f["status"] for f in result["files"]} == {"loaded"}

    # the same files again change nothing
    assert main(["load", *map(str, fixture_files), "--db", str(db)]) == 0
    assert f"未变 {len(fixture_files)} 个" in capsys.readouterr().out

    assert main(["history", "--db", str(db)]) == 0
    assert "2026-10-01" in capsys.readouterr().out


def test_a_refused_file_gives_a_nonzero_exit_and_a_chinese_message(tmp_path, capsys):
    bad = tmp_path / "2026-10_平城区.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main(["load", str(bad), "--db", str(tmp_path / "db" / "cockpit.duckdb")]) == 1
    out = capsys.readouterr().out
    assert "文件「2026-10_平城区.xlsx」不是有效的 Excel 文件" in out
    assert not (tmp_path / "db" / "cockpit.duckdb").exists()


def test_check_lists_skipped_sheets_and_the_filled_date(tmp_path, capsys):
    import xlsxwriter

    path = tmp_path / "2026-10_平城区.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("填报说明").write(0, 0, "请按要求填写")
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, "2026年10月平城区项目进展情况表")
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在县区", "年度计划投资", "年累计完成投资"])
    ws.write_row(2, 0, ["2026-140213-44-01-000001", "甲", "平城区", 100, 10])
    ws.write(4, 0, "填报单位：平城区    填报日期：2026年11月3日")
    wb.close()
    assert main(["check", str(path)]) == 0
    assert "工作表「填报说明」已跳过：" in capsys.readouterr().out
    assert main(["check", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)[0]
    assert report["skipped_sheets"][0]["sheet"] == "填报说明" and report["filled_date"] == "2026-11-03"
