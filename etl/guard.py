"""Bounded work per file: refuse a file that would cost more than it can be worth, before
any reader parses it.

An xlsx is a zip. Its directory gives every member's unpacked size without unpacking, and
each worksheet's XML can be streamed in small chunks to count its rows, so a 16 MB upload
that unpacks to 1.2 GB (a sheet formatted down to row 1,048,576) is refused in well under a
second with a few megabytes of memory, instead of driving the reader past 8 GB. The same
limits apply wherever a file is read (command line, upload page, first start), because
`etl.read.read_grids` calls `check` first.

Limits (etl.config, each overridable by environment variable):
    COCKPIT_MAX_UNPACKED_MB   unpacked size of a whole xlsx (default 100)
    COCKPIT_MAX_SHEET_ROWS    rows of one sheet (default 50000)
    COCKPIT_MAX_SHEET_COLS    columns of one sheet (default 200)

`summarise` turns a long quarantine into one line per reason with a few examples, so a
sheet with fifty thousand bad rows does not print fifty thousand lines.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import polars as pl

from etl import config

CHUNK = 1 << 20  # bytes unpacked at a time while counting rows
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]+)(\d+))?\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"[^>]*?\br(?:\w*):id=\"([^\"]+)\"")
_SHEET_ALT = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br(?:\w*):id=\"([^\"]+)\"[^>]*?\bname=\"([^\"]*)\"")
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb"(\w+)=\"([^\"]*)\"")


class GuardError(Exception):
    """A file refused by a limit. The message is Chinese and names the file and the limit."""


@dataclass(frozen=True)
class Limits:
    unpacked_mb: int
    sheet_rows: int
    sheet_cols: int

    @classmethod
    def from_config(cls) -> "Limits":
        return cls(config.max_unpacked_mb(), config.max_sheet_rows(), config.max_sheet_cols())


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _unescape(b: bytes) -> str:
    s = b.decode("utf-8", errors="replace")
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&")


class _Damaged(Exception):
    """A member whose unpacked bytes do not match what the zip directory says."""


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a member's local header, before its name and extra field


def _unpacked(data: bytes, info: zipfile.ZipInfo):
    """A member's unpacked bytes in chunks of at most CHUNK, however well it packs (memory stays
    bounded); _Damaged when its size or checksum differs from the directory's (a zip can lie about
    its sizes), NotImplementedError for encrypted members and methods other than stored/deflate.

    zlib straight on the member's bytes: the reader (calamine) unpacks every member again, so
    this pass has to cost as little as unpacking does."""
    if info.flag_bits & 0x1:
        raise NotImplementedError("encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise NotImplementedError(info.compress_type)
    head = data[info.header_offset:info.header_offset + _LOCAL_HEADER.size]
    if len(head) < _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        raise _Damaged(info.filename)
    fields = _LOCAL_HEADER.unpack(head)
    start = info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1]
    packed = data[start:start + info.compress_size] if info.compress_size else b""
    size, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (packed[i:i + CHUNK] for i in range(0, len(packed), CHUNK))
    else:
        pieces = _inflate(packed)
    for piece in pieces:
        size += len(piece)
        if size > info.file_size:
            raise _Damaged(info.filename)
        crc = zlib.crc32(piece, crc)
        yield piece
    if size != info.file_size or crc != info.CRC:
        raise _Damaged(info.filename)


def _inflate(packed: bytes):
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        piece = d.decompress(packed, CHUNK)
        while piece:
            yield piece
            piece = d.decompress(d.unconsumed_tail, CHUNK) if d.unconsumed_tail else d.flush()
    except zlib.error:
        raise _Damaged("deflate") from None


def _member(data: bytes, info: zipfile.ZipInfo | None, limit: int) -> bytes:
    """A small member's bytes (workbook.xml and its rels): b"" when absent, larger than limit or damaged."""
    if info is None or info.file_size > limit:
        return b""
    try:
        return b"".join(_unpacked(data, info))
    except (_Damaged, NotImplementedError):
        return b""


def _sheet_members(data: bytes, by_name: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet member path → sheet name as Excel shows it (from workbook.xml and its rels)."""
    wb = _member(data, by_name.get("xl/workbook.xml"), 16 * CHUNK)
    rels = _member(data, by_name.get("xl/_rels/workbook.xml.rels"), 16 * CHUNK)
    target = {}
    for m in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(m.group(0)))
        if b"Id" in attrs and b"Target" in attrs:
            t = attrs[b"Target"].decode("utf-8", errors="replace")
            t = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
            target[attrs[b"Id"]] = t
    out = {}
    for m in _SHEET.finditer(wb):
        name, rid = m.groups()
        if rid in target:
            out[target[rid]] = _unescape(name)
    if not out:
        for m in _SHEET_ALT.finditer(wb):
            rid, name = m.groups()
            if rid in target:
                out[target[rid]] = _unescape(name)
    return out


def _count_rows(buf: bytes) -> int:
    """<row> elements in a piece of worksheet XML. Excel and the libraries that write xlsx write
    every row as <row r="…">: when each "<row" of the piece is that, and no namespace prefix
    appears, bytes.count answers; otherwise the regular expression does."""
    n = buf.count(b"<row ")
    if n == buf.count(b"<row") and b":row" not in buf:
        return n
    return len(_ROW_TAG.findall(buf))


def check_xlsx(name: str, data: bytes, limits: Limits | None = None) -> None:
    """Refuse an xlsx whose unpacked size, or any sheet's rows or columns, exceed the limits.

    Reads the zip directory, then streams each member (1 MB at a time, so memory stays
    bounded): the declared sizes are checked first, the real ones while streaming (a zip
    can lie about its sizes), and rows are counted in the worksheets."""
    limits = limits or Limits.from_config()
    cap = limits.unpacked_mb * 1024 * 1024
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip after all: the reader refuses it with its own message
    declared = sum(i.file_size for i in infos)
    if declared > cap:
        raise GuardError(f"文件「{name}」解压后有{declared / 1048576:,.0f}MB，超过{limits.unpacked_mb}MB的上限"
                         f"（文件{len(data) / 1048576:.1f}MB）。多半是工作表中有大量空行、空列或格式，"
                         f"请删除多余的行列后另存，或把数据拆成几个文件")
    sheets = _sheet_members(data, {i.filename: i for i in infos})
    total = 0
    for info in infos:
        sheet = sheets.get(info.filename) or (
            posixpath.basename(info.filename).removesuffix(".xml")
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml") else None)
        rows, tail, head = 0, b"", b""
        try:
            for chunk in _unpacked(data, info):
                total += len(chunk)
                if total > cap:
                    raise GuardError(f"文件「{name}」解压后超过{limits.unpacked_mb}MB的上限"
                                     f"（文件{len(data) / 1048576:.1f}MB）。请删除多余的行列后另存，或把数据拆成几个文件")
                if sheet is None:
                    continue
                if not head:
                    head = chunk[:4096]
                    _check_dimension(name, sheet, head, limits)
                buf = tail + chunk
                rows += _count_rows(buf) - _count_rows(tail)
                tail = buf[-16:]
                if rows > limits.sheet_rows:
                    raise GuardError(_too_many_rows(name, sheet, None, limits))
        except NotImplementedError:
            return  # an encrypted or unusual member: the reader refuses the file with its own message
        except _Damaged:
            # a checksum or size that does not match what the directory says: a damaged file,
            # or one built to look small; either way no reader should unpack it
            raise GuardError(f"文件「{name}」已损坏（压缩内容「{info.filename}」校验失败），"
                             f"请在 Excel 中重新打开并另存后再上传") from None


def _check_dimension(name: str, sheet: str, head: bytes, limits: Limits) -> None:
    m = _DIMENSION.search(head)
    if not m:
        return
    c1, r1, c2, r2 = (g.decode() if g else g for g in m.groups())
    last_col, last_row = (c2, r2) if c2 else (c1, r1)
    first_row = int(r1) if r1 else 1
    n_rows = int(last_row) - first_row + 1 if last_row else 0
    n_cols = _col_number(last_col) - (_col_number(c1) if c1 and c2 else 1) + 1 if last_col else 0
    if n_rows > limits.sheet_rows:
        raise GuardError(_too_many_rows(name, sheet, n_rows, limits))
    if n_cols > limits.sheet_cols:
        raise GuardError(f"文件「{name}」工作表「{sheet}」有{n_cols:,}列，超过{limits.sheet_cols:,}列的上限。"
                         f"请删除表格右侧多余的空列（选中后「删除」，不是清除内容）后另存")


def _too_many_rows(name: str, sheet: str, n: int | None, limits: Limits) -> str:
    how_many = f"有{n:,}行" if n else f"超过{limits.sheet_rows:,}行"
    return (f"文件「{name}」工作表「{sheet}」{how_many}，超过{limits.sheet_rows:,}行的上限。"
            f"一个单位一个月的报表不会有这么多项目：多半是表格下方有大量空行或格式，"
            f"请删除多余的行（选中后「删除」，不是清除内容）后另存，或把数据拆成几个文件")


def check_text_rows(name: str, data: bytes, limits: Limits | None = None) -> None:
    """Refuse a csv with more lines than a sheet may have rows."""
    limits = limits or Limits.from_config()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines > limits.sheet_rows + 50:  # title and header lines above the data
        raise GuardError(f"文件「{name}」有{lines:,}行，超过{limits.sheet_rows:,}行的上限，请把数据拆成几个文件")


def check_parquet(name: str, data: bytes, limits: Limits | None = None) -> None:
    """Refuse a parquet file whose rows or unpacked size exceed the limits (from its footer)."""
    limits = limits or Limits.from_config()
    try:
        import pyarrow.parquet as pq

        md = pq.ParquetFile(io.BytesIO(data)).metadata
    except Exception:
        return  # not a parquet file: the reader refuses it with its own message
    if md.num_rows > limits.sheet_rows:
        raise GuardError(f"文件「{name}」有{md.num_rows:,}行，超过{limits.sheet_rows:,}行的上限，请把数据拆成几个文件")
    if md.num_columns > limits.sheet_cols:
        raise GuardError(f"文件「{name}」有{md.num_columns:,}列，超过{limits.sheet_cols:,}列的上限")
    unpacked = sum(md.row_group(i).total_byte_size for i in range(md.num_row_groups))
    if unpacked > limits.unpacked_mb * 1024 * 1024:
        raise GuardError(f"文件「{name}」解压后有{unpacked / 1048576:,.0f}MB，超过{limits.unpacked_mb}MB的上限")


def check(name: str, suffix: str, data: bytes, limits: Limits | None = None,
          error: type[Exception] = GuardError) -> None:
    """Refuse a file that exceeds the limits, by its kind; cheap for normal files.

    Raises `error` (the reader passes its FileError) with the Chinese message."""
    suffix = suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm") or (suffix == ".xls" and data[:2] == b"PK"):
            check_xlsx(name, data, limits)
        elif suffix in (".csv", ".txt"):
            check_text_rows(name, data, limits)
        elif suffix == ".parquet":
            check_parquet(name, data, limits)
    except GuardError as e:
        if error is GuardError:
            raise
        raise error(str(e)) from None
    # .xls (Excel 97-2003) is not compressed and holds at most 65,536 rows a sheet: its
    # size is bounded by the file's own size (COCKPIT_MAX_UPLOAD_MB on the upload page)


def check_rows(name: str, sheet: str, n_rows: int, limits: Limits | None = None) -> None:
    """After reading: a sheet (of any format) with more rows than the limit is refused."""
    limits = limits or Limits.from_config()
    if n_rows > limits.sheet_rows:
        raise GuardError(_too_many_rows(name, sheet, n_rows, limits))


# ---------------------------------------------------------------- long quarantines

SUMMARY_SCHEMA = {"rule": pl.String, "column_name": pl.String, "rows": pl.UInt32, "first_rows": pl.String,
                  "example": pl.String}


def summarise(quarantine: pl.DataFrame, examples: int = 3) -> pl.DataFrame:
    """One row per (rule, column): how many rows, the first row numbers and one message.

    Ordered by how many rows each reason holds; `first_rows` lists `examples` row numbers
    (「第5、6、9行」)."""
    if not quarantine.height:
        return pl.DataFrame(schema=SUMMARY_SCHEMA)
    keys = ["rule", "column_name"]
    g = (quarantine.sort("source_row")
         .group_by(keys, maintain_order=True)
         .agg(pl.col("source_row").n_unique().cast(pl.UInt32).alias("rows"),
              pl.col("source_row").unique(maintain_order=True).head(examples).alias("_first"),
              pl.col("message").first().alias("example"),
              pl.col("source_row").min().alias("_min")))
    return g.sort(["rows", "_min"], descending=[True, False]).select(
        "rule", "column_name", "rows",
        pl.col("_first").list.eval(pl.element().cast(pl.String)).list.join("、").alias("first_rows"),
        "example")


def summary_lines(quarantine: pl.DataFrame, limit: int = 20, examples: int = 3) -> list[str]:
    """Quarantine as text lines for the command line: every row while there are few, else
    one line per reason (「规则：非数值金额，共 48,213 行，如第5、6、9行：…」)."""
    if quarantine.height <= limit:
        return [f"{r['message']}（规则：{r['rule']}）" for r in quarantine.iter_rows(named=True)]
    out = []
    for r in summarise(quarantine, examples).iter_rows(named=True):
        more = "等" if r["rows"] > examples else ""
        out.append(f"规则「{r['rule']}」（{r['column_name']}）共 {r['rows']:,} 行，如第{r['first_rows']}行{more}："
                   f"{r['example']}")
    return out
