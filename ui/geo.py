"""Coordinates for the maps: WGS84 ↔ GCJ-02 and Datong's boundary files.

Project coordinates arrive as WGS84 (lon, lat). Tile servers in China mostly draw GCJ-02
(AMap and others), so points and boundaries drawn over them must be in GCJ-02 too, or
they sit ~600 m off the street. The transform is `prcoords` (CC0), which takes and
returns (lat, lon); the functions here take and return (lon, lat) like GeoJSON.
"""

from __future__ import annotations

import json
from functools import lru_cache

import prcoords

from etl.boundary import GCJ02_FILE, GEO_DIR, WGS84_FILE

CITY_FILES = {"wgs84": GEO_DIR / "shanxi_cities_wgs84.geojson", "gcj02": GEO_DIR / "shanxi_cities.geojson"}
DATONG = 140200

CRS = ("wgs84", "gcj02")


def wgs_to_gcj(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 → GCJ-02 (the published forward formula)."""
    c = prcoords.wgs_gcj((lat, lon), check_china=False)
    return c.lon, c.lat


def gcj_to_wgs(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → WGS84 (iterative inverse, error well under a metre)."""
    c = prcoords.gcj_wgs_bored((lat, lon), check_china=False)
    return c.lon, c.lat


def to_crs(lon: float | None, lat: float | None, crs: str) -> tuple[float | None, float | None]:
    """A WGS84 point in the map's CRS ('wgs84' or 'gcj02'); missing stays missing."""
    if lon is None or lat is None:
        return None, None
    if crs == "gcj02":
        return wgs_to_gcj(lon, lat)
    if crs == "wgs84":
        return lon, lat
    raise ValueError(f"unknown CRS {crs!r}")


@lru_cache(maxsize=2)
def _boundaries(crs: str) -> str:
    path = {"wgs84": WGS84_FILE, "gcj02": GCJ02_FILE}[crs]
    return path.read_text(encoding="utf-8")


def county_boundaries(crs: str = "wgs84") -> dict:
    """Datong's 10 counties/districts as a GeoJSON FeatureCollection in the given CRS.

    Both files are shipped (the GCJ-02 original and its WGS84 conversion, data/geo/SOURCES.md),
    so nothing is converted at run time. A fresh object each call (parsed from the cached text,
    so callers may add properties); the small derived facts below are computed once.
    """
    if crs not in CRS:
        raise ValueError(f"unknown CRS {crs!r}")
    return json.loads(_boundaries(crs))


@lru_cache(maxsize=2)
def _city(crs: str) -> str:
    data = json.loads(CITY_FILES[crs].read_text(encoding="utf-8"))
    feats = [f for f in data["features"] if f["properties"]["adcode"] == DATONG]
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)


def city_outline(crs: str = "wgs84") -> dict:
    """Datong's outline (the city feature of the Shanxi file) as a FeatureCollection."""
    if crs not in CRS:
        raise ValueError(f"unknown CRS {crs!r}")
    return json.loads(_city(crs))


def county_label_points(crs: str = "wgs84") -> dict[str, tuple[str, float, float]]:
    """County code → (name, lon, lat) of the polygon centroid, for labels."""
    return dict(_label_points(crs))


@lru_cache(maxsize=2)
def _label_points(crs: str) -> dict[str, tuple[str, float, float]]:
    out = {}
    for f in county_boundaries(crs)["features"]:
        p = f["properties"]
        out[str(p["adcode"])] = (p["name"], *p["centroid"])
    return out


def county_seats(crs: str = "wgs84") -> dict[str, tuple[float, float]]:
    """County code → (lon, lat) of the county government seat (the files' `center`)."""
    return dict(_seats(crs))


@lru_cache(maxsize=2)
def _seats(crs: str) -> dict[str, tuple[float, float]]:
    return {str(f["properties"]["adcode"]): tuple(f["properties"]["center"])
            for f in county_boundaries(crs)["features"]}


@lru_cache(maxsize=2)
def bounds(crs: str = "wgs84") -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the whole city."""
    xs, ys = [], []
    for f in county_boundaries(crs)["features"]:
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                xs.extend(x for x, _ in ring)
                ys.extend(y for _, y in ring)
    return min(xs), min(ys), max(xs), max(ys)
