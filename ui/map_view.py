"""The key-project map on a page, built and rendered once per (rows shown, tiles, layout).

Building a folium map and rendering it to Leaflet script costs a page view about a quarter of
a second of the server's CPU for a city's key projects (branca compiles a template per
element); every user opening the same view gets the same script. So the rendered pieces are
kept (`st.cache_resource`: plain strings, shared read-only) and handed to streamlit-folium's
component exactly as `st_folium` hands them (`tests/test_map_view.py` checks the two agree).
"""

from __future__ import annotations

import hashlib
from typing import Callable

import folium
import folium.elements
import streamlit as st
import polars as pl
import streamlit_folium as sf


def frame_key(df: pl.DataFrame) -> str:
    """A digest of a frame's rows and columns: the map depends on nothing else of the data, so
    the key is right whoever the rows were chosen for (filters, a user's scope)."""
    digest = hashlib.sha256("|".join(f"{c}:{t}" for c, t in df.schema.items()).encode())
    digest.update(df.hash_rows(seed=0).to_numpy().tobytes())
    return digest.hexdigest()


def rendered_parts(m: folium.Map) -> dict:
    """What `st_folium(m, returned_objects=[])` sends to the browser, as plain data."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css, js = [], []

    def walk(el):
        if isinstance(el, folium.elements.JSCSSMixin):
            yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    for el in walk(m):
        css.extend(href for _, href in getattr(el, "default_css", []))
        js.extend(src for _, src in getattr(el, "default_js", []))
    return {"script": script, "header": header, "html": html, "id": sf.get_full_id(m),
            "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js))}


@st.cache_resource(max_entries=128, show_spinner=False)
def _cached_parts(cache_key: tuple, _build: Callable[[], folium.Map]) -> dict:
    return rendered_parts(_build())


def show_map(build: Callable[[], folium.Map], cache_key: tuple, *, height: int, key: str):
    """Draw the map `build()` makes; `cache_key` must hold everything it depends on
    (`frame_key` of its rows, the tiles, the links and the layout)."""
    parts = _cached_parts(cache_key, _build=build)
    return sf._component_func(
        script=parts["script"], header=parts["header"], html=parts["html"], id=parts["id"],
        key=sf.generate_js_hash(parts["script"], key, False), height=height, width=None,
        returned_objects=[], default={}, zoom=None, center=None, feature_group=None,
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=parts["css_links"], js_links=parts["js_links"], on_change=None, wrap_longitude=False)
