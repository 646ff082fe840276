"""Typed errors that carry the command line's exit codes (see DESIGN.md)."""

from __future__ import annotations


class TourgraphError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def format(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"

    def __str__(self) -> str:
        return self.format()


class InputError(TourgraphError):
    """Unreadable input: malformed RDF, bad configuration, missing folder, bad parameter."""

    exit_code = 2


class ValidationFailed(TourgraphError):
    """The graph does not conform to the shapes; carries the validation report."""

    exit_code = 1

    def __init__(self, report):
        super().__init__(f"{report.violation_count} SHACL violation(s); nothing was written.")
        self.report = report


class RemoteError(TourgraphError):
    """A remote SPARQL endpoint or graph store could not be reached or refused the request."""

    exit_code = 3
