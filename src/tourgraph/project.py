"""Find a project's folders (ontology/, data/, shapes/, queries/) and read tourgraph.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

RDF_EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "n-triples",
    ".jsonld": "json-ld",
    ".trig": "trig",
    ".nq": "n-quads",
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

    def rdf_files(self, folder: str) -> list[Path]:
        """Every RDF file under a folder, by extension, in a stable order."""
        top = self.folder(folder)
        if not top.is_dir():
            return []
        return sorted(
            p for p in top.rglob("*") if p.is_file() and p.suffix in RDF_EXTENSIONS and not p.name.startswith(".")
        )

    def relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def iri(self, relative: str) -> str:
        """An IRI relative to the project base, made absolute."""
        if "://" in relative:
            return relative
        return self.base + relative.lstrip("/")


def open_project(root: str | Path = ".") -> Project:
    """Read tourgraph.toml in ``root``; raise InputError when it is missing or wrong."""
    root = Path(root).resolve()
    config_path = root / "tourgraph.toml"
    if not root.is_dir():
        raise InputError(f"project folder {root} does not exist.")
    if not config_path.is_file():
        raise InputError("no tourgraph.toml here: is this a tourgraph project folder?", path=str(config_path))
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position only in the message: "... (at line 21, column 8)".
        match = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        message = str(exc)[: match.start()].strip() if match else str(exc)
        line = int(match.group(1)) if match else None
        raise InputError(f"invalid TOML: {message}.", path=str(config_path), line=line) from None
    base = config.get("project", {}).get("base")
    if not isinstance(base, str) or "://" not in base:
        raise InputError("[project] base must be an absolute IRI such as \"https://example.org/\".", path=str(config_path))
    if not base.endswith("/"):
        base += "/"
    if not (root / "data").is_dir():
        raise InputError("the project has no data/ folder.", path=str(root))
    return Project(root=root, base=base, config=config)
