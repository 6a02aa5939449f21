"""Canonical columns (from aliases.toml) and the explicit schema of every staging table."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from etl.parse import normalise_header

ALIASES_FILE = Path(__file__).with_name("aliases.toml")


@dataclass(frozen=True)
class SheetKind:
    """One kind of sheet the counties send. To read a new kind, add an entry to SHEET_KINDS (and
    its columns to aliases.toml with its letter, and its row rules to etl.read.NORMALISERS).

    A sheet is of this kind when its headers include every column of one of `signatures`, or
    when its sheet name (or, with `title_named`, its title) contains one of `name_words` and its
    headers include every column of `named_signature`. Kinds are tried in SHEET_KINDS order.
    """

    name: str  # progress; the staging table is stg_<name>
    letter: str  # its letter in aliases.toml's kind field
    label: str  # 项目进展, as users read it
    signatures: tuple[tuple[str, ...], ...]
    required: tuple[str, ...]  # refused with the column named when one is missing
    key: tuple[str, ...]  # a row's identity within one file (duplicates are quarantined)
    derived: dict[str, pl.DataType] = field(default_factory=dict)  # columns the row rules add
    name_words: tuple[str, ...] = ()
    named_signature: tuple[str, ...] = ()
    title_named: bool = False


SHEET_KINDS: tuple[SheetKind, ...] = (
    SheetKind("milestones", "M", "节点计划",
              signatures=(("node_name", "node_planned"),),
              name_words=("节点", "挂图", "里程碑"), named_signature=("node_name",),
              required=("project_code", "node_name", "node_planned"),
              key=("project_code", "node_name")),
    SheetKind("problems", "Q", "问题清单",
              signatures=(("description", "problem_type"),),
              name_words=("问题",), named_signature=("description",),
              required=("project_code", "description"),
              key=("problem_id",),
              derived={"problem_type": pl.String, "state": pl.String}),
    SheetKind("progress", "P", "项目进展",
              signatures=(("annual_plan_wan",), ("completed_month_wan",), ("completed_ytd_wan",)),
              required=("project_code", "name", "county", "annual_plan_wan", "completed_ytd_wan"),
              key=("project_code",),
              derived={"county_code": pl.String, "zone_code": pl.String, "library": pl.String,
                       "key_level": pl.String, "invest_kind": pl.String, "sector": pl.String,
                       "two_new_type": pl.String}),
    SheetKind("reserve", "R", "储备项目",
              signatures=(("total_investment_wan", "prep_stage"),),
              name_words=("储备",), named_signature=("total_investment_wan",), title_named=True,
              required=("project_code", "name", "county", "total_investment_wan"),
              key=("project_code",),
              derived={"county_code": pl.String, "zone_code": pl.String, "key_level": pl.String,
                       "invest_kind": pl.String, "sector": pl.String, "two_new_type": pl.String}),
    # approvals and factor guarantees (审批事项, 要素保障): row rules in etl/read_approvals.py
    SheetKind("approvals", "A", "审批事项",
              signatures=(("approval_item", "accepted_date"), ("approval_item", "limit_days")),
              name_words=("审批",), named_signature=("approval_item",),
              required=("project_code", "approval_item"),
              key=("project_code", "approval_item"),
              derived={"item": pl.String}),
    SheetKind("factors", "F", "要素保障",
              signatures=(("factor_kind", "needed"),),
              name_words=("要素",), named_signature=("factor_kind",),
              required=("project_code", "factor_kind", "needed"),
              key=("project_code", "factor_kind", "factor_detail")),
)
SHEET_KIND = {k.name: k for k in SHEET_KINDS}

# views of the table, for code that needs only one aspect
KINDS = {k.letter: k.name for k in SHEET_KINDS}
KIND_LABEL = {k.name: k.label for k in SHEET_KINDS}
REQUIRED = {k.name: list(k.required) for k in SHEET_KINDS}

_DTYPE = {"text": pl.String, "money": pl.Float64, "number": pl.Float64, "date": pl.Date, "bool": pl.Boolean}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kinds: tuple[str, ...]
    type: str
    aliases: tuple[str, ...]
    patterns: tuple[re.Pattern, ...] = ()  # headers with a year or month in them (2026年计划投资)


@lru_cache(maxsize=1)
def columns() -> dict[str, Column]:
    """Every canonical column, read from aliases.toml (plus the headers taught on the upload
    page, etl/taught.py)."""
    from etl import taught

    raw = tomllib.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    extra = taught.aliases()
    out = {}
    for name, spec in raw.items():
        kinds = tuple(KINDS[k] for k in spec["kind"])
        aliases = tuple(dict.fromkeys([spec["label"], *spec["aliases"], *extra.get(name, [])]))
        patterns = tuple(re.compile(x) for x in spec.get("patterns", ()))
        out[name] = Column(name, spec["label"], kinds, spec["type"], aliases, patterns)
    return out


@lru_cache(maxsize=32)
def alias_index(kind: str) -> dict[str, str]:
    """Normalised header → canonical column, for one kind of sheet."""
    idx: dict[str, str] = {}
    for col in columns().values():
        if kind not in col.kinds:
            continue
        for alias in col.aliases:
            key, _ = normalise_header(alias)
            idx.setdefault(key, col.name)
    return idx


@lru_cache(maxsize=32)
def pattern_index(kind: str) -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern, canonical column) for the headers with a year or month, for one kind of sheet."""
    return tuple((pat, col.name) for col in columns().values() if kind in col.kinds for pat in col.patterns)


HeaderDate = dict[str, int]  # {"year": 2026, "month": 10} as far as a header names them


def _match(name: str, kind: str) -> tuple[str | None, HeaderDate]:
    idx = alias_index(kind)
    if name in idx:
        return idx[name], {}
    for pat, canon in pattern_index(kind):
        m = pat.fullmatch(name)
        if m:
            return canon, {k: int(v) for k, v in m.groupdict().items() if v}
    return None, {}


@lru_cache(maxsize=65536)
def lookup_column(name: str, kind: str) -> str | None:
    """The canonical column of lookup(name, kind) alone (telling the kind of a sheet tries every
    header against every kind)."""
    return lookup(name, kind)[0]


def lookup(name: str, kind: str) -> tuple[str | None, HeaderDate]:
    """The canonical column a normalised header means in one kind of sheet, and the year and
    month it names (「1-10月累计完成」 → completed_ytd_wan, {"month": 10}). Under a two-row
    header 「top|sub」 the sub header alone is tried when the pair is not known."""
    canon, when = _match(name, kind)
    if canon is None and "|" in name:
        top, sub = name.split("|", 1)
        canon, when = _match(sub, kind) if sub else _match(top, kind)
    return canon, when


@lru_cache(maxsize=1)
def _any_pattern() -> re.Pattern:
    """Every header pattern of every column as one alternation (their named groups unnamed)."""
    parts = [re.sub(r"\(\?P<\w+>", "(", pat.pattern) for col in columns().values() for pat in col.patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts) or "(?!)")


@lru_cache(maxsize=65536)
def is_known_header(key: str) -> bool:
    """Whether a normalised header cell is one we know in some kind of sheet (finds the header row)."""
    return key in any_alias() or _any_pattern().fullmatch(key) is not None


@lru_cache(maxsize=65536)
def is_known_header_cell(cell: str) -> bool:
    """is_known_header of a header cell as written (finding the header row tests every cell of
    the first rows of each sheet, and their texts repeat from file to file)."""
    return is_known_header(normalise_header(cell)[0])


@lru_cache(maxsize=1)
def any_alias() -> frozenset[str]:
    """Every normalised alias of every kind (used to find the header row)."""
    keys = set()
    for col in columns().values():
        for alias in col.aliases:
            key, _ = normalise_header(alias)
            keys.add(key)
            keys.update(key.split("|"))
    keys.update({"序号", "投资完成情况", "完成投资", "时间安排", "坐标", "要素保障"})
    return frozenset(keys)


def reload_aliases() -> None:
    """Forget the cached aliases so the next lookup reads aliases.toml (and the taught headers,
    etl/taught.py) again, after either was edited."""
    columns.cache_clear()
    alias_index.cache_clear()
    pattern_index.cache_clear()
    any_alias.cache_clear()
    is_known_header.cache_clear()
    is_known_header_cell.cache_clear()
    lookup_column.cache_clear()
    _any_pattern.cache_clear()


def kind_columns(kind: str) -> list[Column]:
    return [c for c in columns().values() if kind in c.kinds]


META = {"source_file": pl.String, "sheet": pl.String, "source_row": pl.Int32}


def staging_schema(kind: str) -> dict[str, pl.DataType]:
    """Explicit schema of the accepted rows of one kind (before period/sender are added)."""
    schema: dict[str, pl.DataType] = {}
    for col in kind_columns(kind):
        schema[col.name] = _DTYPE[col.type]
    schema.update(SHEET_KIND[kind].derived)
    schema.update(META)
    return schema


QUARANTINE_SCHEMA = {
    "source_file": pl.String,
    "sheet": pl.String,
    "source_row": pl.Int32,
    "kind": pl.String,
    "project_code": pl.String,
    "column_name": pl.String,
    "value": pl.String,
    "rule": pl.String,
    "message": pl.String,
    "raw": pl.String,
}
