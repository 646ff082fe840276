"""A release cut into blocks (paragraphs, list items, headings) and into its language versions.

Bilingual releases repeat their heading ("COMMUNIQUÉ DE PRESSE …", "PRESS RELEASE …"): each heading in
another language starts a version. Without such headings, the languages of the prose paragraphs (read
from spaCy's stop words) tell where one version ends and the next begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .nlp import language_of
from .reading import Line, Release

ITEM = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+")
ABOUT_LINE = re.compile(r"^(?:[AÀ] propos d[ue']\s*|About\s+)[A-ZÀ-Ý]", re.I)
HEADINGS = {
    "fr": re.compile(r"^(?:communiqu[ée] de presse|communiqu[ée]|invitation presse)\b", re.I),
    "en": re.compile(r"^(?:press release|news release|media release|for immediate release)\b", re.I),
}


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]
    item: bool = False

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines).strip()

    @property
    def raw(self) -> str:
        return " ".join(line.raw.strip() for line in self.lines).strip()

    @property
    def line(self) -> int:
        return self.lines[0].number

    @property
    def item_text(self) -> str:
        """A list item without its bullet or number."""
        return ITEM.sub("", self.text)

    @property
    def item_raw(self) -> str:
        return ITEM.sub("", self.raw)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Version:
    lang: str
    blocks: tuple[Block, ...]
    heading: Block | None


def blocks(release: Release) -> list[Block]:
    out: list[Block] = []
    current: list[Line] = []

    def close():
        if current:
            out.append(Block(tuple(current)))
            current.clear()

    for line in release.lines:
        if line.blank:
            close()
        elif ITEM.match(line.raw):
            close()
            out.append(Block((line,), item=True))
        elif len(line.text.split()) <= 8 and (line.text.endswith(":") or ABOUT_LINE.match(line.text)):
            # "Press contacts:" or "About X" on a line of its own introduces what follows it.
            close()
            out.append(Block((line,)))
        else:
            current.append(line)
    close()
    return out


def heading_language(block: Block) -> str | None:
    for lang, pattern in HEADINGS.items():
        if pattern.match(block.text):
            return lang
    return None


def versions(release: Release) -> list[Version]:
    all_blocks = blocks(release)
    starts: list[tuple[int, str]] = []
    for n, block in enumerate(all_blocks):
        lang = heading_language(block)
        if lang and (not starts or starts[-1][1] != lang) and lang not in {s[1] for s in starts}:
            starts.append((n, lang))
    if len(starts) < 2:
        starts = _by_language(all_blocks, starts)
    cut = [n for n, _ in starts] + [len(all_blocks)]
    out = []
    for i, (n, lang) in enumerate(starts):
        begin = 0 if i == 0 else n
        chunk = tuple(all_blocks[begin:cut[i + 1]])
        heading = all_blocks[n] if heading_language(all_blocks[n]) == lang else None
        out.append(Version(lang=lang, blocks=chunk, heading=heading))
    return out


def _by_language(all_blocks: list[Block], starts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Versions from the languages of the prose paragraphs, when headings do not say."""
    langs = [(n, language_of(b.text)) for n, b in enumerate(all_blocks) if not b.item and b.words >= 8]
    langs = [(n, lang) for n, lang in langs if lang]
    if not langs:
        return starts or [(0, "fr")]
    runs: list[list] = []
    for n, lang in langs:
        if runs and runs[-1][1] == lang:
            runs[-1][2] += 1
        else:
            runs.append([n, lang, 1])
    runs = [r for r in runs if r[2] >= 2] or runs
    merged: list[list] = []
    for run in runs:
        if merged and merged[-1][1] == run[1]:
            merged[-1][2] += run[2]
        else:
            merged.append(run)
    if len(merged) >= 2 and len({r[1] for r in merged[:2]}) == 2:
        first, second = merged[0], merged[1]
        begin = second[0]
        # The version starts at the heading or title just above its first paragraph.
        while begin > 0 and not all_blocks[begin - 1].item and all_blocks[begin - 1].words < 8 and begin - 1 > first[0]:
            begin -= 1
        return [(0, first[1]), (begin, second[1])]
    majority = max({lang for _, lang in langs}, key=lambda lang: sum(1 for _, x in langs if x == lang))
    return [(starts[0][0] if starts else 0, majority)]
