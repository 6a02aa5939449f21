"""Canonical columns (from aliases.toml) and the explicit schema of every staging table."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from etl.parse import normalise_header

ALIASES_FILE = Path(__file__).with_name("aliases.toml")

KINDS = {"P": "progress", "R": "reserve", "Q": "problems", "M": "milestones"}
KIND_LABEL = {"progress": "项目进展", "reserve": "储备项目", "problems": "问题清单", "milestones": "节点计划"}

REQUIRED = {
    "progress": ["project_code", "name", "county", "annual_plan_wan", "completed_ytd_wan"],
    "reserve": ["project_code", "name", "county", "total_investment_wan"],
    "problems": ["project_code", "description"],
    "milestones": ["project_code", "node_name", "node_planned"],
}

_DTYPE = {"text": pl.String, "money": pl.Float64, "number": pl.Float64, "date": pl.Date, "bool": pl.Boolean}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kinds: tuple[str, ...]
    type: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def columns() -> dict[str, Column]:
    """Every canonical column, read from aliases.toml."""
    raw = tomllib.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    out = {}
    for name, spec in raw.items():
        kinds = tuple(KINDS[k] for k in spec["kind"])
        aliases = tuple(dict.fromkeys([spec["label"], *spec["aliases"]]))
        out[name] = Column(name, spec["label"], kinds, spec["type"], aliases)
    return out


@lru_cache(maxsize=8)
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


def kind_columns(kind: str) -> list[Column]:
    return [c for c in columns().values() if kind in c.kinds]


# Columns the ETL adds after normalising the raw ones.
DERIVED = {
    "progress": {"county_code": pl.String, "zone_code": pl.String, "library": pl.String,
                 "key_level": pl.String, "invest_kind": pl.String, "sector": pl.String,
                 "two_new_type": pl.String},
    "reserve": {"county_code": pl.String, "zone_code": pl.String, "key_level": pl.String,
                "invest_kind": pl.String, "sector": pl.String, "two_new_type": pl.String},
    "problems": {"problem_type": pl.String, "state": pl.String},
    "milestones": {},
}
META = {"source_file": pl.String, "sheet": pl.String, "source_row": pl.Int32}


def staging_schema(kind: str) -> dict[str, pl.DataType]:
    """Explicit schema of the accepted rows of one kind (before period/sender are added)."""
    schema: dict[str, pl.DataType] = {}
    for col in kind_columns(kind):
        schema[col.name] = _DTYPE[col.type]
    schema.update(DERIVED[kind])
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
