"""The xlsx template the counties fill in: canonical headers, drop-down lists, number formats.

template_xlsx(period, sender) → bytes. Headers are the labels in aliases.toml, so a
filled-in template reads through etl.read.read_file without a single unrecognised column;
sheets left empty are ignored when the file is loaded.
"""

from __future__ import annotations

import datetime as dt
import io

from etl import divisions, vocab
from etl.schema import REQUIRED, Column, kind_columns

DATA_ROWS = 500  # rows given formats and drop-down lists
HEADER_ROW = 2  # 0-based: title, unit line, header

SHEETS = [  # (sheet name, kind, title after 「2026年10月平城区」)
    ("项目进展", "progress", "重点工程及年度建设项目进展情况表"),
    ("储备项目", "reserve", "储备项目库"),
    ("问题清单", "problems", "项目问题清单"),
    ("节点计划", "milestones", "重点工程节点计划"),
    ("审批事项", "approvals", "项目审批事项办理情况表"),
    ("要素保障", "factors", "项目要素保障情况表"),
]
# sheets whose amounts are not money (no 「单位：万元」 line)
_NO_MONEY = {"approvals", "factors"}

# columns a sheet of this kind leaves out of the template
_SKIP = {"reserve": {"library"}}

_TYPE_HINT = {
    "money": "数字，单位万元，不写“万元”字样，不得为负",
    "number": "数字",
    "date": "日期，如 2026-03-15；只知月份写 2026-03",
    "bool": "从下拉列表选择：是、否",
    "text": "文字",
}
_COLUMN_HINT = {
    "project_code": "全国投资项目在线审批监管平台赋予的项目代码，如 2021-140213-44-01-012345",
    "county": "开发区项目可只填「所在开发区」",
    "lon": "WGS84 经度，如 113.30347",
    "lat": "WGS84 纬度，如 40.08510",
    "completed_ytd_wan": "本年1月至本月累计，不小于本月完成投资",
    "key_level": "非重点工程留空",
    "approval_item": "审批事项名称，如 " + "、".join(v for k, v in vocab.APPROVAL_ITEM.items() if k != "other"),
    "limit_days": "整数，该事项的办理时限（工作日）",
    "accepted_date": "受理日期，如 2026-03-15；未受理留空",
    "completed_date": "办结日期，如 2026-03-20；仍在办理留空",
    "needed": "数字，单位见「计量单位」：用地亩、用能吨标准煤、排污总量吨、资金万元",
    "secured": "数字，截至本月末已落实的量，单位同需求量",
    "factor_detail": "资金写资金来源（如 地方政府专项债），排污总量写污染物（如 氮氧化物），其余可空",
    "assigned_date": "问题交办（部署）日期，13710：发现后1个工作日内",
    "answered_date": "责任单位首次答复日期，13710：发现后3个工作日内",
}


def choices(kind: str) -> dict[str, list[str]]:
    """Column → the values its drop-down list offers, for one kind of sheet."""
    out = {
        "county": [name for _, name in divisions.COUNTIES],
        "zone": [name for _, name, _ in divisions.ZONES],
        "library": [vocab.LIBRARY["new_start"], vocab.LIBRARY["continuing"]],
        "key_level": list(vocab.KEY_LEVEL.values()),
        "sector": list(vocab.SECTORS),
        "six_new_type": list(vocab.SIX_NEW),
        "two_new_type": list(vocab.TWO_NEW_ONE_HEAVY),
        "invest_kind": list(vocab.INVEST_KIND.values()),
        "is_promotion": ["是", "否"],
        "problem_type": list(vocab.PROBLEM_TYPES),
        "state": list(vocab.PROBLEM_STATE.values()),
        "satisfaction": list(vocab.SATISFACTION),
        "severity": list(vocab.SEVERITY.values()),
        "approval_state": list(vocab.APPROVAL_STATE.values()),
        "is_promise": ["是", "否"],
        "is_agent": ["是", "否"],
        "is_low_risk": ["是", "否"],
        "factor_kind": list(vocab.FACTOR_KIND.values()),
        "factor_unit": [u for units in vocab.FACTOR_UNIT_WORDS.values() for u in units if u not in ("t", "tce")],
    }
    return {c.name: out[c.name] for c in template_columns(kind) if c.name in out}


def template_columns(kind: str) -> list[Column]:
    """The columns of one sheet of the template, in aliases.toml order."""
    return [c for c in kind_columns(kind) if c.name not in _SKIP.get(kind, set())]


def required(kind: str, column: str) -> bool:
    return column in REQUIRED[kind]


def hint(kind: str, col: Column) -> str:
    """What to write in a column, in words (shown on the cell and in the 填报说明 sheet)."""
    if col.name in choices(kind):
        base = "从下拉列表选择：" + "、".join(choices(kind)[col.name])
        return f"{base}；{_COLUMN_HINT[col.name]}" if col.name in _COLUMN_HINT else base
    return _COLUMN_HINT.get(col.name) or _TYPE_HINT[col.type]


def _title(period: dt.date, sender: str | None, text: str) -> str:
    return f"{period.year}年{period.month}月{sender or ''}{text}"


def template_xlsx(period: dt.date, sender: str | None = None) -> bytes:
    """The template workbook for one month (and optionally one sender) as xlsx bytes."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"title": "大同市项目建设月报填报模板", "created": dt.datetime(2000, 1, 1)})
    f_title = wb.add_format({"bold": True, "font_size": 14})
    f_line = wb.add_format({"font_color": "#444444"})
    f_head = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True,
                            "align": "center", "valign": "vcenter"})
    f_head_req = wb.add_format({"bold": True, "bg_color": "#BFD3EE", "border": 1, "text_wrap": True,
                                "align": "center", "valign": "vcenter"})
    col_fmt = {
        "money": wb.add_format({"num_format": "#,##0.00"}),
        "number": wb.add_format({"num_format": "0.00"}),
        "coord": wb.add_format({"num_format": "0.000000"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
        "text": wb.add_format({"num_format": "@"}),
        "bool": None,
    }
    first, last = HEADER_ROW + 1, HEADER_ROW + DATA_ROWS
    for sheet_name, kind, title in SHEETS:
        ws = wb.add_worksheet(sheet_name)
        cols = template_columns(kind)
        lists = choices(kind)
        ws.write(0, 0, _title(period, sender, title), f_title)
        ws.write(1, 0, f"填报单位：{sender or ''}", f_line)
        if kind not in _NO_MONEY:
            ws.write(1, 3, "单位：万元", f_line)
        ws.write(1, 6, "填报人：", f_line)
        ws.write(1, 9, "联系电话：", f_line)
        ws.set_row(HEADER_ROW, 36)
        for j, col in enumerate(cols):
            ws.write_string(HEADER_ROW, j, col.label, f_head_req if required(kind, col.name) else f_head)
            fmt = col_fmt["coord"] if col.name in ("lon", "lat") else col_fmt[col.type]
            width = 26 if col.name in ("project_code", "name", "description", "progress_text") else \
                max(10, min(18, len(col.label) * 2 + 2))
            ws.set_column(j, j, width, fmt)
            tip = {"input_title": col.label[:32], "input_message": hint(kind, col)[:255]}
            if col.name in lists:
                ws.data_validation(first, j, last, j, {
                    "validate": "list", "source": lists[col.name], "error_type": "stop",
                    "error_title": "请从下拉列表选择", "error_message": f"「{col.label}」应为：{'、'.join(lists[col.name])}"[:255],
                    **tip})
            elif col.type == "money":
                ws.data_validation(first, j, last, j, {
                    "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop",
                    "error_title": "金额有误", "error_message": "请填写不小于0的数字（单位：万元），不要写文字", **tip})
            elif col.type == "date":
                ws.data_validation(first, j, last, j, {
                    "validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1),
                    "maximum": dt.date(2100, 12, 31), "error_type": "warning", "error_title": "日期格式",
                    "error_message": "请填写日期，如 2026-03-15 或 2026-03", **tip})
            elif col.name in ("lon", "lat"):
                lo, hi = (112.0, 115.0) if col.name == "lon" else (39.0, 41.0)
                ws.data_validation(first, j, last, j, {
                    "validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi,
                    "error_type": "warning", "error_title": "坐标超出大同市范围",
                    "error_message": "请填写WGS84经纬度（小数），如 113.30347、40.08510", **tip})
            else:
                ws.data_validation(first, j, last, j, {"validate": "any", **tip})
        ws.freeze_panes(HEADER_ROW + 1, 2)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
    _instructions(wb, period, f_title, f_head)
    wb.close()
    return buf.getvalue()


def _instructions(wb, period: dt.date, f_title, f_head) -> None:
    ws = wb.add_worksheet("填报须知")
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 3, 70)
    ws.write(0, 0, "大同市项目建设月报填报须知", f_title)
    lines = [
        f"1. 每月5日前报送上月数据；标题中的「{period.year}年{period.month}月」是数据期间，请按实际月份修改。",
        "2. 在各工作表第2行「填报单位」冒号后写明单位名称；不用的工作表保持空白即可（空白表不会覆盖已有数据）。",
        "3. 每个项目一行，从第4行起填写；不要合并单元格，不要插入合计、小计行，不要改动表头。",
        "4. 金额一律以万元为单位，只填数字；日期填 2026-03-15 或 2026-03；带下拉箭头的列请从列表中选择。",
        "5. 深蓝色表头为必填列；所在县区与所在开发区至少填一项。",
        "6. 「审批事项」表每个项目的每个审批事项一行，办理时限和用时按法定工作日计（节假日不计，调休上班日计入）；"
        "「要素保障」表每个项目的每项要素一行（资金按来源分行）。",
    ]
    for i, text in enumerate(lines, start=1):
        ws.write(i, 0, text)
    row = len(lines) + 2
    for j, h in enumerate(["所在工作表", "列名", "是否必填", "填写要求"]):
        ws.write(row, j, h, f_head)
    for sheet_name, kind, _ in SHEETS:
        for col in template_columns(kind):
            row += 1
            ws.write_row(row, 0, [f"「{sheet_name}」表", col.label, "必填" if required(kind, col.name) else "",
                                  hint(kind, col)], wrap)

