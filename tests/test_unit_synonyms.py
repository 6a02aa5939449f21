"""One name per unit (config/unit_synonyms.toml): the spellings of a department become one
name when rows are staged, so league tables, problem lists and leader pages count it once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import xlsxwriter

import queries
from etl import divisions
from etl.divisions import canonical_unit
from etl.read import read_file
from etl.warehouse import load_files

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("written", "canonical"), [
    ("市发改委", "市发展和改革委员会"),
    ("大同市发展和改革委员会", "市发展和改革委员会"),
    ("市发展改革委", "市发展和改革委员会"),
    ("山西省大同市发改委", "市发展和改革委员会"),
    (" 市 住建局 ", "市住房和城乡建设局"),
    ("大同市住房和城乡建设局", "市住房和城乡建设局"),
    ("市规划和自然资源局", "市自然资源局"),
    ("大同市教育局", "市教育局"),  # not in the table: still one spelling with 市教育局
    ("大同市平城区人民政府", "大同市平城区人民政府"),  # a county's government stays as written
    ("平城区人民政府", "平城区人民政府"),
    ("", None),
    (None, None),
])
def test_canonical_unit(written, canonical):
    assert canonical_unit(written) == canonical


def test_the_shipped_table_is_well_formed():
    raw = tomllib.loads((ROOT / "config" / "unit_synonyms.toml").read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for unit in raw["unit"]:
        assert unit["name"].startswith("市") and unit["aliases"]
        for alias in [unit["name"], *unit["aliases"]]:
            key = divisions.unit_key(alias)
            assert seen.setdefault(key, unit["name"]) == unit["name"], f"{alias} belongs to two units"


def _file(path: Path, sender: str, rows: list[tuple[str, str, str]]) -> Path:
    """A progress sheet: (code, name, 责任单位) per row, 1000 plan and 800 done each."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, "2026年10月项目进展情况表")
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资", "责任单位"])
    for i, (code, name, unit) in enumerate(rows, start=2):
        ws.write_row(i, 0, [code, name, "平城区", 1000, 100, 800, unit])
    ws.write(len(rows) + 3, 0, f"填报单位：{sender}")
    wb.close()
    return path


def _departments(db: Path) -> dict[str, int]:
    df = queries.run("league_departments", db=db, period="2026-10-01")
    return dict(zip(df["unit_name"], df["projects"]))


def test_league_counts_one_department_once_however_it_is_written(tmp_path):
    db = tmp_path / "wh" / "cockpit.duckdb"
    f = _file(tmp_path / "2026-10_平城区.xlsx", "平城区", [
        ("2026-140213-44-01-000101", "甲项目", "市发改委"),
        ("2026-140213-44-01-000102", "乙项目", "大同市发展和改革委员会"),
        ("2026-140213-44-01-000103", "丙项目", "市发展改革委"),
        ("2026-140213-44-01-000104", "丁项目", "市住建局"),
    ])
    assert load_files([f], db=db, today=None).ok
    assert _departments(db) == {"市发展和改革委员会": 3, "市住房和城乡建设局": 1}


def test_a_department_sender_is_named_once(tmp_path):
    f = _file(tmp_path / "2026-10_发改.xlsx", "大同市发改委", [("2026-140213-44-01-000101", "甲项目", "市发改委")])
    assert read_file(f).sender == "市发展和改革委员会"


def test_an_edited_table_renames_what_is_already_stored_at_the_next_load(tmp_path, monkeypatch):
    db = tmp_path / "wh" / "cockpit.duckdb"
    table = tmp_path / "synonyms.toml"
    table.write_text('[[unit]]\nname = "市发展和改革委员会"\naliases = ["市发改委"]\n', encoding="utf-8")
    monkeypatch.setenv("COCKPIT_UNIT_SYNONYMS", str(table))
    first = _file(tmp_path / "2026-10_平城区.xlsx", "平城区", [
        ("2026-140213-44-01-000101", "甲项目", "市发改委"),
        ("2026-140213-44-01-000102", "乙项目", "市项目推进中心"),
    ])
    assert load_files([first], db=db).ok
    assert _departments(db) == {"市发展和改革委员会": 1, "市项目推进中心": 1}
    # staff learn that 市项目推进中心 belongs to 市发改委 and say so in the table
    table.write_text('[[unit]]\nname = "市发展和改革委员会"\naliases = ["市发改委", "市项目推进中心"]\n',
                     encoding="utf-8")
    other = _file(tmp_path / "2026-10_云州区.xlsx", "云州区", [("2026-140215-44-01-000201", "丙项目", "市住建局")])
    assert load_files([other], db=db).ok
    assert _departments(db) == {"市发展和改革委员会": 2, "市住建局": 1}
