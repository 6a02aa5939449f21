"""Read one county spreadsheet into checked, canonical rows.

read_file(path) → FileReport: per sheet the accepted rows (explicit schema, 万元) and the
quarantined rows with their reasons. A file-level fault raises FileError with a Chinese
message naming the file; nothing is written anywhere by this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import polars as pl

from etl import config, convert, divisions, guard, read_frame, vocab
from etl.boundary import in_datong, in_datong_many
from etl.parse import (ERROR_CELLS, CellError, clean_text, is_not_reported, normalise_header, parse_date,
                       parse_money, period_from_filename, period_from_text)
from etl.read_approvals import calendar_warnings, normalise_approval, normalise_factor, normalise_problem_clock
from etl.schema import (KIND_LABEL, QUARANTINE_SCHEMA, SHEET_KIND, SHEET_KINDS, columns, is_known_header,
                        is_known_header_cell, lookup, lookup_column, staging_schema)

MAX_HEADER_SCAN = 25
CODE_PATTERN = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".parquet", ".txt"}
_FOOTNOTE = re.compile(r"^(填报单位|报送单位|填报人|填表人|联系电话|电话|审核人|负责人|填报日期|报送日期|制表|注[:：]|说明[:：]|备注[:：]|注\d)")
# possessive, and not followed by a colon: in 「填报单位：  填报人：张三」 the unit is blank, not 「填报人」
_SENDER = re.compile(r"(?:填报单位|报送单位)\s*[:：]\s*([^\s:：,，;；]++)(?![:：])")
_SECTION = re.compile(r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+)")
_TOTAL_WORDS = ("合计", "小计", "总计", "全市合计", "总合计")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")


log = logging.getLogger(__name__)


class FileError(Exception):
    """A fault that stops a whole file. The message is Chinese and names the file."""


@dataclass
class SheetReport:
    sheet: str
    kind: str
    header_row: int  # 1-based, as Excel shows it
    header_rows: int
    mapping: dict[str, str]  # header as written → canonical column
    unrecognised: list[str]
    unit: str
    rows_read: int  # project rows: each ends accepted or quarantined
    accepted: pl.DataFrame
    quarantine: pl.DataFrame
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, reason): 合计, 分组标题, 落款
    header_dates: dict[str, dict[str, int]] = field(default_factory=dict)  # header as written → year/month

    @property
    def rows_quarantined(self) -> int:
        return self.quarantine.select("sheet", "source_row").n_unique() if self.quarantine.height else 0

    @property
    def rows_skipped(self) -> int:
        return len(self.skipped)


@dataclass
class SkippedSheet:
    """A sheet of the workbook that holds no project rows, and why (shown as 「已跳过：…」)."""
    sheet: str
    rows: int  # its non-blank rows
    reason: str


@dataclass
class FileReport:
    path: Path
    file_name: str
    sha256: str
    period: dt.date
    sender: str
    sheets: list[SheetReport]
    warnings: list[str] = field(default_factory=list)
    skipped_sheets: list[SkippedSheet] = field(default_factory=list)
    filled_date: dt.date | None = None  # 填报日期 as written in the file

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.sheets)

    @property
    def rows_accepted(self) -> int:
        return sum(s.accepted.height for s in self.sheets)

    @property
    def rows_quarantined(self) -> int:
        return sum(s.rows_quarantined for s in self.sheets)

    @property
    def rows_skipped(self) -> int:
        """Rows that are no project: 合计/小计, section titles and footnotes under a header, and
        every row of a sheet that was skipped. rows under the headers + rows of skipped sheets
        = accepted + quarantined + skipped."""
        return sum(s.rows_skipped for s in self.sheets) + sum(s.rows for s in self.skipped_sheets)

    def sheet(self, kind: str) -> SheetReport | None:
        """The rows of one kind; several sheets of that kind (新开工 and 续建 apart) read as one."""
        found = [s for s in self.sheets if s.kind == kind]
        if len(found) <= 1:
            return found[0] if found else None
        first = found[0]
        return SheetReport(
            sheet="、".join(s.sheet for s in found), kind=kind, header_row=first.header_row,
            header_rows=first.header_rows, mapping={k: v for s in found for k, v in s.mapping.items()},
            unrecognised=[u for s in found for u in s.unrecognised], unit=first.unit,
            rows_read=sum(s.rows_read for s in found),
            accepted=pl.concat([s.accepted for s in found], how="vertical_relaxed"),
            quarantine=pl.concat([s.quarantine for s in found], how="vertical_relaxed"),
            warnings=[w for s in found for w in s.warnings], skipped=[x for s in found for x in s.skipped])


# ---------------------------------------------------------------- grids

Grid = list[list[str | None]]

# calamine's names of Excel's error values → the text Excel shows in the cell
_ERROR_TEXT = {"NA": "#N/A", "Div0": "#DIV/0!", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?",
               "Num": "#NUM!", "Null": "#NULL!", "GettingData": "#GETTING_DATA"}
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) files start with it


def _decode_csv(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[1:4096:2].count(0) > len(data[1:4096:2]) // 2 or \
            data[0:4096:2].count(0) > len(data[0:4096:2]) // 2:
        raise FileError(f"文件「{name}」是 UTF-16（Unicode）编码的文本，无法按 csv 读取：请在 Excel 中打开后"
                        f"另存为「CSV UTF-8（逗号分隔）」或 .xlsx 再上传")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise FileError(f"文件「{name}」无法识别文字编码（应为 UTF-8 或 GBK）")


@lru_cache(maxsize=1 << 16)
def _clean_cell(text: str | None) -> str | None:
    """clean_text of a text cell; county names, dates and words repeat, so each is cleaned once."""
    return clean_text(text)


def _excel_grid(reader, sheet_name: str) -> Grid:
    """One sheet as rows of text, row i being Excel's row i+1; error cells as Excel shows them."""
    sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
    batch, errors = sheet.to_arrow_with_errors()
    if batch.num_columns == 0 or batch.num_rows == 0:
        return []
    cols = [[_clean_cell(v) for v in batch.column(j).to_pylist()] for j in range(batch.num_columns)]
    rows = [list(r) for r in zip(*cols)]
    for e in (errors.errors if errors else ()):
        i, j = e.position
        m = _ERROR_DETAIL.search(e.detail or "")
        if i < len(rows) and j < len(rows[i]):
            rows[i][j] = _ERROR_TEXT.get(m.group(1), "#ERROR") if m else "#ERROR"
    return rows


def read_grids(path: Path, data: bytes | None = None) -> list[tuple[str, Grid]]:
    """Every sheet of a file as rows of text cells (None for blank)."""
    name = path.name
    suffix = path.suffix.lower()
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            raise FileError(f"文件「{name}」无法打开（文件不存在或没有读取权限）") from None
    if not data.strip():
        raise FileError(f"文件「{name}」是空文件")
    guard.check(name, suffix, data, error=FileError)  # size limits before any parser runs (etl/guard.py)
    if suffix not in SPREADSHEET_SUFFIXES:
        raise FileError(f"文件「{name}」不是支持的表格文件（支持 xlsx、xls、csv、parquet）")
    if suffix in (".csv", ".txt"):
        text = _decode_csv(data, name)
        if "\x00" in text[:4096]:
            raise FileError(f"文件「{name}」不是文本表格（csv）")
        try:
            rows = [[clean_text(c) for c in r] for r in csv.reader(io.StringIO(text))]
        except csv.Error:
            raise FileError(f"文件「{name}」不是规范的 csv 文本表格（引号不成对或单元格过长）") from None
        return [(path.stem, rows)]
    if suffix == ".parquet":
        try:
            df = pl.read_parquet(io.BytesIO(data))
        except Exception:
            raise FileError(f"文件「{name}」不是有效的 parquet 文件") from None
        rows: Grid = [list(df.columns)]
        rows += [[clean_text(v) for v in r] for r in df.select(pl.all().cast(pl.String)).iter_rows()]
        return [(path.stem, rows)]
    import fastexcel

    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")) or b"<table" in head:
        raise FileError(f"文件「{name}」的内容是网页（HTML）表格，不是真正的 Excel 文件：请在 Excel 中打开后"
                        f"另存为 .xlsx 再上传")
    if not data.startswith((b"PK", _OLE_MAGIC)):
        raise FileError(f"文件「{name}」不是有效的 Excel 文件（内容不是 xlsx 或 xls 格式）")
    try:
        reader = fastexcel.read_excel(data)
    except Exception:
        kind = "Excel 97-2003（.xls）" if data.startswith(_OLE_MAGIC) else "Excel（.xlsx）"
        raise FileError(f"文件「{name}」无法作为 {kind} 文件读取：文件已损坏、加了密码或不是 Excel 保存的文件") from None
    out = []
    for sheet_name in reader.sheet_names:
        try:
            out.append((sheet_name, _excel_grid(reader, sheet_name)))
        except Exception:
            out.append((sheet_name, []))  # a chart-only or unreadable sheet: reported as skipped
    return out


# ---------------------------------------------------------------- headers

def _header_score(row: list[str | None]) -> int:
    return sum(map(is_known_header_cell, filter(None, row)))


def find_header(grid: Grid) -> tuple[int, int]:
    """(index of the header row, number of header rows: 1 or 2). -1 if none found."""
    best, best_i = 0, -1
    for i, row in enumerate(grid[:MAX_HEADER_SCAN]):
        score = _header_score(row)
        if score > best:
            best, best_i = score, i
    if best < 2:
        return -1, 0
    if best_i + 1 < len(grid):
        top, sub = grid[best_i], grid[best_i + 1]
        width = max(len(top), len(sub))
        top = top + [None] * (width - len(top))
        sub = sub + [None] * (width - len(sub))
        sub_cells = [c for c in sub if c]
        looks_like_data = any(CODE_PATTERN.match(c.replace(" ", "")) for c in sub_cells) or any(
            _is_number(c) for c in sub_cells)
        merged_gap = any(sub[j] and not top[j] for j in range(width))
        if sub_cells and not looks_like_data and merged_gap:
            return best_i, 2
        if sub_cells and not looks_like_data:
            if sum(1 for c in sub_cells if is_known_header(normalise_header(c)[0])) >= 2:
                return best_i, 2
    return best_i, 1


def _is_number(s: str) -> bool:
    try:
        float(s.replace(",", ""))
        return True
    except ValueError:
        return False


def header_names(grid: Grid, start: int, n: int) -> list[tuple[str, str | None, str]]:
    """Per column: (normalised name, declared unit, header as written)."""
    top = list(grid[start])
    sub = list(grid[start + 1]) if n == 2 else []
    width = max(len(top), len(sub))
    top += [None] * (width - len(top))
    sub += [None] * (width - len(sub))
    out = []
    last_top = None
    for j in range(width):
        t, s = top[j], sub[j]
        if t:
            last_top = t
        elif s and last_top:
            t = last_top  # horizontally merged group: the name sits in the leftmost cell
        tn, tu = normalise_header(t)
        sn, su = normalise_header(s)
        written = "/".join(x.replace("\n", "") for x in (t, s) if x)
        if tn and sn:
            out.append((f"{tn}|{sn}", su or tu, written))
        else:
            out.append((tn or sn, tu or su, written))
    return out


def detect_kind(sheet_name: str, names: list[str], title: str = "") -> str | None:
    """Which kind of sheet this is (a SheetKind name), from its columns; None when it looks like none.

    `names` are the normalised headers, `title` the text above them. The first kind of
    etl.schema.SHEET_KINDS whose signature the sheet carries wins; there is no default kind.
    """
    for k in SHEET_KINDS:
        mapped = {_lookup(n, k.name) for n in names} - {None}
        if any(set(sig) <= mapped for sig in k.signatures):
            return k.name
        where = sheet_name + (title if k.title_named else "")
        if k.name_words and any(w in where for w in k.name_words) and set(k.named_signature) <= mapped:
            return k.name
    return None


def _lookup(name: str, kind: str) -> str | None:
    return lookup_column(name, kind)


# ---------------------------------------------------------------- rows

def _footnote_sender(cells: list[str]) -> str | None:
    for c in cells:
        m = _SENDER.search(c)
        if m:
            return m.group(1)
    return None


@lru_cache(maxsize=1 << 16)
def _is_footnote(first: str) -> bool:
    return _FOOTNOTE.match(first.replace(" ", "")) is not None


@lru_cache(maxsize=1 << 16)
def _is_total_head(cell: str) -> bool:
    h = normalise_header(cell)[0]
    return h.startswith(_TOTAL_WORDS) or h.endswith(("合计", "小计"))


@lru_cache(maxsize=1 << 16)
def _is_code(cell: str) -> bool:
    return CODE_PATTERN.match(cell.replace(" ", "")) is not None


@lru_cache(maxsize=1 << 16)
def _is_section(cell: str) -> bool:
    return _SECTION.match(cell) is not None


def _row_kind(cells: list[str | None], code_idx: int | None, name_idx: int | None) -> str:
    """data, blank, total, section or footnote."""
    first = next(filter(None, cells), None)
    if first is None:
        return "blank"
    if _is_footnote(first):
        return "footnote"
    code = cells[code_idx] if code_idx is not None and code_idx < len(cells) else None
    if code and _is_code(code):  # a project code: neither a total nor a section title
        return "data"
    if any(map(_is_total_head, filter(None, cells[:4]))):
        return "total"
    if not code and len(list(filter(None, cells))) <= 2:
        name = cells[name_idx] if name_idx is not None and name_idx < len(cells) else None
        if _is_section(first.replace(" ", "")) or (name and _is_section(name)) or \
                len(list(filter(None, cells))) == 1:
            return "section"
    return "data"


class _Row:
    __slots__ = ("values", "raw", "errors")

    def __init__(self, values: dict[str, object] | None = None, raw: dict[str, str | None] | None = None):
        self.values: dict[str, object] = {} if values is None else values
        self.raw: dict[str, str | None] = {} if raw is None else raw  # the cell of each column as written
        self.errors: list[tuple[str, str, str, str]] = []  # column label, value, rule, message

    def fail(self, col: str, value: object, rule: str, message: str):
        """Record a broken rule. With no value, the cell as written is quoted: a 「-」 or an
        Excel error value (#N/A) is named in the message, so nobody reads it as empty or 0."""
        label = columns()[col].label if col in columns() else col
        if value is None and is_not_reported(self.raw.get(col)):
            value = self.raw[col]
            message += f"（单元格为「{value}」，按未填报处理）"
        self.errors.append((label, "" if value is None else str(value), rule, message))

    def failed(self, col: str) -> bool:
        label = columns()[col].label if col in columns() else col
        return any(e[0] == label for e in self.errors)


@dataclass(frozen=True)
class RowContext:
    """What a row rule may know besides the row: the sheet's kind, the sender, the period."""
    kind: str
    sender_unit: str | None  # the sender's division code when the user named it
    period: dt.date
    inside: dict[tuple[float, float], bool] = field(default_factory=dict)  # (lon, lat) → in Datong, tested at once


def _normalise_project(row: _Row, ctx: RowContext):
    """Annual and reserve projects: code, county/zone, library, vocabularies, amounts, coordinates."""
    kind, sender_unit, period = ctx.kind, ctx.sender_unit, ctx.period
    v = row.values
    code = v.get("project_code")
    if code:
        code = str(code).replace(" ", "").replace("—", "-").replace("－", "-").upper()
        v["project_code"] = code
        if not CODE_PATTERN.match(code):
            row.fail("project_code", code, "项目代码格式错误", f"项目代码「{code}」格式不符（应如 2021-140213-44-01-012345）")
    else:
        row.fail("project_code", None, "缺少项目代码", "缺少项目代码")
    if kind in ("progress", "reserve") and not v.get("name"):
        row.fail("name", None, "缺少项目名称", "缺少项目名称")

    zone, county, errors = read_frame.place(v.get("zone"), v.get("county"), sender_unit)
    for col, value, rule, message in errors:
        row.fail(col, value, rule, message)
    v["zone_code"], v["county_code"] = zone, county

    lib_text = v.get("library")
    if kind == "reserve":
        v["library"] = "reserve"
    elif lib_text:
        lib = vocab.LIBRARY_WORDS.get(lib_text.replace(" ", ""))
        if lib is None:
            row.fail("library", lib_text, "项目类别无法识别", f"项目类别「{lib_text}」应为 储备、新开工 或 续建")
        v["library"] = lib
    else:
        start = v.get("actual_start") or v.get("planned_start")
        v["library"] = "continuing" if isinstance(start, dt.date) and start.year < period.year else "new_start"

    level_text = v.get("key_level")
    if level_text and level_text not in ("否", "无", "-", "/", "非重点"):
        level = vocab.KEY_LEVEL_WORDS.get(level_text.replace(" ", ""))
        if level is None:
            row.fail("key_level", level_text, "重点工程级别无法识别",
                     f"重点工程级别「{level_text}」应为 省定省管、省定市管 或 市级")
        v["key_level"] = level
    else:
        v["key_level"] = None

    sector = v.get("sector")
    if sector:
        v["sector"] = vocab.SECTOR_WORDS.get(sector, sector)
    six = v.get("six_new_type")
    if six and six not in vocab.SIX_NEW:
        v["six_new_type"] = next((s for s in vocab.SIX_NEW if s in six), None) if six not in ("否", "无", "-") else None
    two = v.get("two_new_type")
    if two:
        two = vocab.TWO_NEW_WORDS.get(two, two)
        v["two_new_type"] = two if two in vocab.TWO_NEW_ONE_HEAVY else None
    kind_text = v.get("invest_kind")
    v["invest_kind"] = vocab.INVEST_KIND_WORDS.get(kind_text) if kind_text else None

    if kind == "progress":
        if v.get("annual_plan_wan") is None and not row.failed("annual_plan_wan"):
            row.fail("annual_plan_wan", None, "缺少年度计划投资", "缺少年度计划投资")
        if v.get("completed_ytd_wan") is None and "completed_ytd_wan" in v and not row.failed("completed_ytd_wan"):
            if is_not_reported(row.raw.get("completed_ytd_wan")):
                row.fail("completed_ytd_wan", None, "缺少年累计完成投资", "缺少年累计完成投资")
            else:
                v["completed_ytd_wan"] = 0.0  # blank or 无: nothing completed this year
        month, ytd = v.get("completed_month_wan"), v.get("completed_ytd_wan")
        if month is not None and ytd is not None and month > ytd + 0.01:
            raw_ytd, raw_month = row.raw.get("completed_ytd_wan") or f"{ytd:g}", row.raw.get("completed_month_wan")
            row.fail("completed_ytd_wan", raw_ytd, "年累计小于本月",
                     f"年累计完成投资「{raw_ytd}」小于本月完成投资「{raw_month}」")
        cum = v.get("completed_cum_wan")
        if cum is not None and ytd is not None and cum + 0.01 < ytd:
            pass  # a consistency flag for the statistics office, not a reason to refuse the row

    lon, lat = v.get("lon"), v.get("lat")
    if lon is not None and lat is not None:
        inside = ctx.inside.get((lon, lat))
        if not (in_datong(lon, lat, hint=v.get("county_code")) if inside is None else inside):
            row.fail("lon", f"{lon},{lat}", "坐标不在大同市范围内", f"坐标（{lon}，{lat}）不在大同市范围内")
    elif lon is not None or lat is not None:
        v["lon"] = v["lat"] = None


def _normalise_problem(row: _Row, ctx: RowContext):
    """Problems: code, description, type and state words, a stable id when the file has none."""
    v = row.values
    code = v.get("project_code")
    if code:
        v["project_code"] = str(code).replace(" ", "").upper()
    else:
        row.fail("project_code", None, "缺少项目代码", "缺少项目代码")
    if not v.get("description"):
        row.fail("description", None, "缺少问题描述", "缺少问题描述")
    ptype = v.get("problem_type")
    if ptype:
        ptype = vocab.PROBLEM_TYPE_WORDS.get(ptype, ptype)
        v["problem_type"] = ptype if ptype in vocab.PROBLEM_TYPES else "其他"
    else:
        v["problem_type"] = "其他"
    state_text = v.get("state")
    if state_text:
        state = vocab.PROBLEM_STATE_WORDS.get(state_text.replace(" ", ""))
        if state is None:
            row.fail("state", state_text, "办理状态无法识别",
                     f"办理状态「{state_text}」应为 待交办、已交办、办理中、督办 或 已办结")
        v["state"] = state
    else:
        v["state"] = "closed" if v.get("closed_date") else ("assigned" if v.get("responsible_unit") else "open")
    sat = v.get("satisfaction")
    if sat and sat not in vocab.SATISFACTION:
        v["satisfaction"] = next((s for s in vocab.SATISFACTION if s in sat), None)
    if not v.get("problem_id"):
        key = f"{v.get('project_code')}|{v.get('description')}|{v.get('found_date')}"
        v["problem_id"] = "WT-" + hashlib.sha1(key.encode()).hexdigest()[:10].upper()
    normalise_problem_clock(row, ctx)  # 13710: level, assigned and answered dates


def _normalise_milestone(row: _Row, ctx: RowContext):
    """Milestones: code, node name and its planned date."""
    v = row.values
    code = v.get("project_code")
    if code:
        v["project_code"] = str(code).replace(" ", "").upper()
    else:
        row.fail("project_code", None, "缺少项目代码", "缺少项目代码")
    if not v.get("node_name"):
        row.fail("node_name", None, "缺少节点名称", "缺少节点名称")
    if v.get("node_planned") is None and not row.errors:
        row.fail("node_planned", None, "缺少计划完成时间", "缺少计划完成时间")


# The row rules of each kind of sheet (etl.schema.SHEET_KINDS): one function per kind, called
# after the cells are converted; it fills derived columns and calls row.fail for broken rules.
NORMALISERS: dict[str, Callable[[_Row, RowContext], None]] = {
    "progress": _normalise_project,
    "reserve": _normalise_project,
    "problems": _normalise_problem,
    "milestones": _normalise_milestone,
    "approvals": normalise_approval,
    "factors": normalise_factor,
}


@dataclass
class SheetLayout:
    """Where a sheet's header is, which kind of sheet it is and which column holds what."""
    header_row: int  # 0-based index of the (first) header row
    header_rows: int
    kind: str
    titles: list[str]  # texts above the header
    unit: str  # the sheet's 单位：万元/亿元/元 line
    col_of: dict[str, int]  # canonical column → index
    factors: dict[str, float]  # canonical money column → factor to 万元
    mapping: dict[str, str]
    unrecognised: list[str]
    header_label: dict[int, str]  # index → header as written
    header_dates: dict[str, dict[str, int]]  # header as written → year/month it names


def sheet_layout(sheet_name: str, grid: Grid) -> tuple[SheetLayout | None, str]:
    """The layout of a project sheet, or (None, why it is not one) in Chinese."""
    if not any(any(r) for r in grid):
        return None, "空白工作表"
    h, n = find_header(grid)
    if h < 0:
        return None, "没有项目表的表头（如说明、封面或汇总页）"
    titles = [c for r in grid[:h] for c in r if c]
    names = header_names(grid, h, n)
    kind = detect_kind(sheet_name, [nm for nm, _, _ in names], " ".join(titles))
    if kind is None:
        shown = "、".join(f"「{w}」" for nm, _, w in names if nm)[:120]
        return None, f"表头{shown}不属于任何一类项目表（{'、'.join(KIND_LABEL.values())}）"
    sheet_unit = "万元"
    for t in titles:
        m = _UNIT_LINE.search(t.replace(" ", ""))
        if m:
            sheet_unit = m.group(1)
    col_of: dict[str, int] = {}
    unit_of: dict[str, str] = {}
    mapping: dict[str, str] = {}
    unrecognised: list[str] = []
    header_dates: dict[str, dict[str, int]] = {}
    for j, (nm, unit, written) in enumerate(names):
        if not nm:
            continue
        canon, when = lookup(nm, kind)
        if canon is None or canon in col_of:
            if nm not in ("序号",):
                unrecognised.append(written)
            continue
        col_of[canon] = j
        unit_of[canon] = unit or sheet_unit
        mapping[written] = canon
        if when:
            header_dates[written] = when
    if "project_code" not in col_of and "name" not in col_of:
        return None, (f"有{KIND_LABEL[kind]}的列，但没有「项目代码」「项目名称」列，不是逐个项目的清单"
                      f"（如汇总表），未读取")
    factors = {c: {"亿元": 10000.0, "元": 0.0001}.get(u, 1.0) for c, u in unit_of.items()}
    return SheetLayout(h, n, kind, titles, sheet_unit, col_of, factors, mapping, unrecognised,
                       {j: written for j, (_, _, written) in enumerate(names)}, header_dates), ""


def _check_required(file_name: str, sheet_name: str, lay: SheetLayout) -> None:
    kind = lay.kind
    missing = [c for c in SHEET_KIND[kind].required
               if c not in lay.col_of and not (c == "county" and "zone" in lay.col_of)]
    if missing:
        labels = "、".join(f"「{columns()[c].label}」" for c in missing)
        aliases = "；".join(f"{columns()[c].label}：{'/'.join(columns()[c].aliases)}" for c in missing)
        raise FileError(f"文件「{file_name}」工作表「{sheet_name}」（{KIND_LABEL[kind]}）缺少必需列{labels}。"
                        f"可用的表头写法：{aliases}")


@dataclass
class _SheetRows:
    """One sheet's rows after the row rules, before duplicates across the file are settled."""
    sheet: str
    lay: SheetLayout
    candidates: list[dict]  # rows that broke no rule, in order, while duplicates are settled
    raw_of: dict[int, str]  # source row → the row as written (json), for quarantine
    quarantined: list[dict]
    skipped: list[tuple[int, str]]
    totals: list[tuple[int, float]]  # (row, declared 合计 of the annual plan in 万元)
    notes: list[list[str]]  # footnote rows' cells (填报单位, 填报日期)
    error_cells: list[tuple[int, str, str]]  # (row, header, #N/A …)
    rows_read: int = 0
    data_rows: list[int] = field(default_factory=list)  # 0-based indexes of the project rows
    raw_cols: dict[str, list] = field(default_factory=dict)  # canonical column → its cells of those rows
    accepted: pl.DataFrame | None = None  # rows that broke no rule (staging schema), in order


_SKIP_REASON = {"footnote": "落款或注释行", "total": "合计或小计行", "section": "分组标题行"}
_ERROR_SET = frozenset(ERROR_CELLS)


def _quarantine_row(file_name: str, sheet: str, row_no: int, kind: str, code, column: str, value: str,
                    rule: str, raw: str | None, message: str) -> dict:
    return dict(source_file=file_name, sheet=sheet, source_row=row_no, kind=kind, project_code=code,
                column_name=column, value=value, rule=rule, raw=raw,
                message=f"文件「{file_name}」工作表「{sheet}」第{row_no}行：{message}")


def _split_rows(sheet_name: str, grid: Grid, lay: SheetLayout) -> _SheetRows:
    """Tell the project rows under the header from 合计, section and footnote rows, and take
    each mapped column's cells of the project rows (SheetRows.raw_cols)."""
    col_of = lay.col_of
    out = _SheetRows(sheet_name, lay, [], {}, [], [], [], [], [])
    code_idx, name_idx = col_of.get("project_code"), col_of.get("name")
    data_rows = out.data_rows
    for i in range(lay.header_row + lay.header_rows, len(grid)):
        cells = grid[i]
        rk = _row_kind(cells, code_idx, name_idx)
        if rk == "blank":
            continue
        if rk == "data":
            data_rows.append(i)
            continue
        out.skipped.append((i + 1, _SKIP_REASON[rk]))
        if rk == "footnote":
            out.notes.append([c for c in cells if c])
        elif rk == "total" and "annual_plan_wan" in col_of and col_of["annual_plan_wan"] < len(cells):
            try:
                val = parse_money(cells[col_of["annual_plan_wan"]])
                if val is not None and any(w in "".join(c for c in cells[:4] if c) for w in ("合计", "总计")):
                    out.totals.append((i + 1, val * lay.factors["annual_plan_wan"]))
            except CellError:
                pass
    width = max((len(grid[i]) for i in data_rows), default=0)
    by_col = list(zip(*(grid[i] if len(grid[i]) == width else grid[i] + [None] * (width - len(grid[i]))
                         for i in data_rows)))
    for canon, j in col_of.items():
        cells_of_col = list(by_col[j]) if j < width else [None] * len(data_rows)
        out.raw_cols[canon] = cells_of_col
        if not _ERROR_SET.isdisjoint(cells_of_col):
            out.error_cells += [(data_rows[k] + 1, lay.header_label[j], c) for k, c in enumerate(cells_of_col)
                                if c in _ERROR_SET]
    return out


def _convert_key(lay: SheetLayout, canon: str) -> tuple[str, float]:
    return columns()[canon].type, lay.factors.get(canon, 1.0)


def _convert_all(parts: list[_SheetRows]) -> dict[tuple[str, float], dict[str, convert.Converted]]:
    """Every distinct cell text of the file's mapped columns, converted once by its type and unit."""
    texts: dict[tuple[str, float], set[str]] = {}
    for rows in parts:
        for canon, cells in rows.raw_cols.items():
            texts.setdefault(_convert_key(rows.lay, canon), set()).update(cells)
    for values in texts.values():
        values.discard(None)
    return convert.distinct(texts, config.max_project_amount_wan())


_first, _second = itemgetter(0), itemgetter(1)


# the sheets of one kind, column set and year (of all files of a read_files call) with at least this
# many project rows together go through the row rules as one stacked frame (etl.read_frame); fewer
# row by row, where polars' cost per call outweighs the rows (measured on the sample)
FRAME_RULES_FROM = 200
_DTYPE = {"money": pl.Float64, "number": pl.Float64, "date": pl.Date, "bool": pl.Boolean, "text": pl.String}


@lru_cache(maxsize=256)
def _staged(kind: str, cols: frozenset[str]) -> list[pl.Expr]:
    """A sheet's staged columns (but its file and sheet names) from what the row rules gave."""
    return [(pl.col(c) if c in cols else pl.lit(None)).cast(t).alias(c) for c, t in staging_schema(kind).items()
            if c not in ("source_file", "sheet")]


@dataclass
class _Cells:
    """A sheet's cells converted, before the row rules: per mapped column (canonical name, cells
    as written, values, (value, rule, message) per cell), and the rows with a broken cell rule."""
    file_name: str
    grid: Grid
    rows: _SheetRows
    ctx: RowContext
    cols: list[tuple[str, list, dict, str]]  # canonical column, cells as written, texts converted, label
    conv_cols: list[list[convert.Converted]]
    value_cols: list[list]
    failing: set[int]
    frame: pl.DataFrame | None = None  # the rows the frame rules accepted (etl.read_frame)
    one_by_one: list[int] | None = None  # the rows the row rules take one by one; None: every row

    @property
    def canons(self) -> list[str]:
        return [canon for canon, _, _, _ in self.cols]


def _cells(file_name: str, grid: Grid, rows: _SheetRows, ctx: RowContext,
           converted: dict[tuple[str, float], dict[str, convert.Converted]]) -> _Cells:
    lay = rows.lay
    cols = [(canon, rows.raw_cols[canon], converted[_convert_key(lay, canon)], columns()[canon].label)
            for canon in lay.col_of]
    # each column's cells converted at once: (value, rule, message) per row (a blank cell: BLANK)
    conv_cols = [list(map(table.__getitem__, raw_col)) for _, raw_col, table, _ in cols]
    value_cols = [list(map(_first, col)) for col in conv_cols]
    failing: set[int] = set()  # rows with a broken cell rule
    for col in conv_cols:
        if any(map(_second, col)):
            failing.update(k for k, c in enumerate(col) if c[1])
    return _Cells(file_name, grid, rows, ctx, cols, conv_cols, value_cols, failing)


def _test_points(cells: list[_Cells], inside: dict[tuple[float, float], bool]) -> None:
    """Every point of these sheets against the map at once (etl.boundary.in_datong_many)."""
    points = set()
    for c in cells:
        canons = c.canons
        if "lon" in canons and "lat" in canons:
            lons, lats = (c.value_cols[canons.index(k)] for k in ("lon", "lat"))
            points.update((x, y) for x, y in zip(lons, lats) if x is not None and y is not None)
    points = [p for p in points if p not in inside]
    if points:
        inside.update(zip(points, in_datong_many([x for x, _ in points], [y for _, y in points])))


def _frame_key(c: _Cells) -> tuple | None:
    """Sheets with the same key go through the frame rules (etl.read_frame) stacked as one frame."""
    kind = c.rows.lay.kind
    if kind not in read_frame.FRAME_RULES:
        return None
    return kind, frozenset(c.rows.lay.col_of), c.ctx.period.year


def _frame_rules(group: list[_Cells]) -> None:
    """The row rules of etl.read_frame over all rows of these sheets (one kind, the same columns and
    year) stacked in one frame. Each sheet gets its rows that keep every rule (`rows.accepted`) and
    the rows the row rules must take one by one (`one_by_one`)."""
    first = group[0]
    kind, ctx0 = first.rows.lay.kind, first.ctx
    schema = staging_schema(kind)
    keep_set = frozenset(c for c in schema if c not in ("source_file", "sheet", "source_row"))
    frame_rules, raw_needed = read_frame.FRAME_RULES[kind]
    canons = [canon for canon in first.canons if canon in keep_set or canon in ("lon", "lat")]
    values: dict[str, list] = {canon: [] for canon in canons}
    raws: dict[str, list] = {c: [] for c in raw_needed if c in first.rows.raw_cols}
    has_points = "lon" in values and "lat" in values
    inside_col: list = []
    source_row: list[int] = []
    senders: list = []
    failing: list[bool] = []
    files: list[str] = []
    sheets: list[str] = []
    for c in group:
        idx = {canon: k for k, canon in enumerate(c.canons)}
        n = len(c.rows.data_rows)
        for canon, vals in values.items():
            vals.extend(c.value_cols[idx[canon]])
        for canon, vals in raws.items():
            vals.extend(c.rows.raw_cols[canon])
        if has_points:
            inside = c.ctx.inside
            inside_col.extend(inside.get(p) for p in zip(c.value_cols[idx["lon"]], c.value_cols[idx["lat"]]))
        source_row.extend(i + 1 for i in c.rows.data_rows)
        senders.extend([c.ctx.sender_unit] * n)
        failing.extend([k in c.failing for k in range(n)] if c.failing else [False] * n)
        files.extend([c.file_name] * n)
        sheets.extend([c.rows.sheet] * n)
    data = [pl.Series(canon, vals, _DTYPE[columns()[canon].type]) for canon, vals in values.items()]
    data += [pl.Series(read_frame.RAW + canon, vals, pl.String) for canon, vals in raws.items()]
    if has_points:
        data.append(pl.Series(read_frame.INSIDE, inside_col, pl.Boolean))
    data.append(pl.Series("source_row", source_row, pl.Int32))
    done = frame_rules(pl.DataFrame(data), values, kind, senders, ctx0.period)
    done = done.select(pl.col(read_frame.FLAG) | pl.Series(failing, dtype=pl.Boolean),
                       *_staged(kind, frozenset(done.columns)),
                       source_file=pl.Series(files, dtype=pl.String), sheet=pl.Series(sheets, dtype=pl.String))
    flagged = done[read_frame.FLAG].to_list()
    accepted = done.filter(~pl.col(read_frame.FLAG)).select(list(schema))
    start = kept = 0
    for c in group:
        n = len(c.rows.data_rows)
        c.one_by_one = [k for k in range(n) if flagged[start + k]]
        n_kept = n - len(c.one_by_one)
        c.frame = accepted.slice(kept, n_kept)
        start += n
        kept += n_kept


def _row_rules(c: _Cells) -> None:
    """The kind's row rules, one row at a time: every row of the sheet, or the rows the frame
    rules flagged (`one_by_one`); the accepted rows in order, the others quarantined."""
    rows, ctx, grid, file_name = c.rows, c.ctx, c.grid, c.file_name
    lay, kind, sheet_name = rows.lay, rows.lay.kind, rows.sheet
    schema = staging_schema(kind)
    keep = [k for k in schema if k not in ("source_file", "sheet", "source_row")]
    normalise = NORMALISERS[kind]
    keep_set = frozenset(keep)
    template = dict.fromkeys(keep)
    template.update(source_file=file_name, sheet=sheet_name)
    cols, conv_cols, value_cols, failing = c.cols, c.conv_cols, c.value_cols, c.failing
    canons = c.canons
    raw_cols = [raw_col for _, raw_col, _, _ in cols]
    one_by_one = c.one_by_one
    frames = [c.frame] if c.frame is not None else []
    records = []
    if one_by_one is None:
        items = enumerate(zip(rows.data_rows, zip(*value_cols), zip(*raw_cols)) if cols else
                          ((i, (), ()) for i in rows.data_rows))
    else:
        items = ((k, (rows.data_rows[k], [v[k] for v in value_cols], [r[k] for r in raw_cols])) for k in one_by_one)
    for k, (i, vals, raws) in items:
        row = _Row(dict(zip(canons, vals)), dict(zip(canons, raws)))
        if k in failing:
            for (canon, raw_col, _, label), col in zip(cols, conv_cols):
                value, rule, message = col[k]
                if rule:
                    row.fail(canon, raw_col[k], rule, f"「{label}」{message}")
        normalise(row, ctx)
        if row.errors:
            raw = json.dumps({lay.header_label.get(j, str(j)): c for j, c in enumerate(grid[i]) if c},
                             ensure_ascii=False)
            for label, value, rule, message in row.errors:
                rows.quarantined.append(_quarantine_row(file_name, sheet_name, i + 1, kind,
                                                        row.values.get("project_code"), label, value, rule, raw,
                                                        message))
            continue
        values = row.values
        record = template.copy()  # every staged column, None unless the row has it
        record.update(values)
        for extra in values.keys() - keep_set:
            del record[extra]
        record["source_row"] = i + 1
        records.append(record)
    if records:
        frames.append(pl.DataFrame(records, schema=schema, orient="row"))
    if not frames:
        rows.accepted = _empty_frame(tuple(schema.items()))
    elif len(frames) == 1:
        rows.accepted = frames[0]
    else:
        rows.accepted = pl.concat(frames).sort("source_row")
    rows.rows_read += len(rows.data_rows)


def _apply_rules(cells: list[_Cells]) -> None:
    """The cell rules (from the converted texts) and the kinds' row rules of these sheets (of one
    file or of many): over all rows at once where etl.read_frame has the kind's rules and the
    sheets of one kind, columns and year hold enough rows together (FRAME_RULES_FROM), row by row
    for the rows they flag and for the other kinds."""
    shared: dict[int, list[_Cells]] = {}  # the sheets by their contexts' dict of tested points
    for c in cells:
        shared.setdefault(id(c.ctx.inside), []).append(c)
    for same in shared.values():
        _test_points(same, same[0].ctx.inside)
    groups: dict[tuple, list[_Cells]] = {}
    for c in cells:
        key = _frame_key(c)
        if key is not None:
            groups.setdefault(key, []).append(c)
    for group in groups.values():
        if sum(len(c.rows.data_rows) for c in group) >= FRAME_RULES_FROM:
            _frame_rules(group)
    for c in cells:
        _row_rules(c)


def _row_json(grid: Grid, lay: SheetLayout, row_no: int) -> str:
    return json.dumps({lay.header_label.get(j, str(j)): c for j, c in enumerate(grid[row_no - 1]) if c},
                      ensure_ascii=False)


def _settle_duplicates(file_name: str, parts: list[tuple[_SheetRows, Grid]], repeats: bool | None = None) -> None:
    """Rows of one kind that share a key (etl.schema SheetKind.key), across all its sheets in
    order: an identical repeat is quarantined and the first kept; rows that differ are both
    withheld, since nobody can tell which one is right. Sheets without a repeated key keep
    their frames as they are (`repeats`: whether a key repeats, when known: _repeated_keys)."""
    if not parts:
        return
    if repeats is None:
        key_cols = list(SHEET_KIND[parts[0][0].lay.kind].key)
        frames = [r.accepted.select(key_cols) for r, _ in parts if r.accepted.height]
        repeats = bool(frames) and pl.concat(frames).is_duplicated().any()
    if not repeats:
        return
    schema = parts[0][0].accepted.schema
    for rows, _ in parts:
        rows.candidates = rows.accepted.to_dicts()
    _settle_duplicate_records(file_name, parts)
    for rows, _ in parts:
        rows.accepted = pl.DataFrame(rows.candidates, schema=schema, orient="row") if rows.candidates \
            else _empty_frame(tuple(schema.items()))


def _settle_duplicate_records(file_name: str, parts: list[tuple[_SheetRows, Grid]]) -> None:
    """Rows of one kind that share a key (etl.schema SheetKind.key), across all its sheets in
    order: an identical repeat is quarantined and the first kept; rows that differ are both
    withheld, since nobody can tell which one is right."""
    if not parts:
        return
    kind = parts[0][0].lay.kind
    key_cols = SHEET_KIND[kind].key
    first_of: dict[tuple, tuple[_SheetRows, Grid, dict]] = {}
    withdrawn: set[int] = set()

    def body(rec: dict) -> dict:
        return {k: v for k, v in rec.items() if k not in ("source_row", "sheet")}

    for rows, grid in parts:
        kept = []
        for rec in rows.candidates:
            key = tuple(map(rec.get, key_cols))
            if key not in first_of:
                first_of[key] = (rows, grid, rec)
                kept.append(rec)
                continue
            f_rows, f_grid, f_rec = first_of[key]
            here, there = rec["source_row"], f_rec["source_row"]
            same = f_rows is rows
            where = f"第{there}行" if same else f"工作表「{f_rows.sheet}」第{there}行"
            if body(f_rec) == body(rec):
                rule, msg = "重复行", f"与{where}完全相同，只保留{where}"
            else:
                rule, msg = "重复项目数据冲突", f"与{where}为同一项目但数据不一致，两行均未采用，请核实"
                if id(f_rec) not in withdrawn:
                    withdrawn.add(id(f_rec))
                    back = f"第{here}行" if same else f"工作表「{rows.sheet}」第{here}行"
                    f_rows.quarantined.append(_quarantine_row(
                        file_name, f_rows.sheet, there, kind, f_rec.get("project_code"), "项目代码", str(key[0]),
                        rule, _row_json(f_grid, f_rows.lay, there),
                        f"与{back}为同一项目但数据不一致，两行均未采用，请核实"))
            rows.quarantined.append(_quarantine_row(file_name, rows.sheet, here, kind, rec.get("project_code"),
                                                    "项目代码", str(key[0]), rule,
                                                    _row_json(grid, rows.lay, here), msg))
        rows.candidates = kept
    for rows, _ in parts:
        rows.candidates = [r for r in rows.candidates if id(r) not in withdrawn]


@lru_cache(maxsize=64)
def _empty(schema: tuple[tuple[str, pl.DataType], ...]) -> pl.DataFrame:
    return pl.DataFrame(schema=dict(schema))


def _empty_frame(schema: tuple[tuple[str, pl.DataType], ...]) -> pl.DataFrame:
    """An empty frame of a schema; made once (a frame's columns cost a millisecond to build), and
    a fresh copy each time."""
    return _empty(schema).clear()


def _sheet_report(rows: _SheetRows) -> SheetReport:
    lay, kind = rows.lay, rows.lay.kind
    schema = staging_schema(kind)
    acc_df = rows.accepted
    rows.quarantined.sort(key=lambda q: q["source_row"])  # stable: a row's reasons stay in order
    q_df = (pl.DataFrame(rows.quarantined, schema=QUARANTINE_SCHEMA) if rows.quarantined
            else _empty_frame(tuple(QUARANTINE_SCHEMA.items())))
    warnings = []
    if rows.totals and kind == "progress" and acc_df.height and not q_df.height:
        row_no, declared = rows.totals[-1]
        actual = float(acc_df["annual_plan_wan"].sum())
        if abs(declared - actual) > max(1.0, 0.001 * actual):
            warnings.append(f"工作表「{rows.sheet}」第{row_no}行合计的年度计划投资（{declared:,.2f}万元）"
                            f"与明细之和（{actual:,.2f}万元）不符")
    if kind == "approvals" and acc_df.height:
        warnings += calendar_warnings(acc_df, rows.sheet)  # dates the official calendar does not cover
    if rows.error_cells:
        r, header, text = min(rows.error_cells)
        warnings.append(f"工作表「{rows.sheet}」有{len(rows.error_cells)}个单元格是 Excel 错误值（如第{r}行"
                        f"「{header}」为「{text}」），按未填报处理，请检查表中的公式")
    return SheetReport(sheet=rows.sheet, kind=kind, header_row=lay.header_row + 1, header_rows=lay.header_rows,
                       mapping=lay.mapping, unrecognised=lay.unrecognised, unit=lay.unit, rows_read=rows.rows_read,
                       accepted=acc_df, quarantine=q_df, warnings=warnings, skipped=rows.skipped,
                       header_dates=lay.header_dates)


def sender_name(text: str) -> str:
    """Canonical sender: a county/zone name, or the department as 市XX局."""
    code = divisions.unit_for_sender(text)
    if code and code != divisions.CITY_LEVEL[0]:
        return divisions.UNIT_NAME[code]
    s = re.sub(r"\s+", "", text).removeprefix("山西省").removeprefix("大同市")
    return divisions.canonical_unit(s if s.startswith("市") else "市" + s)  # config/unit_synonyms.toml


_FILLED = re.compile(r"(?:填报|报送|填表|报表|制表)(?:日期|时间)\s*[:：]?\s*(.*)")
_DATE_TEXT = re.compile(r"^[0-9０-９]{4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?|^[0-9]{5}(?:\.0)?$|^[0-9]{8}")


def filled_date(lines: list[list[str]]) -> dt.date | None:
    """The 填报日期 a file writes in a title or footnote line, in any date form; None if absent.

    「填报日期：2026年11月3日」, 「填报人：张三  报送日期：2026.11.3」, or the label in one cell
    and the date (a date cell) in the next.
    """
    for cells in lines:
        for j, c in enumerate(cells):
            m = _FILLED.search(c)
            if not m:
                continue
            rest = m.group(1).strip()
            if not rest and j + 1 < len(cells):
                rest = cells[j + 1].strip()
            d = _DATE_TEXT.match(rest.translate(_DIGITS))
            if d:
                try:
                    return parse_date(re.sub(r"\s+", "", d.group(0)))
                except CellError:
                    pass
    return None


_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})


def _period_text(p: dt.date) -> str:
    return f"{p.year}年{p.month}月"


def _header_period_check(name: str, sheets: list[SheetReport], period: dt.date, chosen: bool) -> list[str]:
    """Headers that name a year or month other than the file's period: warnings, or a refusal
    when the user chose the period."""
    out = []
    for s in sheets:
        for written, when in s.header_dates.items():
            year, month = when.get("year", period.year), when.get("month", period.month)
            if (year, month) == (period.year, period.month):
                continue
            said = f"{when['year']}年" if "year" in when else ""
            said += f"{when['month']}月" if "month" in when else ""
            if chosen:
                raise FileError(f"文件「{name}」工作表「{s.sheet}」的表头「{written}」写的是{said}，"
                                f"与指定的期间{_period_text(period)}不符")
            out.append(f"工作表「{s.sheet}」的表头「{written}」写的是{said}，与文件的期间"
                       f"{_period_text(period)}不符，请核对是否报错了月份")
    return out


def _period_of_headers(layouts: list[SheetLayout]) -> dt.date | None:
    """The month the headers name when title and file name do not: 「2026年计划投资」 with
    「1-10月累计完成」 → 2026-10."""
    years = {w["year"] for lay in layouts for w in lay.header_dates.values() if "year" in w}
    months = {w["month"] for lay in layouts for w in lay.header_dates.values() if "month" in w}
    if len(years) == 1 and len(months) == 1 and 1 <= (m := months.pop()) <= 12:
        return dt.date(years.pop(), m, 1)
    return None


@dataclass
class _Pending:
    """A file read as far as its rows split under the headers, waiting for the rules."""
    path: Path
    name: str
    sha: str
    grids: list[tuple[str, Grid]]
    skipped: list[SkippedSheet]
    period: dt.date  # the file's period
    chosen: bool  # the user chose the period
    unit: str | None  # the sender the user named
    parts: list[tuple[_SheetRows, Grid]]
    ctx: dict[str, RowContext]  # kind → the rules' context
    repeats: set[str] = field(default_factory=set)  # kinds whose accepted rows repeat a key
    repeats_known: bool = False


def read_file(path: Path | str, period: dt.date | None = None, unit: str | None = None,
              data: bytes | None = None, file_name: str | None = None,
              today: dt.date | None = None) -> FileReport:
    """Read and check one file. `period`/`unit` are what the user expects or supplies.

    Every sheet is either read (its rows under the header each accepted, quarantined or skipped
    with a reason) or skipped as a whole with a reason (FileReport.skipped_sheets). Any fault
    is a FileError with a Chinese message; a library's own text never reaches the user.
    """
    out = read_files([Path(path)], period, unit, today, data=data, file_name=file_name)[0]
    if isinstance(out, FileError):
        raise out
    return out


def read_files(paths: list[Path], period: dt.date | None = None, unit: str | None = None,
               today: dt.date | None = None, data: bytes | None = None,
               file_name: str | None = None) -> list[FileReport | FileError]:
    """read_file of several files, each giving its FileReport or the FileError that refused it;
    the same answers as reading them one at a time. The cells of all files are converted in one
    pass and the sheets of one kind stacked through the frame rules, so what a file costs beyond
    its rows is paid once per call, not once per file or sheet (`data`/`file_name`: of a single
    file)."""
    out: list[FileReport | FileError | None] = [None] * len(paths)
    pending: list[tuple[int, _Pending]] = []
    for i, path in enumerate(paths):
        name = file_name or path.name
        got = _guarded(name, _prepare, path, name, period, unit, data, today)
        if isinstance(got, _Pending):
            pending.append((i, got))
        else:
            out[i] = got
    try:
        _check_rows([p for _, p in pending])
    except Exception:  # noqa: BLE001 - one file's fault must not refuse the others: each again alone
        log.exception("checking %d files at once failed; each again alone", len(pending))
        for k, (i, p) in enumerate(pending):
            fresh = _guarded(p.name, _prepare, p.path, p.name, period, unit, data, today)
            got = _guarded(p.name, _check_rows, [fresh]) if isinstance(fresh, _Pending) else fresh
            if isinstance(got, FileError):
                out[i] = got
            pending[k] = (i, fresh if isinstance(fresh, _Pending) else None)
    for i, p in pending:
        if p is not None and out[i] is None:
            out[i] = _guarded(p.name, _finish, p)
    return out


def _guarded(name: str, fn, *args):
    """fn(*args), or the FileError of file `name` it raised; an unexpected fault becomes one too."""
    try:
        return fn(*args)
    except FileError as e:
        return e
    except Exception:  # noqa: BLE001 - a library's own text never reaches the user
        log.exception("reading %s failed", name)
        return FileError(f"文件「{name}」读取时出现意外错误，未能读取；请将文件发给系统管理员核查")


def _prepare(path: Path, name: str, period: dt.date | None, unit: str | None, data: bytes | None,
             today: dt.date | None) -> _Pending:
    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            raise FileError(f"文件「{name}」无法打开（文件不存在或没有读取权限）") from None
    sha = hashlib.sha256(data).hexdigest()
    grids = read_grids(Path(name), data)
    layouts: list[tuple[str, Grid, SheetLayout]] = []
    skipped: list[SkippedSheet] = []
    for sheet_name, grid in grids:
        lay, why = sheet_layout(sheet_name, grid)
        if lay is None:
            skipped.append(SkippedSheet(sheet_name, sum(1 for r in grid if any(r)), why))
        else:
            layouts.append((sheet_name, grid, lay))
    # the period first, as rows need it to tell new starts from continuing projects: from the
    # titles (not from a footnote's 填报日期), then the file name, then the headers
    lay_of = {sheet_name: lay for sheet_name, _, lay in layouts}
    found_period = None
    for sheet_name, grid in grids:
        texts = lay_of[sheet_name].titles if sheet_name in lay_of else \
            [c for r in grid[:MAX_HEADER_SCAN // 2] for c in r if c]
        found_period = next((p for c in texts if not _FILLED.search(c) and (p := period_from_text(c))), None)
        if found_period:
            break
    found_period = found_period or period_from_filename(name)
    if period and found_period and found_period != period:
        raise FileError(f"文件「{name}」的期间为{found_period.year}年{found_period.month}月，"
                        f"与指定的期间{period.year}年{period.month}月不符")
    the_period = found_period or period or _period_of_headers([lay for _, _, lay in layouts])
    if the_period is None:
        raise FileError(f"文件「{name}」无法确定数据期间：标题行和文件名中都没有「2026年10月」这样的月份，"
                        f"请在标题中写明或在加载时指定期间")
    today = today or dt.date.today()
    if the_period > today.replace(day=1):
        raise FileError(f"文件「{name}」的期间{the_period.year}年{the_period.month}月晚于当前月份")
    if not layouts:
        raise FileError(f"文件「{name}」中没有找到项目表：未识别出表头（应含「项目代码」「项目名称」等列）")
    for sheet_name, _, lay in layouts:
        _check_required(name, sheet_name, lay)
    sender_unit = divisions.unit_for_sender(unit) if unit else None
    parts: list[tuple[_SheetRows, Grid]] = [(_split_rows(sheet_name, grid, lay), grid)
                                            for sheet_name, grid, lay in layouts]
    ctx = {k: RowContext(k, sender_unit, the_period) for k in {r.lay.kind for r, _ in parts}}
    return _Pending(path, name, sha, grids, skipped, the_period, period is not None, unit, parts, ctx)


def _check_rows(pending: list[_Pending]) -> None:
    """The cell and row rules of every sheet of these files at once."""
    converted = _convert_all([r for p in pending for r, _ in p.parts])
    inside: dict[tuple[float, float], bool] = {}  # points tested against the map, shared by all sheets
    cells = []
    for p in pending:
        p.ctx = {k: RowContext(k, c.sender_unit, c.period, inside) for k, c in p.ctx.items()}
        cells += [_cells(p.name, grid, rows, p.ctx[rows.lay.kind], converted) for rows, grid in p.parts]
    _apply_rules(cells)
    _repeated_keys(pending)


def _repeated_keys(pending: list[_Pending]) -> None:
    """Which files repeat a key of a kind in their accepted rows (`_Pending.repeats`): the keys
    of all files stacked, one test per kind."""
    for k in SHEET_KINDS:
        frames, owner = [], []
        for i, p in enumerate(pending):
            for rows, _ in p.parts:
                if rows.lay.kind == k.name and rows.accepted.height:
                    frames.append(rows.accepted.select(k.key))
                    owner += [i] * rows.accepted.height
        if not frames:
            continue
        keys = pl.concat(frames).with_columns(pl.Series(_OWNER, owner, pl.Int32))
        for i in keys.filter(keys.is_duplicated())[_OWNER].unique().to_list():
            pending[i].repeats.add(k.name)
    for p in pending:
        p.repeats_known = True


_OWNER = "__file"


def _finish(p: _Pending) -> FileReport:
    """Duplicates across a file's sheets settled, its reports, sender and warnings."""
    name, parts, skipped, grids, the_period, unit = p.name, p.parts, p.skipped, p.grids, p.period, p.unit
    for k in SHEET_KINDS:
        _settle_duplicates(name, [(r, g) for r, g in parts if r.lay.kind == k.name],
                           (k.name in p.repeats) if p.repeats_known else None)
    sheets = [_sheet_report(r) for r, _ in parts]
    # a sheet with headers only (an unused sheet of the template) must not empty that partition
    if not any(s.rows_read for s in sheets):
        raise FileError(f"文件「{name}」的项目表只有表头，没有数据行")
    for (r, grid), s in zip(parts, sheets):
        if not s.rows_read:
            skipped.append(SkippedSheet(s.sheet, sum(1 for row in grid if any(row)),
                                        f"{KIND_LABEL[s.kind]}表只有表头，没有数据行"))
    order = {sheet_name: i for i, (sheet_name, _) in enumerate(grids)}
    skipped.sort(key=lambda x: order.get(x.sheet, 0))
    sheets = [s for s in sheets if s.rows_read]
    notes = [r.lay.titles for r, _ in parts] + [n for r, _ in parts for n in r.notes]
    senders = [x for r, _ in parts for n in r.notes if (x := _footnote_sender(n))]
    # 「填报单位：」 above the header, when there is no footnote
    senders += [t for r, _ in parts for t in (_footnote_sender([c]) for c in r.lay.titles) if t]
    if unit:
        sender = sender_name(unit)
    elif senders:
        sender = sender_name(senders[0])
    else:
        units = set()
        for s in sheets:
            if "county_code" in s.accepted.columns and s.accepted.height:
                units |= set(s.accepted.select(pl.coalesce("zone_code", "county_code")).to_series().drop_nulls())
        if len(units) == 1:
            sender = divisions.UNIT_NAME[units.pop()]
        else:
            raise FileError(f"文件「{name}」无法确定填报单位：没有「填报单位：」落款，行中的县区也不止一个，"
                            f"请在加载时指定填报单位")
    warnings = _header_period_check(name, sheets, the_period, chosen=p.chosen)
    warnings += [w for s in sheets for w in s.warnings]
    return FileReport(path=p.path, file_name=name, sha256=p.sha, period=the_period, sender=sender,
                      sheets=sheets, warnings=warnings, skipped_sheets=skipped, filled_date=filled_date(notes))
