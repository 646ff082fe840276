"""Typed errors that carry the command line's exit codes (see DESIGN.md), in English and French."""

from __future__ import annotations

LANGUAGES = ("en", "fr")


class TourgraphError(Exception):
    """Base class: a problem the user can fix, reported without a traceback.

    ``message`` is English; ``fr`` is the same in French. A language without its own text falls back to
    English, so a message written in one language only is still shown, never lost.
    """

    exit_code = 2
    kind = "error"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, fr: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.messages = {"en": message} if fr is None else {"en": message, "fr": fr}

    def text(self, lang: str = "en") -> str:
        """The message alone, in ``lang`` when there is one, else in English."""
        return self.messages.get(lang, self.message)

    def where(self) -> str:
        if not self.path:
            return ""
        return f"{self.path}:{self.line}: " if self.line else f"{self.path}: "

    def format(self, lang: str = "en") -> str:
        """``path:line: message``, the form editors and terminals turn into a link to the line."""
        return f"{self.where()}{self.text(lang)}"

    def to_dict(self, lang: str = "en") -> dict:
        """What ``--format json`` prints: a machine reads ``error`` and ``exit_code``, a person ``message``."""
        return {
            "error": self.kind,
            "message": self.text(lang),
            "file": self.path,
            "line": self.line,
            "exit_code": self.exit_code,
        }

    def __str__(self) -> str:
        return self.format()


class InputError(TourgraphError):
    """Unreadable input: malformed RDF, bad configuration, missing folder, bad parameter."""

    exit_code = 2
    kind = "input"


class ValidationFailed(TourgraphError):
    """The graph does not conform to the shapes; carries the validation report."""

    exit_code = 1
    kind = "validation"

    def __init__(self, report):
        count = report.violation_count
        super().__init__(
            f"{count} SHACL violation(s); nothing was written.",
            fr=f"{count} violation(s) SHACL ; rien n'a été écrit.",
        )
        self.report = report


class RemoteError(TourgraphError):
    """A remote SPARQL endpoint or graph store could not be reached or refused the request."""

    exit_code = 3
    kind = "remote"
