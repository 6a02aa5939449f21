"""WGS84 ↔ GCJ-02 on known points, and the shipped boundary files agreeing with the transform."""

from __future__ import annotations

import math

import pytest

from ui import geo


def _metres(a, b) -> float:
    """Distance between two (lon, lat) points, good enough for a few metres."""
    dlon = (a[0] - b[0]) * 111_320 * math.cos(math.radians((a[1] + b[1]) / 2))
    dlat = (a[1] - b[1]) * 110_540
    return math.hypot(dlon, dlat)


@pytest.mark.parametrize("wgs,gcj", [
    # the published reference pair (Tiananmen), as used for data/geo/SOURCES.md
    ((116.397428, 39.90923), (116.40367, 39.91063)),
])
def test_known_pairs(wgs, gcj):
    assert _metres(geo.wgs_to_gcj(*wgs), gcj) < 2
    assert _metres(geo.gcj_to_wgs(*gcj), wgs) < 2


@pytest.mark.parametrize("point", [(113.30347, 40.08510), (112.70641, 40.012873), (114.23576, 39.438867)])
def test_round_trip_is_sub_metre(point):
    assert _metres(geo.gcj_to_wgs(*geo.wgs_to_gcj(*point)), point) < 0.1


def test_offset_near_datong_is_the_documented_one():
    # SOURCES.md: near Datong GCJ-02 sits about +0.0064…0.0070° lon, +0.001° lat (550–650 m) off WGS84
    for lon, lat in [(113.30347, 40.08510), (113.57211, 39.99230), (114.15, 39.76)]:
        glon, glat = geo.wgs_to_gcj(lon, lat)
        assert 0.0063 < glon - lon < 0.0071
        assert 0.0009 < glat - lat < 0.0015


def test_shipped_wgs84_copy_matches_the_transform():
    """The WGS84 boundary file was converted from the GCJ-02 original by another implementation of
    the same formula: converting it forward again must land on the original vertices."""
    wgs = geo.county_boundaries("wgs84")["features"]
    gcj = {f["properties"]["adcode"]: f for f in geo.county_boundaries("gcj02")["features"]}
    checked = 0
    for f in wgs:
        ring_w = f["geometry"]["coordinates"][0][0]
        ring_g = gcj[f["properties"]["adcode"]]["geometry"]["coordinates"][0][0]
        assert len(ring_w) == len(ring_g)
        for pw, pg in list(zip(ring_w, ring_g))[::50]:
            assert _metres(geo.wgs_to_gcj(*pw), pg) < 1.0
            checked += 1
    assert checked > 40


def test_to_crs():
    assert geo.to_crs(113.3, 40.1, "wgs84") == (113.3, 40.1)
    assert geo.to_crs(None, 40.1, "gcj02") == (None, None)
    assert geo.to_crs(113.3, 40.1, "gcj02")[0] > 113.3
    with pytest.raises(ValueError):
        geo.to_crs(113.3, 40.1, "bd09")


def test_boundaries_and_labels():
    assert len(geo.county_boundaries()["features"]) == 10
    labels = geo.county_label_points()
    assert labels["140213"][0] == "平城区"
    assert geo.city_outline("gcj02")["features"][0]["properties"]["name"] == "大同市"
    x0, y0, x1, y1 = geo.bounds()
    assert 112.5 < x0 < x1 < 114.6 and 39.0 < y0 < y1 < 40.8
