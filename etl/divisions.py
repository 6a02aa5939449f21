"""Datong's county-level divisions and development zones, in the official order."""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path

# (code, name) in the official order
COUNTIES: list[tuple[str, str]] = [
    ("140213", "平城区"),
    ("140214", "云冈区"),
    ("140212", "新荣区"),
    ("140215", "云州区"),
    ("140221", "阳高县"),
    ("140222", "天镇县"),
    ("140223", "广灵县"),
    ("140224", "灵丘县"),
    ("140225", "浑源县"),
    ("140226", "左云县"),
]
# development zones: (code, name, host county code). Only the national ETDZ has an
# official statistical code; the others get a local code so they can be keys.
ZONES: list[tuple[str, str, str]] = [
    ("140271", "大同经济技术开发区", "140213"),
    ("140291", "云冈经济技术开发区", "140214"),
    ("140292", "新荣经济技术开发区", "140212"),
    ("140293", "左云经济技术开发区", "140226"),
    ("140294", "广灵经济技术开发区", "140223"),
]
CITY_LEVEL = ("140200", "市本级")

COUNTY_NAME = dict(COUNTIES)
COUNTY_CODE = {name: code for code, name in COUNTIES}
ZONE_NAME = {code: name for code, name, _ in ZONES}
ZONE_CODE = {name: code for code, name, _ in ZONES}
ZONE_HOST = {code: host for code, _, host in ZONES}
UNIT_NAME = {**COUNTY_NAME, **ZONE_NAME, CITY_LEVEL[0]: CITY_LEVEL[1]}
# order for display: counties, then zones, then city level
UNIT_ORDER = [c for c, _ in COUNTIES] + [z for z, _, _ in ZONES] + [CITY_LEVEL[0]]

# old names still seen in files (pre-2018 reorganisation)
_OLD_NAMES = {"城区": "140213", "矿区": "140214", "南郊区": "140214", "大同县": "140215"}
_ZONE_SHORT = {
    "大同经开区": "140271", "经开区": "140271", "大同经济开发区": "140271", "山西大同经济开发区": "140271",
    "大同经济技术开发区": "140271", "云冈经开区": "140291", "新荣经开区": "140292",
    "左云经开区": "140293", "广灵经开区": "140294",
}
_STRIP = re.compile(r"[\s\u3000]+")


def normalise_county(text: object) -> str | None:
    """County/district code for a name as written in a file, or None if unknown.

    Accepts 平城区, 大同市平城区, 山西省大同市平城区, 平城, 140213 and old names (城区 → 平城区).
    """
    if text is None:
        return None
    s = _STRIP.sub("", str(text))
    if s.endswith(".0"):
        s = s[:-2]
    if not s:
        return None
    if s in COUNTY_NAME:
        return s
    if s in _OLD_NAMES:
        return _OLD_NAMES[s]
    for prefix in ("山西省", "大同市", "大同"):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix):]
    if s in COUNTY_CODE:
        return COUNTY_CODE[s]
    if s in _OLD_NAMES:
        return _OLD_NAMES[s]
    for code, name in COUNTIES:
        if s == name[:-1]:  # 平城, 阳高
            return code
    return None


def normalise_zone(text: object) -> str | None:
    """Development-zone code for a name as written, or None if blank/unknown."""
    if text is None:
        return None
    s = _STRIP.sub("", str(text))
    if not s:
        return None
    if s in ZONE_CODE:
        return ZONE_CODE[s]
    if s in _ZONE_SHORT:
        return _ZONE_SHORT[s]
    s2 = s.removeprefix("山西省").removeprefix("大同市").removesuffix("管委会")
    if s2 in ZONE_CODE:
        return ZONE_CODE[s2]
    if s2 in _ZONE_SHORT:
        return _ZONE_SHORT[s2]
    return None


def unit_for_sender(text: object) -> str | None:
    """Reporting unit code (county, zone or 市本级) named in a 填报单位 line."""
    if text is None:
        return None
    s = _STRIP.sub("", str(text))
    for name, code in sorted(ZONE_CODE.items(), key=lambda kv: -len(kv[0])):
        if name in s:
            return code
    for short, code in _ZONE_SHORT.items():
        if short in s:
            return code
    for code, name in COUNTIES:
        if name in s:
            return code
    for old, code in _OLD_NAMES.items():
        if s.startswith(old):
            return code
    if s.startswith("大同市") or s.startswith("市") or "市本级" in s:
        return CITY_LEVEL[0]
    return None


# ---------------------------------------------------------------- one name per unit

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "config" / "unit_synonyms.toml"
_CITY_PREFIX = ("山西省大同市", "大同市")


def synonyms_path() -> Path:
    """The editable synonyms table (COCKPIT_UNIT_SYNONYMS overrides config/unit_synonyms.toml)."""
    return Path(os.environ.get("COCKPIT_UNIT_SYNONYMS", SYNONYMS_FILE))


def unit_key(text: str) -> str:
    """A unit's name as compared: spaces removed, 「大同市」/「山西省大同市」 written as 「市」
    (大同市住房和城乡建设局 → 市住房和城乡建设局), except before a county or zone name."""
    s = _STRIP.sub("", text)
    for prefix in _CITY_PREFIX:
        if s.startswith(prefix) and len(s) > len(prefix):
            rest = s[len(prefix):]
            if unit_for_sender(rest) not in (None, CITY_LEVEL[0]):
                return s  # 大同市平城区人民政府: a county's, not a city department
            return rest if rest.startswith("市") else "市" + rest
    return s


@lru_cache(maxsize=4)
def _synonyms(path: str, mtime: float) -> dict[str, str]:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for unit in raw.get("unit", []):
        name = str(unit["name"]).strip()
        for alias in [name, *unit.get("aliases", [])]:
            out[unit_key(str(alias))] = name
    return out


def synonyms() -> dict[str, str]:
    """Every spelling (as compared by unit_key) → its canonical name; reread when the file changes."""
    path = synonyms_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    return _synonyms(str(path), mtime)


def canonical_unit(text: str | None) -> str | None:
    """The one name of a department or unit as written in a file (市发改委 → 市发展和改革委员会).

    Blank stays None; a name the table does not know comes back as compared (spaces
    removed, 「大同市」 as 「市」), so 大同市教育局 and 市教育局 are one name too."""
    if text is None:
        return None
    key = unit_key(str(text))
    if not key:
        return None
    return synonyms().get(key, key)
