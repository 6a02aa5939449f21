"""The shared sidebar filters: period, county/zone and library, kept in the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from queries.scope import Scope
from ui import auth, data
from ui.format import period_label
from ui.labels import LIBRARY_FILTER


@dataclass(frozen=True)
class Filters:
    period: dt.date
    unit: str | None  # county / zone code, None = whole city
    unit_name: str  # 「全市」 or the unit's name
    library: str | None  # new_start, continuing, key, None = all annual projects

    def params(self) -> dict:
        return {"period": self.period, "unit": self.unit, "library": self.library}

    def describe(self) -> str:
        """The filters in words, for titles and export headers."""
        return f"{period_label(self.period)} · {self.unit_name} · {LIBRARY_FILTER[self.library]}"


def _from_url(key: str, allowed: list, parse=lambda s: s):
    raw = st.query_params.get(key)
    if raw is None:
        return None
    try:
        value = parse(raw)
    except ValueError:
        return None
    return value if value in allowed else None


def _remember(key: str, value, url_value: str | None):
    st.session_state[f"_keep_{key}"] = value
    if url_value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = url_value


def _pick(key: str, options: list, default):
    """The value for a widget: URL first, then what this session chose before, then default."""
    from_url = _from_url(key, options, _PARSERS.get(key, lambda s: s))
    if from_url is not None:
        return from_url
    if f"_keep_{key}" not in st.session_state:
        return default
    kept = st.session_state[f"_keep_{key}"]
    return kept if kept in options else default


_PARSERS = {"period": lambda s: dt.date.fromisoformat(s + "-01") if len(s) == 7 else dt.date.fromisoformat(s)}


def unit_choices(all_codes: list[str], scope: Scope) -> tuple[list, str | None]:
    """The county/zone choices a user has, and the default: everyone may look at the whole city
    (public figures, and project lists hold only the user's own projects anyway); a county's or
    zone's account only at its own unit besides, and opens on it; a department's only the city."""
    if scope.sees_everything:
        return [None, *all_codes], None
    own = scope.unit_code
    return ([None, own], own) if own else ([None], None)


def allowed_units(codes: list[str], names: dict, param: str = "unit", warn: bool = True) -> tuple[list, str | None]:
    """`unit_choices` for the signed-in user; a link (?unit=) to a unit the user may not look at
    shows the user's own unit instead, and says so."""
    options, default = unit_choices(codes, auth.scope())
    asked = st.query_params.get(param)
    if warn and asked and asked in names and asked not in options:
        st.warning(f"无权查看{names[asked]}的数据，已显示{names[default]}的数据", icon=":material/lock:")
    return options, default


def sidebar(show_library: bool = True, show_unit: bool = True) -> Filters:
    """Draw the shared filters in the sidebar and return the choice."""
    periods = data.periods()
    if data.history_loading():  # a first start's early months: only the latest has its 同比 and 较上月
        periods = periods[:1]
    units = data.units()
    unit_names = {None: "全市", **dict(zip(units["code"], units["name"]))}
    unit_codes, unit_default = allowed_units([c for c, k in zip(units["code"], units["kind"]) if k != "city"],
                                             unit_names, warn=show_unit)
    libs = list(LIBRARY_FILTER)

    with st.sidebar:
        period = st.selectbox("数据期间", periods, index=periods.index(_pick("period", periods, periods[0])),
                              format_func=period_label, key="flt_period")
        _remember("period", period, f"{period:%Y-%m}")
        unit = None
        if show_unit:
            unit = st.selectbox("县区 / 开发区", unit_codes,
                                index=unit_codes.index(_pick("unit", unit_codes, unit_default)),
                                format_func=lambda c: unit_names[c], key="flt_unit")
            _remember("unit", unit, unit)
        library = None
        if show_library:
            lib_keys = ["all" if k is None else k for k in libs]
            picked = _pick("lib", lib_keys, "all")
            choice = st.selectbox("项目范围", lib_keys, index=lib_keys.index(picked),
                                  format_func=lambda k: LIBRARY_FILTER[None if k == "all" else k], key="flt_lib")
            library = None if choice == "all" else choice
            _remember("lib", choice, None if choice == "all" else choice)
    return Filters(period=period, unit=unit, unit_name=unit_names[unit], library=library)
