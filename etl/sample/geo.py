"""坐标：县区边界内取点、点所在县区、开发区中心。"""

from __future__ import annotations

import random

from etl import boundary, divisions


def _zone_centres() -> dict[str, tuple[float, float]]:
    out = {}
    for code, _name, host in divisions.ZONES:
        rng = random.Random(f"开发区中心|{code}")
        out[code] = _random_point(rng, host, None, 0.0)
    return out


_POLY_CACHE: dict = {}


def _polygons():
    if not _POLY_CACHE:
        polys = boundary.county_polygons()
        for code, rings in polys.items():
            xs = [x for r in rings for x, _ in r]
            ys = [y for r in rings for _, y in r]
            _POLY_CACHE[code] = (rings, (min(xs), min(ys), max(xs), max(ys)))
    return _POLY_CACHE


def _in_rings(lon: float, lat: float, rings) -> bool:
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def point_county(lon: float, lat: float) -> str | None:
    """点所在的县区代码（仅当恰好落在一个县区内时）。"""
    found = [code for code, (rings, (x0, y0, x1, y1)) in _polygons().items()
             if x0 <= lon <= x1 and y0 <= lat <= y1 and _in_rings(lon, lat, rings)]
    return found[0] if len(found) == 1 else None


def _random_point(rng: random.Random, county: str, near: tuple[float, float] | None, spread: float):
    """县区多边形内的随机点（拒绝采样），可围绕某一点聚集；保留6位小数后仍严格在该县区内。"""
    rings, (x0, y0, x1, y1) = _polygons()[county]
    for attempt in range(2000):
        if near and attempt < 1500:
            lon = rng.gauss(near[0], spread)
            lat = rng.gauss(near[1], spread * 0.8)
        else:
            lon = rng.uniform(x0, x1)
            lat = rng.uniform(y0, y1)
        lon, lat = round(lon, 6), round(lat, 6)
        if x0 <= lon <= x1 and y0 <= lat <= y1 and _in_rings(lon, lat, rings) and point_county(lon, lat) == county:
            return lon, lat
    raise RuntimeError(f"无法在县区{county}内取点")
