"""A tiny programme written as the counties write it, with answers worked out by hand.

2026-10 (data date 2026-10-31, 序时进度 10/12 = 83.3%):

| code | sender | library | key | plan 万元 | month | ytd | rate | gap | status |
|---|---|---|---|---|---|---|---|---|---|
| A …000001 | 平城区 | 新开工 | 市级 | 10000 | 1000 | 8000 | 80% | 3.3 | green |
| B …000002 | 平城区 | 续建 | 省定市管 | 20000 | 500 | 10000 | 50% | 33.3 | red |
| C …000003 | 平城区 | 新开工 (planned 2026-05, not started) | – | 5000 | 0 | 0 | 0% | – | red (5 months late) |
| E …000004 | 云州区 (csv, GBK, 亿元) | 续建 | – | 15000 | 1000 | 12000 | 80% | 3.3 | green |
| F …000005 | 云州区 | 新开工 | 市级 | 8000 | 500 | 4000 | 50% | 33.3 | red |
| G …000006 | 经开区 | 新开工 | 省定省管 | 30000 | 3000 | 27000 | 90% | -6.7 | green |

Totals 2026-10: plan 88000, month 6000, ytd 61000. Reserve: D (平城区, 50000).
云州区's csv also has two bad rows (「约500」, 「大同市北城区」) that must be quarantined.
2026-09: 平城区 A ytd 7000, B ytd 9500; 经开区 G (its own file, added for the league and the
consistency checks) plan 30000, month 1000, ytd 9000, 开工累计 8000 (red, 45.0 behind).
2025-10 (平城区 only): B ytd 9000 (plan 18000).

Problems (问题清单, 平城区's workbook; rules in etl/problem_rules.py):

| id | project | 2026-09 report | 2026-10 report | state at 2026-10-31 |
|---|---|---|---|---|
| WT-1 | B | 已交办, deadline 2026-08-31 | 办理中 | 督办 (61 days past deadline, open 152 days) |
| WT-2 | C | – | 已交办, no 责任领导 | 已交办, 五到位不全 (缺责任领导) |
| WT-3 | A | 已办结 2026-06-20, 不满意 (督办 at 2026-09-30) | 已办结, 满意 | 已销号 this month (80 days to close) |
| WT-4 | A | 办理中, deadline 2026-11-30 | absent | 办理中, 未续报 (open 77 days) |

At 2026-10: 4 problems, 1 cleared (办结率 25%), 3 open, 1 overdue. At 2026-09: 3 open, 2 overdue.
存在问题 without a filed problem (未建档问题) at 2026-10: G 「配套道路未建成」 (经开区's file).

Milestones (节点计划 sheet of the 2026-10 平城区 workbook, for the project file; no answer above
changes): B has six nodes (MILESTONES_B), judged at the data date 2026-10-31: 设计批复 done early,
主管网开工 done late (2024-05-20 vs 2024-04-30), 一期管网完工 done, 二期管网铺设完成 overdue
(planned 2026-09-30, 31 days), 换热站调试 due (2026-11-15, within 30 days), 竣工验收 planned.

Approvals (审批事项 sheet of the 2026-10 平城区 workbook; working days on the official calendar,
from the day after 受理 to 办结, or to the data date 2026-10-31 while still being handled):

| project | item | department | 受理 | 办结 | limit | working days | past limit |
|---|---|---|---|---|---|---|---|
| A | 备案 | 平城区行政审批服务管理局 | 2025-12-01 | 2025-12-02 | 1 | 1 | no |
| A | 施工许可 | 平城区行政审批服务管理局 | 2026-02-12 | 2026-02-26 | 5 | 5 (春节, 02-14 worked; 10 weekdays) | no |
| B | 施工许可 (代办) | 市住房和城乡建设局 | 2024-03-28 | 2024-04-08 | 5 | 6 (清明, 04-07 worked) | yes, 1 over |
| B | 环评 | 市生态环境局 | 2026-08-03 | – | 30 | 60 (waiting) | yes, 30 over |
| C | 立项审批 | 平城区行政审批服务管理局 | 2026-03-02 | 2026-03-20 | 20 | 14 | no |
| C | 用地预审与选址 | 市规划和自然资源局 | 2026-09-28 | – | 20 | 20 (国庆; 24 weekdays) | no |

Factors (要素保障 sheet, same workbook): B 资金·地方政府专项债 3000万元, 1000 secured, planned
2026-09-30 (past it: gap 2000, overdue); B 用地 12亩 secured; C 用地 3.5公顷 = 52.5亩, none
secured, planned 2026-12-31 (not yet due); A 用能 4800吨标准煤 and 排污总量·氮氧化物 12.5吨,
both secured. No status above changes: A stays green (nothing of its waits past a limit); B is
red anyway.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

CODES = {k: f"{y}-{c}-44-01-00000{i}" for i, (k, y, c) in enumerate(
    [("A", 2025, 140213), ("B", 2024, 140213), ("C", 2026, 140213), ("E", 2023, 140215),
     ("F", 2026, 140215), ("G", 2026, 140213)], start=1)}
CODES["D"] = "2026-140213-44-01-000009"

PC_LON, PC_LAT = 113.30347, 40.08510  # inside 平城区
YZ_LON, YZ_LAT = 113.57211, 39.99230  # inside 云州区

# (project, item, department, accepted, completed, limit, 承诺制, 代办, state)
APPROVALS = [
    ("A", "备案", "平城区行政审批服务管理局", "2025-12-01", "2025-12-02", 1, "否", "否", "已办结"),
    ("A", "施工许可", "平城区行政审批服务管理局", "2026-02-12", "2026-02-26", 5, "否", "否", "已办结"),
    ("B", "施工许可", "市住房和城乡建设局", "2024-03-28", "2024-04-08", 5, "否", "是", "已办结"),
    ("B", "环评", "市生态环境局", "2026-08-03", None, 30, "否", "否", "办理中"),
    ("C", "立项审批", "平城区行政审批服务管理局", "2026-03-02", "2026-03-20", 20, "否", "否", "已办结"),
    ("C", "用地预审与选址", "市规划和自然资源局", "2026-09-28", None, 20, "否", "否", "办理中"),
]
# (project, kind, detail, unit, needed, secured, department, planned)
FACTORS = [
    ("A", "用能", None, "吨标准煤", 4800, 4800, "市能源局", "2026-02-28"),
    ("A", "排污总量", "氮氧化物", "吨", 12.5, 12.5, "市生态环境局", "2026-02-28"),
    ("B", "资金", "地方政府专项债", "万元", 3000, 1000, "市财政局", "2026-09-30"),
    ("B", "用地", None, "亩", 12, 12, "市规划和自然资源局", "2024-03-31"),
    ("C", "用地", None, "公顷", 3.5, 0, "市规划和自然资源局", "2026-12-31"),
]
NAMES = {"A": "平城区新型碳材料项目", "B": "平城区供热管网改造工程", "C": "平城区文化街区项目"}

# B's milestone nodes (节点计划): seq, name, planned, actual, remarks
MILESTONES_B = [
    (1, "设计批复", "2024-03-31", "2024-03-25", None),
    (2, "主管网开工", "2024-04-30", "2024-05-20", "受拆迁影响推迟"),
    (3, "一期管网完工", "2025-10-31", "2025-10-15", None),
    (4, "二期管网铺设完成", "2026-09-30", None, "资金缺口影响进度"),
    (5, "换热站调试", "2026-11-15", None, None),
    (6, "竣工验收", "2026-12-31", None, None),
]

HEAD_TOP = ["序号", "项目代码", "项目名称", "建设单位", "所在县（区）", "所在开发区", "项目类别", "重点工程级别",
            "所属行业", "六新类型", "投资类型", "总投资（万元）", "年度计划\n投资（万元）", "投资完成情况（万元）", None, None,
            "形象进度", "计划开工时间", "实际开工时间", "包联领导", "领导职务", "责任单位", "经度", "纬度", "存在问题"]
HEAD_SUB = [None] * 13 + ["本月", "年累计", "开工累计"] + [None] * 9


def _progress_rows(period: str) -> list[list]:
    if period == "2026-10":
        return [
            ["一、新开工项目"],
            [1, CODES["A"], "平城区新型碳材料项目", "大同碳谷科技有限公司", "平城区", None, "新开工", "市级", "工业", "新材料",
             "企业投资", 30000, 10000, 1000, 8000, 8000, "主体施工", "2026年3月", "2026.3", "王建国", "副市长",
             "市工业和信息化局", PC_LON, PC_LAT, None],
            [2, CODES["C"], "平城区文化街区项目", "平城区文旅局", "大同市平城区", None, "新开工", None, "服务业", None,
             "政府投资", 9000, 5000, 0, 0, 0, "前期手续办理中", "2026-05", None, None, None, None, None, None, "用地未落实"],
            ["小计", None, None, None, None, None, None, None, None, None, None, 39000, 15000, 1000, 8000, 8000],
            ["二、续建项目"],
            [3, CODES["B"], "平城区供热管网改造工程", "大同市热力公司", "平城区", None, "续建", "省定市管", "基础设施", None,
             "政府投资", 80000, 20000, 500, 10000, 45000, "管网铺设", "2024-04", "2024-04-10", "李明", "市长",
             "市住房和城乡建设局", PC_LON + 0.01, PC_LAT, "资金缺口"],
            ["合计", None, None, None, None, None, None, None, None, None, None, 119000, 35000, 1500, 18000, 53000],
        ]
    if period == "2026-09":
        return [
            [1, CODES["A"], "平城区新型碳材料项目", "大同碳谷科技有限公司", "平城区", None, "新开工", "市级", "工业", "新材料",
             "企业投资", 30000, 10000, 1500, 7000, 7000, "主体施工", "2026-03", "2026-03", "王建国", "副市长",
             "市工业和信息化局", PC_LON, PC_LAT, None],
            [2, CODES["B"], "平城区供热管网改造工程", "大同市热力公司", "平城区", None, "续建", "省定市管", "基础设施", None,
             "政府投资", 80000, 20000, 1000, 9500, 44500, "管网铺设", "2024-04", "2024-04-10", "李明", "市长",
             "市住房和城乡建设局", PC_LON + 0.01, PC_LAT, None],
        ]
    if period == "2025-10":
        return [
            [1, CODES["B"], "平城区供热管网改造工程", "大同市热力公司", "平城区", None, "续建", "省定市管", "基础设施", None,
             "政府投资", 80000, 18000, 900, 9000, 35000, "管网铺设", "2024-04", "2024-04-10", "李明", "市长",
             "市住房和城乡建设局", PC_LON + 0.01, PC_LAT, None],
        ]
    raise ValueError(period)


def write_pingcheng(folder: Path, period: str) -> Path:
    """平城区's workbook: merged two-row header, sections, 小计/合计, footnotes, a reserve and a problems sheet."""
    y, m = period.split("-")
    path = folder / f"{period}_平城区.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, f"{y}年{int(m)}月大同市平城区重点工程及年度建设项目进展情况表")
    ws.write(1, 0, "单位：万元")
    for j, h in enumerate(HEAD_TOP):
        if h is not None and j not in (13,):
            ws.write(2, j, h)
    ws.merge_range(2, 13, 2, 15, "投资完成情况（万元）")
    for j, h in enumerate(HEAD_SUB):
        if h:
            ws.write(3, j, h)
    r = 4
    for row in _progress_rows(period):
        ws.write_row(r, 0, row)
        r += 1
    ws.write(r + 1, 0, "填报单位：平城区发展和改革局    填报人：张三    联系电话：0352-1234567")
    if period == "2026-10":
        rs = wb.add_worksheet("储备项目")
        rs.write(0, 0, "2026年10月平城区储备项目库")
        rs.write_row(1, 0, ["序号", "项目代码", "项目名称", "所在县区", "所属行业", "总投资（万元）", "计划开工时间",
                            "招商引资项目", "签约时间"])
        rs.write_row(2, 0, [1, CODES["D"], "平城区数据中心项目", "平城区", "工业", 50000, "2027-03", "是", "2026-06-18"])
        qs = wb.add_worksheet("问题清单")
        qs.write(0, 0, "2026年10月平城区项目问题清单")
        qs.write_row(1, 0, ["问题编号", "项目代码", "项目名称", "问题类型", "问题描述", "发现时间", "责任单位", "责任领导",
                            "责任人", "解决措施", "完成时限", "办理状态", "办结时间", "企业满意度"])
        qs.write_row(2, 0, ["WT-1", CODES["B"], "平城区供热管网改造工程", "资金", "资金缺口3000万元", "2026-06-01",
                            "市财政局", "李明", "赵六", "申请专项债", "2026-08-31", "办理中", None, None])
        qs.write_row(3, 0, ["WT-2", CODES["C"], "平城区文化街区项目", "用地", "用地未落实", "2026-09-10",
                            "市自然资源局", None, "钱七", "加快组卷报批", "2026-12-31", "已交办", None, None])
        qs.write_row(4, 0, ["WT-3", CODES["A"], "平城区新型碳材料项目", "水电气暖接入", "电力接入慢", "2026-04-01",
                            "国网大同供电公司", "王建国", "孙八", "增容改造", "2026-06-30", "已办结", "2026-06-20", "满意"])
        ms = wb.add_worksheet("节点计划")
        ms.write(0, 0, "2026年10月平城区重点工程节点计划（挂图作战）")
        ms.write_row(1, 0, ["项目代码", "项目名称", "节点序号", "节点名称", "计划完成时间", "实际完成时间", "备注"])
        for i, node in enumerate(MILESTONES_B, start=2):
            ms.write_row(i, 0, [CODES["B"], "平城区供热管网改造工程", *node])
        sp = wb.add_worksheet("审批事项")
        sp.write(0, 0, "2026年10月平城区项目审批事项办理情况表")
        sp.write_row(1, 0, ["序号", "项目代码", "项目名称", "审批事项", "审批部门", "受理时间", "办结时间",
                            "办理时限（工作日）", "是否承诺制", "是否代办", "办理状态"])
        for i, (k, *rest) in enumerate(APPROVALS, start=1):
            sp.write_row(i + 1, 0, [i, CODES[k], NAMES[k], *rest])
        fs = wb.add_worksheet("要素保障")
        fs.write(0, 0, "2026年10月平城区项目要素保障情况表")
        fs.write_row(1, 0, ["序号", "项目代码", "项目名称", "要素类型", "要素细项", "计量单位", "需求量", "已落实",
                            "责任部门", "计划落实时间"])
        for i, (k, *rest) in enumerate(FACTORS, start=1):
            fs.write_row(i + 1, 0, [i, CODES[k], NAMES[k], *rest])
    if period == "2026-09":
        qs = wb.add_worksheet("问题清单")
        qs.write(0, 0, "2026年9月平城区项目问题清单")
        qs.write_row(1, 0, ["问题编号", "项目代码", "项目名称", "问题类型", "问题描述", "发现时间", "责任单位", "责任领导",
                            "责任人", "解决措施", "完成时限", "办理状态", "办结时间", "企业满意度"])
        qs.write_row(2, 0, ["WT-1", CODES["B"], "平城区供热管网改造工程", "资金", "资金缺口3000万元", "2026-06-01",
                            "市财政局", "李明", "赵六", "申请专项债", "2026-08-31", "已交办", None, None])
        qs.write_row(3, 0, ["WT-3", CODES["A"], "平城区新型碳材料项目", "水电气暖接入", "电力接入慢", "2026-04-01",
                            "国网大同供电公司", "王建国", "孙八", "增容改造", "2026-06-30", "已办结", "2026-06-20", "不满意"])
        qs.write_row(4, 0, ["WT-4", CODES["A"], "平城区新型碳材料项目", "审批", "施工许可办理慢", "2026-08-15",
                            "市行政审批服务管理局", "王建国", "周九", "并联审批", "2026-11-30", "办理中", None, None])
    wb.close()
    return path


def write_yunzhou_csv(folder: Path) -> Path:
    """云州区's 2026-10 progress as a GBK csv saved from Excel, amounts in 亿元, single header row."""
    lines = [
        "2026年10月云州区年度建设项目进展情况表,,,,,,,,,,,,",
        "单位：亿元,,,,,,,,,,,,",
        "序号,统一项目代码,项目名称,项目单位,县区,项目类型,项目级别,行业,投资主体,总投资,年计划投资,本月完成投资,年累计完成投资",
        f"1,{CODES['E']},云州区光伏制氢项目,大同氢能公司,大同市云州区,续建,,工业,企业投资,5,1.5,0.1,1.2",
        f"2,{CODES['F']},云州区黄花产业园,云州区农业农村局,云州区,新开工,市级,农业,政府投资,2,0.8,0.05,0.4",
        "3,2026-140215-44-01-000007,云州区物流园,大同物流公司,云州区,新开工,,服务业,企业投资,1,0.5,约500,0.2",
        "4,2026-140215-44-01-000008,北城区商业综合体,某公司,大同市北城区,新开工,,服务业,企业投资,1,0.5,0.01,0.1",
        "合计,,,,,,,,,,3.3,,",
        "填报单位：云州区发展和改革局,,,,,,,,,,,,",
    ]
    path = folder / "云州区_2026年10月.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    return path


def write_zone(folder: Path) -> Path:
    """经开区's 2026-10 progress: single sheet, dates as Excel serials, no 填报单位 line."""
    path = folder / "经开区月报.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Sheet1")
    ws.write(0, 0, "大同经济技术开发区2026年1-10月重点项目进展")
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在开发区", "项目类别", "重点工程级别", "所属行业", "六新类型",
                        "年度计划投资", "本月完成投资", "年累计完成投资", "计划开工时间", "实际开工时间", "包联领导",
                        "存在问题"])
    ws.write_row(2, 0, [CODES["G"], "经开区氢能装备产业园", "大同经济技术开发区", "新开工", "省定省管", "工业", "新装备",
                        30000, 3000, 27000, 46082, 46082, "王建国", "配套道路未建成"])
    wb.close()
    return path


def write_zone_september(folder: Path) -> Path:
    """经开区's 2026-09 progress: G behind schedule, with figures the statistics office would question.

    At 2026-09 G's 开工累计 (8000) is below its 年累计 (9000); at 2026-10 its 年累计 (27000) is not
    last month's 9000 + this month's 3000 (待核实 flags, queries/consistency_flags.sql).
    """
    path = folder / "经开区月报_2026年9月.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Sheet1")
    ws.write(0, 0, "大同经济技术开发区2026年1-9月重点项目进展")
    ws.write_row(1, 0, ["项目代码", "项目名称", "所在开发区", "项目类别", "重点工程级别", "所属行业", "六新类型",
                        "年度计划投资", "本月完成投资", "年累计完成投资", "开工累计完成投资", "计划开工时间", "实际开工时间",
                        "包联领导"])
    ws.write_row(2, 0, [CODES["G"], "经开区氢能装备产业园", "大同经济技术开发区", "新开工", "省定省管", "工业", "新装备",
                        30000, 1000, 9000, 8000, 46082, 46082, "王建国"])
    wb.close()
    return path


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    # new files go at the end: tests/test_load.py loads slices of this list
    return [write_pingcheng(folder, "2025-10"), write_pingcheng(folder, "2026-09"), write_pingcheng(folder, "2026-10"),
            write_yunzhou_csv(folder), write_zone(folder), write_zone_september(folder)]
