"""The offline map: venues drawn over the outlines of regions and countries and the names of towns,
from an open boundary data set shipped with tourgraph (``data/basemap.json``: Natural Earth admin-1
outlines and GeoNames towns, see ``data/SOURCES.md`` and ``scripts/site_map_data.py``). No tiles, no
network: an SVG in the page. The frame is the venues' own box, padded and snapped to a grid so that
tours in one area share a base map (drawn once per process)."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from . import i18n

BASEMAP = Path(__file__).parent / "data" / "basemap.json"
WIDTH = 640
MIN_HEIGHT, MAX_HEIGHT = 320, 640
MARKER_RADIUS = 12
MAX_SPREAD = 60
MAX_TOWNS = 14
# A point of an outline closer than this many pixels to the previous one is left out.
MIN_STEP = 2.5


def osm_link(lat: str, lon: str) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"


def parse_coordinate(value: str, limit: float) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


@cache
def basemap() -> dict:
    return json.loads(BASEMAP.read_text(encoding="utf-8"))


def _snap(value: float, step: float, down: bool) -> float:
    return (math.floor if down else math.ceil)(value / step) * step


def frame(points: list[dict]) -> tuple[float, float, float, float]:
    """The box (lon_min, lat_min, lon_max, lat_max) around the venues: padded, at least 1° across,
    snapped to a grid of a quarter of its size (so nearby tours share it)."""
    lons = [p["lon"] for p in points]
    lats = [p["lat"] for p in points]
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) * 1.5, 1.0) * 1.3
    step = 2 ** math.ceil(math.log2(span)) / 4
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    lon_min = _snap(min(min(lons), cx - span / 2), step, True)
    lon_max = _snap(max(max(lons), cx + span / 2), step, False)
    half_lat = span / 2 / 1.5
    lat_min = max(_snap(min(min(lats), cy - half_lat), step / 2, True), -80.0)
    lat_max = min(_snap(max(max(lats), cy + half_lat), step / 2, False), 80.0)
    return lon_min, lat_min, lon_max, lat_max


class Projection:
    """Equirectangular, shrunk in longitude at the frame's mid-latitude so shapes are not stretched."""

    def __init__(self, box):
        self.lon_min, self.lat_min, self.lon_max, self.lat_max = box
        self.k = math.cos(math.radians((self.lat_min + self.lat_max) / 2))
        self.scale = WIDTH / ((self.lon_max - self.lon_min) * self.k)
        self.height = max(MIN_HEIGHT, min(MAX_HEIGHT, round((self.lat_max - self.lat_min) * self.scale)))

    def x(self, lon: float) -> float:
        return round((lon - self.lon_min) * self.k * self.scale, 1)

    def y(self, lat: float) -> float:
        mid = (self.lat_min + self.lat_max) / 2
        return round(self.height / 2 - (lat - mid) * self.scale, 1)


def _path(ring: list[float], proj: Projection) -> str:
    xs, ys = ring[0::2], ring[1::2]
    out, last = [], None
    for lon, lat in zip(xs, ys):
        x, y = proj.x(lon), proj.y(lat)
        if last is not None and abs(x - last[0]) + abs(y - last[1]) < MIN_STEP:
            continue
        out.append(f"{x:g},{y:g}")
        last = (x, y)
    return "M" + "L".join(out) + "Z" if len(out) >= 3 else ""


@cache
def base_layer(box: tuple, lang: str, home: str | None) -> dict:
    """The outlines and town names of a frame (the same for every map with that frame)."""
    proj = Projection(box)
    lon_min, lat_min, lon_max, lat_max = box
    # The visible latitude range follows the drawn height, which may be clamped.
    top, bottom = proj.lat_min + (proj.lat_max - proj.lat_min) / 2 + proj.height / 2 / proj.scale, None
    bottom = top - proj.height / proj.scale
    areas = []
    for area in basemap()["areas"]:
        a_lon_min, a_lat_min, a_lon_max, a_lat_max = area["bbox"]
        if a_lon_max < lon_min or a_lon_min > lon_max or a_lat_max < bottom or a_lat_min > top:
            continue
        d = "".join(_path(ring, proj) for ring in area["rings"])
        if d:
            name = area["name_fr"] if lang == "fr" else area["name_en"]
            areas.append({"id": area["id"], "d": d, "name": name, "home": area["id"] == home})
    towns = []
    for name, lat, lon, _country, _population in basemap()["towns"]:
        if lon_min <= lon <= lon_max and bottom <= lat <= top:
            x, y = proj.x(lon), proj.y(lat)
            if 8 < x < WIDTH - 8 and 12 < y < proj.height - 6:
                towns.append({"name": name, "x": x, "y": y})
        if len(towns) >= MAX_TOWNS * 4:
            break
    return {"width": WIDTH, "height": proj.height, "areas": areas, "towns": towns}


def _home_area(points: list[dict]) -> str | None:
    """The area that holds most venues (drawn as the region of the map)."""
    counts: dict = {}
    for point in points:
        for area in basemap()["areas"]:
            lo_x, lo_y, hi_x, hi_y = area["bbox"]
            if lo_x <= point["lon"] <= hi_x and lo_y <= point["lat"] <= hi_y and any(_inside(point, ring) for ring in area["rings"]):
                counts[area["id"]] = counts.get(area["id"], 0) + 1
                break
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None


def _inside(point: dict, ring: list[float]) -> bool:
    x, y = point["lon"], point["lat"]
    xs, ys = ring[0::2], ring[1::2]
    inside, j = False, len(xs) - 1
    for i in range(len(xs)):
        if (ys[i] > y) != (ys[j] > y) and x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]:
            inside = not inside
        j = i
    return inside


def venue_map(points: list[dict], missing: list[dict], lang: str) -> dict:
    """What the template draws: the base layer, the venues' markers (numbered as given, else 1, 2, …),
    town names that do not collide with markers, the legend, and the points for the interactive map."""
    box = frame(points)
    home = _home_area(points)
    layer = base_layer(box, lang, home)
    proj = Projection(box)
    markers = _place_markers(points, proj)
    taken = [(m["mx"], m["my"]) for m in markers]
    towns = []
    for town in layer["towns"]:
        if len(towns) >= MAX_TOWNS:
            break
        if all(abs(town["x"] - x) > 40 or abs(town["y"] - y) > 16 for x, y in taken):
            towns.append(town)
            taken.append((town["x"], town["y"]))
    home_name = next((a["name"] for a in layer["areas"] if a["home"]), None)
    sources = "; ".join(s.get("credit") or s["name"].split(",")[0] for s in basemap()["sources"])
    return {
        "width": layer["width"], "height": layer["height"], "areas": layer["areas"], "towns": towns,
        "markers": markers, "missing": missing, "region": home_name,
        "basemap": i18n.text(lang, "map_basemap", sources=sources),
        "points_json": json.dumps([{"n": m["number"], "lat": m["lat"], "lon": m["lon"], "label": m["label"], "href": m["href"]} for m in markers], ensure_ascii=False, separators=(",", ":")),
    }


def _place_markers(points: list[dict], proj: Projection) -> list[dict]:
    """Markers at their venues; a marker that would cover another moves aside, tied to its venue by a
    line. One venue shown twice in a programme is one marker with both numbers."""
    placed: list[dict] = []
    gap = MARKER_RADIUS * 2 + 2
    spread = len(points) <= MAX_SPREAD
    by_place: dict = {}
    for n, p in enumerate(points, start=1):
        key = (p["lat"], p["lon"], p["label"])
        number = p["number"] if p["number"] is not None else n
        if key in by_place:
            by_place[key]["numbers"].append(number)
            continue
        px, py = proj.x(p["lon"]), proj.y(p["lat"])
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
        marker = {**p, "number": number, "numbers": [number], "x": px, "y": py, "mx": mx, "my": my, "moved": (mx, my) != (px, py),
                  "osm": osm_link(f"{p['lat']:g}", f"{p['lon']:g}")}
        by_place[key] = marker
        placed.append(marker)
    for marker in placed:
        marker["text"] = ",".join(str(n) for n in marker["numbers"])
    return placed
