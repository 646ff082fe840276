"""Where a draft may be written, and writing it whole or not at all.

A draft folder holds a marker (``.tourgraph-draft``) listing the files it wrote with their SHA-256.
Drafting again into it is allowed only while every file there is one of those, unchanged: a file
someone added or edited (a reviewed draft) is never overwritten. The files are written into a hidden
staging folder beside the target and swapped in by renames, so a failure leaves no half draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import InputError
from ..outdir import replace_folder
from ..project import Project

MARKER = ".tourgraph-draft"
SOURCE_FOLDERS = ("ontology", "shapes", "queries")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown(path: Path, project: Project) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def check_draft_folder(project: Project, out: Path) -> Path:
    """``out`` resolved, when a draft may be written there; otherwise an InputError saying why."""
    out = Path(out).expanduser().resolve()
    shown = _shown(out, project)
    data = (project.root / "data").resolve()
    if out == project.root or project.root.is_relative_to(out) or out == data or data.is_relative_to(out):
        raise InputError(f"--out {shown} would hold the project or its data/ folder: give the draft a folder of its own, "
                         "such as data/tours/SLUG.",
                         fr=f"--out {shown} contiendrait le projet ou son dossier data/ : donnez au brouillon un dossier à lui, "
                         "par exemple data/tours/SLUG.")
    for name in SOURCE_FOLDERS:
        folder = (project.root / name).resolve()
        if out.is_relative_to(folder):
            raise InputError(f"--out {shown} is inside {name}/: a draft tour belongs under data/tours/.",
                             fr=f"--out {shown} est dans {name}/ : un brouillon de tournée va sous data/tours/.")
    if not out.exists():
        return out
    if not out.is_dir():
        raise InputError(f"--out {shown} is a file, not a folder.", fr=f"--out {shown} est un fichier, pas un dossier.")
    entries = sorted(p for p in out.iterdir())
    if not entries:
        return out
    written = _marker(out)
    if written is None:
        listed = ", ".join(p.name for p in entries[:3]) + (", …" if len(entries) > 3 else "")
        raise InputError(
            f"--out {shown} already holds files that tourgraph draft did not write ({listed}): choose a new or empty "
            "folder (or --tour another-slug); nothing was written.",
            fr=f"--out {shown} contient déjà des fichiers que tourgraph draft n'a pas écrits ({listed}) : choisissez un "
            "dossier nouveau ou vide (ou --tour autre-nom) ; rien n'a été écrit.")
    changed = [p.name for p in entries if p.name != MARKER and (p.name not in written or not p.is_file()
                                                                  or _digest(p.read_bytes()) != written[p.name])]
    if changed:
        listed = ", ".join(changed[:3]) + (", …" if len(changed) > 3 else "")
        raise InputError(
            f"--out {shown} holds an earlier draft that has been edited or added to since ({listed}): tourgraph will not "
            "overwrite a reviewed draft. Draft into another folder and compare; nothing was written.",
            fr=f"--out {shown} contient un brouillon antérieur modifié ou complété depuis ({listed}) : tourgraph n'écrase "
            "pas un brouillon relu. Écrivez le nouveau brouillon ailleurs et comparez ; rien n'a été écrit.")
    return out


def _marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tool") != "tourgraph draft" or not isinstance(data.get("files"), dict):
        return None
    return data["files"]


def write_draft_folder(project: Project, out: Path, files: dict[str, str], release: str) -> None:
    out = check_draft_folder(project, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.drafting-", dir=out.parent))
    try:
        hashes = {}
        for name, text in sorted(files.items()):
            data = text.encode("utf-8")
            (staging / name).write_bytes(data)
            hashes[name] = _digest(data)
        marker = {"tool": "tourgraph draft", "release": release, "files": hashes}
        (staging / MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.chmod(staging, 0o755)
        check_draft_folder(project, out)
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
