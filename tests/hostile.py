"""A warehouse whose text is hostile: project names, owners, 形象进度, leaders, problem
descriptions and measures holding markdown links and images, raw HTML, `*`/`_` runs and `$x$`,
loaded with the shared fixture files (whose known answers stay untouched), so every page can be
checked for text from the data that would turn into markup (tests/test_escaping.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter


EVIL = "evil.test"
LINK = "[点此](http://evil.test/x)"
IMAGE = "![](http://evil.test/i.png)"
IMG = "<img src=x onerror=alert(1)>"
ANCHOR = "<a href=http://evil.test>链接</a>"
RUNS = "**粗**__粗__*斜*_斜_"
MATH = "$x$"
BARE = "http://evil.test/bare www.evil.test"
PAYLOADS = (LINK, IMAGE, IMG, ANCHOR, RUNS, MATH)

CODES = [f"2025-140200-44-01-0000{n}" for n in (31, 32, 33)]
NAMES = [f"{LINK}供水工程", f"{IMAGE}{IMG}产业园", f"{ANCHOR}{RUNS}{MATH}物流园"]
LEADERS = [f"[王五](http://{EVIL}/l)", f"<a href=http://{EVIL}>赵六</a>", f"{IMG}钱七"]
PROBLEM = f"资金缺口{LINK}{IMAGE}{IMG}{ANCHOR}{RUNS}{MATH}{BARE}"
MEASURE = f"协调{LINK}{IMG}"
PROGRESS = f"{IMAGE}{ANCHOR}主体施工"
SENDER = "市交通运输局"


def write_hostile(folder: Path) -> Path:
    """市交通运输局's 2026-10 file: three key projects (red: little done), each with a problem."""
    path = folder / "市交通局_2026年10月.xlsx"
    wb = xlsxwriter.Workbook(path, {"strings_to_urls": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("重点工程")
    ws.write(0, 0, "2026年10月大同市市直部门重点工程进展情况表")
    ws.write_row(1, 0, ["项目代码", "项目名称", "建设单位", "所在县区", "项目类别", "重点工程级别", "所属行业", "总投资",
                        "年度计划投资", "本月完成投资", "年累计完成投资", "形象进度", "包联领导", "领导职务", "责任单位",
                        "经度", "纬度", "存在问题"])
    counties = ["平城区", "云州区", "平城区"]
    for i, (code, name, leader, county) in enumerate(zip(CODES, NAMES, LEADERS, counties)):
        ws.write_row(2 + i, 0, [code, name, f"{IMG}建设公司", county, "续建", "市级", "基础设施", 50000, 12000, 10,
                                100 + i, PROGRESS, leader, f"{LINK}副市长", f"{ANCHOR}局", 113.30 + 0.01 * i,
                                40.08 + 0.01 * i, PROBLEM])
    qs = wb.add_worksheet("问题清单")
    qs.write(0, 0, "2026年10月市交通运输局项目问题清单")
    qs.write_row(1, 0, ["问题编号", "项目代码", "项目名称", "问题类型", "问题描述", "发现时间", "责任单位", "责任领导",
                        "责任人", "解决措施", "完成时限", "办理状态", "办结时间", "企业满意度"])
    for i, (code, name, leader) in enumerate(zip(CODES, NAMES, LEADERS)):
        qs.write_row(2 + i, 0, [f"JT-{i + 1}", code, name, "资金", PROBLEM, "2026-06-01", f"{LINK}局", leader,
                                f"{IMG}", MEASURE, "2026-08-31", "办理中", None, None])
    ws.write(7, 0, f"填报单位：{SENDER}")
    wb.close()
    return path


@pytest.fixture(scope="session")
def evil_db(tmp_path_factory) -> Path:
    from map_data import warehouse_with, write_city_level

    return warehouse_with(tmp_path_factory, "evil", write_city_level, write_hostile)


@pytest.fixture()
def use_evil_db(evil_db, monkeypatch) -> Path:
    monkeypatch.setenv("COCKPIT_DB", str(evil_db))
    return evil_db
