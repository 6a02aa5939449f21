"""Whole-column versions of the cell parsers in etl.parse: the same rules, run by polars on
every cell of a column at once. Each returns the typed values and, per cell, the broken
rule and its Chinese message (None where the cell is fine)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from etl.parse import ERROR_CELLS, MAX_AMOUNT_WAN, NOT_REPORTED, amount_limit_message
from etl.vocab import NO_WORDS, YES_WORDS

_BLANK_TOKENS = ["无", *NOT_REPORTED]
_DATE_BLANK = ["无", "待定", *NOT_REPORTED]
_FULLWIDTH = {"（": "(", "）": ")", "：": ":", "，": ",", "、": ",", "—": "-", "－": "-", "／": "/"}
_DATE_PATTERNS = [
    (r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$", True),
    (r"^(\d{4})[-/.年](\d{1,2})月?$", False),
    (r"^(\d{4})(\d{2})(\d{2})$", True),
    (r"^(\d{4})(\d{2})$", False),
]
Errors = list[tuple[str, str] | None]


def _errors(mask: pl.Series, rule: str, messages: pl.Series) -> Errors:
    return [(rule, m) if bad else None for bad, m in zip(mask.to_list(), messages.to_list())]


def _merge(a: Errors, b: Errors) -> Errors:
    return [x or y for x, y in zip(a, b)]


def money(values: list[str | None], factor: float = 1.0,
          limit_wan: float = MAX_AMOUNT_WAN) -> tuple[list[float | None], Errors]:
    """Amounts (as parse_money) times `factor`, rounded to 4 decimals; above `limit_wan` is an error."""
    s = pl.Series("v", values, dtype=pl.String)
    t = (s.str.replace_all(r"[,，\s]", "")
         .str.replace(r"(万元|亿元|元|万)$", ""))
    blank = s.is_null() | s.is_in(_BLANK_TOKENS) | (t == "")
    num = t.cast(pl.Float64, strict=False)
    num = pl.select(pl.when(num.is_nan() | num.is_infinite()).then(None).otherwise(num)).to_series()
    bad = ~blank & num.is_null()
    neg = ~blank & num.is_not_null() & (num < 0)
    big = ~blank & num.is_not_null() & ~neg & ((num * factor) > limit_wan)
    written = "「" + s.fill_null("") + "」"
    errs = _merge(_merge(_errors(bad, "非数值金额", written + "不是数字"),
                         _errors(neg, "金额为负", "金额" + written + "为负数")),
                  _errors(big, "金额超出合理范围", written + amount_limit_message(limit_wan)))
    out = pl.select(pl.when(blank | bad | neg | big).then(None).otherwise((num * factor).round(4))).to_series()
    return out.to_list(), errs


def number(values: list[str | None]) -> tuple[list[float | None], Errors]:
    s = pl.Series("v", values, dtype=pl.String)
    blank = s.is_null() | s.is_in(NOT_REPORTED)
    num = s.str.replace_all(",", "").cast(pl.Float64, strict=False)
    num = pl.select(pl.when(blank | num.is_nan() | num.is_infinite()).then(None).otherwise(num)).to_series()
    bad = ~blank & num.is_null()
    return num.to_list(), _errors(bad, "非数值", "「" + s.fill_null("") + "」不是数字")


def dates(values: list[str | None]) -> tuple[list[dt.date | None], Errors]:
    """Dates written 2026-03, 2026.3, 2026年3月, 2026/3/15, 2026年3月15日, Excel serials."""
    s = pl.Series("v", values, dtype=pl.String)
    t = (s.str.strip_chars()
         .str.replace(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "")
         .str.replace_all(r"\s", "")
         .str.replace_many(list(_FULLWIDTH), list(_FULLWIDTH.values())))
    frame = pl.DataFrame({"t": t})
    ys, ms, ds = [], [], []
    for i, (pattern, has_day) in enumerate(_DATE_PATTERNS):
        g = pl.col("t").str.extract_groups(pattern)
        ys.append(g.struct.field("1").cast(pl.Int32, strict=False))
        ms.append(g.struct.field("2").cast(pl.Int32, strict=False))
        ds.append(g.struct.field("3").cast(pl.Int32, strict=False) if has_day
                  else pl.when(g.struct.field("1").is_not_null()).then(pl.lit(1, pl.Int32)))
    parts = frame.select(y=pl.coalesce(ys), m=pl.coalesce(ms), d=pl.coalesce(ds))
    ok = (parts["y"] >= 1990) & (parts["y"] <= 2100) & (parts["m"] >= 1) & (parts["m"] <= 12) & (parts["d"] >= 1)
    text = pl.select(pl.when(ok).then(pl.format("{}-{}-{}", parts["y"].cast(pl.String).str.zfill(4),
                                                 parts["m"].cast(pl.String).str.zfill(2),
                                                 parts["d"].cast(pl.String).str.zfill(2))))
    from_parts = text.to_series().str.to_date("%Y-%m-%d", strict=False)
    serial = t.cast(pl.Float64, strict=False)
    in_range = (serial >= 32874) & (serial <= 73051)
    from_serial = pl.select(pl.when(in_range & parts["y"].is_null()).then(
        pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial.floor().cast(pl.Int64)))).to_series().cast(pl.Date)
    # a matched pattern with an impossible date (2026-13) is an error, not a serial number
    out = pl.select(pl.coalesce(from_parts, pl.when(parts["y"].is_null()).then(from_serial))).to_series()
    blank = s.is_null() | s.is_in(_DATE_BLANK) | (t == "")
    bad = ~blank & out.is_null()
    out = pl.select(pl.when(blank).then(None).otherwise(out)).to_series()
    return out.to_list(), _errors(bad, "日期无法识别", "「" + s.fill_null("") + "」不是可识别的日期")


def booleans(values: list[str | None]) -> tuple[list[bool | None], Errors]:
    out, errs = [], []
    for v in values:
        if v is None or v in NOT_REPORTED:
            out.append(None)
            errs.append(None)
        elif v in YES_WORDS:
            out.append(True)
            errs.append(None)
        elif v in NO_WORDS:
            out.append(False)
            errs.append(None)
        else:
            out.append(None)
            errs.append(("取值无法识别", f"「{v}」应为 是 或 否"))
    return out, errs


def column(values: list[str | None], type_: str, factor: float = 1.0,
           limit_wan: float = MAX_AMOUNT_WAN) -> tuple[list, Errors]:
    """Convert one column of cells by its type in aliases.toml (an Excel error value in a text
    column is no text: None, and the row rules quote the cell)."""
    if type_ == "money":
        return money(values, factor, limit_wan)
    if type_ == "number":
        return number(values)
    if type_ == "date":
        return dates(values)
    if type_ == "bool":
        return booleans(values)
    return [None if v in _ERRORS else v for v in values], [None] * len(values)


_ERRORS = frozenset(ERROR_CELLS)
