"""The row rules of a sheet as polars expressions over all its rows at once.

etl.read's row rules (NORMALISERS) take one row at a time. For the kinds most rows belong to,
this module gives the same rules over the whole sheet: codes cleaned and matched with string
expressions, each distinct county/zone/library/level/vocabulary text looked up once (with the
same Python functions the row rules call) and mapped back with `replace_strict`, amounts and
coordinates compared column against column.

What it returns for a row that keeps every rule is exactly what the row rule would give. A row
that might break a rule is only flagged (`FLAG`): etl.read runs the row rule on it, so every
quarantine reason and message comes from one place. The flags may over-approximate (a flagged
row that passes is accepted with the row rule's values), never under-approximate: tests/
test_read_answers.py and `tests/read_answers.py compare` check the whole answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

import polars as pl

from etl import divisions, vocab

FLAG = "__flag"  # true: the row goes through the row rules one by one
INSIDE = "__inside"  # the row's point lies in Datong (tested for the sheet at once)
RAW = "__raw_"  # prefix of a column of cells as written
CODE_PATTERN = r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$"
_NON_ASCII = r"[^\x00-\x7F]"
_NO_LEVEL = ("否", "无", "-", "/", "非重点")
_NO_SIX = ("否", "无", "-")

# the county and zone of a text: the names repeat on every row, so each is looked up once
_zone_of = lru_cache(maxsize=4096)(divisions.normalise_zone)
_county_of = lru_cache(maxsize=4096)(divisions.normalise_county)
_BAD = "\x02"  # a looked-up text that breaks its rule


@lru_cache(maxsize=4096)
def place(zone_text: str | None, county_text: str | None,
          sender_unit: str | None) -> tuple[str | None, str | None, tuple[tuple[str, str | None, str, str], ...]]:
    """(zone_code, county_code, broken rules as (column, value, rule, message)) of a row's 开发区 and
    县区 texts; the row rule (etl.read._normalise_project) and the sheet's rules both ask here."""
    errors = []
    zone = _zone_of(zone_text)
    if zone_text and zone is None:
        errors.append(("zone", zone_text, "未知开发区", f"开发区「{zone_text}」不在大同市开发区名单中"))
    county = _county_of(county_text)
    if county_text and county is None:
        if _zone_of(county_text):  # the zone written in the county column
            zone = zone or _zone_of(county_text)
            county = divisions.ZONE_HOST[zone]
        else:
            errors.append(("county", county_text, "未知县区", f"县区「{county_text}」不是大同市的县区"))
    if not county_text:
        if zone:
            county = divisions.ZONE_HOST[zone]
        elif sender_unit in divisions.COUNTY_NAME:
            county = sender_unit
        else:
            errors.append(("county", None, "缺少县区", "缺少所在县区"))
    return zone, county, tuple(errors)


@lru_cache(maxsize=4096)
def _library(text: str) -> str:
    return vocab.LIBRARY_WORDS.get(text.replace(" ", ""), _BAD)


@lru_cache(maxsize=4096)
def _level(text: str) -> str | None:
    if text not in _NO_LEVEL:
        return vocab.KEY_LEVEL_WORDS.get(text.replace(" ", ""), _BAD)
    return None


@lru_cache(maxsize=4096)
def _sector(text: str) -> str:
    return vocab.SECTOR_WORDS.get(text, text)


@lru_cache(maxsize=4096)
def _six(six: str) -> str | None:
    if six not in vocab.SIX_NEW:
        return next((s for s in vocab.SIX_NEW if s in six), None) if six not in _NO_SIX else None
    return six


@lru_cache(maxsize=4096)
def _two(two: str) -> str | None:
    two = vocab.TWO_NEW_WORDS.get(two, two)
    return two if two in vocab.TWO_NEW_ONE_HEAVY else None


@lru_cache(maxsize=4096)
def _invest(text: str) -> str | None:
    return vocab.INVEST_KIND_WORDS.get(text)


# column → the lookup of each of its texts (a blank stays blank), as the row rule does it
_LOOKUPS = {"library": _library, "key_level": _level, "sector": _sector, "six_new_type": _six,
            "two_new_type": _two, "invest_kind": _invest}
LOOKED_UP = "__lookup_"  # prefix of a column of looked-up values
PLACE_BROKEN = "__place_broken"  # the row's 开发区 or 县区 breaks a rule


def _clean_code(code: pl.Expr, dashes: bool) -> pl.Expr:
    code = code.str.replace_all(" ", "", literal=True)
    if dashes:
        code = code.str.replace_all("—", "-", literal=True).str.replace_all("－", "-", literal=True)
    return code.str.to_uppercase()


def _col(cols: frozenset[str], name: str, dtype: pl.DataType = pl.String) -> pl.Expr:
    return pl.col(name) if name in cols else pl.lit(None, dtype)


@lru_cache(maxsize=256)
def _project_exprs(kind: str, cols: frozenset[str], year: int) -> dict[str, pl.Expr]:
    """The expressions of etl.read._normalise_project for a sheet with these columns, built once
    (expressions are immutable; building them costs more than running them on a sheet)."""
    def c(name, dtype=pl.String):
        return _col(cols, name, dtype)

    def looked(name):
        return pl.col(LOOKED_UP + name) if name in cols else pl.lit(None, pl.String)

    code = c("project_code")
    clean = _clean_code(code, dashes=True)
    flags = [code.is_null(), (~clean.str.contains(CODE_PATTERN)).fill_null(True),
             code.str.contains(_NON_ASCII).fill_null(True), c("name").is_null(), pl.col(PLACE_BROKEN)]
    out = {"project_code": clean}
    if kind == "reserve":
        out["library"] = pl.lit("reserve")
    else:
        flags.append((looked("library") == _BAD).fill_null(False))
        start = pl.coalesce(c("actual_start", pl.Date), c("planned_start", pl.Date))
        derived = pl.when(start.dt.year() < year).then(pl.lit("continuing")).otherwise(pl.lit("new_start"))
        out["library"] = pl.when(c("library").is_not_null()).then(looked("library")).otherwise(derived)
    flags.append((looked("key_level") == _BAD).fill_null(False))
    for name in ("key_level", "sector", "six_new_type", "two_new_type", "invest_kind"):
        out[name] = looked(name)
    if kind == "progress":
        flags.append(c("annual_plan_wan", pl.Float64).is_null())
        ytd = c("completed_ytd_wan", pl.Float64)
        if "completed_ytd_wan" in cols:
            flags.append(ytd.is_null() & pl.col(RAW + "completed_ytd_wan").is_not_null())
            ytd = ytd.fill_null(0.0)  # blank: nothing completed this year
            out["completed_ytd_wan"] = ytd
        month = c("completed_month_wan", pl.Float64)
        flags.append((month > ytd + 0.01).fill_null(False))
    if "lon" in cols and "lat" in cols:
        lon, lat = pl.col("lon"), pl.col("lat")
        both = lon.is_not_null() & lat.is_not_null()
        flags.append(both & ~pl.col(INSIDE).fill_null(False))
        out["lon"] = pl.when(both).then(lon)
        out["lat"] = pl.when(both).then(lat)
    elif "lon" in cols or "lat" in cols:
        out["lon"] = out["lat"] = pl.lit(None, pl.Float64)
    out[FLAG] = pl.any_horizontal(flags)
    return out


def project_frame(f: pl.DataFrame, values: dict[str, list], kind: str, sender_unit: str | None | list,
                  period: dt.date) -> pl.DataFrame:
    """Annual and reserve projects (etl.read._normalise_project), for the whole sheet, or for the
    sheets of several files stacked (`sender_unit` then one per row)."""
    n = f.height
    blank = [None] * n
    senders = sender_unit if isinstance(sender_unit, list) else [sender_unit] * n
    places = list(map(place, values.get("zone", blank), values.get("county", blank), senders))
    extra = [pl.Series("zone_code", [z for z, _, _ in places], pl.String),
             pl.Series("county_code", [c for _, c, _ in places], pl.String),
             pl.Series(PLACE_BROKEN, [bool(e) for _, _, e in places], pl.Boolean)]
    for name, fn in _LOOKUPS.items():
        if name in values:
            extra.append(pl.Series(LOOKED_UP + name, [v and fn(v) for v in values[name]], pl.String))
    f = f.with_columns(extra)
    return f.with_columns(**_project_exprs(kind, frozenset(values), period.year))


@lru_cache(maxsize=64)
def _milestone_exprs(cols: frozenset[str]) -> dict[str, pl.Expr]:
    code = _col(cols, "project_code")
    flags = [code.is_null(), code.str.contains(_NON_ASCII).fill_null(True), _col(cols, "node_name").is_null(),
             _col(cols, "node_planned", pl.Date).is_null()]
    return {"project_code": _clean_code(code, dashes=False), FLAG: pl.any_horizontal(flags)}


def milestone_frame(f: pl.DataFrame, values: dict[str, list], kind: str, sender_unit: str | None,
                    period: dt.date) -> pl.DataFrame:
    """Milestones (etl.read._normalise_milestone), for the whole sheet (or stacked sheets)."""
    return f.with_columns(**_milestone_exprs(frozenset(values)))


# kind → (the rules over a whole sheet, the columns whose cells as written they read)
FRAME_RULES: dict[str, tuple[Callable[..., pl.DataFrame], tuple[str, ...]]] = {
    "progress": (project_frame, ("completed_ytd_wan",)),
    "reserve": (project_frame, ()),
    "milestones": (milestone_frame, ()),
}
