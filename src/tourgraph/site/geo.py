"""The offline map: venues drawn over the outlines of regions and countries and the names of towns,
from an open boundary data set shipped with tourgraph (``data/basemap.json``: Natural Earth admin-1
outlines and GeoNames towns, see ``data/SOURCES.md`` and ``scripts/site_map_data.py``). No tiles, no
network: an SVG in the page. The frame is landscape, around the venues with room to see their region,
of a few sizes and snapped to a grid so that tours in one area share a base map (drawn once per process)."""

from __future__ import annotations

import json
import math
from functools import cache, lru_cache
from pathlib import Path

from . import i18n

BASEMAP = Path(__file__).parent / "data" / "basemap.json"
WIDTH, HEIGHT = 640, 420
# The venues fill at most the middle 1/PADDING of the frame each way; the frame shows at least this
# many degrees of latitude (a region, not a street, around venues close together).
PADDING = 1.5
MIN_SPAN = 1.2
MARKER_RADIUS = 12
MAX_SPREAD = 60
MAX_TOWNS = 14
# Width of a character of a town's and of the region's name, in the map's pixels (the styles' sizes).
TOWN_CHAR, REGION_CHAR = 6.5, 10.5
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


def frame(points: list[dict]) -> tuple[float, float, float, float]:
    """The box (lon_min, lat_min, lon_max, lat_max) of the map: landscape (``WIDTH`` × ``HEIGHT``),
    the venues inside its middle ``1 / PADDING`` each way, and at least ``MIN_SPAN`` degrees of
    latitude tall, so a tour's venues are seen in their region. Its size is one of a few steps and its
    centre is snapped to a grid of a sixteenth of that size, so that tours in one area share a base map."""
    lons = [p["lon"] for p in points]
    lats = [p["lat"] for p in points]
    mid_lat = (min(lats) + max(lats)) / 2
    k = max(math.cos(math.radians(mid_lat)), 0.2)
    aspect = WIDTH / HEIGHT
    # The width wanted, in degrees of latitude (the projection's unit): the venues' spread, padded.
    wanted = max((max(lons) - min(lons)) * k, (max(lats) - min(lats)) * aspect, MIN_SPAN * aspect) * PADDING
    size = 2 ** (math.floor(2 * math.log2(wanted)) / 2)
    while True:
        step = size / 16
        cy = max(min(round(mid_lat / step) * step, 80.0), -80.0)
        k = max(math.cos(math.radians(cy)), 0.2)
        cx = round((min(lons) + max(lons)) / 2 / (step / k)) * (step / k)
        half_lon, half_lat = size / 2 / k, size / 2 / aspect
        inner_lon, inner_lat = half_lon / PADDING * 1.1, half_lat / PADDING * 1.1
        inside = all(abs(lon - cx) <= inner_lon for lon in lons) and all(abs(lat - cy) <= inner_lat for lat in lats)
        if inside or size > 360:
            return cx - half_lon, cy - half_lat, cx + half_lon, cy + half_lat
        size *= 2 ** 0.5


class Projection:
    """Equirectangular, shrunk in longitude at the frame's mid-latitude so shapes are not stretched."""

    def __init__(self, box):
        self.lon_min, self.lat_min, self.lon_max, self.lat_max = box
        self.k = max(math.cos(math.radians((self.lat_min + self.lat_max) / 2)), 0.2)
        self.scale = WIDTH / ((self.lon_max - self.lon_min) * self.k)
        self.height = round((self.lat_max - self.lat_min) * self.scale)

    def x(self, lon: float) -> float:
        return round((lon - self.lon_min) * self.k * self.scale, 1)

    def y(self, lat: float) -> float:
        mid = (self.lat_min + self.lat_max) / 2
        return round(self.height / 2 - (lat - mid) * self.scale, 1)


def _path(ring: list[float], proj: Projection) -> str:
    # Projection.x and .y inlined (the same arithmetic, so the same digits): a map's outlines are
    # thousands of points, and a site draws a map on every tour, event and place page.
    lon_min, k, scale = proj.lon_min, proj.k, proj.scale
    half, mid = proj.height / 2, (proj.lat_min + proj.lat_max) / 2
    out, last_x, last_y = [], None, 0.0
    for lon, lat in zip(ring[0::2], ring[1::2]):
        x, y = round((lon - lon_min) * k * scale, 1), round(half - (lat - mid) * scale, 1)
        if last_x is not None and abs(x - last_x) + abs(y - last_y) < MIN_STEP:
            continue
        out.append(f"{x:g},{y:g}")
        last_x, last_y = x, y
    return "M" + "L".join(out) + "Z" if len(out) >= 3 else ""


# The base map's areas and towns by cells of GRID degrees, so that a frame looks only at what is near it.
GRID = 2.0


def _cells(lon_min: float, lat_min: float, lon_max: float, lat_max: float):
    for i in range(math.floor(lon_min / GRID), math.floor(lon_max / GRID) + 1):
        for j in range(math.floor(lat_min / GRID), math.floor(lat_max / GRID) + 1):
            yield i, j


@cache
def _grid() -> tuple[dict, dict]:
    """Cell -> the indexes (in the base map's order) of the areas whose box meets it, and of the towns in it."""
    areas: dict = {}
    for n, area in enumerate(basemap()["areas"]):
        for cell in _cells(*area["bbox"]):
            areas.setdefault(cell, []).append(n)
    towns: dict = {}
    for n, (_name, lat, lon, _country, _population) in enumerate(basemap()["towns"]):
        towns.setdefault((math.floor(lon / GRID), math.floor(lat / GRID)), []).append(n)
    return areas, towns


def _near(table: dict, box: tuple) -> list[int]:
    """The indexes of ``table`` in the cells that ``box`` meets, in the base map's order."""
    return sorted({n for cell in _cells(*box) for n in table.get(cell, ())})


# Frames are cached by process; a map per place page makes many of them, hence the bounds.
@lru_cache(maxsize=2048)
def _outlines(box: tuple) -> tuple[list, list]:
    """The outlines (area index, path) and the towns (name, x, y) of a frame, in any language."""
    proj = Projection(box)
    lon_min, _lat_min, lon_max, _lat_max = box
    # The visible latitude range follows the drawn height, which may be clamped.
    top = proj.lat_min + (proj.lat_max - proj.lat_min) / 2 + proj.height / 2 / proj.scale
    bottom = top - proj.height / proj.scale
    area_cells, town_cells = _grid()
    all_areas, all_towns = basemap()["areas"], basemap()["towns"]
    outlines = []
    for n in _near(area_cells, (lon_min, bottom, lon_max, top)):
        a_lon_min, a_lat_min, a_lon_max, a_lat_max = all_areas[n]["bbox"]
        if a_lon_max < lon_min or a_lon_min > lon_max or a_lat_max < bottom or a_lat_min > top:
            continue
        d = "".join(_path(ring, proj) for ring in all_areas[n]["rings"])
        if d:
            outlines.append((n, d))
    towns = []
    for n in _near(town_cells, (lon_min, bottom, lon_max, top)):
        name, lat, lon, _country, _population = all_towns[n]
        if lon_min <= lon <= lon_max and bottom <= lat <= top:
            x, y = proj.x(lon), proj.y(lat)
            # The name is written to the right of its dot: all of it must be inside the frame.
            if 8 < x and x + 4 + len(name) * TOWN_CHAR < WIDTH - 4 and 12 < y < proj.height - 6:
                towns.append({"name": name, "x": x, "y": y})
        if len(towns) >= MAX_TOWNS * 4:
            break
    return outlines, towns


@lru_cache(maxsize=2048)
def base_layer(box: tuple, lang: str, home: str | None) -> dict:
    """The outlines and town names of a frame (the same for every map with that frame)."""
    outlines, towns = _outlines(box)
    areas = []
    for n, d in outlines:
        area = basemap()["areas"][n]
        name = area["name_fr"] if lang == "fr" else area["name_en"]
        areas.append({"id": area["id"], "d": d, "name": name, "home": area["id"] == home})
    return {"width": WIDTH, "height": Projection(box).height, "areas": areas, "towns": towns}


@lru_cache(maxsize=4096)
def _home_area(points: tuple[tuple[float, float], ...]) -> str | None:
    """The area that holds most of the venues (lon, lat) (drawn as the region of the map)."""
    counts: dict = {}
    area_cells = _grid()[0]
    for lon, lat in points:
        for n in area_cells.get((math.floor(lon / GRID), math.floor(lat / GRID)), ()):
            area = basemap()["areas"][n]
            lo_x, lo_y, hi_x, hi_y = area["bbox"]
            if lo_x <= lon <= hi_x and lo_y <= lat <= hi_y and any(_inside(lon, lat, ring) for ring in area["rings"]):
                counts[area["id"]] = counts.get(area["id"], 0) + 1
                break
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None


def _inside(x: float, y: float, ring: list[float]) -> bool:
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
    home = _home_area(tuple((p["lon"], p["lat"]) for p in points))
    layer = base_layer(box, lang, home)
    proj = Projection(box)
    markers = _place_markers(points, proj)
    home_name = next((a["name"] for a in layer["areas"] if a["home"]), None)
    # Boxes (left, top, right, bottom) nothing else may overlap: the markers, the region's name (top
    # right), then each town's dot and name as it is placed.
    taken = [(m["mx"] - MARKER_RADIUS - 2, m["my"] - MARKER_RADIUS - 2, m["mx"] + MARKER_RADIUS + 2, m["my"] + MARKER_RADIUS + 2) for m in markers]
    if home_name:
        taken.append((WIDTH - 10 - len(home_name) * REGION_CHAR, 0, WIDTH, 32))
    towns = []
    for town in layer["towns"]:
        if len(towns) >= MAX_TOWNS:
            break
        box = (town["x"] - 3, town["y"] - 15, town["x"] + 6 + len(town["name"]) * TOWN_CHAR, town["y"] + 3)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            towns.append(town)
            taken.append(box)
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
