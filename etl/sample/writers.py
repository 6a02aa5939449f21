"""把行写成报表：单元格写法、标题、两行合并表头、小计合计、落款，写 xlsx 和 GBK csv。"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from etl import divisions, vocab
from etl.sample.approval_sheet import APPROVAL_STATE_WORDS, FACTOR_WORDS
from etl.sample.senders import Sender, Style


MONEY_FIELDS = ("total_investment_wan", "annual_plan_wan", "completed_month_wan", "completed_ytd_wan",
                "completed_cum_wan")
DATE_FIELDS = ("planned_start", "actual_start", "planned_end", "signed_date", "found_date", "deadline",
               "closed_date", "node_planned", "node_actual", "accepted_date", "completed_date", "planned_date",
               "assigned_date", "answered_date")
COLUMN_WIDTH = {"approval_item": 16, "department": 24, "factor_department": 20, "factor_detail": 14, "seq": 5, "project_code": 26, "name": 36, "owner": 28, "county": 12, "zone": 18, "description": 36,
                "progress_text": 24, "problem_text": 26, "solution": 30, "responsible_unit": 20, "tags": 18,
                "funding_source": 18, "prep_stage": 22, "leader_title": 18, "problem_id": 22, "node_name": 14,
                "remarks": 16}

VOCAB_WORDS = {
    "std": dict(library={"new_start": "新开工", "continuing": "续建", "reserve": "储备"}, key=dict(vocab.KEY_LEVEL),
                sector={}, invest=dict(vocab.INVEST_KIND), yes="是", no="否", two={}, state=dict(vocab.PROBLEM_STATE),
                ptype={}),
    "alt": dict(library={"new_start": "新建", "continuing": "在建", "reserve": "储备类"},
                key={"province_managed": "省定省管", "province_city_managed": "省定市管", "municipal": "市级重点"},
                sector={"工业": "工业项目", "农业": "现代农业", "服务业": "现代服务业", "科技创新平台": "科创平台",
                        "基础设施": "基础设施项目", "社会民生": "社会事业"},
                invest={"enterprise": "企业", "government": "政府"}, yes="√", no=None,
                two={"交通水利等重大工程": "交通、水利等重大工程"},
                state={"open": "新发现", "assigned": "交办", "in_progress": "推进中", "escalated": "挂牌督办",
                       "closed": "已销号"},
                ptype={"用地": "土地", "资金": "融资", "审批": "手续", "水电气暖接入": "水电气暖", "征地拆迁": "征拆"}),
    "alt2": dict(library={"new_start": "新开工项目", "continuing": "续建项目", "reserve": "储备项目"},
                 key={"province_managed": "省定省管", "province_city_managed": "省定市管", "municipal": "市重点"},
                 sector={}, invest=dict(vocab.INVEST_KIND), yes="是", no="否", two={},
                 state=dict(vocab.PROBLEM_STATE), ptype={}),
}
ZONE_SHORT_NAME = {"140271": "大同经开区", "140291": "云冈经开区", "140292": "新荣经开区", "140293": "左云经开区",
                   "140294": "广灵经开区"}


def _render_date(d: dt.date | None, style: str, day_precision: bool = False):
    if d is None:
        return None
    if day_precision:
        style = {"ym_dash": "ymd_dash", "ym_dot": "ymd_dot", "ym_cn": "ymd_cn"}.get(style, style)
    if style == "excel":
        return d
    if style == "serial":
        return (d - dt.date(1899, 12, 30)).days
    y, m, dd = d.year, d.month, d.day
    return {"ym_dash": f"{y}-{m:02d}", "ym_dot": f"{y}.{m}", "ym_cn": f"{y}年{m}月", "ymd_slash": f"{y}/{m}/{dd}",
            "ymd_dash": f"{y}-{m:02d}-{dd:02d}", "ymd_cn": f"{y}年{m}月{dd}日", "ymd_dot": f"{y}.{m}.{dd}"}[style]


def _render_county(code: str, style: Style) -> str:
    name = divisions.COUNTY_NAME[code]
    if style.county_fmt == "city_prefix":
        return "大同市" + name
    if style.county_fmt == "short":
        return name[:-1]
    return name


# ---------------------------------------------------------------- 表格网格

@dataclass
class _Sheet:
    name: str
    fields: list[str]
    cells: list[list] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)       # 每行：title unit header section data subtotal total blank footer
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    unit: str = "万元"
    decimals: int = 2
    data_rows: int = 0

    def add(self, row: list, kind: str) -> int:
        self.cells.append(row)
        self.kinds.append(kind)
        return len(self.cells) - 1


def _renderer(field_name: str, style: Style, words: dict, day_precision: bool = False):
    """一个字段按该单位的习惯写成单元格内容的函数（None 仍为空单元格）。"""
    if field_name in MONEY_FIELDS:
        if style.unit == "亿元":
            return lambda v: v if isinstance(v, str) else round(v / 10000, 4)  # 字符串为有错误的金额（「约…」）
        if style.decimals:
            return lambda v: v if isinstance(v, str) else round(v, style.decimals)
        return lambda v: v if isinstance(v, str) else int(round(v))
    if field_name in DATE_FIELDS:
        return lambda v: _render_date(v, style.dates, day_precision)
    if field_name == "county":
        return lambda v: v if v.startswith("大同市北") else _render_county(v, style)
    if field_name == "zone":
        return (lambda v: ZONE_SHORT_NAME[v]) if style.zone_fmt == "short" else (lambda v: divisions.ZONE_NAME[v])
    table = {"library": words["library"], "key_level": words["key"], "invest_kind": words["invest"],
             "state": words["state"]}.get(field_name)
    if table is not None:
        return table.__getitem__
    table = {"sector": words["sector"], "two_new_type": words["two"], "problem_type": words["ptype"]}.get(field_name)
    if table is not None:
        return lambda v: table.get(v, v)
    if field_name in ("is_promotion", "is_promise", "is_agent", "is_low_risk"):
        return lambda v: words["yes"] if v else words["no"]
    alt = "alt" if style.vocab == "alt" else "std"
    if field_name == "factor_kind":
        return FACTOR_WORDS[alt].__getitem__
    if field_name == "approval_state":
        return APPROVAL_STATE_WORDS[alt].__getitem__
    if field_name == "severity":
        return {"ordinary": "一般", "major": "重大"}.__getitem__ if alt == "alt" else \
            {"ordinary": "一般问题", "major": "重大问题"}.__getitem__
    return None


def _headers(sheet: _Sheet, cols: list[tuple[str, str, str | None]]) -> int:
    """写两行（或一行）表头，返回表头行数。"""
    two = any(sub for _, _, sub in cols)
    r = len(sheet.cells)
    top = [t for _, t, _ in cols]
    if not two:
        sheet.add(top, "header")
        return 1
    row_top, row_sub = [], []
    j = 0
    while j < len(cols):
        f, t, sub = cols[j]
        if sub is None:
            row_top.append(t)
            row_sub.append(None)
            sheet.merges.append((r, j, r + 1, j))
            j += 1
            continue
        k = j
        while k + 1 < len(cols) and cols[k + 1][1] == t and cols[k + 1][2] is not None:
            k += 1
        for i in range(j, k + 1):
            row_top.append(t if i == j else None)
            row_sub.append(cols[i][2])
        if k > j:
            sheet.merges.append((r, j, r, k))
        j = k + 1
    sheet.add(row_top, "header")
    sheet.add(row_sub, "header")
    return 2


def _title_rows(sheet: _Sheet, title: str, unit_line: str | None, report_date: str, ncols: int) -> None:
    r = sheet.add([title] + [None] * (ncols - 1), "title")
    sheet.merges.append((r, 0, r, ncols - 1))
    if unit_line is not None:
        row = [None] * ncols
        row[0] = unit_line
        row[max(1, ncols - 3)] = f"填报日期：{report_date}"
        sheet.add(row, "unit")


def _footer_rows(sheet: _Sheet, sender: Sender, ncols: int) -> None:
    sheet.add([None] * ncols, "blank")
    items = [f"填报单位：{sender.filler_org}", f"填报人：{sender.filler}", f"联系电话：{sender.phone}",
             f"审核人：{sender.reviewer}"]
    if sender.style.footer == "lines":
        for it in items:
            sheet.add([it] + [None] * (ncols - 1), "footer")
    else:
        row = [None] * ncols
        for i, it in enumerate(items):
            row[min(ncols - 1, i * max(2, ncols // 4))] = it
        sheet.add(row, "footer")


def _sum_cells(sheet: _Sheet, rows: list[int], j: int, yi: bool):
    s = 0.0
    for r in rows:
        v = sheet.cells[r][j]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            s += v
    return round(s, 4 if yi else 2)


def _total_row(sheet: _Sheet, label: str, rows: list[int], cols, style: Style, kind: str,
               parts: list[int] | None = None) -> int:
    ncols = len(cols)
    row: list = [label] + [None] * (ncols - 1)
    r = len(sheet.cells)
    for j, (f, _, _) in enumerate(cols):
        if f in MONEY_FIELDS:
            val = _sum_cells(sheet, rows, j, style.unit == "亿元")
            if style.decimals == 0 and style.unit != "亿元":
                val = int(round(val))
            if style.formulas:
                col = xlsxwriter.utility.xl_col_to_name(j)
                if parts is not None:
                    formula = "=" + "+".join(f"{col}{p + 1}" for p in parts) if parts else "=0"
                elif rows:
                    formula = f"=SUM({col}{rows[0] + 1}:{col}{rows[-1] + 1})"
                else:
                    formula = "=0"
                row[j] = (formula, val)
            else:
                row[j] = val
    sheet.add(row, kind)
    sheet.merges.append((r, 0, r, 2))
    return r


# ---------------------------------------------------------------- 写 xlsx / csv

class _Formats:
    def __init__(self, wb, style: Style):
        money = "0.0000" if style.unit == "亿元" else ("#,##0.00" if style.decimals else "#,##0")
        date_fmt = {"excel": "yyyy-mm-dd"}.get(style.dates, "@")
        base = {"border": 1, "valign": "vcenter", "font_size": 10}
        self.title = wb.add_format({"bold": True, "font_size": 15, "align": "center", "valign": "vcenter"})
        self.unit = wb.add_format({"font_size": 10})
        self.header = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#DDEBF7"})
        self.section = wb.add_format({**base, "bold": True})
        self.text = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center"})
        self.money = wb.add_format({**base, "num_format": money})
        self.number = wb.add_format({**base, "num_format": "0.0"})
        self.coord = wb.add_format({**base, "num_format": "0.000000"})
        self.date = wb.add_format({**base, "num_format": date_fmt, "align": "center"})
        self.total_text = wb.add_format({**base, "bold": True, "align": "center"})
        self.total_money = wb.add_format({**base, "bold": True, "num_format": money})
        self.footer = wb.add_format({"font_size": 10})

    def for_cell(self, kind: str, field_name: str):
        if kind == "data":
            if field_name in MONEY_FIELDS:
                return self.money
            if field_name in ("lon", "lat"):
                return self.coord
            if field_name in DATE_FIELDS:
                return self.date
            if field_name in ("seq", "node_seq", "county", "library", "key_level", "is_promotion", "state"):
                return self.center
            if field_name == "land_area_mu":
                return self.number
            return self.text
        if kind in ("subtotal", "total"):
            return self.total_money if field_name in MONEY_FIELDS else self.total_text
        return {"title": self.title, "unit": self.unit, "header": self.header, "section": self.section,
                "footer": self.footer}.get(kind, self.text)


def _write_xlsx(path: Path, sheets: list[_Sheet], style: Style, created: dt.datetime, author: str, company: str,
                title: str) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": title, "author": author, "company": company, "created": created})
    fm = _Formats(wb, style)
    for sh in sheets:
        ws = wb.add_worksheet(sh.name)
        for j, f in enumerate(sh.fields):
            ws.set_column(j, j, COLUMN_WIDTH.get(f, 11))
        covered = set()
        firsts = {}
        for r1, c1, r2, c2 in sh.merges:
            firsts[(r1, c1)] = (r2, c2)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered.add((r, c))
        header_end = 0
        write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
        data_formats = [fm.for_cell("data", f) for f in sh.fields]
        for r, (row, kind) in enumerate(zip(sh.cells, sh.kinds)):
            if kind == "data":  # 数据行没有合并单元格，走快速路径
                for c, v in enumerate(row):
                    if v is None:
                        continue
                    if isinstance(v, str):
                        write_string(r, c, v, data_formats[c])
                    elif isinstance(v, dt.date):
                        write_datetime(r, c, dt.datetime(v.year, v.month, v.day), data_formats[c])
                    elif isinstance(v, bool):
                        write_string(r, c, "是" if v else "否", data_formats[c])
                    else:
                        write_number(r, c, v, data_formats[c])
                continue
            if kind == "header":
                header_end = r + 1
                ws.set_row(r, 32)
            elif kind == "title":
                ws.set_row(r, 30)
            for c, v in enumerate(row):
                if (r, c) in covered:
                    continue
                fld = sh.fields[c] if c < len(sh.fields) else ""
                fmt = fm.for_cell(kind, fld)
                if (r, c) in firsts:
                    r2, c2 = firsts[(r, c)]
                    ws.merge_range(r, c, r2, c2, v if not isinstance(v, tuple) else v[1], fmt)
                    continue
                if v is None:
                    continue
                if isinstance(v, tuple):
                    ws.write_formula(r, c, v[0], fmt, v[1])
                elif isinstance(v, str):
                    write_string(r, c, v, fmt)
                elif isinstance(v, (int, float)):
                    write_number(r, c, v, fmt)
                else:
                    write_string(r, c, str(v), fmt)
        if header_end:
            ws.freeze_panes(header_end, 3 if "name" in sh.fields[:4] else 0)
    wb.close()


def _csv_value(v, field_name: str, decimals: int, yi: bool) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple):
        v = v[1]
    if isinstance(v, str):
        return v
    if isinstance(v, dt.date):
        return f"{v.year}/{v.month}/{v.day}"  # Excel 另存为 csv 时日期单元格的样子
    if field_name in MONEY_FIELDS:
        return f"{v:.4f}" if yi else (f"{v:.{decimals}f}" if decimals else str(int(v)))
    if field_name in ("lon", "lat"):
        return f"{v:.6f}"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _write_csv(path: Path, sheet: _Sheet) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    yi = sheet.unit == "亿元"
    for row, kind in zip(sheet.cells, sheet.kinds):
        fields = sheet.fields if kind in ("data", "subtotal", "total") else [""] * len(row)
        w.writerow([_csv_value(v, fields[j] if j < len(fields) else "", sheet.decimals, yi)
                    for j, v in enumerate(row)])
    path.write_bytes(buf.getvalue().encode("gbk"))


def _data_sheet(name: str, cols, sender: Sender, title: str, unit_line: str | None, report_date: str,
                sections: list[tuple[str | None, list[dict]]], totals: bool, day_precision: bool) -> _Sheet:
    style = sender.style
    fields = [c[0] for c in cols]
    sheet = _Sheet(name, fields, unit=style.unit, decimals=style.decimals)
    words = VOCAB_WORDS[style.vocab]
    n = len(fields)
    _title_rows(sheet, title, unit_line, report_date, n)
    _headers(sheet, cols)
    seq = 0
    all_rows: list[int] = []
    sub_rows: list[int] = []
    renderers = [(f, _renderer(f, style, words, day_precision)) for f in fields]
    for label, rows in sections:
        if label is not None and not rows:
            continue
        if label is not None:
            r = sheet.add([label] + [None] * (n - 1), "section")
            sheet.merges.append((r, 0, r, 2))
        idx = []
        for row in rows:
            if "_exact_of" in row:
                cells = list(row["_exact_of"]["_cells"])
            else:
                seq += 1
                cells = []
                for f, fn in renderers:
                    v = row.get(f)
                    cells.append(seq if f == "seq" else (None if v is None else (v if fn is None else fn(v))))
            row["_cells"] = cells
            r = sheet.add(cells, "data")
            row["_excel_row"] = r + 1
            idx.append(r)
        sheet.data_rows += len(idx)
        all_rows += idx
        if totals and label is not None:
            sub_rows.append(_total_row(sheet, "小计", idx, cols, style, "subtotal"))
    if totals:
        _total_row(sheet, "合计", all_rows, cols, style, "total", parts=sub_rows if style.formulas else None)
    _footer_rows(sheet, sender, n)
    return sheet


def _written_wan(v, style: Style) -> float:
    """单元格里写的金额折回万元（truth 以文件中实际写的数为准）。"""
    if style.unit == "亿元":
        return round(round(v / 10000, 4) * 10000, 2)
    return round(v, style.decimals)
