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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from etl import convert, divisions, vocab
from etl.boundary import in_datong
from etl.parse import (CellError, clean_text, normalise_header, parse_bool, parse_date, parse_money,
                       parse_number, period_from_filename, period_from_text)
from etl.schema import (KIND_LABEL, QUARANTINE_SCHEMA, SHEET_KIND, SHEET_KINDS, alias_index, any_alias,
                        columns, staging_schema)

MAX_HEADER_SCAN = 25
CODE_PATTERN = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".parquet", ".txt"}
_FOOTNOTE = re.compile(r"^(填报单位|报送单位|填报人|填表人|联系电话|电话|审核人|负责人|填报日期|报送日期|制表|注[:：]|说明[:：]|备注[:：]|注\d)")
# possessive, and not followed by a colon: in 「填报单位：  填报人：张三」 the unit is blank, not 「填报人」
_SENDER = re.compile(r"(?:填报单位|报送单位)\s*[:：]\s*([^\s:：,，;；]++)(?![:：])")
_SECTION = re.compile(r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+)")
_TOTAL_WORDS = ("合计", "小计", "总计", "全市合计", "总合计")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")


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
    rows_read: int
    accepted: pl.DataFrame
    quarantine: pl.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_quarantined(self) -> int:
        return self.quarantine["source_row"].n_unique() if self.quarantine.height else 0


@dataclass
class FileReport:
    path: Path
    file_name: str
    sha256: str
    period: dt.date
    sender: str
    sheets: list[SheetReport]
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.sheets)

    @property
    def rows_accepted(self) -> int:
        return sum(s.accepted.height for s in self.sheets)

    @property
    def rows_quarantined(self) -> int:
        return sum(s.rows_quarantined for s in self.sheets)

    def sheet(self, kind: str) -> SheetReport | None:
        return next((s for s in self.sheets if s.kind == kind), None)


# ---------------------------------------------------------------- grids

Grid = list[list[str | None]]


def _decode_csv(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise FileError(f"文件「{name}」无法识别文字编码（应为 UTF-8 或 GBK）")


def read_grids(path: Path, data: bytes | None = None) -> list[tuple[str, Grid]]:
    """Every sheet of a file as rows of text cells (None for blank)."""
    name = path.name
    suffix = path.suffix.lower()
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise FileError(f"文件「{name}」无法打开：{e.strerror or e}") from None
    if not data.strip():
        raise FileError(f"文件「{name}」是空文件")
    # guard: the bounded-work check of the file (size, unpacked size, sheet dimensions) goes here
    if suffix not in SPREADSHEET_SUFFIXES:
        raise FileError(f"文件「{name}」不是支持的表格文件（支持 xlsx、csv、parquet）")
    if suffix in (".csv", ".txt"):
        if b"\x00" in data[:4096]:
            raise FileError(f"文件「{name}」不是文本表格（csv）")
        text = _decode_csv(data, name)
        rows = [[clean_text(c) for c in r] for r in csv.reader(io.StringIO(text))]
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

    if suffix in (".xlsx", ".xlsm") and not data.startswith(b"PK"):
        raise FileError(f"文件「{name}」不是有效的 Excel 文件（内容不是 xlsx 格式）")
    try:
        reader = fastexcel.read_excel(data)
    except Exception as e:
        raise FileError(f"文件「{name}」无法作为 Excel 读取：{str(e).splitlines()[0][:120]}") from None
    out = []
    for sheet_name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string")
            df = sheet.to_polars()
        except Exception:
            continue  # an empty or chart-only sheet
        out.append((sheet_name, [[clean_text(v) for v in r] for r in df.iter_rows()]))
    return out


# ---------------------------------------------------------------- headers

def _header_score(row: list[str | None]) -> int:
    known = any_alias()
    return sum(1 for c in row if c and normalise_header(c)[0] in known)


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
            idx_any = any_alias()
            if sum(1 for c in sub_cells if normalise_header(c)[0] in idx_any) >= 2:
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
    idx = alias_index(kind)
    if name in idx:
        return idx[name]
    if "|" in name:
        top, sub = name.split("|", 1)
        if sub in idx:
            return idx[sub]
        if top in idx and not sub:
            return idx[top]
    return None


# ---------------------------------------------------------------- rows

def _footnote_sender(cells: list[str]) -> str | None:
    for c in cells:
        m = _SENDER.search(c)
        if m:
            return m.group(1)
    return None


def _row_kind(cells: list[str | None], code_idx: int | None, name_idx: int | None) -> str:
    """data, blank, total, section or footnote."""
    present = [c for c in cells if c]
    if not present:
        return "blank"
    first = present[0].replace(" ", "")
    if _FOOTNOTE.match(first):
        return "footnote"
    head = [normalise_header(c)[0] for c in cells[:4] if c]
    code = cells[code_idx] if code_idx is not None and code_idx < len(cells) else None
    name = cells[name_idx] if name_idx is not None and name_idx < len(cells) else None
    if any(h.startswith(_TOTAL_WORDS) or h.endswith(("合计", "小计")) for h in head) and not (
            code and CODE_PATTERN.match(code.replace(" ", ""))):
        return "total"
    if not code and len(present) <= 2 and (
            _SECTION.match(first) or (name and _SECTION.match(name)) or len(present) == 1):
        return "section"
    return "data"


class _Row:
    def __init__(self):
        self.values: dict[str, object] = {}
        self.errors: list[tuple[str, str, str, str]] = []  # column label, value, rule, message

    def fail(self, col: str, value: object, rule: str, message: str):
        label = columns()[col].label if col in columns() else col
        self.errors.append((label, "" if value is None else str(value), rule, message))


def _convert(row: _Row, col: str, raw: object, factor: float):
    spec = columns()[col]
    try:
        if spec.type == "money":
            v = parse_money(raw)
            row.values[col] = None if v is None else round(v * factor, 4)
        elif spec.type == "number":
            row.values[col] = parse_number(raw)
        elif spec.type == "date":
            row.values[col] = parse_date(raw)
        elif spec.type == "bool":
            row.values[col] = parse_bool(raw)
        else:
            row.values[col] = clean_text(raw)
    except CellError as e:
        row.values[col] = None
        row.fail(col, raw, e.rule, f"「{spec.label}」{e.message}")


@dataclass(frozen=True)
class RowContext:
    """What a row rule may know besides the row: the sheet's kind, the sender, the period."""
    kind: str
    sender_unit: str | None  # the sender's division code when the user named it
    period: dt.date


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

    zone_text = v.get("zone")
    zone = divisions.normalise_zone(zone_text)
    if zone_text and zone is None:
        row.fail("zone", zone_text, "未知开发区", f"开发区「{zone_text}」不在大同市开发区名单中")
    v["zone_code"] = zone
    county_text = v.get("county")
    county = divisions.normalise_county(county_text)
    if county_text and county is None:
        if divisions.normalise_zone(county_text):  # the zone written in the county column
            zone = v["zone_code"] = v["zone_code"] or divisions.normalise_zone(county_text)
            county = divisions.ZONE_HOST[zone]
        else:
            row.fail("county", county_text, "未知县区", f"县区「{county_text}」不是大同市的县区")
    if not county_text:
        if zone:
            county = divisions.ZONE_HOST[zone]
        elif sender_unit in divisions.COUNTY_NAME:
            county = sender_unit
        else:
            row.fail("county", None, "缺少县区", "缺少所在县区")
    v["county_code"] = county

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
        if v.get("annual_plan_wan") is None and not any(e[2] == "非数值金额" and e[0].startswith("年度计划")
                                                        for e in row.errors):
            row.fail("annual_plan_wan", None, "缺少年度计划投资", "缺少年度计划投资")
        if v.get("completed_ytd_wan") is None and "completed_ytd_wan" in v:
            if not any(e[0].startswith("年累计") for e in row.errors):
                v["completed_ytd_wan"] = 0.0
        month, ytd = v.get("completed_month_wan"), v.get("completed_ytd_wan")
        if month is not None and ytd is not None and month > ytd + 0.01:
            row.fail("completed_ytd_wan", ytd, "年累计小于本月",
                     f"年累计完成投资（{ytd:g}）小于本月完成投资（{month:g}）")
        cum = v.get("completed_cum_wan")
        if cum is not None and ytd is not None and cum + 0.01 < ytd:
            pass  # a consistency flag for the statistics office, not a reason to refuse the row

    lon, lat = v.get("lon"), v.get("lat")
    if lon is not None and lat is not None:
        if not in_datong(lon, lat, hint=v.get("county_code")):
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
}


def read_sheet(file_name: str, sheet_name: str, grid: Grid, period_hint: dt.date | None,
               sender_unit: str | None) -> tuple[SheetReport | None, list[str], list[str]]:
    """Parse one sheet. Returns (report or None if not a project sheet, title texts, footnote senders)."""
    h, n = find_header(grid)
    if h < 0:
        return None, [], []
    title_texts = [c for r in grid[:h] for c in r if c]
    names = header_names(grid, h, n)
    kind = detect_kind(sheet_name, [nm for nm, _, _ in names], " ".join(title_texts))
    if kind is None:
        return None, title_texts, []
    sheet_unit = "万元"
    for t in title_texts:
        m = _UNIT_LINE.search(t.replace(" ", ""))
        if m:
            sheet_unit = m.group(1)
    mapping: dict[str, str] = {}
    col_of: dict[str, int] = {}
    unit_of: dict[str, str] = {}
    unrecognised: list[str] = []
    for j, (nm, unit, written) in enumerate(names):
        if not nm:
            continue
        canon = _lookup(nm, kind)
        if canon is None or canon in col_of:
            if nm not in ("序号",):
                unrecognised.append(written)
            continue
        col_of[canon] = j
        unit_of[canon] = unit or sheet_unit
        mapping[written] = canon
    missing = [c for c in SHEET_KIND[kind].required if c not in col_of and not (c == "county" and "zone" in col_of)]
    if missing:
        labels = "、".join(f"「{columns()[c].label}」" for c in missing)
        aliases = "；".join(f"{columns()[c].label}：{'/'.join(columns()[c].aliases)}" for c in missing)
        raise FileError(f"文件「{file_name}」工作表「{sheet_name}」（{KIND_LABEL[kind]}）缺少必需列{labels}。"
                        f"可用的表头写法：{aliases}")

    factors = {c: {"亿元": 10000.0, "元": 0.0001}.get(u, 1.0) for c, u in unit_of.items()}
    header_label = {j: written for j, (_, _, written) in enumerate(names)}
    code_idx = col_of.get("project_code")
    name_idx = col_of.get("name")
    accepted: list[dict] = []
    quarantined: list[dict] = []
    senders: list[str] = []
    warnings: list[str] = []
    rows_read = 0
    schema = staging_schema(kind)
    key_cols = SHEET_KIND[kind].key
    normalise = NORMALISERS[kind]
    ctx = RowContext(kind, sender_unit, period_hint or dt.date.today().replace(day=1))
    seen: dict[tuple, tuple[int, dict]] = {}
    totals: list[tuple[int, float]] = []
    data_rows: list[int] = []
    for i in range(h + n, len(grid)):
        cells = grid[i]
        rk = _row_kind(cells, code_idx, name_idx)
        if rk == "footnote":
            s = _footnote_sender([c for c in cells if c])
            if s:
                senders.append(s)
            continue
        if rk == "total":
            if "annual_plan_wan" in col_of and col_of["annual_plan_wan"] < len(cells):
                try:
                    val = parse_money(cells[col_of["annual_plan_wan"]])
                    if val is not None and any(w in "".join(c for c in cells[:4] if c) for w in ("合计", "总计")):
                        totals.append((i + 1, val * factors["annual_plan_wan"]))
                except CellError:
                    pass
            continue
        if rk in ("blank", "section"):
            continue
        data_rows.append(i)
    # convert whole columns at once; the row loop below only applies the row rules
    converted: dict[str, tuple[list, list]] = {}
    for canon, j in col_of.items():
        cells_of_col = [grid[i][j] if j < len(grid[i]) else None for i in data_rows]
        converted[canon] = convert.column(cells_of_col, columns()[canon].type, factors.get(canon, 1.0))
    for k, i in enumerate(data_rows):
        cells = grid[i]
        rows_read += 1
        row = _Row()
        for canon, j in col_of.items():
            values, errs = converted[canon]
            row.values[canon] = values[k]
            if errs[k]:
                rule, message = errs[k]
                row.fail(canon, cells[j] if j < len(cells) else None, rule, f"「{columns()[canon].label}」{message}")
        normalise(row, ctx)
        raw = json.dumps({header_label.get(j, str(j)): c for j, c in enumerate(cells) if c}, ensure_ascii=False) \
            if row.errors else None
        record = {c: row.values.get(c) for c in schema if c not in ("source_file", "sheet", "source_row")}
        record.update(source_file=file_name, sheet=sheet_name, source_row=i + 1)
        if row.errors:
            for label, value, rule, message in row.errors:
                quarantined.append(dict(source_file=file_name, sheet=sheet_name, source_row=i + 1, kind=kind,
                                        project_code=row.values.get("project_code"), column_name=label,
                                        value=value, rule=rule, raw=raw,
                                        message=f"文件「{file_name}」工作表「{sheet_name}」第{i + 1}行：{message}"))
            continue
        key = tuple(record.get(c) for c in key_cols)
        body = {k: v for k, v in record.items() if k not in ("source_row",)}
        if key in seen:
            first_row, first_body = seen[key]
            if first_body == body:
                rule, msg = "重复行", f"与第{first_row}行完全相同，只保留第{first_row}行"
            else:
                rule, msg = "重复项目数据冲突", f"与第{first_row}行为同一项目但数据不一致，两行均未采用，请核实"
                # the first occurrence is withdrawn too: we cannot tell which one is right
                for idx, acc in enumerate(accepted):
                    if acc is not None and tuple(acc.get(k) for k in key_cols) == key:
                        quarantined.append(dict(
                            source_file=file_name, sheet=sheet_name, source_row=acc["source_row"], kind=kind,
                            project_code=acc.get("project_code"), column_name="项目代码", value=str(key[0]),
                            rule=rule, raw=json.dumps({"项目代码": key[0]}, ensure_ascii=False),
                            message=f"文件「{file_name}」工作表「{sheet_name}」第{acc['source_row']}行：与第{i + 1}行为同一项目但数据不一致，两行均未采用，请核实"))
                        accepted[idx] = None
            quarantined.append(dict(source_file=file_name, sheet=sheet_name, source_row=i + 1, kind=kind,
                                    project_code=record.get("project_code"), column_name="项目代码",
                                    value=str(key[0]), rule=rule,
                                    raw=json.dumps({header_label.get(j, str(j)): c for j, c in enumerate(cells) if c},
                                                   ensure_ascii=False),
                                    message=f"文件「{file_name}」工作表「{sheet_name}」第{i + 1}行：{msg}"))
            continue
        seen[key] = (i + 1, body)
        accepted.append(record)
    accepted = [a for a in accepted if a is not None]
    acc_df = pl.DataFrame(accepted, schema=schema, orient="row") if accepted else pl.DataFrame(schema=schema)
    q_df = (pl.DataFrame(quarantined, schema=QUARANTINE_SCHEMA) if quarantined
            else pl.DataFrame(schema=QUARANTINE_SCHEMA))
    if totals and kind == "progress" and acc_df.height and not q_df.height:
        row_no, declared = totals[-1]
        actual = float(acc_df["annual_plan_wan"].sum())
        if abs(declared - actual) > max(1.0, 0.001 * actual):
            warnings.append(f"工作表「{sheet_name}」第{row_no}行合计的年度计划投资（{declared:,.2f}万元）"
                            f"与明细之和（{actual:,.2f}万元）不符")
    report = SheetReport(sheet=sheet_name, kind=kind, header_row=h + 1, header_rows=n, mapping=mapping,
                         unrecognised=unrecognised, unit=sheet_unit, rows_read=rows_read, accepted=acc_df,
                         quarantine=q_df, warnings=warnings)
    return report, title_texts, senders


def sender_name(text: str) -> str:
    """Canonical sender: a county/zone name, or the department as 市XX局."""
    code = divisions.unit_for_sender(text)
    if code and code != divisions.CITY_LEVEL[0]:
        return divisions.UNIT_NAME[code]
    s = re.sub(r"\s+", "", text).removeprefix("山西省").removeprefix("大同市")
    return s if s.startswith("市") else "市" + s


def read_file(path: Path | str, period: dt.date | None = None, unit: str | None = None,
              data: bytes | None = None, file_name: str | None = None,
              today: dt.date | None = None) -> FileReport:
    """Read and check one file. `period`/`unit` are what the user expects or supplies."""
    path = Path(path)
    name = file_name or path.name
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise FileError(f"文件「{name}」无法打开：{e.strerror or e}") from None
    sha = hashlib.sha256(data).hexdigest()
    grids = read_grids(Path(name), data)
    # the period first, as rows need it to tell new starts from continuing projects
    found_period = None
    for _, grid in grids:
        for r in grid[:MAX_HEADER_SCAN // 2]:
            for c in r:
                if c and (p := period_from_text(c)):
                    found_period = p
                    break
            if found_period:
                break
        if found_period:
            break
    found_period = found_period or period_from_filename(name)
    if period and found_period and found_period != period:
        raise FileError(f"文件「{name}」的期间为{found_period.year}年{found_period.month}月，"
                        f"与指定的期间{period.year}年{period.month}月不符")
    the_period = found_period or period
    if the_period is None:
        raise FileError(f"文件「{name}」无法确定数据期间：标题行和文件名中都没有「2026年10月」这样的月份，"
                        f"请在标题中写明或在加载时指定期间")
    today = today or dt.date.today()
    if the_period > today.replace(day=1):
        raise FileError(f"文件「{name}」的期间{the_period.year}年{the_period.month}月晚于当前月份")
    sender_unit = divisions.unit_for_sender(unit) if unit else None
    sheets: list[SheetReport] = []
    senders: list[str] = []
    title_senders: list[str] = []
    for sheet_name, grid in grids:
        rep, titles, s = read_sheet(name, sheet_name, grid, the_period, sender_unit)
        senders += s
        title_senders += [t for t in (_footnote_sender([c]) for c in titles) if t]
        if rep is not None:
            sheets.append(rep)
    if not sheets:
        raise FileError(f"文件「{name}」中没有找到项目表：未识别出表头（应含「项目代码」「项目名称」等列）")
    # a sheet with headers only (an unused sheet of the template) must not empty that partition
    if not any(s.rows_read for s in sheets):
        raise FileError(f"文件「{name}」的项目表只有表头，没有数据行")
    sheets = [s for s in sheets if s.rows_read]
    senders += title_senders  # 「填报单位：」 above the header, when there is no footnote
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
    warnings = [w for s in sheets for w in s.warnings]
    return FileReport(path=path, file_name=name, sha256=sha, period=the_period, sender=sender,
                      sheets=sheets, warnings=warnings)
