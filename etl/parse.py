"""Cell parsers: dates, amounts, periods, header names. Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache

_WS = re.compile(r"[\s\u3000\xa0]+")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "、": ",", "—": "-", "－": "-",
                            "【": "(", "】": ")", "［": "(", "］": ")", "／": "/", "～": "~", "–": "-",
                            **{chr(0xFF10 + d): str(d) for d in range(10)}})
_UNIT_IN_HEADER = re.compile(r"\((万元|亿元|元|亩|%|个|吨|万千瓦|公里|km|平方米|年|月|日)\)")

EXCEL_EPOCH = dt.date(1899, 12, 30)

# Excel's error values, as a cell shows them (a formula that failed; calamine hands them over as
# errors, etl.read writes them back as this text so that messages quote the cell as written)
ERROR_CELLS = ("#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA")
# cells that say "no figure": not reported, never read as 0 (a blank amount or 无 means none)
NOT_REPORTED = ("-", "—", "－", "--", "——", "/", "／", *ERROR_CELLS)
# the largest amount one project can plausibly carry, in 万元 (10,000亿元); etl.config overrides it
MAX_AMOUNT_WAN = 1e8


def is_not_reported(value: object) -> bool:
    """True for a cell that holds 「-」 or an Excel error value: the figure is not reported."""
    return isinstance(value, str) and value.strip() in NOT_REPORTED


def amount_limit_message(limit_wan: float) -> str:
    return f"超出合理范围（单个项目不超过{limit_wan / 10000:,.0f}亿元）"


class CellError(ValueError):
    """A cell value that breaks a rule; the message is Chinese and names the rule."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule
        self.message = message


def clean_text(value: object) -> str | None:
    """Trimmed text of a cell, None for blank."""
    if value is None:
        return None
    s = str(value).strip().replace("\u3000", " ").replace("\xa0", " ")
    if s in ("", "nan", "None", "NaN", "null"):
        return None
    if s.endswith(".0") and s[:-2].lstrip("-").isdigit():
        s = s[:-2]
    return s


@lru_cache(maxsize=65536)
def normalise_header(text: object) -> tuple[str, str | None]:
    """Header text compared against aliases, and the unit it declares (万元/亿元/…) if any.

    「年度计划\\n投资（万元）」 → ("年度计划投资", "万元"); 「所在县（区）」 → ("所在县(区)", None).
    """
    if text is None:
        return "", None
    s = _WS.sub("", str(text)).translate(_FULLWIDTH)
    unit = None
    m = _UNIT_IN_HEADER.search(s)
    if m:
        unit = m.group(1)
        s = _UNIT_IN_HEADER.sub("", s)
    return s, unit


def parse_money(value: object, factor: float = 1.0, limit_wan: float = MAX_AMOUNT_WAN) -> float | None:
    """An amount cell as a float (unit as written), None for blank, 无, 「-」 or an Excel error.

    Accepts 1,234.5 and 1234.5万元; refuses text such as 约500, negatives, and amounts that
    times `factor` (the unit's 万元) exceed `limit_wan`.
    """
    s = clean_text(value)
    if s is None or s == "无" or s in NOT_REPORTED:
        return None
    t = s.replace(",", "").replace("，", "").replace(" ", "")
    for suffix in ("万元", "亿元", "元", "万"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
            break
    try:
        x = float(t)
    except ValueError:
        raise CellError("非数值金额", f"「{s}」不是数字") from None
    if x != x or x in (float("inf"), float("-inf")):
        raise CellError("非数值金额", f"「{s}」不是数字")
    if x < 0:
        raise CellError("金额为负", f"金额「{s}」为负数")
    if x * factor > limit_wan:
        raise CellError("金额超出合理范围", f"「{s}」{amount_limit_message(limit_wan)}")
    return x


def parse_number(value: object) -> float | None:
    """A plain number cell (coordinates, areas), None for blank."""
    s = clean_text(value)
    if s is None or s in NOT_REPORTED:
        return None
    try:
        x = float(s.replace(",", ""))
    except ValueError:
        raise CellError("非数值", f"「{s}」不是数字") from None
    if not math.isfinite(x):
        raise CellError("非数值", f"「{s}」不是数字")
    return x


_DATE_PATTERNS = [
    # 2026-03-15, 2026/3/15, 2026.3.15, 2026年3月15日, with an optional time part
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"), 3),
    # 2026-03, 2026/3, 2026.3, 2026年3月
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), 2),
    # 20260315
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), 3),
    # 202603
    (re.compile(r"^(\d{4})(\d{2})$"), 2),
]


def parse_date(value: object) -> dt.date | None:
    """A date cell written any of the ways counties write it; month-only dates give the 1st.

    2026-03, 2026.3, 2026年3月, 2026/3/15, 2026年3月15日, an Excel serial (46082) or a date cell.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = clean_text(value)
    if s is None or s in ("无", "待定") or s in NOT_REPORTED:
        return None
    s = re.sub(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "", s.strip())
    s = _WS.sub("", s).translate(_FULLWIDTH)
    for pattern, parts in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if parts == 3 else 1
            try:
                out = dt.date(y, mo, d)
            except ValueError:
                break
            if 1990 <= y <= 2100:
                return out
            break
    # Excel serial: 1990-01-01 .. 2100-01-01
    try:
        serial = float(s)
    except ValueError:
        serial = None
    if serial is not None and 32874 <= serial <= 73051:
        return EXCEL_EPOCH + dt.timedelta(days=int(serial))
    raise CellError("日期无法识别", f"「{value}」不是可识别的日期")


_PERIOD_TEXT = re.compile(r"(20\d{2})\s*年\s*(?:1\s*[-—~至到]\s*)?(\d{1,2})\s*月")
_PERIOD_NAME = re.compile(r"(20\d{2})[-_.年]?(0[1-9]|1[0-2]|[1-9])(?:月|(?!\d))")


def period_from_text(text: str | None) -> dt.date | None:
    """The month a title names: 「2026年10月…」 and 「2026年1-10月…」 both give 2026-10-01."""
    if not text:
        return None
    m = _PERIOD_TEXT.search(_WS.sub("", str(text)))
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y, mo, 1) if 1 <= mo <= 12 else None


def period_from_filename(name: str) -> dt.date | None:
    """The month a file name names: 2026-10_平城区.xlsx, 202610平城区.csv, 2026年10月….xlsx."""
    p = period_from_text(name)
    if p:
        return p
    m = _PERIOD_NAME.search(name)
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return dt.date(y, mo, 1) if 1 <= mo <= 12 else None


def parse_period_arg(text: str) -> dt.date:
    """--period 2026-10 (or 2026年10月, 202610) as the 1st of the month."""
    p = period_from_filename(text.strip())
    if p is None:
        raise ValueError(f"无法识别的期间「{text}」，应写作 2026-10")
    return p


def parse_bool(value: object) -> bool | None:
    from etl.vocab import NO_WORDS, YES_WORDS

    s = clean_text(value)
    if s is None or s in NOT_REPORTED:
        return None
    if s in YES_WORDS:
        return True
    if s in NO_WORDS:
        return False
    raise CellError("取值无法识别", f"「{s}」应为 是 或 否")


def month_end(period: dt.date) -> dt.date:
    nxt = dt.date(period.year + (period.month == 12), period.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
