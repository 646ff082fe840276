"""One language version of a release read into what it states, each statement with its evidence: the
walk over its blocks (headings, intro lines and the lists they announce, prose sentences)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import prose
from .dates import DateRange, date_ranges, single_date
from .lists import EMAIL, parse_contact, parse_person, split_items
from .model import Evidence
from .nlp import sentences
from .text import key, tidy
from .versions import Block, Version

ROLES = [
    ("contacts", re.compile(r"\b(?:contacts? (?:presse|média|media)|press contacts?|media contacts?|press enquiries|contact presse)\b", re.I)),
    ("ambassadors", re.compile(r"\bambassad", re.I)),
    ("delegates", re.compile(r"\b(?:d[ée]l[ée]gation|d[ée]l[ée]gu[ée]s|delegation|delegates)\b", re.I)),
    ("companies", re.compile(r"\b(?:soci[ée]t[ée]s|entreprises|companies|firms|prestataires|service providers)\b", re.I)),
    ("venues", re.compile(r"\b(?:au programme|programme|program|itinerary|lieux|venues)\b", re.I)),
]
ABOUT = re.compile(r"^(?:[AÀ] propos d[ue']\s*|About\s+)(?P<org>.+?)\s*:?$", re.I)
SERIES_HEADING = re.compile(r"(?:programme des|program(?:me)? of the|the)\s*[“\"«]\s*(?P<s>[^”\"»]+?)\s*[”\"»]|[“\"«]\s*(?P<t>[^”\"»]+?)\s*[”\"»]\s*program", re.I)
QUOTED = re.compile(r"[“\"«]\s*([^”\"»]+?)\s*[”\"»]")
SERIES_NAME = re.compile(r"\b((?:[A-Z][\w’'-]*\s+){1,3}Tours?)\b|\b((?:[A-Z][A-Z’'-]+\s+){1,3}TOURS?)\b")


@dataclass
class Said:
    """A value and the sentence or line it comes from."""

    value: object
    evidence: Evidence


@dataclass
class Reading:
    lang: str
    heading: Said | None = None
    release_date: dt.date | None = None
    title_lines: list[Evidence] = field(default_factory=list)
    ranges: list[Said] = field(default_factory=list)
    hosts: list[Said] = field(default_factory=list)
    venues: list[Said] = field(default_factory=list)
    forums: list[Said] = field(default_factory=list)
    delegates: list[Said] = field(default_factory=list)
    ambassadors: list[Said] = field(default_factory=list)
    companies: list[Said] = field(default_factory=list)
    company_intro: Evidence | None = None
    contacts: list[Said] = field(default_factory=list)
    about: dict[str, list[Evidence]] = field(default_factory=dict)
    memberships: list[Said] = field(default_factory=list)
    parents: list[Said] = field(default_factory=list)
    series_names: list[str] = field(default_factory=list)
    series_section: list[Evidence] = field(default_factory=list)
    series_funding: list[Said] = field(default_factory=list)
    editions: list[Said] = field(default_factory=list)
    text: str = ""


def _evidence(block: Block, text: str | None = None) -> Evidence:
    return Evidence(block.line, tidy(text if text is not None else block.text))


def _role(text: str) -> str | None:
    for role, pattern in ROLES:
        if pattern.search(text):
            return role
    return None


def read_version(version: Version, is_org) -> Reading:
    reading = Reading(lang=version.lang)
    reading.text = "\n".join(b.text for b in version.blocks)
    langs = [version.lang] + [x for x in ("fr", "en") if x != version.lang]
    if version.heading is not None:
        reading.heading = Said(version.heading.text, _evidence(version.heading))
        reading.release_date = single_date(version.heading.text, langs)
    reading.series_names = [tidy(m.group(1) or m.group(2)) for m in SERIES_NAME.finditer(reading.text)]
    blocks = list(version.blocks)
    start = blocks.index(version.heading) + 1 if version.heading in blocks else 0
    _titles(reading, blocks[start:], langs)
    role, section = None, None
    for block in blocks:
        if block is version.heading or _evidence(block) in reading.title_lines:
            continue
        text = block.text
        about = ABOUT.match(text) if block.words <= 8 else None
        series_heading = SERIES_HEADING.search(text) if block.words <= 10 and not block.item else None
        if about:
            section, role = ("about", tidy(about.group("org"))), None
            continue
        if series_heading:
            section, role = ("series", None), None
            continue
        for found in date_ranges(text, langs, reading.release_date):
            reading.ranges.append(Said(found, _evidence(block)))
        if block.item:
            _item(reading, role, block, is_org)
            continue
        intro = _role(text) if (text.rstrip().endswith(":") or block.words <= 6) else None
        if intro == "contacts" or (section and section[0] == "contacts" and EMAIL.search(text)):
            section, role = ("contacts", None), "contacts"
            line = parse_contact(text, is_org)
            if line and not _role(line.name):
                reading.contacts.append(Said(line, _evidence(block)))
            continue
        if section and section[0] == "contacts" and role == "contacts" and block.words <= 14:
            line = parse_contact(text, is_org)
            if line:
                reading.contacts.append(Said(line, _evidence(block)))
                continue
        if intro and text.rstrip().endswith(":"):
            role, section = intro, None if section and section[0] == "contacts" else section
            if intro == "companies":
                reading.company_intro = _evidence(block)
            continue
        role = None
        if block.words >= 4:
            _prose(reading, block, section, langs)
    return reading


def _titles(reading: Reading, blocks: list[Block], langs: list[str]) -> None:
    for block in blocks[:3]:
        if block.item or block.text.endswith(".") or block.words >= 30 or date_ranges(block.text, langs, reading.release_date):
            break
        reading.title_lines.append(_evidence(block))


def _item(reading: Reading, role: str | None, block: Block, is_org) -> None:
    evidence = _evidence(block, block.item_text)
    if role in ("delegates", "ambassadors"):
        line = parse_person(block.item_raw)
        if line:
            getattr(reading, role).append(Said(line, evidence))
    elif role == "contacts":
        line = parse_contact(block.item_text, is_org)
        if line:
            reading.contacts.append(Said(line, evidence))
    elif role == "companies":
        for item in split_items(block.item_text, reading.lang, strip_articles=False):
            reading.companies.append(Said(item, evidence))
    elif role == "venues":
        for item in split_items(block.item_text, reading.lang):
            reading.venues.append(Said(item, evidence))


def _prose(reading: Reading, block: Block, section, langs: list[str]) -> None:
    for sentence in sentences(block.text, reading.lang):
        evidence = _evidence(block, sentence)
        if section and section[0] == "about":
            _about(reading, section[1], sentence, evidence)
            continue
        if section and section[0] == "series":
            reading.series_section.append(evidence)
        dates = date_ranges(sentence, langs, reading.release_date)
        hosted = prose.hosts(sentence, dates[0].text if dates else None)
        if hosted:
            reading.hosts.append(Said(hosted, evidence))
        for item in prose.venues(sentence, reading.lang):
            reading.venues.append(Said(item, evidence))
        attended = prose.forum(sentence)
        if attended:
            reading.forums.append(Said(attended, evidence))
        funding = prose.series_funding(sentence)
        if funding:
            reading.series_funding.append(Said(funding, evidence))
        found = prose.editions(sentence, reading.lang)
        if found:
            reading.editions.append(Said(found, evidence))
        if ":" in sentence and _role(sentence.split(":", 1)[0]) == "companies":
            reading.company_intro = evidence
            for item in split_items(sentence.split(":", 1)[1], reading.lang, strip_articles=False):
                reading.companies.append(Said(item, evidence))
        _about_facts(reading, sentence, evidence)


def _about(reading: Reading, org: str, sentence: str, evidence: Evidence) -> None:
    if not _about_facts(reading, sentence, evidence):
        reading.about.setdefault(org, []).append(evidence)


def _about_facts(reading: Reading, sentence: str, evidence: Evidence) -> bool:
    found = False
    member = prose.memberships(sentence, reading.lang)
    if member:
        reading.memberships.append(Said(member, evidence))
        found = True
    parent = prose.parent(sentence)
    if parent:
        reading.parents.append(Said(parent, evidence))
    return found


def best_range(readings: list[Reading]) -> tuple[DateRange, list[Evidence]] | None:
    """The tour's dates: the first range of the release, with every statement of the same days."""
    first = next((said for r in readings for said in r.ranges), None)
    if first is None:
        return None
    chosen: DateRange = first.value
    same = [s for r in readings for s in r.ranges if (s.value.start.month, s.value.start.day, s.value.end.month, s.value.end.day)
            == (chosen.start.month, chosen.start.day, chosen.end.month, chosen.end.day)]
    explicit = [s.value for s in same if s.value.explicit_year]
    if explicit:
        chosen = explicit[0]
    return chosen, [s.evidence for s in same if s.value.start == chosen.start or s.value.explicit_year]


def series_name(readings: list[Reading]) -> tuple[str, str | None] | None:
    """The series ("Inspiration Tour") and its plural when the release uses it ("Inspiration Tours")."""
    from .nlp import stop_words

    counts: dict[str, list[str]] = {}
    for reading in readings:
        for name in reading.series_names:
            words = name.split()
            while words and words[0].lower() in stop_words(reading.lang) | stop_words("en"):
                words = words[1:]
            if len(words) < 2:
                continue
            spelled = " ".join(words)
            counts.setdefault(key(spelled.rstrip("sS")), []).append(spelled)
    if not counts:
        return None
    best = max(counts.values(), key=len)
    singular = [s for s in best if not s.endswith(("s", "S"))]
    plural = [s for s in best if s.endswith(("s", "S")) and s != s.upper()]
    name = max(set(singular), key=lambda s: (s != s.upper(), singular.count(s))) if singular else best[0]
    return name, (plural[0] if plural else None)
