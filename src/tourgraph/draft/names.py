"""Names in several languages and spellings, made into literals the way the project writes them:
one spelling of a proper name is a plain literal; a name translated ("Cathédrale d’Amiens" / "Amiens
Cathedral") is one literal per language; an organisation spelled with and without accents keeps the
first as its name and the other as an alternate name."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Evidence, Lit
from .text import accent_key, key, preferred_spelling


@dataclass
class Spellings:
    """Every way the release writes one name: (text, language, evidence)."""

    seen: list[tuple[str, str, Evidence]] = field(default_factory=list)

    def add(self, text: str | None, lang: str, evidence: Evidence) -> None:
        if text:
            self.seen.append((text.strip(), lang, evidence))

    def __bool__(self) -> bool:
        return bool(self.seen)

    def texts(self) -> list[str]:
        return [t for t, _, _ in self.seen]

    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(dict.fromkeys(e for _, _, e in self.seen))

    def languages(self) -> list[str]:
        return list(dict.fromkeys(lang for _, lang, _ in self.seen))

    def literals(self, accents_as_alternate: bool = False) -> tuple[list[tuple[Lit, tuple]], list[tuple[Lit, tuple]]]:
        """(names, alternate names) as literals, each with its evidence."""
        groups: dict[str, list] = {}
        for text, lang, ev in self.seen:
            groups.setdefault(key(text), []).append((text, lang, ev))
        if len(groups) == 1:
            [group] = groups.values()
            by_accent: dict[str, list] = {}
            for item in group:
                by_accent.setdefault(accent_key(item[0]), []).append(item)
            if len(by_accent) == 1 or not accents_as_alternate and len({lang for _, lang, _ in group}) == 1:
                return [(Lit(preferred_spelling([t for t, _, _ in group])), _ev(group))], []
            if accents_as_alternate:
                first, *others = by_accent.values()
                return ([(Lit(preferred_spelling([t for t, _, _ in first])), _ev(first))],
                        [(Lit(preferred_spelling([t for t, _, _ in o])), _ev(o)) for o in others])
            return self._per_language(group)
        return self._per_language([item for g in groups.values() for item in g])

    @staticmethod
    def _per_language(items: list) -> tuple[list, list]:
        by_lang: dict[str, list] = {}
        for item in items:
            by_lang.setdefault(item[1], []).append(item)
        names = []
        for lang, group in by_lang.items():
            names.append((Lit(preferred_spelling([t for t, _, _ in group]), lang), _ev(group)))
        return names, []


def _ev(items: list) -> tuple:
    return tuple(dict.fromkeys(e for _, _, e in items))


def titles(said: list[tuple[str, str, Evidence]], bilingual: bool) -> list[tuple[Lit, tuple]]:
    """Job titles exactly as written: the same words in both versions are one title in English (the
    English version is English text: the French one quotes it); different words, one per language."""
    groups: dict[str, list] = {}
    for text, lang, ev in said:
        groups.setdefault(accent_key(text), []).append((text, lang, ev))
    if len(groups) == 1:
        [group] = groups.values()
        langs = {lang for _, lang, _ in group}
        lang = "en" if bilingual and "en" in langs and len(langs) > 1 else group[0][1]
        return [(Lit(preferred_spelling([t for t, _, _ in group]), lang), _ev(group))]
    by_lang: dict[str, list] = {}
    for item in (i for g in groups.values() for i in g):
        by_lang.setdefault(item[1], []).append(item)
    return [(Lit(preferred_spelling([t for t, _, _ in g]), lang), _ev(g)) for lang, g in by_lang.items()]


def sentence(text: str) -> str:
    """An appositive as a description: capital first letter, final full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else text
