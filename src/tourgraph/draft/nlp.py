"""The language tools: spaCy (the French model for sentences, names and parts of speech; a blank English
pipeline with spaCy's sentencizer and stop words for English), loaded once per process."""

from __future__ import annotations

import functools
import importlib.util

from ..errors import InputError

FRENCH_MODELS = ("fr_core_news_md", "fr_core_news_sm")
MISSING = (
    "tourgraph draft needs its language tools (spaCy and its French model, dateparser, rapidfuzz): "
    "install them with pip install 'tourgraph[draft]'."
)
MISSING_FR = (
    "tourgraph draft a besoin de ses outils de langue (spaCy et son modèle français, dateparser, rapidfuzz) : "
    "installez-les avec pip install 'tourgraph[draft]'."
)


def require_tools() -> None:
    """An InputError (exit 2) saying what to install when the draft extra is missing."""
    missing = [name for name in ("spacy", "dateparser", "rapidfuzz") if importlib.util.find_spec(name) is None]
    if not missing and not any(importlib.util.find_spec(m) for m in FRENCH_MODELS):
        missing = ["fr_core_news_sm"]
    if missing:
        raise InputError(f"{MISSING} (missing: {', '.join(missing)})", fr=f"{MISSING_FR} (manquant : {', '.join(missing)})")


@functools.cache
def pipeline(lang: str):
    import spacy

    if lang == "fr":
        for name in FRENCH_MODELS:
            if importlib.util.find_spec(name) is not None:
                return spacy.load(name)
        raise InputError(MISSING, fr=MISSING_FR)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@functools.cache
def stop_words(lang: str) -> frozenset[str]:
    if lang == "fr":
        from spacy.lang.fr.stop_words import STOP_WORDS
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def language_scores(text: str) -> dict[str, int]:
    """How many of the words are French and English stop words (the words a language cannot do without)."""
    nlp = pipeline("en")
    words = [t.lower_ for t in nlp.make_doc(text) if t.is_alpha]
    return {lang: sum(1 for w in words if w in stop_words(lang)) for lang in ("fr", "en")}


def language_of(text: str) -> str | None:
    scores = language_scores(text)
    if max(scores.values()) < 2 or scores["fr"] == scores["en"]:
        return None
    return "fr" if scores["fr"] > scores["en"] else "en"


@functools.cache
def splitter(lang: str):
    """spaCy's rule-based sentencizer: the French model's parser cuts long sentences of lists in two."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str, lang: str) -> list[str]:
    doc = splitter(lang)(text)
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def person_like(text: str) -> bool:
    """Whether spaCy's French model reads ``text`` as the name of a person (PER), on its own."""
    doc = pipeline("fr")(text)
    return any(ent.label_ == "PER" and ent.text.strip() == text.strip() for ent in doc.ents)


def leading_function_words(text: str, lang: str) -> int:
    """How many characters of ``text`` are leading articles, prepositions and conjunctions ("de l’", "the",
    "et prochainement"), read from the parts of speech (French) or the stop words (English)."""
    if lang == "fr":
        doc = pipeline("fr")(text)
        skip = {"DET", "ADP", "CCONJ", "ADV"}
    else:
        doc = pipeline("en").make_doc(text)
        skip = None
    end = 0
    for token in doc:
        if skip is not None:
            function = token.pos_ in skip and not token.text[:1].isupper() or token.lower_ in ("l’", "l'", "d’", "d'")
        else:
            function = token.lower_ in stop_words("en") or token.lower_ in ("soon", "also")
            function = function and not token.text[:1].isupper() or token.lower_ == "the"
        if not function:
            break
        end = token.idx + len(token.text)
        if token.whitespace_:
            end += len(token.whitespace_)
    return end
