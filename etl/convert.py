"""Whole-sheet versions of the cell parsers in etl.parse: the same rules, written as polars
expressions and run over every cell of every column of a sheet in one pass. For each column
the pass gives the typed values, and per cell the broken rule and its Chinese message (null
where the cell is fine)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

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
RULE, MESSAGE = "__rule", "__message"  # suffixes of the error columns of column c: c__rule, c__message
Errors = list[tuple[str, str] | None]
# A conversion is a few stages of named expressions, each stage reading the columns the stages
# before it made: a single nested expression would repeat its shared parts (the cleaned text,
# the parsed number) in every branch and grow too large to plan.
Stages = list[dict[str, pl.Expr]]


def _quoted(s: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit("「"), s.fill_null(""), pl.lit("」")])


def _finite(num: pl.Expr) -> pl.Expr:
    return pl.when(num.is_nan() | num.is_infinite()).then(None).otherwise(num)


def _out(c: str, value: pl.Expr, rule: pl.Expr, message: pl.Expr) -> dict[str, pl.Expr]:
    return {c: value, c + RULE: rule.cast(pl.String), c + MESSAGE: message.cast(pl.String)}


def money_stages(c: str, factor: float | str = 1.0, limit_wan: float = MAX_AMOUNT_WAN) -> Stages:
    """Amounts (as parse_money) times `factor` (a number, or the name of a column of factors),
    rounded to 4 decimals; above `limit_wan` is an error."""
    factor = pl.col(factor) if isinstance(factor, str) else factor
    s, t, num, blank = pl.col(c), pl.col(c + "__t"), pl.col(c + "__num"), pl.col(c + "__blank")
    bad, neg, big = pl.col(c + "__bad"), pl.col(c + "__neg"), pl.col(c + "__big")
    return [
        {c + "__t": s.str.replace_all(r"[,，\s]", "").str.replace(r"(万元|亿元|元|万)$", "")},
        {c + "__blank": s.is_null() | s.is_in(_BLANK_TOKENS) | (t == ""),
         c + "__num": _finite(t.cast(pl.Float64, strict=False))},
        {c + "__bad": ~blank & num.is_null(), c + "__neg": ~blank & num.is_not_null() & (num < 0)},
        {c + "__big": ~blank & num.is_not_null() & ~neg & ((num * factor) > limit_wan)},
        _out(c, pl.when(blank | bad | neg | big).then(None).otherwise((num * factor).round(4)),
             pl.when(bad).then(pl.lit("非数值金额")).when(neg).then(pl.lit("金额为负"))
             .when(big).then(pl.lit("金额超出合理范围")),
             pl.when(bad).then(pl.concat_str([_quoted(s), pl.lit("不是数字")]))
             .when(neg).then(pl.concat_str([pl.lit("金额"), _quoted(s), pl.lit("为负数")]))
             .when(big).then(pl.concat_str([_quoted(s), pl.lit(amount_limit_message(limit_wan))]))),
    ]


def number_stages(c: str) -> Stages:
    s, num, blank = pl.col(c), pl.col(c + "__num"), pl.col(c + "__blank")
    bad = ~blank & num.is_null()
    return [
        {c + "__blank": s.is_null() | s.is_in(NOT_REPORTED)},
        {c + "__num": pl.when(blank).then(None).otherwise(
            _finite(s.str.replace_all(",", "").cast(pl.Float64, strict=False)))},
        _out(c, num, pl.when(bad).then(pl.lit("非数值")),
             pl.when(bad).then(pl.concat_str([_quoted(s), pl.lit("不是数字")]))),
    ]


def date_stages(c: str) -> Stages:
    """Dates written 2026-03, 2026.3, 2026年3月, 2026/3/15, 2026年3月15日, Excel serials."""
    s, t = pl.col(c), pl.col(c + "__t")
    y, m, d, serial = pl.col(c + "__y"), pl.col(c + "__m"), pl.col(c + "__d"), pl.col(c + "__serial")
    groups = {}
    ys, ms, ds = [], [], []
    for k, (pattern, has_day) in enumerate(_DATE_PATTERNS):
        groups[f"{c}__g{k}"] = t.str.extract_groups(pattern)
        g = pl.col(f"{c}__g{k}")
        ys.append(g.struct.field("1").cast(pl.Int32, strict=False))
        ms.append(g.struct.field("2").cast(pl.Int32, strict=False))
        ds.append(g.struct.field("3").cast(pl.Int32, strict=False) if has_day
                  else pl.when(g.struct.field("1").is_not_null()).then(pl.lit(1, pl.Int32)))
    ok = (y >= 1990) & (y <= 2100) & (m >= 1) & (m <= 12) & (d >= 1)
    text = pl.when(ok).then(pl.format("{}-{}-{}", y.cast(pl.String).str.zfill(4), m.cast(pl.String).str.zfill(2),
                                      d.cast(pl.String).str.zfill(2)))
    in_range = (serial >= 32874) & (serial <= 73051)
    from_serial = pl.when(in_range & y.is_null()).then(
        pl.lit(dt.date(1899, 12, 30)) + pl.duration(days=serial.floor().cast(pl.Int64))).cast(pl.Date)
    out, blank = pl.col(c + "__out"), pl.col(c + "__blank")
    bad = ~blank & out.is_null()
    return [
        {c + "__t": s.str.strip_chars()
         .str.replace(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "")
         .str.replace_all(r"\s", "")
         .str.replace_many(list(_FULLWIDTH), list(_FULLWIDTH.values()))},
        {**groups, c + "__serial": t.cast(pl.Float64, strict=False),
         c + "__blank": s.is_null() | s.is_in(_DATE_BLANK) | (t == "")},
        {c + "__y": pl.coalesce(ys), c + "__m": pl.coalesce(ms), c + "__d": pl.coalesce(ds)},
        # a matched pattern with an impossible date (2026-13) is an error, not a serial number
        {c + "__out": pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False), pl.when(y.is_null()).then(from_serial))},
        _out(c, pl.when(blank).then(None).otherwise(out), pl.when(bad).then(pl.lit("日期无法识别")),
             pl.when(bad).then(pl.concat_str([_quoted(s), pl.lit("不是可识别的日期")]))),
    ]


def bool_stages(c: str) -> Stages:
    s = pl.col(c)
    blank, yes, no = pl.col(c + "__blank"), pl.col(c + "__yes"), pl.col(c + "__no")
    bad = ~blank & ~yes & ~no
    return [
        {c + "__blank": s.is_null() | s.is_in(NOT_REPORTED), c + "__yes": s.is_in(list(YES_WORDS)),
         c + "__no": s.is_in(list(NO_WORDS))},
        _out(c, pl.when(blank | bad).then(None).when(yes).then(True).when(no).then(False),
             pl.when(bad).then(pl.lit("取值无法识别")),
             pl.when(bad).then(pl.concat_str([_quoted(s), pl.lit("应为 是 或 否")]))),
    ]


def text_stages(c: str) -> Stages:
    """Text as written; an Excel error value (#N/A) is no text: null, and the row rules quote it."""
    s = pl.col(c)
    none = pl.lit(None, pl.String)
    return [_out(c, pl.when(s.is_in(list(ERROR_CELLS))).then(none).otherwise(s), none, none)]


_STAGES = {"money": money_stages, "number": lambda c, *_: number_stages(c), "date": lambda c, *_: date_stages(c),
           "bool": lambda c, *_: bool_stages(c), "text": lambda c, *_: text_stages(c)}


@lru_cache(maxsize=1024)
def _stages(type_: str, c: str, factor: float | str, limit_wan: float) -> tuple[dict[str, pl.Expr], ...]:
    """The stages of one column, built once per column name and unit (expressions are immutable);
    `factor` may name a column of factors."""
    return tuple(_STAGES[type_](c, factor, limit_wan))


def frame(cells: pl.DataFrame, types: dict[str, str], factors: dict[str, float] | None = None,
          limit_wan: float = MAX_AMOUNT_WAN) -> pl.DataFrame:
    """Convert every column of a frame of cell texts by its type in aliases.toml, in one pass.

    Gives, per column c, c (typed), c__rule and c__message (null where the cell is fine).
    """
    factors = factors or {}
    built = [_stages(types[c], c, factors.get(c, 1.0), limit_wan) for c in cells.columns]
    # the last stage of each column writes its outputs; run them all as the final step
    per_column, finals = [st[:-1] for st in built], [st[-1] for st in built]
    lf = cells.lazy()
    for k in range(max((len(st) for st in per_column), default=0)):
        lf = lf.with_columns([e.alias(n) for st in per_column if k < len(st) for n, e in st[k].items()])
    return lf.select([e.alias(n) for f in finals for n, e in f.items()]).collect()


Converted = tuple[object, str | None, str | None]  # value, rule, message
BLANK: Converted = (None, None, None)


_SEEN: dict[tuple[str, float, float], dict[str, Converted]] = {}  # texts converted before, in this process
_SEEN_MAX = 200_000


def distinct(texts: dict[tuple[str, float], set[str]],
             limit_wan: float = MAX_AMOUNT_WAN) -> dict[tuple[str, float], dict[str, Converted]]:
    """Each distinct cell text converted once: (type, factor) → text → (value, rule, message).

    Texts converted before (by earlier files in this process) are looked up; the others of one
    type, whatever their factor, go through polars in one pass. A blank cell (None) converts to
    BLANK, (None, None, None): every table has it.
    """
    if sum(len(v) for v in _SEEN.values()) > _SEEN_MAX:
        _SEEN.clear()
    out: dict[tuple[str, float], dict[str, Converted]] = {}
    errors = frozenset(ERROR_CELLS)
    by_type: dict[str, list[tuple[str, float]]] = {}
    for (type_, factor), values in texts.items():
        seen = _SEEN.setdefault((type_, factor, limit_wan), {None: BLANK})
        out[(type_, factor)] = seen
        new = [v for v in values if v not in seen]
        if type_ == "text":
            seen.update((v, (None if v in errors else v, None, None)) for v in new)
        elif new:
            by_type.setdefault(type_, []).extend((v, factor) for v in new)
    plans = []
    for type_, pairs in by_type.items():
        cells = pl.DataFrame({"v": [v for v, _ in pairs], "f": [f for _, f in pairs]},
                             schema={"v": pl.String, "f": pl.Float64})
        stages = _stages(type_, "v", "f" if type_ == "money" else 1.0, limit_wan)
        lf = cells.lazy()
        for stage in stages[:-1]:
            lf = lf.with_columns([e.alias(n) for n, e in stage.items()])
        plans.append(lf.select([pl.col("v").alias("__text"), pl.col("f").alias("__factor"),
                                *[e.alias(n) for n, e in stages[-1].items()]]))
    # every type in one call; the plans are already staged by hand, and planning them again per
    # file costs more than it saves on a few hundred texts
    done_all = pl.collect_all(plans, optimizations=pl.QueryOptFlags.none()) if plans else []
    for type_, done in zip(by_type, done_all):
        for text, factor, value, rule, message in done.iter_rows():
            _SEEN[(type_, factor, limit_wan)][text] = (value, rule, message)
    return out


def column(values: list[str | None], type_: str, factor: float = 1.0,
           limit_wan: float = MAX_AMOUNT_WAN) -> tuple[list, Errors]:
    """One column of cells converted by its type: (values, per cell (rule, message) or None)."""
    out = frame(pl.DataFrame({"v": values}, schema={"v": pl.String}), {"v": type_}, {"v": factor}, limit_wan)
    rules, messages = out["v" + RULE].to_list(), out["v" + MESSAGE].to_list()
    return out["v"].to_list(), [(r, m) if r else None for r, m in zip(rules, messages)]


def money(values: list[str | None], factor: float = 1.0,
          limit_wan: float = MAX_AMOUNT_WAN) -> tuple[list[float | None], Errors]:
    return column(values, "money", factor, limit_wan)


def number(values: list[str | None]) -> tuple[list[float | None], Errors]:
    return column(values, "number")


def dates(values: list[str | None]) -> tuple[list[dt.date | None], Errors]:
    return column(values, "date")


def booleans(values: list[str | None]) -> tuple[list[bool | None], Errors]:
    return column(values, "bool")
