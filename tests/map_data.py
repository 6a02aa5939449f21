"""Test data for the map and the project file beyond the shared fixture: one more sender (市本级)
whose key projects carry hostile text and coordinates, loaded together with the shared fixture
files into a warehouse of their own (the shared fixture's known answers stay untouched).

市本级, 2026-10 (sender 市住房和城乡建设局):
| code | name | county | key | status | lon, lat |
|---|---|---|---|---|---|
| …000011 | <script>alert(1)</script> | 平城区 | 市级 | green | 113.29, 40.07 |
| …000012 | 云州区"管廊"&<b>工程</b> | 云州区 | 省定市管 | red | 113.57211, 39.99230 |
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import xlsxwriter

import fixtures

HOSTILE = "<script>alert(1)</script>"
HOSTILE_CODE = "2025-140200-44-01-000011"
QUOTED = '云州区"管廊"&<b>工程</b>'
QUOTED_CODE = "2025-140200-44-01-000012"
HOSTILE_LEADER = "<img src=x onerror=alert(2)>"


def write_city_level(folder: Path) -> Path:
    path = folder / "市住建局_2026年10月.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("重点工程")
    ws.write(0, 0, "2026年10月大同市市直部门重点工程进展情况表")
    ws.write_row(1, 0, ["项目代码", "项目名称", "建设单位", "所在县区", "项目类别", "重点工程级别", "所属行业", "总投资",
                        "年度计划投资", "本月完成投资", "年累计完成投资", "形象进度", "包联领导", "经度", "纬度"])
    ws.write_row(2, 0, [HOSTILE_CODE, HOSTILE, "某公司", "平城区", "续建", "市级", "基础设施", 60000, 12000, 1000,
                        10000, "<i>主体完工</i>", HOSTILE_LEADER, 113.29, 40.07])
    ws.write_row(3, 0, [QUOTED_CODE, QUOTED, "某公司", "云州区", "续建", "省定市管", "基础设施", 20000, 10000, 100,
                        2000, "管廊施工", "张三", 113.57211, 39.99230])
    ws.write(5, 0, "填报单位：大同市住房和城乡建设局")
    wb.close()
    return path


def warehouse_with(tmp_path_factory, name: str, *writers) -> Path:
    """A warehouse of its own from the shared fixture files plus the files `writers` write."""
    from etl.warehouse import load_files

    folder = tmp_path_factory.mktemp(f"{name}_files")
    files = fixtures.write_all(folder) + [w(folder) for w in writers]
    db = tmp_path_factory.mktemp(f"{name}_warehouse") / "cockpit.duckdb"
    result = load_files(files, db=db)
    assert result.ok, result.as_dict()
    return db


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> Path:
    """The shared fixture files plus 市本级's hostile rows, in a warehouse of their own."""
    return warehouse_with(tmp_path_factory, "map", write_city_level)


@pytest.fixture()
def use_hostile_db(hostile_db, monkeypatch) -> Path:
    """COCKPIT_DB points at the hostile warehouse for one test."""
    monkeypatch.setenv("COCKPIT_DB", str(hostile_db))
    return hostile_db


def db_env(db: Path) -> dict:
    return {**os.environ, "COCKPIT_DB": str(db)}
