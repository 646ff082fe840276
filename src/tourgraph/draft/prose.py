"""Sentence patterns of the genre, in French and English: who hosts the tour (and through which
department, with which partner, in which region), the venues on the programme, the forum the delegation
attends, the series and its other editions, who funds it, and the "About" sentences (membership,
parent body)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lists import Item, split_items, split_segments

_CAP = r"[A-ZÀ-Ý0-9]"
HOST_VERBS = re.compile(
    r"\b(?:accueilleront|accueillent|accueillera|accueille|organisent|organiseront|organisera|organise|invitent|inviteront|"
    r"recevront|reçoivent|will welcome|welcome|welcomes|will host|host|hosts|are hosting|is hosting|will organi[sz]e|"
    r"organi[sz]es?|invite|invites|will invite|will receive)\b")
PARTNER = re.compile(r"\b(?:en (?:collaboration|partenariat|association) avec|in (?:collaboration|partnership|association) with)\s+(?P<p>[^,—–;]+)")
REGION = re.compile(
    r"\b(?:dans la région|en région|dans la région de|to the|in the)\s+(?P<a>" + _CAP + r"[\w’'-]*(?:[ -](?:de |du |des |d['’])?" + _CAP + r"[\w’'-]*)*)(?:\s+region)?"
    r"|\b(?:dans la région|en région)\s+(?P<b>" + _CAP + r"[\w’'-]*(?:[ -][\w’'-]+)*)")
VENUES = re.compile(
    r"(?:[Aa]u programme(?: du tour| de la tournée| de l['’]Inspiration Tour)?|[Ll]e programme (?:du tour |de la tournée )?comprend|"
    r"[Ll]a délégation visitera|[Ll]es participants visiteront|[Ll]a délégation découvrira|"
    r"program(?:me)? includes(?: visits to)?|itinerary includes(?: visits to)?|will (?:also )?visit|will tour|"
    r"visits will include|will discover)\s*:?\s*(?P<list>.+)$")
FORUM = re.compile(
    r"(?:prendront|prendra) (?:également |aussi )?part (?:au|à la|à l['’]|aux)\s+(?P<fr>.+)$"
    r"|(?:participeront|participera) (?:également |aussi )?(?:au|à la|à l['’]|aux)\s+(?P<fr2>.+)$"
    r"|will (?:also )?(?:attend|take part in|participate in|join)\s+(?P<en>.+)$")
EVENT_WORDS = re.compile(r"\b(?:Forum|Festival|Market|Marché|Summit|Sommet|Conference|Conférence|Rencontres|Salon|Expo|Days|Journées|Week|Semaine|Showcase|Meetings)\b")
MEMBERSHIP = re.compile(r"^(?P<org>.+?)\s+(?:est (?:également |aussi )?membre|is (?:also )?a member of|is (?:also )?member of)\s+(?P<list>.+?)\.?$")
PARENT = re.compile(
    r"^(?P<org>[^,]+?)(?:,\s*(?P<gloss>[^,]+?),)?\s+(?:est un service|est une direction|est un département|is a department|is a service|is part)\s+"
    r"(?:du|de la|de l['’]|des|of the|of)\s+(?P<parent>[^,.;]+(?:\([^)]*\))?)")
SERIES_FUNDING = re.compile(
    r"(?:accompagnement|soutien|financement) financier[^.]*?\b(?:du|de la|de l['’]|des)\s+(?P<fr>" + _CAP + r"[\w’'-]*(?: " + _CAP + r"[\w’'-]*)*)\s+"
    r"pour l['’]organisation d['’](?:un |une |des )?(?P<sfr>[^.,]+?Tours?)\b"
    r"|[Ff]inancial(?: and \w+)? support (?:from|of|by) (?:the )?(?P<en>" + _CAP + r"[\w'-]*(?: " + _CAP + r"[\w'-]*)*) for "
    r"(?:organi[sz]ing|the organi[sz]ation of) (?:an? |the )?(?P<sen>[^.,]+?Tours?)\b")
EDITIONS = re.compile(
    r"(?P<frorg>(?:le |la |l['’])?" + _CAP + r"[\w’'-]*) a (?:également |aussi )?soutenu (?:depuis (?P<sincefr>\d{4}) )?"
    r"l['’]organisation d['’](?P<sfr>[^.]+?Tours?) (?:au sein des territoires|dans les territoires|dans les régions|sur les territoires|en régions?)\s+(?P<lfr>.+)$"
    r"|(?:since (?P<sinceen>\d{4}) )?(?P<enorg>(?:the )?" + _CAP + r"[\w'-]*) has (?:also )?supported (?P<sen>[^.]+?Tours?) in (?:regions|territories|areas)(?: such as)?\s+(?P<len>.+)$")


@dataclass
class Org:
    name: str
    acronym: str | None = None
    gloss: str | None = None
    kind_word: str | None = None


@dataclass
class Hosts:
    organisers: list[Org] = field(default_factory=list)
    departments: list[tuple[Org, Org]] = field(default_factory=list)
    partners: list[Org] = field(default_factory=list)
    region: str | None = None


def strip_det(text: str) -> str:
    return re.sub(r"^(?:le|la|les|l['’]|the|du|des|de la|de l['’]|d['’])\s*", "", text.strip(), flags=re.I).strip()


def org_phrase(text: str) -> Org:
    """"le Centre national du cinéma et de l’image animée (CNC)" -> name, acronym CNC;
    "the *Séries Mania* festival" -> Séries Mania, kind word festival."""
    text = text.strip().strip(",.")
    org = Org(name=text)
    paren = re.search(r"\s*\(([^)]*)\)\s*$", text)
    if paren:
        inner = paren.group(1).strip()
        text = text[: paren.start()].strip()
        if re.fullmatch(r"[A-Z][A-Za-z0-9&-]{1,9}", inner) and inner.upper()[:1] == inner[:1]:
            org.acronym = inner
        else:
            org.gloss = inner
    text = strip_det(text)
    lead = re.match(r"^(festival|association|agence|société|studio|chaîne|réseau|commission)\s+(?=" + _CAP + ")", text)
    if lead:
        org.kind_word, text = lead.group(1), text[lead.end():]
    trail = re.search(r"\s+(festival|department|agency|association|network|studio|commission)$", text)
    if trail:
        org.kind_word, text = trail.group(1), text[: trail.start()]
    org.name = text.strip()
    return org


def _split_conjunction(segment: str) -> list[str]:
    """"Pictanovo et le Centre national du cinéma et de l’image animée (CNC)" -> two organisations: a
    conjunction splits where a new name starts and the name before it is complete (no "for"/"du" pending)."""
    out, last = [], 0
    for match in re.finditer(r"\s+(?:et|and)\s+", segment):
        before, after = segment[last:match.start()], segment[match.end():]
        new_name = re.match(r"^(?:(?:le|la|les|l['’]|the)\s*)?" + _CAP, after)
        pending = re.search(r"\b(?:for|of|du|de|des|pour|and|et)\b", strip_det(before))
        if new_name and not pending:
            out.append(before)
            last = match.end()
    out.append(segment[last:])
    return [s for s in (p.strip() for p in out) if s]


def hosts(sentence: str, date_text: str | None) -> Hosts | None:
    verb = HOST_VERBS.search(sentence)
    if not verb:
        return None
    subject = sentence[: verb.start()]
    if date_text and date_text in subject:
        subject = subject.split(date_text, 1)[1]
    subject = re.sub(r"^\s*(?:prochains?|prochaine|next)?\s*,?\s*", "", subject).strip().strip(",")
    if not subject or not re.search(_CAP, subject):
        return None
    found = Hosts()
    last = None
    for segment in split_segments(subject):
        via = re.match(r"^(?:via|par l['’]intermédiaire de|à travers)\s+(?:son|sa|leur|ses)\s+(?:service|département|direction|commission)?\s*(?:de l['’]\w+\s+|du \w+\s+)?(?P<d>.+)$", segment) \
            or re.match(r"^(?:through|via) (?:its|their)\s+(?P<d>.+)$", segment)
        if via and found.organisers:
            department = org_phrase(via.group("d"))
            found.departments.append((found.organisers[-1], department))
            last = department
            continue
        if re.match(r"^(?:le|la|les|l['’]|the|a|an|un|une)\s+[a-zà-ÿ]", segment) and last is not None:
            last.gloss = last.gloss or segment
            continue
        for part in _split_conjunction(segment):
            last = org_phrase(part)
            found.organisers.append(last)
    rest = sentence[verb.end():]
    for match in PARTNER.finditer(rest):
        found.partners.append(org_phrase(match.group("p")))
    region = REGION.search(rest)
    if region:
        found.region = (region.group("a") or region.group("b")).strip()
    return found if found.organisers else None


def venues(sentence: str, lang: str) -> list[Item]:
    match = VENUES.search(sentence)
    if not match:
        return []
    items = split_items(match.group("list"), lang)
    return [i for i in items if re.match(_CAP, i.name)]


def forum(sentence: str) -> tuple[str, str | None] | None:
    """The event the delegation attends and the description after its name: ("Séries Mania Forum",
    "rendez-vous professionnel …")."""
    match = FORUM.search(sentence)
    if not match:
        return None
    text = (match.group("fr") or match.group("fr2") or match.group("en")).strip().rstrip(".")
    parts = split_segments(text)
    name = strip_det(parts[0].replace("*", ""))
    if not EVENT_WORDS.search(name):
        return None
    description = ", ".join(parts[1:]).strip() or None
    return name, description


def memberships(sentence: str, lang: str) -> tuple[str, list[Org]] | None:
    match = MEMBERSHIP.match(sentence.strip())
    if not match:
        return None
    listed = re.sub(r"\.\)$", ")", match.group("list").strip())
    orgs = [org_phrase(item.written if item.parenthesis else item.name) for item in split_items(listed, lang)]
    for org, item in zip(orgs, split_items(listed, lang)):
        org.name = strip_det(item.name)
        if item.parenthesis:
            org.gloss = item.parenthesis.rstrip(".")
    return strip_det(match.group("org")), orgs


def parent(sentence: str) -> tuple[str, str | None, Org] | None:
    match = PARENT.match(sentence.strip())
    if not match:
        return None
    return strip_det(match.group("org")), match.group("gloss"), org_phrase(match.group("parent"))


def series_funding(sentence: str) -> tuple[str, str] | None:
    match = SERIES_FUNDING.search(sentence)
    if not match:
        return None
    return (match.group("fr") or match.group("en")), (match.group("sfr") or match.group("sen"))


@dataclass
class Editions:
    funder: str
    series: str
    since: str | None
    places: list[Item]


def editions(sentence: str, lang: str) -> Editions | None:
    match = EDITIONS.search(sentence)
    if not match:
        return None
    funder = strip_det(match.group("frorg") or match.group("enorg"))
    listed = match.group("lfr") or match.group("len")
    return Editions(funder=funder, series=match.group("sfr") or match.group("sen"),
                    since=match.group("sincefr") or match.group("sinceen"), places=split_items(listed, lang))


def upcoming(item: Item) -> bool:
    return bool(re.search(r"\b(?:prochainement|bientôt|à venir|soon|upcoming)\b", item.prefix, re.I))
