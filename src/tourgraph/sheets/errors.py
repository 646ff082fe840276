"""Errors of spreadsheet sources, naming the file, the sheet, the row and the column a person must fix."""

from __future__ import annotations

from ..errors import InputError


class CellError(InputError):
    """A cell (or a header, or a row) of a spreadsheet source that cannot be read: exit 2.

    Shown as ``people.xlsx, sheet People, row 7, column job_title_en: …`` (rows counted as the
    spreadsheet shows them, the header being row 1), in English or French.
    """

    def __init__(self, message: str, *, path: str, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, fr: str | None = None):
        super().__init__(message, path=path, line=row, fr=fr)
        self.sheet = sheet
        self.row = row
        self.column = column

    def where_in(self, lang: str = "en") -> str:
        words = {"en": ("sheet", "row", "column"), "fr": ("feuille", "ligne", "colonne")}.get(lang, ("sheet", "row", "column"))
        parts = [self.path or ""]
        for word, value in zip(words, (self.sheet, self.row, self.column)):
            if value is not None:
                parts.append(f"{word} {value}")
        return ", ".join(parts)

    def where(self) -> str:
        return self.where_in("en") + ": "

    def format(self, lang: str = "en") -> str:
        colon = " : " if lang == "fr" else ": "
        return f"{self.where_in(lang)}{colon}{self.text(lang)}"

    def to_dict(self, lang: str = "en") -> dict:
        return {**super().to_dict(lang), "sheet": self.sheet, "row": self.row, "column": self.column}

