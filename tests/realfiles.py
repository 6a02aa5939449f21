"""County files written the way county and department staff really write them, each with the
answer the reader must give (tests/test_realfiles.py checks every one).

The variants cover headers (year- and month-numbered, line breaks, full-width characters,
two-row groups), units (万元, 亿元, 元), sheets (notes, summaries, annual + reserve, two
progress sheets, blank leading rows), encodings (GBK and UTF-8 csv, UTF-16 text, Excel
97-2003 .xls, an .xls that is really a web page), error cells (#N/A, #VALUE!, #REF!, #DIV/0!,
「-」), implausible amounts (1e308) and sizes (a 3,000-row sheet).

Files are written into a temporary folder by xlsxwriter (.xlsx), xlwt (.xls: the format many
county offices still save, and the only maintained way to write it from Python without Excel)
and plain bytes (csv), so that each variant's answer sits next to the code that writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class Err(str):
    """An Excel error value (#N/A …), written as a real error cell, not as text."""


# a formula whose cached result is that error, for xlsxwriter; the BIFF error code, for xlwt
_XLSX_ERR = {"#N/A": "=NA()", "#DIV/0!": "=1/0", "#VALUE!": "=\"a\"+1", "#REF!": "=#REF!"}
_XLS_ERR = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24,
            "#N/A": 0x2A}

Rows = list[list]
Sheet = tuple[str, Rows]


def write_book(path: Path, sheets: list[Sheet], encoding: str = "utf-8") -> Path:
    """Write sheets of rows (None for an empty cell, Err for an error cell) as .xlsx, .xls or .csv."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import xlsxwriter

        wb = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
        for name, rows in sheets:
            ws = wb.add_worksheet(name)
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    if isinstance(v, Err):
                        ws.write_formula(i, j, _XLSX_ERR[v], None, str(v))
                    elif v is not None:
                        ws.write(i, j, v)
        wb.close()
    elif suffix == ".xls":
        import xlwt

        wb = xlwt.Workbook(encoding="utf-8")
        for name, rows in sheets:
            ws = wb.add_sheet(name)
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    if isinstance(v, Err):
                        ws.row(i).set_cell_error(j, _XLS_ERR[v])
                    elif isinstance(v, dt.date):
                        ws.write(i, j, v, xlwt.easyxf(num_format_str="yyyy-mm-dd"))
                    elif v is not None:
                        ws.write(i, j, v)
        wb.save(str(path))
    elif suffix == ".csv":
        (_, rows), = sheets
        text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
        path.write_bytes(text.encode(encoding))
    else:
        raise ValueError(suffix)
    return path


def code(n: int, county: str = "140221", year: int = 2026) -> str:
    return f"{year}-{county}-44-01-{n:06d}"


def progress_rows(n: int, county: str = "阳高县", start: int = 1, plan0: float = 1000) -> Rows:
    """n annual projects: plan = plan0 + 10·i, month = 10 + i, ytd = 500 + 5·i (万元)."""
    cc = {"阳高县": "140221", "平城区": "140213", "云州区": "140215"}[county]
    return [[code(start + i, cc), f"{county}项目{start + i}", county, plan0 + 10 * i, 10 + i, 500 + 5 * i]
            for i in range(n)]


def sums(n: int, plan0: float = 1000) -> dict[str, float]:
    return {"annual_plan_wan": sum(plan0 + 10 * i for i in range(n)),
            "completed_month_wan": sum(10 + i for i in range(n)),
            "completed_ytd_wan": sum(500 + 5 * i for i in range(n))}


FOOT = "填报单位：阳高县发展和改革局    填报人：李四    填报日期：2026年11月3日"
TITLE = "2026年10月阳高县重点工程及年度建设项目进展情况表"


@dataclass
class Variant:
    """One real-format file and the answer: what is accepted, quarantined and skipped."""
    id: str
    write: Callable[[Path], Path]
    period: dt.date | None = None  # the period the user chose, if any
    error: str | None = None  # the file is refused with a message containing this
    expect_period: dt.date = dt.date(2026, 10, 1)
    sender: str = "阳高县"
    accepted: dict[str, int] = field(default_factory=dict)  # kind → rows accepted
    quarantined: list[tuple[str, int, str, str]] = field(default_factory=list)  # sheet, row, rule, value
    skipped_sheets: list[str] = field(default_factory=list)
    sums: dict[str, float] = field(default_factory=dict)  # progress column → sum of accepted rows
    warnings: list[str] = field(default_factory=list)  # substrings, one per expected warning
    mapping: dict[str, str] = field(default_factory=dict)  # header as written → column (subset)
    filled_date: dt.date | None = dt.date(2026, 11, 3)  # FOOT's 填报日期


HEAD_YM = ["项目代码", "项目名称", "所在县区", "2026年计划投资", "10月份完成投资", "1-10月累计完成投资"]


def _xls_year_month(folder: Path) -> Path:
    return write_book(folder / "阳高县2026年10月项目进展.xls",
                      [("Sheet1", [[TITLE], HEAD_YM, *progress_rows(30), [FOOT]])])


def _gbk_csv_1_9(folder: Path) -> Path:
    rows = [["2026年9月云州区年度建设项目进展情况表"], ["单位：万元"],
            ["序号", "统一项目代码", "项目名称", "县区", "年计划投资", "9月完成", "1-9月累计完成"]]
    rows += [[i + 1, *r] for i, r in enumerate(progress_rows(5, "云州区"))]
    rows += [["填报单位：云州区发展和改革局"]]
    return write_book(folder / "云州区_2026年9月.csv", [("x", rows)], encoding="gbk")


def _note_annual_reserve(folder: Path) -> Path:
    note = [["填报说明"], ["1. 本表金额单位为万元。"], ["2. 年度项目与储备项目分表填写。"], ["3. 每月5日前报送。"]]
    annual = [[TITLE], ["项目代码", "项目名称", "所在县区", "本年计划", "本月完成", "1—10月完成投资"],
              *progress_rows(25), ["合计", None, None, sums(25)["annual_plan_wan"]], [FOOT]]
    reserve = [["2026年10月阳高县储备项目库"], ["项目代码", "项目名称", "所在县区", "总投资（万元）", "前期工作进展"]]
    reserve += [[code(100 + i), f"储备项目{i}", "阳高县", 5000 + i, "可研编制中"] for i in range(18)]
    return write_book(folder / "阳高县2026年10月.xlsx",
                      [("说明", note), ("年度项目", annual), ("储备项目库", reserve)])


def _progress_missing_plan(folder: Path) -> Path:
    rows = [[TITLE], ["项目代码", "项目名称", "所在县区", "本月完成投资", "1-10月累计完成"]]
    rows += [r[:3] + r[4:] for r in progress_rows(4)] + [[FOOT]]
    return write_book(folder / "阳高县缺年度计划.xlsx", [("Sheet1", rows)])


def _amount_1e308(folder: Path) -> Path:
    rows = [[TITLE], ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"]]
    rows += progress_rows(2) + [[code(9), "天文数字项目", "阳高县", "1e308", 10, 500], [FOOT]]
    return write_book(folder / "阳高县_2026-10.csv", [("x", rows)])


def _error_rows() -> Rows:
    return [[TITLE], ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"],
            [code(1), "正常项目", "阳高县", 1000, 10, 500],
            [code(2), "年累计为NA", "阳高县", 1000, 10, Err("#N/A")],
            [code(3), "年累计为横线", "阳高县", 1000, 10, "-"],
            [code(4), "本月除零", "阳高县", 1000, Err("#DIV/0!"), 300],
            [code(5), "计划引用失效", "阳高县", Err("#REF!"), 10, 500],
            [code(6), "本月值错误", "阳高县", 1000, Err("#VALUE!"), 200],
            [FOOT]]


ERROR_QUARANTINE = [(4, "缺少年累计完成投资", "#N/A"), (5, "缺少年累计完成投资", "-"), (7, "缺少年度计划投资", "#REF!")]


def _error_cells_xlsx(folder: Path) -> Path:
    return write_book(folder / "阳高县2026年10月_错误值.xlsx", [("Sheet1", _error_rows())])


def _error_cells_xls(folder: Path) -> Path:
    return write_book(folder / "阳高县2026年10月_错误值.xls", [("Sheet1", _error_rows())])


def _month_mismatch(folder: Path) -> Path:
    rows = [[TITLE], ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成", "1-9月累计完成"],
            *progress_rows(3), [FOOT]]
    return write_book(folder / "阳高县月报.xlsx", [("Sheet1", rows)])


def _period_from_headers(folder: Path) -> Path:
    rows = [["阳高县重点项目进展情况表"], HEAD_YM, *progress_rows(3), [FOOT]]
    return write_book(folder / "阳高县项目表.xlsx", [("Sheet1", rows)])


def _utf16_csv(folder: Path) -> Path:
    rows = [[TITLE], HEAD_YM, *progress_rows(2)]
    return write_book(folder / "阳高县_2026-10.csv", [("x", rows)], encoding="utf-16")


def _two_progress_sheets(folder: Path) -> Path:
    head = ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"]
    a, b, c = progress_rows(3)
    d = progress_rows(1, start=4)[0]
    b2 = b[:3] + [b[3] + 1] + b[4:]
    return write_book(folder / "阳高县2026年10月_分表.xlsx", [
        ("新开工项目", [[TITLE], head, a, b, c, [FOOT]]),
        ("续建项目", [[TITLE], head, a, b2, d]),
    ])


def _html_as_xls(folder: Path) -> Path:
    path = folder / "系统导出2026年10月.xls"
    path.write_text("<html><body><table><tr><td>项目代码</td><td>项目名称</td></tr></table></body></html>",
                    encoding="utf-8")
    return path


def _leading_blank_rows(folder: Path) -> Path:
    rows = [[], [], [None, TITLE], [], [None, "项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"],
            [None, *progress_rows(1)[0]], [None, code(2), "负数项目", "阳高县", -5, 1, 2], [], [None, FOOT]]
    return write_book(folder / "阳高县2026年10月_空行.xlsx", [("Sheet1", rows)])


def _summary_sheet(folder: Path) -> Path:
    summary = [["2026年10月阳高县项目汇总"], ["县区", "项目个数", "年度计划投资", "年累计完成投资"],
               ["阳高县", 4, 4060, 2030]]
    detail = [[TITLE], ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"],
              *progress_rows(4), [FOOT]]
    return write_book(folder / "阳高县2026年10月_汇总.xlsx", [("汇总", summary), ("明细", detail)])


def _merged_group(folder: Path) -> Path:
    import xlsxwriter

    path = folder / "阳高县2026年10月_合并表头.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("项目进展")
    ws.write(0, 0, TITLE)
    for j, h in enumerate(["项目代码", "项目名称", "所在县（区）", "2026年度\n计划投资（万元）"]):
        ws.write(1, j, h)
    ws.merge_range(1, 4, 1, 5, "完成投资（万元）")
    ws.write_row(2, 4, ["本月", "1至10月"])
    for i, r in enumerate(progress_rows(6), start=3):
        ws.write_row(i, 0, r)
    ws.write(10, 0, "填报单位：阳高县发展和改革局")
    ws.write(11, 0, "填报日期：")
    ws.write_datetime(11, 1, dt.datetime(2026, 11, 4), wb.add_format({"num_format": "yyyy-mm-dd"}))
    wb.close()
    return path


def _yi_yuan_bound(folder: Path) -> Path:
    rows = [[TITLE], ["单位：亿元"], ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"],
            [code(1), "两亿项目", "阳高县", 2, 0.1, 1.5], [code(2), "一万五千亿项目", "阳高县", 15000, 0.1, 1], [FOOT]]
    return write_book(folder / "阳高县2026年10月_亿元.xlsx", [("Sheet1", rows)])


def _yuan(folder: Path) -> Path:
    rows = [[TITLE], ["项目代码", "项目名称", "所在县区", "年度计划投资（元）", "本月完成投资（元）", "截至10月底累计完成（元）"],
            [code(1), "按元填报", "阳高县", 10_000_000, 100_000, 5_000_000], [FOOT]]
    return write_book(folder / "阳高县2026年10月_元.xlsx", [("Sheet1", rows)])


def _fullwidth_linebreak_headers(folder: Path) -> Path:
    rows = [[TITLE], ["统一项目\n代码", "项目\n名称", "所在县（区）", "２０２６年\n计划投资（万元）", "１０月份\n完成（万元）",
                      "１－１０月\n累计完成（万元）"], *progress_rows(3), [FOOT]]
    return write_book(folder / "阳高县2026年10月_全角.xlsx", [("Sheet1", rows)])


def _xls_reserve(folder: Path) -> Path:
    rows = [["2026年10月阳高县储备项目库"], ["项目代码", "项目名称", "所在县区", "估算总投资", "计划开工时间"]]
    rows += [[code(200 + i), f"储备{i}", "阳高县", 3000, dt.date(2027, 3, 1)] for i in range(4)]
    return write_book(folder / "阳高县2026年10月储备.xls", [("储备库", rows), ("Sheet2", []), ("Sheet3", [])])


def _large(folder: Path) -> Path:
    rows = [[TITLE], ["项目代码", "项目名称", "所在县区", "年度计划投资", "本月完成投资", "年累计完成投资"],
            *progress_rows(3000), [FOOT]]
    return write_book(folder / "阳高县2026年10月_大表.xlsx", [("Sheet1", rows)])


VARIANTS = [
    # the .xls whose headers carry the year and the month was read as 30 reserve projects
    Variant("xls_year_month_headers", _xls_year_month, accepted={"progress": 30}, sums=sums(30),
            mapping={"2026年计划投资": "annual_plan_wan", "10月份完成投资": "completed_month_wan",
                     "1-10月累计完成投资": "completed_ytd_wan"}, filled_date=dt.date(2026, 11, 3)),
    # 「1-9月累计完成」 was refused as missing 年累计完成投资
    Variant("gbk_csv_1_9_months", _gbk_csv_1_9, expect_period=dt.date(2026, 9, 1), sender="云州区",
            accepted={"progress": 5}, sums=sums(5), mapping={"1-9月累计完成": "completed_ytd_wan"}, filled_date=None),
    # annual projects became reserve projects and 18 reserve rows vanished
    Variant("note_annual_reserve_sheets", _note_annual_reserve, accepted={"progress": 25, "reserve": 18},
            sums=sums(25), skipped_sheets=["说明"],
            mapping={"本年计划": "annual_plan_wan", "1—10月完成投资": "completed_ytd_wan"}),
    # a progress sheet without its plan column loaded as reserve projects
    Variant("progress_without_plan_column", _progress_missing_plan, error="缺少必需列「年度计划投资（万元）」"),
    # 1e308 was accepted and the city total became inf亿元
    Variant("amount_1e308", _amount_1e308, accepted={"progress": 2}, sums=sums(2),
            quarantined=[("阳高县_2026-10", 5, "金额超出合理范围", "1e308")]),
    # #N/A in 年累计 became 0; a quarantined 「-」 was reported as 0
    Variant("error_cells_xlsx", _error_cells_xlsx, accepted={"progress": 3},
            quarantined=[("Sheet1", r, rule, v) for r, rule, v in ERROR_QUARANTINE],
            sums={"annual_plan_wan": 3000, "completed_month_wan": 10, "completed_ytd_wan": 1000},
            warnings=["4个单元格是 Excel 错误值（如第4行「年累计完成投资」为「#N/A」）"]),
    Variant("error_cells_xls", _error_cells_xls, accepted={"progress": 3},
            quarantined=[("Sheet1", r, rule, v) for r, rule, v in ERROR_QUARANTINE],
            sums={"annual_plan_wan": 3000, "completed_month_wan": 10, "completed_ytd_wan": 1000},
            warnings=["4个单元格是 Excel 错误值"]),
    Variant("header_month_differs", _month_mismatch, accepted={"progress": 3},
            warnings=["表头「1-9月累计完成」写的是9月，与文件的期间2026年10月不符"]),
    Variant("header_month_differs_from_chosen_period", _month_mismatch, period=dt.date(2026, 10, 1),
            error="表头「1-9月累计完成」写的是9月，与指定的期间2026年10月不符"),
    Variant("period_from_headers", _period_from_headers, accepted={"progress": 3}, sums=sums(3)),
    Variant("utf16_csv", _utf16_csv, error="UTF-16"),
    Variant("two_progress_sheets", _two_progress_sheets, accepted={"progress": 3},
            quarantined=[("新开工项目", 4, "重复项目数据冲突", code(2)), ("续建项目", 3, "重复行", code(1)),
                         ("续建项目", 4, "重复项目数据冲突", code(2))]),
    Variant("web_page_saved_as_xls", _html_as_xls, error="网页（HTML）表格"),
    Variant("blank_leading_rows_and_column", _leading_blank_rows, accepted={"progress": 1},
            quarantined=[("Sheet1", 7, "金额为负", "-5")]),
    Variant("summary_sheet_beside_detail", _summary_sheet, accepted={"progress": 4}, sums=sums(4),
            skipped_sheets=["汇总"]),
    Variant("merged_group_and_date_cell", _merged_group, accepted={"progress": 6}, sums=sums(6),
            mapping={"完成投资（万元）/1至10月": "completed_ytd_wan", "2026年度计划投资（万元）": "annual_plan_wan"},
            filled_date=dt.date(2026, 11, 4)),
    Variant("yi_yuan_with_implausible_amount", _yi_yuan_bound, accepted={"progress": 1},
            sums={"annual_plan_wan": 20000, "completed_month_wan": 1000, "completed_ytd_wan": 15000},
            quarantined=[("Sheet1", 5, "金额超出合理范围", "15000")]),
    Variant("yuan", _yuan, accepted={"progress": 1},
            sums={"annual_plan_wan": 1000, "completed_month_wan": 10, "completed_ytd_wan": 500}),
    Variant("full_width_line_break_headers", _fullwidth_linebreak_headers, accepted={"progress": 3}, sums=sums(3)),
    Variant("xls_reserve_with_empty_sheets", _xls_reserve, accepted={"reserve": 4},
            skipped_sheets=["Sheet2", "Sheet3"], filled_date=None),
    Variant("large_sheet", _large, accepted={"progress": 3000}, sums=sums(3000)),
]
