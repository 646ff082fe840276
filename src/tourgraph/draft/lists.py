"""The list layouts of press releases: "**Name** – Title, Company", "Name — Title — Company",
"Name, Title at Company", "Name (Company), Title", memberships ("LMGI Member", "membre de l'AFCI"),
press contacts ("Name, Role, Organisation : email") and inline lists ("A, B, C et D")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .nlp import leading_function_words

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# Legal suffixes belong to the name before them: "Stingy Wit Dinero Productions, Inc."
SUFFIXES = re.compile(r"^(?:Inc|Inc\.|LLC|L\.L\.C\.|Ltd|Ltd\.|Corp|Corp\.|Co\.|GmbH|S\.A\.|SA|SAS|SARL|SRL|PLC|LLP|AG|BV|NV)$")
MEMBER = re.compile(
    r"^(?:(?P<a>.+?)\s+[Mm]ember|[Mm]ember of (?:the )?(?P<b>.+)|[Mm]embre (?:de l['’]|du |de la |des |de |d['’])?(?P<c>.+))$")
# Words that only ever make up a job title, never a company on their own ("Director, Physical Production").
TITLE_WORDS = set("""
production productions physical post-production postproduction television tv film films development creative
international domestic programming programmes programs scripted unscripted animation documentary features feature
series drama comedy content acquisitions distribution marketing operations finance business affairs legal
location locations casting music sound vfx visual effects digital original originals global europe emea
and of & the for de la du des et en
""".split())
COMPANY_WORDS = re.compile(
    r"\b(?:films?|productions?|pictures|studios?|services|media|entertainment|group|groupe|television|télévision|"
    r"tv|post|audiovisuel|prod|company|compagnie|société|agency|agence|network|channel|records|animation|"
    r"&|and|et|inc|llc|ltd|sas|sarl|gmbh|co)\b", re.I)


@dataclass
class PersonLine:
    name: str
    title: str | None = None
    employer: str | None = None
    memberships: list[str] = field(default_factory=list)
    email: str | None = None


def _clean(text: str) -> str:
    """Spaces and separators off the ends; the full stop of a legal suffix ("Inc.") stays."""
    if not text:
        return text
    text = re.sub(r"\s+", " ", text.replace("**", "")).strip(" ,;:–—-|")
    stripped = text.rstrip(".")
    last = stripped.rsplit(" ", 1)[-1] + "." if stripped else ""
    return text if text.endswith(".") and SUFFIXES.match(last) else stripped.strip(" ,;:–—-|")


def looks_like_name(text: str) -> bool:
    """A person's name as lists write it: two to five words, each starting with a capital."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() or w.lower() in ("de", "du", "van", "von", "da", "le", "la", "di", "del", "ben", "al")
                                        for w in words) and not any(c.isdigit() for c in text)


def split_segments(text: str, separators: str = ",") -> list[str]:
    """Split on a separator outside parentheses; legal suffixes ("Inc.") stay with the name before them."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char in separators and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and SUFFIXES.match(part):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _title_only(segment: str) -> bool:
    words = re.findall(r"[\w&'-]+", segment.lower())
    return bool(words) and all(w in TITLE_WORDS for w in words)


def member_of(segment: str) -> str | None:
    match = MEMBER.match(segment.strip())
    if not match:
        return None
    return _clean(match.group("a") or match.group("b") or match.group("c"))


def parse_person(raw: str) -> PersonLine | None:
    """One list line about a person; None when the line does not start with a person's name."""
    raw = raw.strip()
    bold = re.match(r"^\*\*(?P<name>[^*]+)\*\*\s*(?P<rest>.*)$", raw)
    employer = None
    if bold:
        name, rest = _clean(bold.group("name")), bold.group("rest")
        paren = re.match(r"^\((?P<emp>[^)]+)\)\s*(?P<rest>.*)$", rest.strip())
        if paren:
            employer, rest = _clean(paren.group("emp")), paren.group("rest")
    else:
        text = raw.replace("**", "")
        match = re.match(r"^(?P<name>[^–—:,(|]+?)\s*\((?P<emp>[^)]+)\)\s*(?:[–—|:,]|\s-\s)?\s*(?P<rest>.*)$", text) \
            or re.match(r"^(?P<name>[^–—:,(|]+?)\s*(?:[–—|:]|\s-\s|,)\s*(?P<rest>.+)$", text)
        if not match:
            return PersonLine(_clean(text)) if looks_like_name(_clean(text)) else None
        name, rest = _clean(match.group("name")), match.group("rest")
        employer = _clean(match.groupdict().get("emp")) or None
    if not looks_like_name(name):
        return None
    line = PersonLine(name)
    rest = _clean(re.sub(r"^\s*[–—|:,-]\s*", "", rest))
    email = EMAIL.search(rest)
    if email:
        line.email = email.group(0)
        rest = _clean(rest.replace(email.group(0), ""))
    if not rest:
        line.employer = employer
        return line
    if re.search(r"\s[–—|]\s|\s-\s", rest):
        segments = [_clean(s) for s in re.split(r"\s[–—|]\s|\s-\s", rest) if _clean(s)]
    else:
        at = re.match(r"^(?P<title>.+?)\s+(?:at|chez|@)\s+(?P<emp>[A-Z].+)$", rest)
        segments = [at.group("title"), at.group("emp")] if at else split_segments(rest)
        if not at and len(segments) > 1:
            # Comma layout: the title may hold commas itself ("Director, Physical Production").
            tail = segments[-1]
            if member_of(tail) or _title_only(tail):
                pass
            else:
                segments = [", ".join(segments[:-1]), tail]
    titles = []
    for segment in segments:
        org = member_of(segment)
        if org:
            line.memberships.append(org)
        else:
            titles.append(segment)
    if employer:
        line.employer = employer
        line.title = ", ".join(titles) or None
    elif len(titles) >= 2 and not _title_only(titles[-1]):
        line.title, line.employer = ", ".join(titles[:-1]), titles[-1]
    else:
        line.title = ", ".join(titles) or None
    return line


def parse_contact(text: str, is_org) -> PersonLine | None:
    """"Name, Role, Organisation : email" (or with dashes): the organisation is the last part that
    ``is_org`` recognises; a line without one keeps every part after the name as the role."""
    email = EMAIL.search(text)
    rest = text.replace(email.group(0), " ") if email else text
    rest = re.sub(r"\s*[:|]\s*$|\s*[:|]\s*(?=\s*$)", "", rest.strip())
    rest = _clean(re.sub(r"(?:\s[:–—|]\s|\s-\s|\s?:\s)", ", ", rest))
    segments = split_segments(rest)
    if not segments or not looks_like_name(segments[0]):
        return None
    line = PersonLine(segments[0], email=email.group(0) if email else None)
    others = segments[1:]
    # "Name, Role, Organisation": a third part is the organisation, as is a second one the release names.
    if others and (len(others) >= 2 or is_org(others[-1])):
        line.employer = others.pop()
    line.title = ", ".join(others) or None
    return line


_CONNECTORS = re.compile(r"\s*(?:,\s*(?:and|et)\s+|,\s*|\s+ou encore\s+|\s+ainsi que\s+|\s+as well as\s+|\s+et\s+|\s+and\s+)\s*")


@dataclass
class Item:
    name: str
    article: str = ""
    parenthesis: str | None = None
    prefix: str = ""
    written: str = ""


def split_items(text: str, lang: str, strip_articles: bool = True) -> list[Item]:
    """An inline list ("le Château de Chantilly, la Cathédrale d’Amiens ou encore la Piscine de Roubaix")
    as items, each without its leading article (kept apart: "la") and parenthesis ("La Piscine museum")."""
    text = text.strip().rstrip(".;")
    parts, depth, last = [], 0, 0
    for match in _CONNECTORS.finditer(text):
        depth = text[:match.start()].count("(") - text[:match.start()].count(")")
        if depth:
            continue
        if match.group(0).strip() in ("et", "and") and not _starts_new_name(text[match.end():]):
            continue
        parts.append(text[last:match.start()])
        last = match.end()
    parts.append(text[last:])
    items = []
    for part in (p.strip().strip(",") for p in parts):
        if not part:
            continue
        paren = re.search(r"\s*\(([^)]*)\)\s*$", part)
        inner = paren.group(1).strip().rstrip(".") if paren else None
        core = part[: paren.start()].strip() if paren else part
        cut = leading_function_words(core, lang) if strip_articles else 0
        prefix, name = core[:cut], core[cut:].strip()
        article = ""
        match = re.search(r"(?:^|\s)(le|la|les|l['’]|the)\s*$", prefix, re.I)
        if match:
            article = match.group(1)
        if name:
            items.append(Item(name=name, article=article, parenthesis=inner, prefix=prefix.strip(), written=part))
    return items


def _starts_new_name(rest: str) -> bool:
    """After "et"/"and": a new item starts with a capital, an article or a preposition before a capital."""
    rest = rest.lstrip()
    return bool(re.match(r"^(?:[A-ZÀ-Ý]|(?:le|la|les|l['’]|the|des|du|de la|de l['’]|d['’]|de|prochainement|soon)\s*[A-ZÀ-Ý'’]|"
                         r"(?:et |and )?(?:prochainement|soon|bientôt)\b)", rest))
