"""The map's rendered pieces are cached per (rows, tiles, layout) and reach the browser exactly
as st_folium would send them."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import streamlit_folium as sf

import queries
from ui import map_view, maps

OCT = dt.date(2026, 10, 1)
NO_FILTER = {"unit": None, "level": None, "status": None, "six_new": None, "leader": None}
_IDS = re.compile(r"_[0-9a-f]{32}")


def _record(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    monkeypatch.setattr(sf, "_component_func", lambda **kw: calls.append(kw))
    return calls


def _same(kw: dict) -> dict:
    """Component arguments with folium's random element ids (and the key made from them) left out."""
    return {k: _IDS.sub("_ID", v) if isinstance(v, str) else v for k, v in kw.items()
            if k not in ("key", "on_change")}


def test_cached_map_sends_what_st_folium_sends(fixture_db, monkeypatch):
    df = queries.run("map_projects", period=OCT, **NO_FILTER)
    calls = _record(monkeypatch)
    sf.st_folium(maps.project_map(df, height=640), height=640, use_container_width=True,
                 returned_objects=[], key="m")
    built = []

    def build():
        built.append(1)
        return maps.project_map(df, height=640)

    key = (map_view.frame_key(df), "test-map")
    map_view.show_map(build, key, height=640, key="m")
    map_view.show_map(build, key, height=640, key="m")
    assert len(calls) == 3 and len(built) == 1  # built and rendered once, shown twice
    ours, theirs = _same(calls[1]), _same(calls[0])
    assert ours == theirs
    assert "L.map" in calls[1]["script"] and calls[1] == calls[2]
    assert all(link.startswith("/app/static/") for link in calls[1]["js_links"] + calls[1]["css_links"])


def test_frame_key_follows_the_rows():
    a = pl.DataFrame({"project_code": ["A", "B"], "status": ["red", "green"]})
    assert map_view.frame_key(a) == map_view.frame_key(a.clone())
    assert map_view.frame_key(a) != map_view.frame_key(a.with_columns(status=pl.lit("red")))
    assert map_view.frame_key(a) != map_view.frame_key(a.head(1))
    assert map_view.frame_key(a) != map_view.frame_key(a.rename({"status": "state"}))
