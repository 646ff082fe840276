"""Text helpers shared by the readers: comparison keys (case, accents and punctuation ignored), slugs,
and the typography a release may use for one name (curly apostrophes, dashes)."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "’‘`´"
DASHES = "–—‑‒"
_SPACE = re.compile(r"\s+")


def tidy(text: str) -> str:
    """One line of text: NFC, one space between words, no Markdown emphasis left."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\*\*|__", "", text)
    text = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", text)
    return _SPACE.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(text: str) -> str:
    """A comparison key: "Film-France–CNC" and "film france cnc" are one key, so are "Séries" and "Series"."""
    text = strip_accents(text).casefold().replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text)
    return _SPACE.sub(" ", text).strip()


def accent_key(text: str) -> str:
    """Like ``key`` but accents count: "Séries Mania" and "Series Mania" are two spellings."""
    text = unicodedata.normalize("NFC", text).casefold().replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text)
    return _SPACE.sub(" ", text).strip()


def slugify(text: str) -> str:
    """A readable IRI slug: "Left & Right" -> left-and-right, "Cathédrale d’Amiens" -> cathedrale-d-amiens."""
    text = strip_accents(text).lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-") or "x"


def punctuation_count(text: str) -> int:
    return sum(1 for c in text if not c.isalnum() and not c.isspace())


def preferred_spelling(spellings: list[str]) -> str:
    """Of spellings of one name (same ``key``), the most frequent; on a tie the fullest ("Inc." over "Inc")."""
    counts: dict[str, int] = {}
    for s in spellings:
        counts[s] = counts.get(s, 0) + 1
    return sorted(counts, key=lambda s: (-counts[s], -punctuation_count(s), -len(s), spellings.index(s)))[0]


def initials_match(acronym: str, expansion: str) -> bool:
    """Whether ``expansion`` spells ``acronym`` out: "EuFCN" / "European Film Commissions Network"."""
    words = [w for w in re.split(r"[\s\-]+", expansion) if w and w[0].isupper()]
    letters = "".join(w[0] for w in words).upper()
    short = re.sub(r"[^A-Z]", "", acronym.upper())
    compact = re.sub(r"[a-z]", "", acronym)
    return len(words) >= 2 and (letters == short or letters == compact.upper() or letters == short[: len(letters)] == short)


def sentence_case(heading: str, lang: str) -> str:
    """"PRESS RELEASE – MARCH 16, 2026" -> "Press release – March 16, 2026" (English months keep capitals)."""
    words = heading.split(" ")
    capitals = [w for w in words if len(w) > 1 and w.isalpha() and w == w.upper()]
    if len(capitals) < 2:
        return heading
    text = " ".join(w.lower() if (len(w) > 1 and w.isalpha() and w == w.upper()) or w == w.upper() else w for w in words)
    text = text[:1].upper() + text[1:]
    if lang == "en":
        months = "january february march april may june july august september october november december".split()
        text = re.sub(r"\b(" + "|".join(months) + r")\b", lambda m: m.group(1).capitalize(), text)
    return text
