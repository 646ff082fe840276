"""The tour itself and what happens on it: its dates, region, organisers, partners and funders, the
venues visited, the forum attended, the press release as a document, and the series with its other
editions."""

from __future__ import annotations

import re

from .builder import XSD_DATE, Builder, paired
from .link import SCHEMA, TG
from .model import Evidence, Lit, Ref
from .names import Spellings, sentence
from .prose import upcoming
from .reader import QUOTED, best_range, series_name
from .text import key, sentence_case, slugify

PLACE_TYPES = [
    (re.compile(r"\b(?:ch[âa]teau|castle|palais|palace|citadelle|citadel|abbaye|abbey|manoir|manor|fort|forteresse|fortress|"
                r"remparts|ramparts|beffroi|belfry)\b", re.I), "LandmarksOrHistoricalBuildings"),
    (re.compile(r"\b(?:cath[ée]drale|cathedral|[ée]glise|church|basilique|basilica|chapelle|chapel)\b", re.I), "Church"),
    (re.compile(r"\b(?:mus[ée]e|museum)\b", re.I), "Museum"),
]
ARTICLE_FR = {"le": "du ", "la": "de la ", "les": "des ", "l'": "de l'", "l’": "de l’", "": "de "}


class TourBuilder(Builder):
    def build(self):
        series = self.series()
        tour = self.tour(series)
        self.documents(tour)
        self.hosts(tour)
        self.people("delegates", TG + "delegate", tour)
        self.people("ambassadors", TG + "ambassador", tour)
        self.companies(tour)
        self.venues(tour)
        self.forums(tour)
        self.contacts()
        self.about()
        self.editions(series)
        self.funding(series, tour)
        self.finish_names()
        return self.draft

    def _title(self, reading):
        quoted = [QUOTED.search(e.text) for e in reading.title_lines]
        return next(((m.group(1), e) for m, e in zip(quoted, reading.title_lines) if m), None)

    def tour(self, series):
        tour = self.draft.new("tour", "event", "tour")
        self.draft.tour = tour.key
        tour.types = ["BusinessEvent"]
        names = Spellings()
        found = series_name(self.readings)
        alternates = Spellings()
        dates = best_range(self.readings)
        year = str(dates[0].start.year) if dates else None
        for reading in self.readings:
            title = self._title(reading)
            if title:
                names.add(title[0].strip().rstrip(":").strip(), reading.lang, title[1])
            for line in reading.title_lines:
                rest = QUOTED.sub("", line.text).strip(" :–—-")
                if rest and len(rest.split()) > 3:
                    tour.add(SCHEMA + "description", Lit(rest, reading.lang), line)
            if found and year:
                pattern = re.compile(rf"\b(?:{re.escape(found[0])}\s+{year}|{year}\s+{re.escape(found[0])})\b")
                for block_text in reading.text.split("\n"):
                    match = pattern.search(block_text)
                    if match:
                        ev = next((e for e in reading.title_lines if match.group(0) in e.text), Evidence(0, block_text))
                        alternates.add(f"{found[0]} {year}", reading.lang, ev)
                        break
        for literal, ev in names.literals()[0] if names else []:
            tour.add(SCHEMA + "name", literal, *ev)
        for literal, ev in alternates.literals()[0] if alternates else []:
            target = "alternateName" if names else "name"
            tour.add(SCHEMA + target, Lit(literal.value), *ev)
        if dates:
            span, evidence = dates
            tour.add(SCHEMA + "startDate", Lit(span.start.isoformat(), datatype=XSD_DATE), *evidence)
            tour.add(SCHEMA + "endDate", Lit(span.end.isoformat(), datatype=XSD_DATE), *evidence)
            if not span.explicit_year:
                for prop in ("startDate", "endDate"):
                    tour.review(SCHEMA + prop, f"L'année ({span.start.year}) est déduite de la date du communiqué : le texte ne la donne pas.",
                                f"The year ({span.start.year}) is taken from the release date: the text does not state it.")
        if series:
            tour.add(SCHEMA + "superEvent", Ref(series.key), *series.evidence)
            series.add(SCHEMA + "subEvent", Ref(tour.key), *series.evidence)
        base = slugify(found[0]) if found else "tour"
        tour.slug = "-".join(x for x in (base, year) if x)
        self.draft.slug = year or "tour"
        return tour

    def documents(self, tour):
        docs = []
        for reading in self.readings:
            if reading.release_date is None:
                continue
            date = reading.release_date.isoformat()
            doc = self.draft.new(f"doc:{reading.lang}", "document", f"press-release-{date}-{reading.lang}")
            doc.types = ["Article"]
            ev = reading.heading.evidence
            doc.add(SCHEMA + "name", Lit(sentence_case(reading.heading.value, reading.lang), reading.lang), ev)
            lines = [e.text for e in reading.title_lines]
            if lines:
                headline = lines[0]
                for line in lines[1:]:
                    joint = " : " if reading.lang == "fr" else ": "
                    headline += (" " if headline.rstrip().endswith((":", "–", "—", "-", ".")) else joint) + line
                doc.add(SCHEMA + "headline", Lit(headline, reading.lang), *reading.title_lines)
            doc.add(SCHEMA + "datePublished", Lit(date, datatype=XSD_DATE), ev)
            doc.add("http://purl.org/dc/terms/issued", Lit(date, datatype=XSD_DATE), ev)
            doc.add(SCHEMA + "inLanguage", Lit(reading.lang), ev)
            doc.add(SCHEMA + "about", Ref(tour.key), ev)
            tour.add(SCHEMA + "subjectOf", Ref(doc.key), ev)
            docs.append(doc)
            self.draft.documents.append(doc.key)
        for doc, reading in zip(docs[1:], [r for r in self.readings if r.release_date][1:]):
            docs[0].add(SCHEMA + "workTranslation", Ref(doc.key), reading.heading.evidence)
            doc.add(SCHEMA + "translationOfWork", Ref(docs[0].key), reading.heading.evidence)

    def hosts(self, tour):
        lists = [[(s.value, r.lang, s.evidence) for s in r.hosts[:1]] for r in self.readings]
        groups = paired(lists)
        if not groups:
            return
        hosted = [(h, lang, ev) for group in groups for h, lang, ev in group]
        organisers = paired([[(o, lang, ev) for o in h.organisers] for h, lang, ev in hosted])
        departments = paired([[(d, lang, ev) for d in h.departments] for h, lang, ev in hosted])
        partners = paired([[(p, lang, ev) for p in h.partners] for h, lang, ev in hosted])
        acting: dict[str, str] = {}
        for group in departments:
            parent = self.org([(p, lang, ev) for (p, _), lang, ev in group])
            child = self.org([(d, lang, ev) for (_, d), lang, ev in group])
            evidence = [ev for _, _, ev in group]
            parent.add(SCHEMA + "department", Ref(child.key), *evidence)
            child.add(SCHEMA + "parentOrganization", Ref(parent.key), *evidence)
            acting[parent.key] = child.key
        for group in organisers:
            org = self.org(group)
            org.types = org.types or ["Organization"]
            tour.add(SCHEMA + "organizer", Ref(acting.get(org.key, org.key)), *[ev for _, _, ev in group])
        for group in partners:
            org = self.org(group)
            org.types = org.types or ["Organization"]
            tour.add(TG + "partner", Ref(org.key), *[ev for _, _, ev in group])
        regions = [(h.region, lang, ev) for h, lang, ev in hosted if h.region]
        if regions:
            region = self.region(regions)
            tour.add(SCHEMA + "location", Ref(region.key), *[ev for _, _, ev in regions])
            self.draft.slug = f"{self.draft.slug}-{region.slug}"
            tour.slug = f"{tour.slug}-{region.slug}"
        else:
            tour.types = ["Event"]

    def region(self, names, kind="AdministrativeArea"):
        place = self.entity("place", names)
        place.types = place.types or [kind]
        text = " ".join(r.text for r in self.readings)
        said = [n for n, _, _ in names if re.search(rf"\b{re.escape(n)}\b[^.;]{{0,30}}\b(?:of|in|en|de) France\b", text)]
        # "France" as a word of its own, not in an organisation's name (Film France-CNC).
        named = re.search(r"(?<![\w-])(?<!Film )France(?![\w-])", text)
        if not place.has(SCHEMA + "containedInPlace") and (said or named):
            france = self.entity("place", [("France", self.readings[0].lang, names[0][2])])
            france.types = ["Country"]
            place.add(SCHEMA + "containedInPlace", Ref(france.key), *[ev for _, _, ev in names])
            if not said:
                place.review(SCHEMA + "containedInPlace",
                             "Le communiqué nomme ce territoire et la France sans dire en toutes lettres que l'un est dans l'autre : vérifier.",
                             "The release names this territory and France without saying in so many words that one is in the other: check.")
        return place

    def venues(self, tour):
        region = next((f.obj for f in tour.facts if f.predicate == SCHEMA + "location"), None)
        lists = [[(s.value, r.lang, s.evidence) for s in r.venues] for r in self.readings]
        for group in paired(lists):
            place = self.entity("place", [(item.name, lang, ev) for item, lang, ev in group])
            evidence = [ev for _, _, ev in group]
            for item, lang, ev in group:
                words = f"{item.name} {item.parenthesis or ''}"
                for pattern, kind in PLACE_TYPES:
                    if pattern.search(words) and kind not in place.types:
                        place.types.append(kind)
                if item.parenthesis:
                    alternate = re.match(r"^((?:[A-ZÀ-Ý][\w’'-]*\s?)+)", item.parenthesis)
                    if alternate:
                        place.add(SCHEMA + "alternateName", Lit(alternate.group(1).strip()), ev)
            if not place.types:
                # The shapes accept a venue of the listed place classes only: the release's "iconic locations"
                # make it a landmark, for a person to confirm or refine.
                place.types = ["LandmarksOrHistoricalBuildings"]
                place.review("http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
                             "Type choisi faute de mieux (le communiqué ne dit pas quel lieu c'est) : préciser (Museum, Church, TouristAttraction…).",
                             "Type chosen for want of a better one (the release does not say what kind of place it is): refine it (Museum, Church, TouristAttraction…).")
            if region is not None:
                place.add(SCHEMA + "containedInPlace", region, *evidence)
            visit = self.draft.new(f"visit:{place.key}", "event", f"visit-{place.slug}")
            visit.types = ["Event", TG + "Visit"]
            for item, lang, ev in group:
                if lang == "fr":
                    name = "Visite " + ARTICLE_FR.get(item.article.lower(), "de ") + item.name
                else:
                    name = "Visit to " + item.written.rstrip(".")
                visit.add(SCHEMA + "name", Lit(name, lang), ev)
            visit.add(SCHEMA + "location", Ref(place.key), *evidence)
            visit.add(SCHEMA + "superEvent", Ref(tour.key), *evidence)
            tour.add(SCHEMA + "subEvent", Ref(visit.key), *evidence)

    def forums(self, tour):
        lists = [[(s.value, r.lang, s.evidence) for s in r.forums] for r in self.readings]
        for n, group in enumerate(paired(lists)):
            names = Spellings()
            for (name, _), lang, ev in group:
                names.add(name, lang, ev)
            forum = self.draft.new(f"forum:{n}", "event", slugify(group[0][0][0]) + (f"-{self.draft.slug[:4]}" if self.draft.slug[:4].isdigit() else ""))
            forum.types = ["Event"]
            for literal, ev in names.literals()[0]:
                forum.add(SCHEMA + "name", literal, *ev)
            for (name, description), lang, ev in group:
                if description:
                    forum.add(SCHEMA + "description", Lit(sentence(description), lang), ev)
            evidence = [ev for _, _, ev in group]
            forum.add(SCHEMA + "superEvent", Ref(tour.key), *evidence)
            tour.add(SCHEMA + "subEvent", Ref(forum.key), *evidence)
            for partner in tour.values(TG + "partner"):
                spelled = self.spellings.get(partner.key)
                if spelled and any(key(s) and key(s) in key(name) for s in spelled.texts() for (name, _), _, _ in group):
                    forum.add(SCHEMA + "organizer", partner, *evidence)
                    forum.review(SCHEMA + "organizer", "L'organisateur est déduit du nom du forum : vérifier.",
                                 "The organiser is read from the forum's name: check.")

    def series(self):
        found = series_name(self.readings)
        if not found:
            return None
        name, plural = found
        evidence = [e for r in self.readings for e in r.series_section[:1]]
        first = next((Evidence(0, name) for _ in [0]), None)
        series = self.entity("series", [(name, r.lang, evidence[0] if evidence else first) for r in self.readings[:1]],
                             slug=slugify(plural or name))
        series.types = ["EventSeries"]
        series.evidence = tuple(evidence)
        if plural:
            series.add(SCHEMA + "alternateName", Lit(plural), *evidence)
        for reading in self.readings:
            kept = [e for e in reading.series_section if not any(e == s.evidence for s in reading.editions)]
            if kept:
                series.add(SCHEMA + "description", Lit(" ".join(e.text for e in kept).replace("*", ""), reading.lang), *kept)
        return series

    def editions(self, series):
        if series is None:
            return
        name = self.spellings[series.key].texts()[0]
        lists = [[(item, r.lang, s.evidence, s.value) for item in s.value.places] for r in self.readings for s in r.editions[:1]]
        for group in paired(lists):
            territory = self.region([(item.name, lang, ev) for item, lang, ev, _ in group])
            edition = self.draft.new(f"edition:{territory.key}", "series", f"{slugify(name)}-{territory.slug}")
            edition.types = ["BusinessEvent"]
            for item, lang, ev, _ in group:
                self.spellings.setdefault(edition.key, Spellings()).add(f"{name} {item.name}", lang, ev)
            evidence = [ev for _, _, ev, _ in group]
            edition.add(SCHEMA + "location", Ref(territory.key), *evidence)
            funder = self.entity("organization", [(group[0][3].funder, group[0][1], group[0][2])])
            edition.add(SCHEMA + "funder", Ref(funder.key), *evidence)
            edition.add(SCHEMA + "superEvent", Ref(series.key), *evidence)
            series.add(SCHEMA + "subEvent", Ref(edition.key), *evidence)
            if any(upcoming(item) for item, _, _, _ in group):
                edition.add(SCHEMA + "description", Lit(f"{name} annoncé « prochainement » ; le communiqué ne donne pas de date.", "fr"), *evidence)
                edition.add(SCHEMA + "description", Lit(f"{name} announced \"soon\"; the release gives no date.", "en"), *evidence)

    def funding(self, series, tour):
        for reading in self.readings:
            for said in reading.series_funding:
                org = self.entity("organization", [(said.value[0], reading.lang, said.evidence)])
                if series is not None:
                    series.add(SCHEMA + "funder", Ref(org.key), said.evidence)
                tour.add(SCHEMA + "funder", Ref(org.key), said.evidence)
