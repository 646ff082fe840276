"""Which files of a project folder are sources: clutter left by systems and editors, patterns the
project ignores on purpose, and what to say about a file tourgraph does not read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

READ = ".ttl, .nt, .jsonld, .trig, .nq"
SPREADSHEETS = {".csv", ".tsv", ".xlsx", ".xls", ".xlsm", ".ods"}
# Files a system or an editor leaves beside the user's own: never sources, never worth a warning.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "icon\r"}


@dataclass(frozen=True)
class UnreadFile:
    """A file under data/ that is not read, with what to do about it in each language."""

    path: Path
    relpath: str
    messages: dict

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang, self.messages["en"])

    def to_dict(self, lang: str = "en") -> dict:
        return {"file": self.relpath, "message": self.message(lang)}


def is_clutter(relative: PurePosixPath | Path) -> bool:
    """Hidden files and folders (.DS_Store, .git/, ._x, vim's .x.swp), Office lock files (~$x.xlsx),
    editor backups (x~, #x#) and Windows' Thumbs.db/desktop.ini, at any depth."""
    for part in relative.parts:
        if part.startswith((".", "~$")) or part.endswith("~") or (part.startswith("#") and part.endswith("#")):
            return True
    return relative.name.lower() in SYSTEM_FILES


def unread_reason(path: Path) -> dict:
    """Why a file is not read and what to do, in English and French."""
    suffix = path.suffix.lower()
    inner = PurePosixPath(path.stem).suffix.lower()
    if suffix == ".txt" and inner in {".ttl", ".nt", ".jsonld", ".trig", ".nq"}:
        return {
            "en": f"not read: it ends in .txt (an editor may have added it); rename it to {path.stem}.",
            "fr": f"non lu : son nom finit par .txt (ajouté peut-être par un éditeur) ; renommez-le en {path.stem}.",
        }
    if suffix in SPREADSHEETS:
        return {
            "en": "not read: spreadsheets are not read yet; write these facts in a .ttl file, or list the file "
            "under [data] ignore in tourgraph.toml.",
            "fr": "non lu : les tableurs ne sont pas encore lus ; écrivez ces faits dans un fichier .ttl, ou "
            "inscrivez le fichier dans [data] ignore de tourgraph.toml.",
        }
    if suffix == ".json":
        return {
            "en": "not read: plain JSON is not RDF; if it is JSON-LD, rename it to .jsonld.",
            "fr": "non lu : du JSON simple n'est pas du RDF ; si c'est du JSON-LD, renommez-le en .jsonld.",
        }
    if suffix in {".rdf", ".owl", ".xml"}:
        return {
            "en": "not read: RDF/XML is not read; convert it to Turtle (.ttl).",
            "fr": "non lu : le RDF/XML n'est pas lu ; convertissez-le en Turtle (.ttl).",
        }
    if suffix == ".n3":
        return {
            "en": "not read: N3 is not read; if it is plain Turtle, rename it to .ttl.",
            "fr": "non lu : le N3 n'est pas lu ; si c'est du Turtle simple, renommez-le en .ttl.",
        }
    return {
        "en": f"not read: tourgraph reads only {READ} files; move it out of data/ or list it under "
        "[data] ignore in tourgraph.toml.",
        "fr": f"non lu : tourgraph ne lit que les fichiers {READ} ; sortez-le de data/ ou inscrivez-le "
        "dans [data] ignore de tourgraph.toml.",
    }


def _segment(glob: str) -> str:
    """One path segment of a glob as a regular expression: * and ? stay within the segment."""
    out, i = [], 0
    while i < len(glob):
        char = glob[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in glob[i + 2:]:
            end = glob.index("]", i + 2)
            body = glob[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _regex(pattern: str) -> str:
    """A .gitignore-like pattern as a regular expression over paths relative to data/.

    A pattern without a slash matches a file or folder name at any depth (``*.md``, ``drafts``); one with
    a slash matches from data/ (``drafts/**``, ``tours/2027/*.csv``); ``**`` spans folders; a matched
    folder takes everything inside it.
    """
    anchored = "/" in pattern.rstrip("/")
    parts = [p for p in pattern.strip().strip("/").split("/") if p]
    body = ""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            body += ".*" if last else "(?:[^/]+/)*"
        else:
            body += _segment(part) + ("" if last else "/")
    head = "" if anchored else "(?:.*/)?"
    return f"{head}{body}(?:/.*)?"


def ignore_matcher(patterns: tuple[str, ...]):
    """A test ``relative path -> bool`` for the ``[data] ignore`` patterns of tourgraph.toml."""
    if not patterns:
        return lambda relative: False
    compiled = re.compile("|".join(f"(?:{_regex(p)})" for p in patterns))
    return lambda relative: compiled.fullmatch(relative) is not None
