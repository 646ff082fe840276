"""An offline map: venues projected from longitude/latitude into an SVG box, no tiles, no network."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Hauts-de-France's bounding box (lon_min, lat_min, lon_max, lat_max), with a little margin: the
# frame for a tour whose venues are all in the region.
REGION_BOX = (1.3, 48.8, 4.35, 51.15)
REGION_NAME = "Hauts-de-France"
WIDTH = 600.0
MARKER_RADIUS = 11
MAX_SPREAD = 60


@dataclass(frozen=True)
class Point:
    number: int
    lat: float
    lon: float
    label: str
    href: str | None
    osm: str


def osm_link(lat: str, lon: str) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"


def parse_coordinate(value: str, limit: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


def _box(points: list[Point]) -> tuple[tuple[float, float, float, float], str | None]:
    lon_min, lon_max = REGION_BOX[0], REGION_BOX[2]
    lat_min, lat_max = REGION_BOX[1], REGION_BOX[3]
    if all(lon_min <= p.lon <= lon_max and lat_min <= p.lat <= lat_max for p in points):
        return REGION_BOX, REGION_NAME
    lons = [p.lon for p in points]
    lats = [p.lat for p in points]
    # Elsewhere: the points' own box, padded, at least half a degree across.
    pad_lon = max((max(lons) - min(lons)) * 0.15, 0.25)
    pad_lat = max((max(lats) - min(lats)) * 0.15, 0.25)
    return (min(lons) - pad_lon, max(min(lats) - pad_lat, -85.0), max(lons) + pad_lon, min(max(lats) + pad_lat, 85.0)), None


def _step(span: float) -> float:
    for step in (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 45.0):
        if span / step <= 6:
            return step
    return 90.0


def svg_map(points: list[Point]) -> dict:
    """Everything the template needs to draw the map: size, graticule, projected points."""
    (lon_min, lat_min, lon_max, lat_max), region = _box(points)
    # Equirectangular projection, shrunk in longitude at the box's mid-latitude so shapes are not stretched.
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = WIDTH / ((lon_max - lon_min) * k)
    height = round((lat_max - lat_min) * scale, 1)

    def x(lon: float) -> float:
        return round((lon - lon_min) * k * scale, 1)

    def y(lat: float) -> float:
        return round((lat_max - lat) * scale, 1)

    lines = []
    step = _step(lon_max - lon_min)
    lon = math.ceil(lon_min / step) * step
    while lon < lon_max:
        lines.append({"x1": x(lon), "y1": 0, "x2": x(lon), "y2": height, "label": f"{lon:g}°", "lx": x(lon) + 3, "ly": height - 4})
        lon += step
    step = _step(lat_max - lat_min)
    lat = math.ceil(lat_min / step) * step
    while lat < lat_max:
        lines.append({"x1": 0, "y1": y(lat), "x2": WIDTH, "y2": y(lat), "label": f"{lat:g}°", "lx": 3, "ly": y(lat) - 3})
        lat += step
    return {"width": WIDTH, "height": height, "region": region, "lines": lines, "points": _place_markers(points, x, y)}


def _place_markers(points: list[Point], x, y) -> list[dict]:
    """Markers at their venues; a marker that would cover another moves aside, tied to its venue by a line."""
    placed: list[dict] = []
    gap = MARKER_RADIUS * 2 + 2
    # Moving markers aside costs a comparison with every placed one: only for maps a reader can count.
    spread = len(points) <= MAX_SPREAD
    for p in points:
        px, py = x(p.lon), y(p.lat)
        mx, my = px, py
        for distance in (0, gap, gap * 2, gap * 3) if spread else ():
            candidates = [(px, py)] if distance == 0 else [
                (round(px + distance * math.cos(a), 1), round(py - distance * math.sin(a), 1))
                for a in (math.radians(d) for d in range(0, 360, 45))
            ]
            free = [c for c in candidates if all(math.dist(c, (m["mx"], m["my"])) >= gap for m in placed)]
            if free:
                mx, my = free[0]
                break
        placed.append({"point": p, "x": px, "y": py, "mx": mx, "my": my, "moved": (mx, my) != (px, py)})
    return placed
