"""Drill-down widgets of the progress and league pages, their values kept in the URL
(st.query_params) so a phone that loses its session, or a shared link, returns to the view."""

from __future__ import annotations

from typing import Any, Callable

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui.widgets import show_table


def _initial(param: str, options: list, default, parse: Callable[[str], Any]):
    raw = st.query_params.get(param)
    if raw is not None:
        try:
            value = parse(raw)
        except ValueError:
            value = None
        if value in options:
            return value
    return default if default in options else options[0]


def _sync(param: str, value, default, serialize: Callable[[Any], str]) -> None:
    if value is None or value == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = serialize(value)


def _prepare(key: str, param: str, options: list, default, parse) -> None:
    """The widget's session value: from the URL on first sight, reset when no longer an option."""
    if key not in st.session_state:
        st.session_state[key] = _initial(param, options, default, parse)
    elif st.session_state[key] not in options:
        st.session_state[key] = default if default in options else options[0]


_NONE = ""  # stands for the option None in widget state (a None value would show as "no choice")


def select(label: str, options: list, key: str, param: str, default=None, parse=str, serialize=str,
           container=None, format_func=str, **kwargs):
    """A selectbox kept in the URL as `param` (dropped from the URL at its default).
    None may be an option (e.g. 「全市」); it is never written to the URL."""
    opts = [_NONE if o is None else o for o in options]
    dflt = _NONE if default is None else default
    _prepare(key, param, opts, dflt, parse)
    value = (container or st).selectbox(label, opts, key=key,
                                        format_func=lambda o: format_func(None if o == _NONE else o), **kwargs)
    value = None if value == _NONE else value
    _sync(param, value, default, serialize)
    return value


def segmented(label: str, options: list, key: str, param: str, default=None, container=None, **kwargs):
    """A segmented control (always one choice) kept in the URL as `param`."""
    _prepare(key, param, options, default, str)
    value = (container or st).segmented_control(label, options, key=key, required=True, **kwargs)
    _sync(param, value, default, str)
    return value


def choose(key: str, value) -> None:
    """Set a URL-kept widget from a callback (a chart click, a table row)."""
    st.session_state[key] = _NONE if value is None else value


def clicked_points(key: str) -> list[dict]:
    """The points of a plotly chart's selection event (st.plotly_chart on_select)."""
    event = st.session_state.get(key)
    try:
        return list(event["selection"]["points"])
    except (KeyError, TypeError):
        return []


def selected_rows(key: str) -> list[int]:
    """The selected row positions of a st.dataframe selection event."""
    event = st.session_state.get(key)
    try:
        return list(event["selection"]["rows"])
    except (KeyError, TypeError):
        return []


def page_link(page: str, label: str, url: str, query_params: dict, icon: str | None = None) -> None:
    """A link to another page of the app (st.page_link); a plain link when the page runs on its own."""
    try:
        st.page_link(page, label=label, query_params=query_params, icon=icon)
    except StreamlitAPIException:
        st.link_button(label, url, icon=icon)


PERCENT_COLUMNS = ("完成率", "同比增长")


def table(df: pl.DataFrame, **kwargs):
    """ui.widgets.show_table with number formats by header: shares as 「51.4%」 (the frame keeps
    fractions for the downloads), gaps with one decimal, 万元 with separators, 亿元 with two
    decimals; 「—」 for missing values and the first column pinned come from show_table."""
    pcts = [c for c in df.columns if c in PERCENT_COLUMNS and df.schema[c].is_float()]
    config = {c: st.column_config.NumberColumn(format="%.1f%%") for c in pcts}
    config.update({c: st.column_config.NumberColumn(format="%.1f") for c in df.columns if "个百分点" in c})
    config.update({c: st.column_config.NumberColumn(format="localized") for c in df.columns if "万元" in c})
    config.update({c: st.column_config.NumberColumn(format="%.2f") for c in df.columns if "亿元" in c})
    config.update(kwargs.pop("column_config", {}))
    return show_table(df, percent=tuple(pcts), column_config=config, **kwargs)
