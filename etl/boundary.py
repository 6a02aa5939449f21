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


@lru_cache(maxsize=1)
def _rings() -> dict[str, list[tuple[tuple[float, float, float, float], "np.ndarray", "np.ndarray"]]]:
    """County code → rings as (bbox, xs, ys) numpy arrays, for fast tests."""
    import numpy as np

    out = {}
    for code, rings in county_polygons().items():
        out[code] = []
        for ring in rings:
            xs = np.array([x for x, _ in ring])
            ys = np.array([y for _, y in ring])
            out[code].append(((xs.min(), ys.min(), xs.max(), ys.max()), xs, ys))
    return out


def _in_ring(lon: float, lat: float, ring) -> bool:
    """Ray casting over every edge at once (even-odd rule)."""
    import numpy as np

    (x0, y0, x1, y1), xs, ys = ring
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return False
    xj, yj = np.roll(xs, 1), np.roll(ys, 1)
    crosses = (ys > lat) != (yj > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = (xj - xs) * (lat - ys) / (yj - ys) + xs
    return bool(np.count_nonzero(crosses & (lon < x_at)) % 2)


@lru_cache(maxsize=1)
def _bbox() -> tuple[float, float, float, float]:
    xs = [x for rings in county_polygons().values() for r in rings for x, _ in r]
    ys = [y for rings in county_polygons().values() for r in rings for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


def county_at(lon: float, lat: float, hint: str | None = None) -> str | None:
    """Code of the county containing the point, None if outside Datong.
    `hint`: the county the point most likely lies in, tried first."""
    x0, y0, x1, y1 = _bbox()
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return None
    rings = _rings()
    order = ([hint] if hint in rings else []) + [c for c in rings if c != hint]
    for code in order:
        if any(_in_ring(lon, lat, r) for r in rings[code]):
            return code
    return None


def in_datong(lon: float, lat: float, hint: str | None = None) -> bool:
    return county_at(lon, lat, hint) is not None


def in_datong_many(lons: list[float], lats: list[float]) -> list[bool]:
    """in_datong for many points at once: each county ring tests every point in its box in one
    vectorised pass (the same even-odd ray casting as _in_ring)."""
    import numpy as np

    x, y = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    inside = np.zeros(len(x), dtype=bool)
    if not len(x):
        return []
    bx0, by0, bx1, by1 = _bbox()
    todo = (bx0 <= x) & (x <= bx1) & (by0 <= y) & (y <= by1)
    for rings in _rings().values():
        for (x0, y0, x1, y1), xs, ys in rings:
            pick = np.flatnonzero(todo & ~inside & (x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1))
            if not len(pick):
                continue
            px, py = x[pick, None], y[pick, None]
            xj, yj = np.roll(xs, 1), np.roll(ys, 1)
            crosses = (ys > py) != (yj > py)
            with np.errstate(divide="ignore", invalid="ignore"):
                x_at = (xj - xs) * (py - ys) / (yj - ys) + xs
            hit = np.count_nonzero(crosses & (px < x_at), axis=1) % 2 == 1
            inside[pick[hit]] = True
    return inside.tolist()
