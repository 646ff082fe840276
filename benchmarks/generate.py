#!/usr/bin/env python3
"""Write a complete tourgraph project folder with N synthetic Inspiration Tours, for benchmarks.

    python benchmarks/generate.py --triples 100000 --out /tmp/bench-100k
    python benchmarks/generate.py --tours 0 --out /tmp/shipped      # the shipped project only

The project gets tourgraph.toml, ontology/, shapes/ and queries/ copied from the repository and a
data/ folder holding the shipped data (data/common, data/tours/...) plus synthetic tours shaped like
data/tours/2026-hauts-de-france: one folder per tour with tour.ttl, people.ttl, organizations.ttl,
places.ttl, places-geo.ttl and press-release.ttl, each file describing its own named graph's
provenance (dcterms:title @fr/@en, dcterms:source, prov:wasDerivedFrom, dcterms:license) the way the
shipped files do. Shared synthetic entities (regions, towns, regional film commissions, the
delegates' international employers) go to data/common/synthetic-*.ttl. Entity IRIs are relative
(``person:…`` with ``@prefix person: <person/>``), resolved against the base in tourgraph.toml.

Tours are added until the data files hold at least ``--triples`` triples (as loaded: one per
statement per file, the count ``tourgraph build`` reports before materialisation). Output is
deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LICENCE = "<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>"

PREFIXES = {
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "tg": "ns#",
    "kind": "ns/kind/",
    "person": "person/",
    "org": "organization/",
    "place": "place/",
    "event": "event/",
    "doc": "document/",
    "contact": "contact/",
}

# ---------------------------------------------------------------- vocabulary for realistic data

# Regions (slug, French name, English name or None, film commission name, towns). Towns: (name,
# postal code, latitude, longitude) — real towns, approximate centre coordinates.
REGIONS = [
    ("normandie", "Normandie", "Normandy", "Normandie Images", [
        ("Rouen", "76000", 49.4431, 1.0993), ("Caen", "14000", 49.1829, -0.3707), ("Le Havre", "76600", 49.4944, 0.1079),
        ("Bayeux", "14400", 49.2764, -0.7024), ("Étretat", "76790", 49.7070, 0.2040), ("Honfleur", "14600", 49.4190, 0.2330),
        ("Cherbourg-en-Cotentin", "50100", 49.6337, -1.6222), ("Giverny", "27620", 49.0758, 1.5336)]),
    ("bretagne", "Bretagne", "Brittany", "Bretagne Cinéma", [
        ("Rennes", "35000", 48.1173, -1.6778), ("Brest", "29200", 48.3904, -4.4861), ("Quimper", "29000", 47.9960, -4.1024),
        ("Saint-Malo", "35400", 48.6493, -2.0257), ("Vannes", "56000", 47.6582, -2.7608), ("Dinan", "22100", 48.4555, -2.0503),
        ("Lorient", "56100", 47.7483, -3.3700), ("Carnac", "56340", 47.5840, -3.0780)]),
    ("occitanie", "Occitanie", None, "Occitanie Films", [
        ("Toulouse", "31000", 43.6047, 1.4442), ("Montpellier", "34000", 43.6108, 3.8767), ("Carcassonne", "11000", 43.2130, 2.3491),
        ("Nîmes", "30000", 43.8367, 4.3601), ("Albi", "81000", 43.9289, 2.1464), ("Perpignan", "66000", 42.6887, 2.8948),
        ("Sète", "34200", 43.4028, 3.6928), ("Collioure", "66190", 42.5265, 3.0838)]),
    ("nouvelle-aquitaine", "Nouvelle-Aquitaine", None, "ALCA Nouvelle-Aquitaine", [
        ("Bordeaux", "33000", 44.8378, -0.5792), ("La Rochelle", "17000", 46.1603, -1.1511), ("Biarritz", "64200", 43.4832, -1.5586),
        ("Poitiers", "86000", 46.5802, 0.3404), ("Limoges", "87000", 45.8336, 1.2611), ("Arcachon", "33120", 44.6586, -1.1689),
        ("Sarlat-la-Canéda", "24200", 44.8890, 1.2166), ("Angoulême", "16000", 45.6484, 0.1562)]),
    ("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes", None, "Auvergne-Rhône-Alpes Cinéma", [
        ("Lyon", "69001", 45.7640, 4.8357), ("Grenoble", "38000", 45.1885, 5.7245), ("Annecy", "74000", 45.8992, 6.1294),
        ("Chamonix-Mont-Blanc", "74400", 45.9237, 6.8694), ("Clermont-Ferrand", "63000", 45.7772, 3.0870),
        ("Saint-Étienne", "42000", 45.4397, 4.3872), ("Pérouges", "01800", 45.9036, 5.1794), ("Vichy", "03200", 46.1277, 3.4256)]),
    ("provence-alpes-cote-d-azur", "Provence-Alpes-Côte d'Azur", None, "Région Sud Film Commission", [
        ("Marseille", "13001", 43.2965, 5.3698), ("Nice", "06000", 43.7102, 7.2620), ("Avignon", "84000", 43.9493, 4.8055),
        ("Arles", "13200", 43.6766, 4.6278), ("Aix-en-Provence", "13100", 43.5297, 5.4474), ("Toulon", "83000", 43.1242, 5.9280),
        ("Cannes", "06400", 43.5528, 7.0174), ("Gordes", "84220", 43.9116, 5.2003)]),
    ("grand-est", "Grand Est", None, "Grand Est Film Commission", [
        ("Strasbourg", "67000", 48.5734, 7.7521), ("Reims", "51100", 49.2583, 4.0317), ("Metz", "57000", 49.1193, 6.1757),
        ("Nancy", "54000", 48.6921, 6.1844), ("Colmar", "68000", 48.0794, 7.3585), ("Troyes", "10000", 48.2973, 4.0744),
        ("Verdun", "55100", 49.1598, 5.3844), ("Épernay", "51200", 49.0400, 3.9600)]),
    ("bourgogne-franche-comte", "Bourgogne-Franche-Comté", "Burgundy-Franche-Comté", "Bourgogne-Franche-Comté Film Commission", [
        ("Dijon", "21000", 47.3220, 5.0415), ("Besançon", "25000", 47.2378, 6.0241), ("Beaune", "21200", 47.0260, 4.8400),
        ("Auxerre", "89000", 47.7982, 3.5673), ("Vézelay", "89450", 47.4663, 3.7454), ("Belfort", "90000", 47.6397, 6.8638)]),
    ("centre-val-de-loire", "Centre-Val de Loire", "Centre-Loire Valley", "Ciclic Centre-Val de Loire", [
        ("Tours", "37000", 47.3941, 0.6848), ("Orléans", "45000", 47.9030, 1.9093), ("Blois", "41000", 47.5861, 1.3359),
        ("Chartres", "28000", 48.4439, 1.4890), ("Amboise", "37400", 47.4133, 0.9826), ("Bourges", "18000", 47.0810, 2.3988)]),
    ("pays-de-la-loire", "Pays de la Loire", None, "Pays de la Loire Films", [
        ("Nantes", "44000", 47.2184, -1.5536), ("Angers", "49000", 47.4784, -0.5632), ("Le Mans", "72000", 48.0061, 0.1996),
        ("Saumur", "49400", 47.2600, -0.0769), ("Guérande", "44350", 47.3281, -2.4289), ("Les Sables-d'Olonne", "85100", 46.4969, -1.7831)]),
    ("ile-de-france", "Île-de-France", None, "Paris Région Film Commission", [
        ("Paris", "75001", 48.8566, 2.3522), ("Versailles", "78000", 48.8049, 2.1204), ("Fontainebleau", "77300", 48.4047, 2.7016),
        ("Saint-Denis", "93200", 48.9362, 2.3574), ("Provins", "77160", 48.5596, 3.2993), ("Rambouillet", "78120", 48.6440, 1.8299)]),
    ("hauts-de-france", "Hauts-de-France", None, "Pictanovo", [
        ("Lille", "59000", 50.6292, 3.0573), ("Amiens", "80000", 49.8941, 2.2958), ("Arras", "62000", 50.2910, 2.7775),
        ("Boulogne-sur-Mer", "62200", 50.7264, 1.6147), ("Laon", "02000", 49.5641, 3.6199), ("Compiègne", "60200", 49.4179, 2.8261),
        ("Dunkerque", "59140", 51.0343, 2.3768), ("Pierrefonds", "60350", 49.3471, 2.9800)]),
    ("corse", "Corse", "Corsica", "Corsica Pôle Cinéma", [
        ("Ajaccio", "20000", 41.9192, 8.7386), ("Bastia", "20200", 42.6973, 9.4509), ("Bonifacio", "20169", 41.3874, 9.1595),
        ("Calvi", "20260", 42.5679, 8.7569), ("Corte", "20250", 42.3063, 9.1500)]),
]

# Venue kinds: (French pattern, English pattern, schema.org types). {town} is the town name.
VENUES = [
    ("Château de {town}", "{town} Castle", ["LandmarksOrHistoricalBuildings", "Museum", "TouristAttraction"]),
    ("Cathédrale de {town}", "{town} Cathedral", ["Church", "LandmarksOrHistoricalBuildings", "TouristAttraction"]),
    ("Abbaye de {town}", "{town} Abbey", ["LandmarksOrHistoricalBuildings", "TouristAttraction"]),
    ("Musée des Beaux-Arts de {town}", "{town} Museum of Fine Arts", ["Museum", "TouristAttraction"]),
    ("Citadelle de {town}", "{town} Citadel", ["LandmarksOrHistoricalBuildings", "TouristAttraction"]),
    ("Gare de {town}", "{town} railway station", ["TrainStation", "LandmarksOrHistoricalBuildings"]),
    ("Théâtre municipal de {town}", "{town} Municipal Theatre", ["PerformingArtsTheater", "LandmarksOrHistoricalBuildings"]),
    ("Jardin botanique de {town}", "{town} Botanical Garden", ["Park", "TouristAttraction"]),
    ("Port de {town}", "Port of {town}", ["TouristAttraction"]),
    ("Hôtel de ville de {town}", "{town} Town Hall", ["CityHall", "LandmarksOrHistoricalBuildings"]),
    ("Halles de {town}", "{town} Covered Market", ["LandmarksOrHistoricalBuildings", "TouristAttraction"]),
]
STREETS = ["rue de la République", "place du Marché", "rue Victor Hugo", "avenue Jean Jaurès", "quai des Arts",
           "rue du Château", "place de la Cathédrale", "boulevard Gambetta", "rue Nationale", "allée des Tilleuls",
           "rue Pasteur", "place de l'Hôtel de Ville", "rue des Remparts", "chemin de l'Abbaye"]

FIRST_NAMES = ["Aaron", "Abigail", "Adrian", "Aisha", "Alejandro", "Alexis", "Amara", "Ana", "Andrea", "Angela", "Arjun",
               "Ayumi", "Beatriz", "Benjamin", "Bianca", "Brandon", "Camila", "Carlos", "Carmen", "Chen", "Chloe", "Daniel",
               "Daniela", "David", "Deborah", "Diego", "Dmitri", "Elena", "Elif", "Emily", "Emma", "Ethan", "Fatima",
               "Felipe", "Gabriel", "Grace", "Hannah", "Hiroshi", "Ingrid", "Isabel", "Jamal", "James", "Javier", "Jessica",
               "Jin", "Joanna", "Jonathan", "Julia", "Kenji", "Keleigh", "Kwame", "Laura", "Leila", "Liam", "Lucía", "Malik",
               "Maria", "Mateo", "Maya", "Mei", "Michael", "Nadia", "Naomi", "Nikolai", "Noah", "Olivia", "Omar", "Priya",
               "Rachel", "Rafael", "Ravi", "Rebecca", "Ricardo", "Robert", "Sakura", "Samuel", "Sara", "Sebastian", "Sofia",
               "Tariq", "Theodore", "Tomás", "Tracy", "Valentina", "Victoria", "William", "Yara", "Yusuf", "Zoe"]
FAMILY_NAMES = ["Abernathy", "Adeyemi", "Alcalde", "Anderson", "Bakshi", "Barros", "Becker", "Bergström", "Brooks", "Castillo",
                "Chang", "Chowdhury", "Cohen", "Costa", "Dalton", "Delgado", "Donovan", "Eriksen", "Esposito", "Fischer",
                "Fitzgerald", "Fujimoto", "Garcia", "Goldberg", "Gonzalez", "Gupta", "Hansen", "Harrington", "Hernández",
                "Hoffman", "Hurvitz", "Ibrahim", "Ito", "Jansen", "Johansson", "Kaplan", "Kawasaki", "Kim", "Kowalski",
                "Kuznetsov", "Larsen", "Lee", "Lindqvist", "Lopez", "MacLeod", "Marino", "Martin", "Mendoza", "Morales",
                "Müller", "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Patel", "Petrov", "Quinn", "Ramirez",
                "Reyes", "Rossi", "Sato", "Schmidt", "Shapiro", "Silva", "Singh", "Slaight", "Sørensen", "Tanaka", "Torres",
                "Van der Berg", "Vasquez", "Wagner", "Walsh", "West", "Williams", "Wu", "Yamamoto", "Zhang", "Zimmermann"]
FRENCH_FIRST = ["Claire", "Stéphanie", "Christine", "Carole", "Camille", "Élodie", "Julien", "Mathieu", "Sébastien", "Aurélie",
                "Nicolas", "Céline", "Thomas", "Hélène", "François", "Margaux", "Antoine", "Léa", "Guillaume", "Chloé",
                "Benoît", "Amélie", "Raphaël", "Juliette", "Maxime", "Noémie", "Olivier", "Pauline", "Rémi", "Sophie"]
FRENCH_FAMILY = ["Letoret", "Perret", "Raspillère", "Reinhard", "Dupré", "Lefèvre", "Moreau", "Girard", "Fontaine", "Chevalier",
                 "Rousseau", "Lemaire", "Marchand", "Duval", "Bertrand", "Garnier", "Faure", "Mercier", "Blanchard", "Roux",
                 "Gauthier", "Lambert", "Bonnet", "Caron", "Picard", "Leclerc", "Deschamps", "Boucher", "Vasseur", "Hébert"]
DELEGATE_TITLES = ["Executive Producer", "Producer", "Director, Physical Production", "International Location Scout",
                   "Vice President of Television", "Executive Director, Physical Production", "Senior Vice President, Production",
                   "Manager, Physical Production", "Head of Production", "Line Producer", "Location Manager",
                   "Vice President, International Co-Productions", "Supervising Location Manager", "Head of Development",
                   "Post-Production Supervisor", "VFX Producer", "Production Executive", "Showrunner"]
AMBASSADOR_TITLES = ["First Assistant Director", "Location Scout", "Unit Production Manager / Line Producer",
                     "Production Manager", "Location Manager", "Second Unit Director", "Production Designer", "Line Producer"]
PRESS_TITLES = [("Relations Presse", "Press Relations"), ("Chargée de communication", "Communications Officer"),
                ("Responsable de la communication", "Head of Communication"), ("Attachée de presse", "Press Officer")]
STUDIO_FIRST = ["Northlight", "Silver Lake", "Red Canyon", "Blue Harbor", "Golden Mile", "Ironwood", "Starling", "Bright Falls",
                "Crescent", "Evergreen", "Highline", "Lantern", "Meridian", "Nightjar", "Orchard", "Pinewood Row", "Quarry",
                "Riverside", "Sunset Grove", "Tidewater", "Union Square", "Vantage", "Westward", "Yellowstone", "Zephyr"]
STUDIO_LAST = [("Pictures", "studio"), ("Studios", "studio"), ("Productions", "production-company"),
               ("Entertainment", "production-company"), ("Films", "production-company"), ("Television", "broadcaster"),
               ("Media", "broadcaster"), ("Network", "broadcaster")]
COMPANY_FIRST = ["Brume", "Cap Nord", "Escale", "Falaise", "Horizon", "Lumière d'Opale", "Marée Haute", "Phare", "Pointe",
                 "Rivages", "Sillage", "Terre Neuve", "Vent d'Ouest", "Belle Époque", "Grand Angle", "Plan Large",
                 "Contrechamp", "Travelling", "Fondu", "Clap"]
COMPANY_LAST = ["Films", "Production", "Production Services", "Productions", "Studio", "Pictures", "Images"]
EDITION_TITLES = [("Voyage au cœur de {region}", "A Journey to the Heart of {region_en}"),
                  ("{region}, terre de tournages", "{region_en}, a Land of Film Shoots"),
                  ("Les décors de {region}", "The Sets of {region_en}"),
                  ("Lumières de {region}", "Lights of {region_en}"),
                  ("Un rêve éveillé en {region}", "A Daydream Journey in {region_en}")]
FORUMS = [("Séries Mania Forum", "Series Mania Forum", "org:series-mania",
           "Rendez-vous professionnel international et incontournable dédié aux séries.",
           "A key international professional event dedicated to TV series."),
          ("Rencontres professionnelles de {town}", "{town} Industry Days", None,
           "Journées de rencontres entre producteurs internationaux et prestataires régionaux.",
           "Days of meetings between international producers and regional service providers.")]


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(c if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def lit(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


@dataclass
class TurtleFile:
    """A Turtle document built statement by statement; counts its triples."""

    comment: str
    prefixes: tuple[str, ...]
    blocks: list[str] = field(default_factory=list)
    triples: int = 0

    def add(self, subject: str, *pairs: tuple[str, object]) -> None:
        parts = []
        for predicate, objects in pairs:
            if objects is None or objects == []:
                continue
            objects = objects if isinstance(objects, list) else [objects]
            self.triples += len(objects)
            parts.append(f"{predicate} {', '.join(objects)}")
        self.blocks.append(f"{subject} " + " ;\n    ".join(parts) + " .\n")

    def provenance(self, graph: str, title_fr: str, title_en: str, sources: list[str], description=None) -> None:
        pairs = [("a", "prov:Entity"), ("dcterms:title", [lit(title_fr, "fr"), lit(title_en, "en")])]
        if description:
            pairs.append(("dcterms:description", [lit(description[0], "fr"), lit(description[1], "en")]))
        if sources and all(s.startswith("doc:") for s in sources):
            pairs += [("dcterms:source", sources), ("prov:wasDerivedFrom", sources)]
        else:
            pairs.append(("dcterms:source", sources))
        pairs.append(("dcterms:license", LICENCE))
        self.add(f"<{graph}>", *pairs)

    def text(self) -> str:
        head = "".join(f"# {line}\n" if line else "#\n" for line in self.comment.splitlines())
        head += "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in self.prefixes)
        return head + "\n" + "\n".join(self.blocks)

    def write(self, path: Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text(), encoding="utf-8")
        return self.triples


# ---------------------------------------------------------------- the generator

ALL = tuple(PREFIXES)


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_people: set[str] = set()
        self.people_pool: list[str] = []  # person IRIs already described, for repeat attendees
        self.employers: list[tuple[str, str, str]] = []  # (prefixed IRI, name, kind)
        self.towns: dict[str, tuple] = {}  # town slug -> (region slug, name, postcode, lat, lon)

    # -------------------------------------------- shared entities (data/common/synthetic-*.ttl)

    def common_files(self, data: Path, n_employers: int) -> int:
        triples = 0
        places = TurtleFile(
            "Synthetic regions and towns for benchmarks (tourgraph benchmarks/generate.py). Not real data:\n"
            "town coordinates are approximate town centres, rounded to 4 decimals.",
            ("schema", "xsd", "dcterms", "prov", "place"))
        places.provenance("graph/common/synthetic-places", "Régions et communes des tournées synthétiques",
                          "Regions and towns of the synthetic tours",
                          [lit("tourgraph benchmark generator (synthetic data)")])
        orgs = TurtleFile(
            "Synthetic regional film commissions and international employers for benchmarks\n"
            "(tourgraph benchmarks/generate.py). Not real data.",
            ("schema", "dcterms", "prov", "kind", "org", "place"))
        orgs.provenance("graph/common/synthetic-organizations", "Commissions du film et employeurs des tournées synthétiques",
                        "Film commissions and employers of the synthetic tours",
                        [lit("tourgraph benchmark generator (synthetic data)")])
        for slug, name_fr, name_en, commission, towns in REGIONS:
            region = f"place:synthetic-{slug}"
            names = [lit(name_fr, "fr"), lit(name_en, "en")] if name_en else lit(name_fr)
            places.add(region, ("a", "schema:AdministrativeArea"), ("schema:name", names),
                       ("schema:containedInPlace", "place:france"))
            for town, postcode, lat, lon in towns:
                tslug = f"synthetic-{slugify(town)}"
                self.towns[tslug] = (slug, town, postcode, lat, lon)
                places.add(f"place:{tslug}", ("a", "schema:City"), ("schema:name", lit(town)),
                           ("schema:containedInPlace", region))
            orgs.add(f"org:synthetic-fc-{slug}", ("a", "schema:Organization"), ("schema:name", lit(commission)),
                     ("schema:additionalType", "kind:film-commission"), ("schema:areaServed", region),
                     ("schema:memberOf", "org:afci"),
                     ("schema:description", [lit(f"Commission du film de la région {name_fr}.", "fr"),
                                             lit(f"Film commission of the {name_en or name_fr} region.", "en")]))
        seen = set()
        while len(self.employers) < n_employers:
            name = f"{self.rng.choice(STUDIO_FIRST)} {self.rng.choice(STUDIO_LAST)[0]}"
            kind = dict(STUDIO_LAST)[name.rsplit(" ", 1)[1]]
            if name in seen:
                name = f"{name} {len(self.employers)}"
            seen.add(name)
            iri = f"org:synthetic-{slugify(name)}"
            self.employers.append((iri, name, kind))
            orgs.add(iri, ("a", "schema:Organization"), ("schema:name", lit(name)), ("schema:additionalType", f"kind:{kind}"))
        triples += places.write(data / "common" / "synthetic-places.ttl")
        triples += orgs.write(data / "common" / "synthetic-organizations.ttl")
        return triples

    # -------------------------------------------- one tour

    def person_name(self, french: bool) -> tuple[str, str, str]:
        for _ in range(50):
            given = self.rng.choice(FRENCH_FIRST if french else FIRST_NAMES)
            family = self.rng.choice(FRENCH_FAMILY if french else FAMILY_NAMES)
            slug = slugify(f"{given} {family}")
            if slug not in self.used_people:
                break
            slug = f"{slug}-{len(self.used_people)}"
            if slug not in self.used_people:
                break
        self.used_people.add(slug)
        return given, family, slug

    def tour(self, data: Path, index: int) -> int:
        rng = self.rng
        region_slug, region_fr, region_en, _, towns = REGIONS[index % len(REGIONS)]
        region_en = region_en or region_fr
        year = 2022 + (index // len(REGIONS)) % 20
        slug = f"synthetic-{index:05d}-{year}-{region_slug}"
        folder = data / "tours" / slug
        graph = f"graph/tours/{slug}"
        event = f"event:inspiration-tour-{slug}"
        docs = [f"doc:press-release-{slug}-fr", f"doc:press-release-{slug}-en"]
        month = rng.randint(1, 12)
        day = rng.randint(1, 22)
        start = f"{year}-{month:02d}-{day:02d}"
        end = f"{year}-{month:02d}-{day + rng.randint(3, 6):02d}"
        published = f"{year}-{month:02d}-{max(1, day - rng.randint(1, 10)):02d}" if day > 1 else f"{year}-{month:02d}-01"
        title_fr, title_en = rng.choice(EDITION_TITLES)
        title_fr, title_en = title_fr.format(region=region_fr), title_en.format(region_en=region_en)
        commission = f"org:synthetic-fc-{region_slug}"
        triples = 0

        # ---------------- places.ttl and places-geo.ttl
        n_venues = rng.randint(3, 7)
        venue_towns = rng.sample(towns, min(n_venues, len(towns)))
        places = TurtleFile(f"The venues on the programme of synthetic tour {slug} (benchmark data, not real).\n"
                            "Their addresses, coordinates and towns are in places-geo.ttl.",
                            ("schema", "dcterms", "prov", "place", "doc"))
        places.provenance(f"{graph}/places", f"Lieux visités lors de l'Inspiration Tour {year} en {region_fr} (synthétique n° {index})",
                          f"Venues visited on the {year} {region_en} Inspiration Tour (synthetic no. {index})", docs)
        geo = TurtleFile(f"Addresses and coordinates of the venues of synthetic tour {slug} (benchmark data, not real).",
                         ("schema", "xsd", "dcterms", "prov", "place", "event"))
        geo.provenance(f"{graph}/places-geo", f"Adresses et coordonnées des lieux de l'Inspiration Tour {year} en {region_fr} (synthétique n° {index})",
                       f"Addresses and coordinates of the {year} {region_en} Inspiration Tour venues (synthetic no. {index})",
                       [lit("tourgraph benchmark generator (synthetic coordinates near the town centre)")],
                       description=("Faits extérieurs au communiqué de presse, synthétiques.", "Facts from outside the press release, synthetic."))
        venues = []
        for town, postcode, lat, lon in venue_towns:
            fr, en, types = rng.choice(VENUES)
            name_fr, name_en = fr.format(town=town), en.format(town=town)
            vslug = f"{slugify(name_fr)}-{index:05d}"
            venue = f"place:{vslug}"
            venues.append((venue, vslug, name_fr, name_en))
            places.add(venue, ("a", [f"schema:{t}" for t in types]),
                       ("schema:name", [lit(name_fr, "fr"), lit(name_en, "en")]),
                       ("schema:containedInPlace", f"place:synthetic-{region_slug}"))
            geo.add(venue, ("schema:containedInPlace", f"place:synthetic-{slugify(town)}"),
                    ("schema:address", f"place:{vslug}-address"), ("schema:geo", f"place:{vslug}-geo"))
            street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
            geo.add(f"place:{vslug}-address", ("a", "schema:PostalAddress"), ("schema:streetAddress", lit(street)),
                    ("schema:postalCode", lit(postcode)), ("schema:addressLocality", lit(town)),
                    ("schema:addressRegion", lit(region_fr)), ("schema:addressCountry", lit("FR")))
            geo.add(f"place:{vslug}-geo", ("a", "schema:GeoCoordinates"),
                    ("schema:latitude", typed(f"{lat + rng.uniform(-0.03, 0.03):.4f}", "decimal")),
                    ("schema:longitude", typed(f"{lon + rng.uniform(-0.03, 0.03):.4f}", "decimal")))

        # ---------------- organizations.ttl (French production-service companies taking part)
        orgs = TurtleFile(f"French production-service companies taking part in synthetic tour {slug} (benchmark data, not real).",
                          ("schema", "dcterms", "prov", "kind", "org", "doc"))
        orgs.provenance(f"{graph}/organizations", f"Sociétés françaises participant à l'Inspiration Tour {year} en {region_fr} (synthétique n° {index})",
                        f"French companies taking part in the {year} {region_en} Inspiration Tour (synthetic no. {index})", docs)
        companies = []
        for _ in range(rng.randint(4, 10)):
            name = f"{rng.choice(COMPANY_FIRST)} {rng.choice(COMPANY_LAST)}"
            cslug = f"{slugify(name)}-{index:05d}-{len(companies)}"
            companies.append(f"org:{cslug}")
            orgs.add(f"org:{cslug}", ("a", "schema:Organization"), ("schema:name", lit(name)),
                     ("schema:additionalType", "kind:production-service-company"),
                     ("schema:description", [lit(f"Société de production spécialisée dans l'accueil de tournages internationaux en {region_fr}.", "fr"),
                                             lit(f"Production company specialising in servicing international shoots in {region_en}.", "en")]))

        # ---------------- people.ttl
        people = TurtleFile(f"Delegates and ambassadors of synthetic tour {slug} (benchmark data, not real).\n"
                            "No email, telephone or address of any person.",
                            ("schema", "dcterms", "prov", "person", "org", "doc"))
        people.provenance(f"{graph}/people", f"Délégation et ambassadeurs de l'Inspiration Tour {year} en {region_fr} (synthétique n° {index})",
                          f"Delegates and ambassadors of the {year} {region_en} Inspiration Tour (synthetic no. {index})", docs)
        delegates, ambassadors, new_delegates = [], [], []
        for _ in range(rng.randint(6, 14)):
            if self.people_pool and rng.random() < 0.1:  # a repeat delegate, described in an earlier tour
                iri = rng.choice(self.people_pool)
                if iri not in delegates:
                    delegates.append(iri)
                continue
            given, family, pslug = self.person_name(french=False)
            iri = f"person:{pslug}"
            delegates.append(iri)
            new_delegates.append(iri)
            employer = rng.choice(self.employers)[0]
            link = ("schema:memberOf", "org:lmgi") if rng.random() < 0.05 else ("schema:worksFor", employer)
            people.add(iri, ("a", "schema:Person"), ("schema:name", lit(f"{given} {family}")), ("schema:givenName", lit(given)),
                       ("schema:familyName", lit(family)), ("schema:jobTitle", lit(rng.choice(DELEGATE_TITLES), "en")), link)
        for _ in range(rng.randint(2, 6)):
            given, family, pslug = self.person_name(french=True)
            iri = f"person:{pslug}"
            ambassadors.append(iri)
            people.add(iri, ("a", "schema:Person"), ("schema:name", lit(f"{given} {family}")), ("schema:givenName", lit(given)),
                       ("schema:familyName", lit(family)), ("schema:jobTitle", lit(rng.choice(AMBASSADOR_TITLES), "en")))
        self.people_pool.extend(new_delegates)

        # ---------------- tour.ttl
        tour = TurtleFile(f"Synthetic Inspiration Tour {slug}, its visits and its professional forum (benchmark data,\n"
                          "not real). Visits carry no date, like the shipped tour.",
                          ("schema", "xsd", "dcterms", "prov", "tg", "person", "org", "place", "event", "doc"))
        tour.provenance(graph + "/tour", f"Inspiration Tour {year} en {region_fr} : programme et participants (synthétique n° {index})",
                        f"Inspiration Tour {year} in {region_en}: programme and participants (synthetic no. {index})", docs)
        tour.add("event:inspiration-tours", ("schema:subEvent", event))
        visits = [f"event:visit-{vslug}" for _, vslug, _, _ in venues]
        forum_fr, forum_en, forum_org, forum_desc_fr, forum_desc_en = rng.choice(FORUMS)
        forum_town = venue_towns[0][0]
        forum = f"event:forum-{slug}"
        tour.add(event, ("a", "schema:BusinessEvent"),
                 ("schema:name", [lit(title_fr, "fr"), lit(title_en, "en")]),
                 ("schema:alternateName", lit(f"Inspiration Tour {year}")),
                 ("schema:description", [
                     lit(f"Une délégation internationale explorera la région {region_fr} lors de l'Inspiration Tour {year}. Pendant {rng.choice(['trois', 'quatre', 'cinq'])} jours, "
                         f"la délégation découvrira des lieux de tournage emblématiques, rencontrera des professionnels régionaux et échangera avec des prestataires de services spécialisés.", "fr"),
                     lit(f"An international delegation to explore {region_en} during the {year} Inspiration Tour. The delegation will discover iconic filming "
                         f"locations, meet regional professionals and engage with specialised service providers.", "en")]),
                 ("schema:startDate", typed(start, "date")), ("schema:endDate", typed(end, "date")),
                 ("schema:location", f"place:synthetic-{region_slug}"),
                 ("schema:eventStatus", "schema:EventScheduled"),
                 ("schema:eventAttendanceMode", "schema:OfflineEventAttendanceMode"),
                 ("schema:organizer", [commission, "org:film-france-cnc"]),
                 ("schema:funder", "org:cnc"),
                 ("tg:partner", forum_org) if forum_org else ("tg:partner", None),
                 ("schema:superEvent", "event:inspiration-tours"),
                 ("schema:subEvent", visits + [forum]),
                 ("tg:delegate", delegates), ("tg:ambassador", ambassadors),
                 ("tg:participatingOrganization", companies),
                 ("schema:subjectOf", docs))
        for visit, (venue, _, name_fr, name_en) in zip(visits, venues):
            tour.add(visit, ("a", ["schema:Event", "tg:Visit"]),
                     ("schema:name", [lit(f"Visite : {name_fr}", "fr"), lit(f"Visit to {name_en}", "en")]),
                     ("schema:location", venue), ("schema:superEvent", event))
        tour.add(forum, ("a", "schema:BusinessEvent"),
                 ("schema:name", [lit(forum_fr.format(town=forum_town), "fr"), lit(forum_en.format(town=forum_town), "en")]),
                 ("schema:description", [lit(forum_desc_fr, "fr"), lit(forum_desc_en, "en")]),
                 ("schema:organizer", forum_org or commission), ("schema:superEvent", event))
        geo.add(forum, ("schema:location", f"place:synthetic-{slugify(forum_town)}"))

        # ---------------- press-release.ttl
        press = TurtleFile(f"The (synthetic) press release of tour {slug} in French and English, and its press contact\n"
                           "points (benchmark data, not real: the emails use the reserved .example domain).",
                           ("schema", "xsd", "dcterms", "prov", "org", "place", "event", "doc", "contact", "person"))
        press.provenance(f"{graph}/press-release", f"Communiqué de presse de l'Inspiration Tour {year} en {region_fr} et contacts presse (synthétique n° {index})",
                         f"Press release of the {year} {region_en} Inspiration Tour and press contacts (synthetic no. {index})", docs)
        mentions = [commission, "org:cnc", "org:film-france-cnc", "event:inspiration-tours", f"place:synthetic-{region_slug}"]
        for lang, other, name, headline in (
            ("fr", "en", f"Communiqué de presse du {published}", f"« {title_fr} » : une délégation internationale explorera la région {region_fr}"),
            ("en", "fr", f"Press release – {published}", f"“{title_en}”: an international delegation to explore {region_en}"),
        ):
            press.add(f"doc:press-release-{slug}-{lang}", ("a", "schema:Article"), ("schema:name", lit(name, lang)),
                      ("schema:headline", lit(headline, lang)), ("schema:datePublished", typed(published, "date")),
                      ("dcterms:issued", typed(published, "date")), ("schema:inLanguage", lit(lang)),
                      ("schema:workTranslation" if lang == "fr" else "schema:translationOfWork", f"doc:press-release-{slug}-{other}"),
                      ("schema:about", event), ("schema:mentions", mentions))
        contact = f"contact:press-{slug}"
        press.add(commission, ("schema:contactPoint", contact))
        given, family, pslug = self.person_name(french=True)
        press.add(contact, ("a", "schema:ContactPoint"), ("schema:contactType", lit("press")),
                  ("schema:name", lit(f"{given} {family}")),
                  ("schema:email", lit(f"presse-{index:05d}@{region_slug}.film-commission.example")))
        job_fr, job_en = rng.choice(PRESS_TITLES)
        press.add(f"person:{pslug}", ("a", "schema:Person"), ("schema:name", lit(f"{given} {family}")),
                  ("schema:givenName", lit(given)), ("schema:familyName", lit(family)),
                  ("schema:jobTitle", [lit(job_fr, "fr"), lit(job_en, "en")]), ("schema:worksFor", commission))

        for name, doc in (("places", places), ("places-geo", geo), ("organizations", orgs), ("people", people),
                          ("tour", tour), ("press-release", press)):
            triples += doc.write(folder / f"{name}.ttl")
        return triples


def count_triples(folder: Path) -> int:
    import pyoxigraph as ox

    total = 0
    for path in sorted(folder.rglob("*.ttl")):
        with path.open("rb") as fh:
            total += sum(1 for _ in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri="https://tourgraph.example/"))
    return total


def copy_config(out: Path, with_shipped_data: bool) -> list[str]:
    """Copy tourgraph.toml, ontology/, shapes/, queries/ (and data/ unless told not to); returns warnings."""
    warnings = []
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "tourgraph.toml", out / "tourgraph.toml")
    for folder in ("ontology", "shapes", "queries"):
        source = REPO / folder
        if not (source.is_dir() and any(p.is_file() for p in source.rglob("*"))):
            warnings.append(f"the repository's {folder}/ is empty: validate/build of this project will fail")
        shutil.copytree(source, out / folder)
    if with_shipped_data:
        shutil.copytree(REPO / "data", out / "data")
    else:
        (out / "data" / "common").mkdir(parents=True)
        shutil.copytree(REPO / "data" / "common", out / "data" / "common", dirs_exist_ok=True)
    return warnings


def generate(out: Path, triples: int | None, tours: int | None, seed: int = 2026, with_shipped_data: bool = True,
             force: bool = False) -> dict:
    """Write the project; returns a summary (tours, files, triples in data/)."""
    if out.exists():
        if not force and any(out.iterdir()):
            raise SystemExit(f"{out} exists and is not empty (use --force to replace it).")
        shutil.rmtree(out)
    warnings = copy_config(out, with_shipped_data)
    data = out / "data"
    shipped = count_triples(data)
    gen = Generator(seed)
    for path in data.rglob("*.ttl"):  # never reuse a shipped person's slug
        gen.used_people.update(re.findall(r"\bperson:([\w-]+)", path.read_text(encoding="utf-8")))
    target_tours = tours
    if target_tours is None:
        target_tours = max(0, int((triples - shipped) / 400) + 1) if triples else 0
    total = shipped
    if target_tours > 0:
        total += gen.common_files(data, n_employers=max(40, min(2000, target_tours // 2)))
    index = 0
    while (tours is not None and index < tours) or (tours is None and triples and total < triples):
        total += gen.tour(data, index)
        index += 1
    return {"out": str(out), "seed": seed, "tours": index, "triples": total, "shipped_triples": shipped,
            "files": sum(1 for _ in data.rglob("*.ttl")), "warnings": warnings}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--triples", type=int, help="stop adding tours once data/ holds at least this many triples")
    size.add_argument("--tours", type=int, help="exact number of synthetic tours (0: the shipped project only)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--without-shipped-tour", action="store_true",
                        help="copy only data/common from the repository, not its tours")
    parser.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = parser.parse_args(argv)
    summary = generate(args.out, args.triples, args.tours, args.seed, not args.without_shipped_tour, args.force)
    for warning in summary["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{summary['out']}: {summary['tours']} synthetic tours, {summary['files']} data files, "
          f"{summary['triples']} triples in data/ (seed {summary['seed']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
