"""View state of the leader and problem pages kept in the URL (st.query_params): a phone that
loses its session, or a link sent to a colleague, opens the same view. A widget's session key
is 「vs_<scope>_<param>」, so pages sharing a URL parameter name do not share widgets."""

from __future__ import annotations

import streamlit as st

ALL = "__all__"


def widget_key(param: str, scope: str) -> str:
    return f"vs_{scope}_{param}"


def select(label: str, options: list, param: str, scope: str, default=None, container=None, format_func=str,
           **kwargs):
    """A selectbox over options (strings, or None for 「全部」) kept in ?param=…; the URL wins
    when the page opens, the widget afterwards."""
    key = widget_key(param, scope)
    # a selectbox shows None as "nothing chosen": give 「全部」 a value of its own
    inner = [ALL if o is None else o for o in options]
    default = ALL if default is None else default
    if default not in inner:
        default = inner[0] if inner else ALL
    if key not in st.session_state or st.session_state[key] not in inner:
        raw = st.query_params.get(param)
        st.session_state[key] = raw if raw in inner and raw != ALL else default
    value = (container or st).selectbox(label, inner, key=key,
                                        format_func=lambda v: format_func(None if v == ALL else v), **kwargs)
    if value == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value
    return None if value == ALL else value


def several(label: str, options: list, param: str, scope: str, container=None, format_func=str,
            pills: bool = False) -> tuple:
    """Several values of `options` (none chosen = every one), kept in the URL as a repeated
    ?param=a&param=b (a single ?param=a from an older link works too). Pills for a short fixed
    list; otherwise a multiselect without Streamlit's English 「Select all」 and placeholder.
    Values not among `options` (another unit's, or gone this month) are dropped."""
    key = widget_key(param, scope)
    if key not in st.session_state:
        raw = st.query_params.get_all(param)
        st.session_state[key] = [o for o in options if o in raw]
    else:  # kept from an earlier run: only what is still offered
        st.session_state[key] = [o for o in options if o in (st.session_state[key] or [])]
    where = container or st
    if pills:
        value = where.pills(label, options, selection_mode="multi", key=key, format_func=format_func)
    else:
        value = where.multiselect(label, options, key=key, format_func=format_func, placeholder="全部",
                                  select_all=False)
    value = tuple(o for o in options if o in (value or []))  # in the options' order
    if value:
        st.query_params[param] = list(value)
    else:
        st.query_params.pop(param, None)
    return value


def checkbox(label: str, param: str, scope: str, container=None, **kwargs) -> bool:
    """A checkbox kept in the URL as ?param=1 (absent when off)."""
    key = widget_key(param, scope)
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param) == "1"
    value = (container or st).checkbox(label, key=key, **kwargs)
    if value:
        st.query_params[param] = "1"
    else:
        st.query_params.pop(param, None)
    return value


def set_value(param: str, scope: str, value) -> None:
    """From a callback (a table row picked): the value the widget shows on the next run."""
    st.session_state[widget_key(param, scope)] = ALL if value is None else value
