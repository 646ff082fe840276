"""Dates as releases write them, in French and English: "Du 22 au 27 mars prochain", "From March 22 to
27", "MARCH 22-27, 2026", "14–18 October 2025", "COMMUNIQUÉ DE PRESSE DU 16 MARS 2026".

The patterns find the shape of a range (which day, month and year belong to which end); dateparser reads
each end, in the release's languages. A range without a year takes the year from the release date (the
first such day on or after it) and says so, so that the draft can ask a person to check it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DAY = r"(\d{1,2})(?:er|st|nd|rd|th)?"
_MONTH = r"([^\W\d_]{3,}\.?)"
_YEAR = r"(\d{4})"
_TO = r"(?:au|to|until|till|through|thru|[-–—])"
# (pattern, group numbers of day1, month1, year1, day2, month2, year2; 0 = absent)
_RANGES = [
    (re.compile(rf"\b[Dd]u\s+{_DAY}(?:\s+{_MONTH})?(?:\s+{_YEAR})?\s+au\s+{_DAY}\s+{_MONTH}(?:\s+{_YEAR})?"), (1, 2, 3, 4, 5, 6)),
    (re.compile(rf"\b[Ff]rom\s+{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\s+{_TO}\s+(?:{_MONTH}\s+)?{_DAY}(?:,?\s+{_YEAR})?"), (2, 1, 3, 5, 4, 6)),
    (re.compile(rf"\b[Ff]rom\s+{_DAY}(?:\s+{_MONTH})?(?:\s+{_YEAR})?\s+{_TO}\s+{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?"), (1, 2, 3, 4, 5, 6)),
    (re.compile(rf"\b{_MONTH}\s+{_DAY}\s*[-–—]\s*{_DAY}(?:,?\s+{_YEAR})?"), (2, 1, 4, 3, 1, 4)),
    (re.compile(rf"\b{_DAY}\s*[-–—]\s*{_DAY}\s+{_MONTH}(?:\s+{_YEAR})?"), (1, 3, 4, 2, 3, 4)),
]


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date
    explicit_year: bool
    text: str


def _parse(day: str, month: str, year: str | None, languages: list[str], base: dt.date | None):
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DATES_FROM": "future", "DATE_ORDER": "DMY"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    text = f"{int(day)} {month.rstrip('.')} {year}" if year else f"{int(day)} {month.rstrip('.')}"
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    return parsed.date() if parsed else None


def date_ranges(text: str, languages: list[str], release: dt.date | None) -> list[DateRange]:
    """Every date range in ``text``; a range without a year only when the release date gives one."""
    found, taken = [], []
    for pattern, groups in _RANGES:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            g = [match.group(n) if n else None for n in groups]
            d1, m1, y1, d2, m2, y2 = g
            m1, m2 = m1 or m2, m2 or m1
            year = y2 or y1
            if year is None and release is None:
                continue
            y1 = y1 or year
            start = _parse(d1, m1, y1, languages, release)
            end = _parse(d2, m2, year, languages, release)
            if start is None or end is None:
                continue
            if year is None and end < start:
                end = _parse(d2, m2, str(start.year + 1), languages, None)
            if end is None or end < start:
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), DateRange(start, end, year is not None, match.group(0))))
    return [r for _, r in sorted(found, key=lambda item: item[0])]


_SINGLE = [
    re.compile(rf"\b{_DAY}\s+{_MONTH}\s+{_YEAR}\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
]


def single_date(text: str, languages: list[str]) -> dt.date | None:
    """The first full date (day, month, year) in ``text``: the date of a release heading."""
    best = None
    for pattern in _SINGLE:
        for match in pattern.finditer(text):
            a, b, year = match.groups()
            day, month = (a, b) if a.isdigit() else (b, a)
            parsed = _parse(day, month, year, languages, None)
            if parsed and (best is None or match.start() < best[0]):
                best = (match.start(), parsed)
    return best[1] if best else None
