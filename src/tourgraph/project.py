"""Find a project's folders (ontology/, data/, shapes/, queries/) and read tourgraph.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .sources import UnreadFile, ignore_matcher, is_clutter, unread_reason


class _Extensions(dict):
    """File extension -> RDF format, whatever the case of the extension (``tour.TTL`` is Turtle)."""

    def __getitem__(self, suffix: str) -> str:
        return super().__getitem__(suffix.lower())

    def __contains__(self, suffix) -> bool:
        return isinstance(suffix, str) and super().__contains__(suffix.lower())

    def get(self, suffix, default=None):
        return super().get(suffix.lower(), default) if isinstance(suffix, str) else default


# .turtle is no registered extension but says what it holds; .json, .n3, .rdf are reported instead of
# guessed at (plain JSON is not JSON-LD, N3 is more than Turtle, RDF/XML has no reader here).
RDF_EXTENSIONS = _Extensions({
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "n-triples",
    ".jsonld": "json-ld",
    ".trig": "trig",
    ".nq": "n-quads",
})


def rdf_format(path: Path) -> str | None:
    """The RDF format of a file by its extension (any case), or None."""
    return RDF_EXTENSIONS.get(path.suffix)


# Spreadsheets under data/ are sources too, mapped to RDF by the CSVW metadata beside them (sheets/).
SHEET_EXTENSIONS = frozenset({".csv", ".xlsx", ".ods"})
_SAVE_AS = {".xls": ".xlsx", ".xlsm": ".xlsx", ".tsv": ".csv", ".fods": ".ods"}


def is_sheet(path: Path) -> bool:
    return path.suffix.lower() in SHEET_EXTENSIONS


def _is_metadata(path: Path) -> bool:
    name = path.name.lower()
    return name == "csv-metadata.json" or name.endswith("-metadata.json")


def _sheet_unread_reason(path: Path, sheets: set[Path]) -> dict | None:
    """What to say about a spreadsheet-like file that is not read; None for metadata that a sheet uses."""
    suffix = path.suffix.lower()
    if suffix in _SAVE_AS:
        wanted = _SAVE_AS[suffix]
        return {
            "en": f"not read: {suffix} files are not read; save it as {wanted} (with its CSVW metadata beside it).",
            "fr": f"non lu : les fichiers {suffix} ne sont pas lus ; enregistrez-le en {wanted} (avec ses métadonnées CSVW à côté).",
        }
    if not _is_metadata(path):
        return None
    if path.name.lower() == "csv-metadata.json":
        if any(sheet.parent == path.parent for sheet in sheets):
            return {}
    elif path.with_name(path.name[: -len("-metadata.json")]) in sheets:
        return {}
    return {
        "en": "not read: CSVW metadata, but no spreadsheet here uses it (people.csv uses people.csv-metadata.json, or "
        "csv-metadata.json in its folder).",
        "fr": "non lu : des métadonnées CSVW, mais aucun tableur d'ici ne les emploie (people.csv emploie "
        "people.csv-metadata.json, ou csv-metadata.json dans son dossier).",
    }

DEFAULT_LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Project:
    root: Path
    base: str
    config: dict = field(repr=False)

    @property
    def title(self) -> dict:
        return self.config.get("project", {}).get("title", {"en": self.root.name})

    @property
    def description(self) -> dict:
        return self.config.get("project", {}).get("description", {})

    @property
    def languages(self) -> list[str]:
        return self.config.get("project", {}).get("languages", ["fr", "en"])

    @property
    def licence(self) -> dict:
        return {"iri": DEFAULT_LICENCE, **self.config.get("licence", {})}

    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def ignored(self) -> tuple[str, ...]:
        """``[data] ignore`` of tourgraph.toml: patterns of files under data/ left alone on purpose."""
        return tuple(self.config.get("data", {}).get("ignore", ()))

    def _candidates(self, folder: str) -> list[Path]:
        """Every file under a folder that is neither clutter (hidden, lock, backup) nor ignored on purpose."""
        top = self.folder(folder)
        if not top.is_dir():
            return []
        skip = ignore_matcher(self.ignored) if folder == "data" else (lambda relative: False)
        found = []
        for path in top.rglob("*"):
            relative = path.relative_to(top)
            if is_clutter(relative) or not path.is_file() or skip(relative.as_posix()):
                continue
            found.append(path)
        return sorted(found)

    def rdf_files(self, folder: str) -> list[Path]:
        """Every source file under a folder, in a stable order: RDF files by extension (any case), and
        under data/ the spreadsheets (.csv, .xlsx, .ods) too."""
        files = [p for p in self._candidates(folder) if p.suffix in RDF_EXTENSIONS or (folder == "data" and is_sheet(p))]
        if folder in ("data", "ontology"):
            _one_graph_per_name(self, files)
        return files

    def unread_files(self, folder: str = "data") -> list[UnreadFile]:
        """The files under a folder that tourgraph does not read, each with what to do about it."""
        candidates = self._candidates(folder)
        sheets = {p for p in candidates if is_sheet(p)} if folder == "data" else set()
        unread = []
        for path in candidates:
            if path.suffix in RDF_EXTENSIONS or path in sheets:
                continue
            reason = _sheet_unread_reason(path, sheets) if folder == "data" else None
            if reason == {}:
                continue
            unread.append(UnreadFile(path=path, relpath=self.relpath(path), messages=reason or unread_reason(path)))
        return unread

    def relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def iri(self, relative: str) -> str:
        """An IRI relative to the project base, made absolute."""
        if "://" in relative:
            return relative
        return self.base + relative.lstrip("/")


def _one_graph_per_name(project: Project, files: list[Path]) -> None:
    """Each file is the named graph of its path without extension: two files of one name would merge."""
    seen: dict[str, Path] = {}
    for path in files:
        key = path.with_suffix("").as_posix()
        if key in seen:
            first, second = project.relpath(seen[key]), project.relpath(path)
            raise InputError(
                f"{first} and {second} would be the same named graph (a file's graph is its path without "
                f"extension): rename one of them.",
                path=second,
                fr=f"{first} et {second} seraient le même graphe nommé (le graphe d'un fichier est son chemin "
                f"sans extension) : renommez l'un des deux.",
            )
        seen[key] = path


def _check_data_section(config: dict, config_path: Path) -> None:
    data = config.get("data", {})
    ignore = data.get("ignore", []) if isinstance(data, dict) else None
    if not isinstance(ignore, list) or not all(isinstance(item, str) and item.strip() for item in ignore):
        raise InputError(
            '[data] ignore must be a list of file patterns such as ["*.md", "drafts/**"].',
            path=str(config_path),
            fr='[data] ignore doit être une liste de motifs de fichiers comme ["*.md", "drafts/**"].',
        )


def open_project(root: str | Path = ".") -> Project:
    """Read tourgraph.toml in ``root``; raise InputError when it is missing or wrong."""
    root = Path(root).resolve()
    config_path = root / "tourgraph.toml"
    if not root.is_dir():
        raise InputError(
            f"project folder {root} does not exist.",
            fr=f"le dossier de projet {root} n'existe pas.",
        )
    if not config_path.is_file():
        raise InputError(
            "no tourgraph.toml here: is this a tourgraph project folder?",
            path=str(config_path),
            fr="pas de tourgraph.toml ici : est-ce bien un dossier de projet tourgraph ?",
        )
    try:
        # utf-8-sig: a byte-order mark, as some Windows editors write, is no mistake.
        config = tomllib.loads(config_path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(
            "not UTF-8 text: save the file as UTF-8.",
            path=str(config_path),
            fr="ce n'est pas du texte UTF-8 : enregistrez le fichier en UTF-8.",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position only in the message: "... (at line 21, column 8)".
        match = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[: match.start()].strip() if match else str(exc)
        line = int(match.group(1)) if match else None
        raise InputError(
            f"invalid TOML: {message}.",
            path=str(config_path),
            line=line,
            fr=f"TOML invalide : {message}.",
        ) from None
    base = config.get("project", {}).get("base")
    if not isinstance(base, str) or "://" not in base:
        raise InputError(
            '[project] base must be an absolute IRI such as "https://example.org/".',
            path=str(config_path),
            fr='[project] base doit être une IRI absolue comme "https://example.org/".',
        )
    if not base.endswith("/"):
        base += "/"
    _check_data_section(config, config_path)
    if not (root / "data").is_dir():
        raise InputError(
            "the project has no data/ folder.",
            path=str(root),
            fr="le projet n'a pas de dossier data/.",
        )
    return Project(root=root, base=base, config=config)
