"""The map's filters (key level, county/zone, status, 六新 type, leader, base map), kept in the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from etl.vocab import SIX_NEW
from ui import data
from ui.filters import _pick, _remember, sidebar
from ui.format import period_label
from ui.labels import KEY_LEVEL, STATUS
from ui.maps import MapConfig, TileProvider

ALL = "all"


@dataclass(frozen=True)
class MapFilters:
    period: dt.date
    unit: str | None
    unit_name: str
    level: tuple[str, ...]  # empty = every level
    status: tuple[str, ...]  # empty = every status
    six_new: str | None
    leader: str | None
    provider: TileProvider

    def params(self) -> dict:
        """Parameters of queries/map_projects.sql."""
        return {"period": self.period, "unit": self.unit, "level": ",".join(self.level) or None,
                "status": ",".join(self.status) or None, "six_new": self.six_new, "leader": self.leader}

    def describe(self) -> str:
        parts = [period_label(self.period), self.unit_name]
        if self.level:
            parts.append("、".join(KEY_LEVEL[k] for k in self.level))
        if self.status:
            parts.append("、".join(STATUS[s] for s in self.status))
        if self.six_new:
            parts.append(self.six_new)
        if self.leader:
            parts.append(f"包联领导 {self.leader}")
        return " · ".join(parts)


def _select(where, label: str, key: str, options: list, names: dict) -> str | None:
    keys = [ALL] + options
    picked = _pick(key, keys, ALL)
    choice = where.selectbox(label, keys, index=keys.index(picked), format_func=lambda k: names.get(k, k),
                             key=f"map_{key}")
    _remember(key, choice, None if choice == ALL else choice)
    return None if choice == ALL else choice


def _several(where, label: str, key: str, names: dict) -> tuple[str, ...]:
    """Pills taking several values (省定省管 + 省定市管 in one pass), kept in the URL as a comma list."""
    raw = st.query_params.get(key)
    if raw is not None:
        default = [s for s in raw.split(",") if s in names]
    else:
        default = [s for s in st.session_state.get(f"_keep_{key}", []) if s in names]
    chosen = where.pills(label, list(names), selection_mode="multi", default=default, format_func=names.get,
                         key=f"map_{key}")
    chosen = [s for s in names if s in (chosen or [])]  # official order
    _remember(key, chosen, ",".join(chosen) or None)
    return tuple(chosen)


def _statuses(where) -> tuple[str, ...]:
    return _several(where, "红黄绿", "status", {"red": "🔴 红", "yellow": "🟡 黄", "green": "🟢 绿"})


def map_filters(config: MapConfig, mobile: bool = False) -> MapFilters:
    """Period (and county on desktop) in the shared sidebar; the map's own filters beside them,
    or on a phone in a box above the map, where a thumb finds them."""
    base = sidebar(show_library=False, show_unit=not mobile)
    where = st.expander("筛选条件", icon=":material/filter_list:") if mobile else st.sidebar
    with where:
        unit, unit_name = base.unit, base.unit_name
        if mobile:
            units = data.units()
            codes = [c for c, k in zip(units["code"], units["kind"]) if k != "city"]
            names = {ALL: "全市", **dict(zip(units["code"], units["name"]))}
            unit = _select(st, "县区 / 开发区", "unit", codes, names)
            unit_name = names[unit or ALL]
        level = _several(st, "重点工程级别（可多选）", "level", dict(KEY_LEVEL))
        status = _statuses(st)
        six_new = _select(st, "六新类型", "six", SIX_NEW, {ALL: "全部六新类型"})
        options = data.q("map_options", period=base.period)
        leaders = options.filter(options["kind"] == "leader")["value"].to_list()
        leader = _select(st, "包联领导", "leader", leaders, {ALL: "全部领导"})
        provider = config.providers[config.default]
        if len(config.providers) > 1:
            keys = list(config.providers)
            picked = _pick("tiles", keys, config.default)
            tiles = st.selectbox("底图", keys, index=keys.index(picked),
                                 format_func=lambda k: config.providers[k].label, key="map_tiles")
            _remember("tiles", tiles, None if tiles == config.default else tiles)
            provider = config.providers[tiles]
    return MapFilters(period=base.period, unit=unit, unit_name=unit_name, level=level, status=status,
                      six_new=six_new, leader=leader, provider=provider)
