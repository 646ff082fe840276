"""The site's other files, made from the catalogue: sitemap.xml (language alternates, x-default,
lastmod), robots.txt, the static search index (``search/{lang}/{key}.json``) and the calendar of the
tours and their dated events (``{lang}/calendar.ics``, RFC 5545)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from json.encoder import encode_basestring as encode_string
from xml.sax.saxutils import escape as xml_escape, quoteattr

from ..graph import SCHEMA
from .catalogue import Catalogue
from .values import page_path

SITEMAP_LIMIT = 50000
_PLAIN = re.compile(r"[\w.~-]+")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def sitemap_groups(cat: Catalogue, languages: list[str]) -> list[tuple[dict[str, str], str | None]]:
    """Every page in every language as ({lang: path}, lastmod), in a stable order."""
    groups = [({code: f"{code}/index.html" for code in languages}, None)]
    for kind in sorted(cat.by_kind()):
        groups.append(({code: f"{code}/{kind}/index.html" for code in languages}, None))
    for entry in cat.entries.values():
        groups.append(({code: page_path(code, entry.entity) for code in languages}, cat.lastmod(entry)))
    return groups


def write_sitemaps(out: Path, base: str, groups, languages: list[str]) -> list[str]:
    """sitemap.xml with hreflang alternates (x-default: the first language); above 50,000 URLs, a
    sitemap index over numbered parts."""
    entries = []
    # Every path is a language code, a kind and a slug (Entity's pattern: letters, digits, ._~-), none
    # of which XML escapes: only the base is escaped, once, when it can be written that way.
    plain = not any(c in base for c in "\"\n\r\t") and all(_PLAIN.fullmatch(code) for code in languages)
    escaped_base = xml_escape(base)
    for group, lastmod in groups:
        if plain:
            urls = [escaped_base + group[code] for code in languages]
            quoted = [f'"{url}"' for url in urls]
        else:
            urls = [xml_escape(base + group[code]) for code in languages]
            quoted = [quoteattr(base + group[code]) for code in languages]
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{code}" href={href}/>' for code, href in zip(languages, quoted))
        links += f'<xhtml:link rel="alternate" hreflang="x-default" href={quoted[0]}/>'
        modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        for url in urls:
            entries.append(f"<url><loc>{url}</loc>{modified}{links}</url>\n")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    if len(entries) <= SITEMAP_LIMIT:
        _write(out / "sitemap.xml", head + "".join(entries) + "</urlset>\n")
        return ["sitemap.xml"]
    names = []
    for start in range(0, len(entries), SITEMAP_LIMIT):
        name = f"sitemap-{start // SITEMAP_LIMIT + 1}.xml"
        _write(out / name, head + "".join(entries[start:start + SITEMAP_LIMIT]) + "</urlset>\n")
        names.append(name)
    parts = "".join(f"<sitemap><loc>{xml_escape(base + n)}</loc></sitemap>\n" for n in names)
    _write(out / "sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + parts + "</sitemapindex>\n")
    return ["sitemap.xml", *names]


def write_robots(out: Path, base: str) -> None:
    _write(out / "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n")


def fold(text: str) -> str:
    """Lower case without accents: what the search index and its script compare."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(text: str) -> str:
    """The shard of a word: its first letter or digit, ``_`` for anything else."""
    first = fold(text)[:1]
    return first if first.isascii() and first.isalnum() else "_"


def write_search_index(out: Path, cat: Catalogue, lang: str) -> list[str]:
    """``search/{lang}/{key}.json``: [label, path, kind] for every page, under the key of each word of
    its label (and other names), so the browser loads the one shard of the word typed."""
    alternate = SCHEMA + "alternateName"
    names = cat.labels(lang)
    rows = []
    for iri, entry in cat.entries.items():
        entity = entry.entity
        label = names[iri]
        firsts = {word[0] for word in label.split()}
        others = entry.literals.get(alternate)
        if others:
            for lit in others:
                firsts.update(word[0] for word in lit.value.split())
        rows.append((label, f"{lang}/{entity.kind}/{entity.slug}.html", entity.kind, firsts))
    # Sorted once (paths are unique, so the first letters are never compared): each shard then gets
    # its rows in order, each written once as JSON. A path is a kind and a slug (Entity's pattern),
    # which JSON writes as they are.
    rows.sort()
    shards: dict[str, list] = {}
    keys: dict[str, str] = {}
    for label, path, kind, firsts in rows:
        text = f'[{encode_string(label)},"{path}","{kind}"]'
        for key in {keys.get(c) or keys.setdefault(c, search_key(c)) for c in firsts}:
            found = shards.get(key)
            if found is None:
                shards[key] = [text]
            else:
                found.append(text)
    folder = out / "search" / lang
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for key, texts in sorted(shards.items()):
        (folder / f"{key}.json").write_text("[" + ",".join(texts) + "]\n", encoding="utf-8")
        names.append(f"search/{lang}/{key}.json")
    return names


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold_line(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF and a space, never inside a
    UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8") + "\r\n"


def calendar(cat: Catalogue, base: str, lang: str, title: str) -> str:
    """The tours and their parts that have a start date, as all-day events (``DTEND`` is the day after
    the end, as RFC 5545 counts). ``DTSTAMP`` is the start date, so that the file is the same on every build."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tourgraph//site//EN", "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_text(title)}"]
    events = [e for e in cat.entries.values() if e.entity.kind == "event" and cat.date(e.entity.iri, SCHEMA + "startDate")]
    for entry in events:
        iri = entry.entity.iri
        start = cat.date(iri, SCHEMA + "startDate").value[:10]
        end_lit = cat.date(iri, SCHEMA + "endDate")
        try:
            first = date.fromisoformat(start)
            last = date.fromisoformat(end_lit.value[:10]) if end_lit else first
        except ValueError:
            continue
        last = max(last, first)
        lines += ["BEGIN:VEVENT", f"UID:{iri}", f"DTSTAMP:{first.strftime('%Y%m%d')}T000000Z",
                  f"DTSTART;VALUE=DATE:{first.strftime('%Y%m%d')}", f"DTEND;VALUE=DATE:{(last + timedelta(1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_ics_text(cat.label(iri, lang))}", f"URL:{base}{page_path(lang, entry.entity)}"]
        places = [cat.label(p, lang) for p in entry.links.get(SCHEMA + "location", ())]
        if places:
            lines.append(f"LOCATION:{_ics_text(', '.join(sorted(places)))}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold_line(line) for line in lines)
