"""Datong's county boundaries (WGS84) and point-in-polygon tests."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
WGS84_FILE = GEO_DIR / "datong_districts_wgs84.geojson"
GCJ02_FILE = GEO_DIR / "datong_districts.geojson"


@lru_cache(maxsize=1)
def county_polygons() -> dict[str, list[list[tuple[float, float]]]]:
    """County code → list of rings (outer rings only; the files have no holes)."""
    data = json.loads(WGS84_FILE.read_text(encoding="utf-8"))
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for feature in data["features"]:
        code = str(feature["properties"]["adcode"])
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[code] = [[(float(x), float(y)) for x, y in poly[0]] for poly in polys]
    return out


def _in_ring(lon: float, lat: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@lru_cache(maxsize=1)
def _bbox() -> tuple[float, float, float, float]:
    xs = [x for rings in county_polygons().values() for r in rings for x, _ in r]
    ys = [y for rings in county_polygons().values() for r in rings for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def county_at(lon: float, lat: float) -> str | None:
    """Code of the county containing the point, None if outside Datong."""
    x0, y0, x1, y1 = _bbox()
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return None
    for code, rings in county_polygons().items():
        if any(_in_ring(lon, lat, r) for r in rings):
            return code
    return None


def in_datong(lon: float, lat: float) -> bool:
    return county_at(lon, lat) is not None
