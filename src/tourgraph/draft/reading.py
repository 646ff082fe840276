"""A press release as numbered lines of text, whatever it was written in: plain text and Markdown are
read as they are; HTML is turned into text by the standard library's parser (block elements become
lines, <strong> becomes **…**, list items "- …"); PDF by pypdf's text extraction.

Line numbers are those of the text read (for HTML and PDF, of the extracted text), so that every
fact of the draft can cite the line it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError
from .text import tidy

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_RULE = re.compile(r"^\s*([-*_=]\s*){3,}$")


@dataclass(frozen=True)
class Line:
    number: int
    raw: str      # as written, Markdown marks kept (the list patterns read **bold** names)
    text: str     # without Markdown: what the draft quotes and reads

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Release:
    path: Path
    lines: tuple[Line, ...]

    @property
    def name(self) -> str:
        return self.path.name


def read_release(path: Path) -> Release:
    """The release's lines; an unreadable file is an InputError naming it and what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError(f"{path}: no such file: give the path of a press release (.txt, .md, .html or .pdf).",
                         fr=f"{path} : fichier introuvable : donnez le chemin d'un communiqué (.txt, .md, .html ou .pdf).")
    if suffix == ".pdf":
        text = _pdf_text(path)
    else:
        text = _decoded(path)
        if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and re.search(r"<(html|body|p|div)\b", text[:2000], re.I)):
            text = html_text(text)
    lines = tuple(_line(n, raw) for n, raw in enumerate(text.splitlines(), start=1))
    if not any(not line.blank for line in lines):
        raise InputError(f"{path}: the file holds no text to draft from.", fr=f"{path} : le fichier ne contient aucun texte.")
    return Release(path=path, lines=lines)


def _line(number: int, raw: str) -> Line:
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ").rstrip()
    plain = _LINK.sub(r"\1", raw)
    if _RULE.match(plain):
        return Line(number, raw, "")
    plain = _HEADING.sub("", plain)
    return Line(number, _HEADING.sub("", _LINK.sub(r"\1", raw)), tidy(plain))


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not UTF-8 text: save the release as UTF-8 (Save As… → Encoding: UTF-8).", path=str(path), line=line,
                         fr="ce n'est pas du texte UTF-8 : enregistrez le communiqué en UTF-8 (Enregistrer sous… → Encodage : UTF-8).") from None


def _pdf_text(path: Path) -> str:
    try:
        import pypdf
    except ImportError:  # pragma: no cover - pypdf comes with the draft extra
        raise InputError("reading a PDF needs pypdf: pip install 'tourgraph[draft]'.",
                         fr="lire un PDF demande pypdf : pip install 'tourgraph[draft]'.") from None
    try:
        reader = pypdf.PdfReader(str(path))
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # pypdf raises many kinds of errors for a damaged file
        raise InputError(f"cannot read this PDF ({exc}): export the release as text or HTML.", path=str(path),
                         fr=f"PDF illisible ({exc}) : exportez le communiqué en texte ou en HTML.") from None


_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article", "header",
           "footer", "blockquote", "ul", "ol", "table", "hr", "dt", "dd", "figcaption", "address"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title", "noscript"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag not in ("li", "br", "tr", "dd", "dt") else "\n")
            if tag == "li":
                self.parts.append("- ")
        elif tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in ("td", "th"):
            self.parts.append(" – ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title", "noscript"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"^\s*(- )?\s*(–\s*)?", r"\1", line).strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
