"""Headers taught on the upload page (「这一列是：…」), kept apart from etl/aliases.toml.

`config/aliases-taught.toml` (COCKPIT_TAUGHT_ALIASES overrides it) holds one entry per taught
header, with who taught it, when and from which file. etl.schema merges these aliases into
the canonical columns when it reads aliases.toml, so a header taught once serves every later
file, on the page and on the command line. The file is plain TOML that staff can read and
edit; an entry can be moved into aliases.toml proper when it has proved itself.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

TAUGHT_FILE = Path(__file__).resolve().parent.parent / "config" / "aliases-taught.toml"
HEADER = """\
# 在「数据管理 › 上传与加载」页教会的表头（「这一列是：…」）。
#
# 每一节是一个表头：header 为文件中的写法（两行表头写成「上一行|下一行」），column 为它对应的
# 驾驶舱字段（etl/aliases.toml 中的节名），by/at/file 记录是谁、何时、从哪个文件教会的。
# 检查文件时这些写法与 etl/aliases.toml 中的别名同样使用；删除一节即撤销。
"""

_seen: tuple[str, float | None] | None = None  # (file, mtime) the aliases were last read from


def path() -> Path:
    return Path(os.environ.get("COCKPIT_TAUGHT_ALIASES", TAUGHT_FILE))


def _mtime() -> float | None:
    try:
        return path().stat().st_mtime_ns / 1e9
    except OSError:
        return None


def entries() -> list[dict]:
    """Every taught header, oldest first (an unreadable file counts as none)."""
    p = path()
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return [e for e in raw.get("taught", []) if isinstance(e, dict) and e.get("header") and e.get("column")]


def aliases() -> dict[str, list[str]]:
    """Canonical column → the headers taught for it."""
    out: dict[str, list[str]] = {}
    for e in entries():
        out.setdefault(str(e["column"]), []).append(str(e["header"]))
    return out


def refresh() -> bool:
    """Reread the aliases if the taught file changed since they were last read (by this or
    another process). True when they were reloaded."""
    global _seen
    now = (str(path()), _mtime())
    if now == _seen:
        return False
    _seen = now
    from etl import schema

    schema.reload_aliases()
    return True


def version() -> float:
    """Changes whenever a header is taught: part of the key of a cached file check."""
    return _mtime() or 0.0


def _toml_string(s: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, control characters included)."""
    return json.dumps(s, ensure_ascii=False)


def _comment_text(s: str) -> str:
    """Text safe inside a comment line: no line breaks or other control characters."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in s)


@dataclass(frozen=True)
class Lesson:
    header: str  # as the reader compares it: 「上一行|下一行」 under a two-row header
    column: str  # canonical column (a section of etl/aliases.toml)


def teach(lessons: list[Lesson], user: str, file_name: str | None = None, at: dt.datetime | None = None) -> None:
    """Append taught headers to the taught file (who, when, from which file) and reload.

    Refuses (ValueError, Chinese) an unknown column, a blank header or user, and a header
    that already means another column."""
    from etl import schema
    from etl.parse import normalise_header

    user = (user or "").strip()
    if not user:
        raise ValueError("请先填写操作人：教会的表头要记下是谁教的")
    cols = schema.columns()
    blocks = []
    at = (at or dt.datetime.now()).replace(microsecond=0)
    for lesson in lessons:
        key, _ = normalise_header(lesson.header)
        if not key:
            raise ValueError("表头是空的")
        if lesson.column not in cols:
            raise ValueError(f"没有名为「{lesson.column}」的字段")
        for kind in cols[lesson.column].kinds:
            known = schema.lookup(key, kind)[0]
            if known and known != lesson.column:
                raise ValueError(f"表头「{lesson.header}」已表示「{cols[known].label}」，不能再表示"
                                 f"「{cols[lesson.column].label}」；如需改动请编辑 etl/aliases.toml")
        src = f"（文件「{file_name}」）" if file_name else ""
        blocks.append(f"\n# {at:%Y-%m-%d %H:%M} " + _comment_text(f"{user} 教会：「{lesson.header}」是"
                                                                   f"「{cols[lesson.column].label}」{src}") + "\n"
                      f"[[taught]]\nheader = {_toml_string(lesson.header)}\ncolumn = {_toml_string(lesson.column)}\n"
                      f"by = {_toml_string(user)}\nat = {at.isoformat()}\n"
                      + (f"file = {_toml_string(file_name)}\n" if file_name else ""))
    p = path()
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p.with_name(f".{p.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = p.read_text(encoding="utf-8") if p.exists() else HEADER
        new = old + "".join(blocks)
        try:
            tomllib.loads(new)  # never write a file the reader cannot parse
        except tomllib.TOMLDecodeError:
            raise ValueError(f"表头识别文件「{p.name}」格式有误，请先修正后再保存") from None
        tmp = p.with_name(f".{p.name}.tmp")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, p)
    refresh()


# ---------------------------------------------------------------- what a file leaves untaught

@dataclass(frozen=True)
class Untaught:
    sheet: str
    kind: str | None  # progress, reserve, … or None when the sheet's kind is not known
    written: str  # as the file shows it
    header: str  # as it would be taught (Lesson.header)


def lesson_header(written: str, header_rows: int) -> str:
    """The header as the reader compares it: under a two-row header 「上/下」 becomes 「上|下」."""
    return written.replace("/", "|", 1) if header_rows == 2 and "/" in written else written


def _unknown(nm: str, kinds: list[str]) -> bool:
    from etl.schema import lookup

    return all(lookup(nm, k)[0] is None for k in kinds)


def report_untaught(report) -> list[Untaught]:
    """The untaught headers of a file already read (etl.read.FileReport): its sheets'
    unrecognised headers that no column of their kind knows (not mere repeats of a column)."""
    from etl.parse import normalise_header

    out: list[Untaught] = []
    for s in report.sheets:
        for written in dict.fromkeys(s.unrecognised):
            header = lesson_header(written, s.header_rows)
            nm, _ = normalise_header(header)
            if nm and nm != "序号" and _unknown(nm, [s.kind]):
                out.append(Untaught(s.sheet, s.kind, written, header))
    return out


def untaught_headers(name: str, data: bytes) -> list[Untaught]:
    """Headers of a file's project sheets that map to no column (the file may have been
    refused for a missing column: this reads only its header rows)."""
    from etl.read import FileError, detect_kind, find_header, header_names, read_grids

    try:
        grids = read_grids(Path(name), data)
    except FileError:
        return []
    out: list[Untaught] = []
    for sheet, grid in grids:
        h, n = find_header(grid)
        if h < 0:
            continue
        names = header_names(grid, h, n)
        kind = detect_kind(sheet, [nm for nm, _, _ in names])
        kinds = [kind] if kind else ["progress", "reserve"]
        seen: set[str] = set()
        for nm, _, written in names:
            if not nm or nm == "序号" or written in seen:
                continue
            if _unknown(nm, kinds):
                seen.add(written)
                out.append(Untaught(sheet, kind, written, lesson_header(written, n)))
    return out
