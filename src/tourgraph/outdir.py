"""Where a build may write: a folder that does not exist, an empty one, or a previous tourgraph build.

A build replaces its output folder whole (see ``build.write_outputs``), so the folder must hold
nothing but what tourgraph wrote there: every build leaves a marker file, and a folder without it is
somebody's work. The project folder, the folders of its sources and anything around them are never an
output folder, whatever they hold.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

from .errors import InputError
from .project import Project

MARKER = ".tourgraph-build"
MARKER_FORMAT = 1
SOURCE_FOLDERS = ("data", "ontology", "shapes", "queries")

log = logging.getLogger("tourgraph.build")


def marker_text() -> str:
    """The marker's content: the tool and the layout of its output, the same on every build."""
    return json.dumps({"tool": "tourgraph", "format": MARKER_FORMAT}) + "\n"


def is_previous_build(folder: Path) -> bool:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("tool") == "tourgraph"


def _shown(path: Path, project: Project) -> str:
    try:
        return path.relative_to(project.root).as_posix() or "."
    except ValueError:
        return str(path)


def check_output_folder(project: Project, out: Path, option: str = "--out") -> Path:
    """``out`` resolved, when a build may replace it; otherwise an InputError that says why and what to do."""
    out = Path(out).expanduser().resolve()
    shown = _shown(out, project)
    sources = {name: (project.root / name).resolve() for name in SOURCE_FOLDERS}
    if out == project.root:
        raise InputError(
            f"{option} {shown} is the project folder: a build replaces its output folder whole. "
            f"Choose a folder of its own, such as {option} dist.",
            fr=f"{option} {shown} est le dossier du projet : une construction remplace tout son dossier de sortie. "
            f"Choisissez un dossier à part, par exemple {option} dist.",
        )
    if project.root.is_relative_to(out):
        raise InputError(
            f"{option} {shown} contains the project folder: a build replaces its output folder whole. "
            f"Choose a folder of its own, such as {option} dist.",
            fr=f"{option} {shown} contient le dossier du projet : une construction remplace tout son dossier de sortie. "
            f"Choisissez un dossier à part, par exemple {option} dist.",
        )
    for name, folder in sources.items():
        if out.is_relative_to(folder) or folder.is_relative_to(out):
            raise InputError(
                f"{option} {shown} would replace the project's sources ({name}/): "
                f"choose a folder outside {name}/, such as {option} dist.",
                fr=f"{option} {shown} remplacerait les sources du projet ({name}/) : "
                f"choisissez un dossier hors de {name}/, par exemple {option} dist.",
            )
    if not out.exists():
        return out
    if not out.is_dir():
        raise InputError(
            f"{option} {shown} is a file, not a folder: choose a folder.",
            fr=f"{option} {shown} est un fichier, pas un dossier : choisissez un dossier.",
        )
    if is_previous_build(out):
        return out
    entries = sorted(p.name for p in out.iterdir())
    if entries:
        listed = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
        raise InputError(
            f"{option} {shown} holds files tourgraph did not write ({listed}) and a build would replace them. "
            f"Choose an empty or new folder, or move those files away (an older tourgraph build without "
            f"its {MARKER} file must be deleted by hand once).",
            fr=f"{option} {shown} contient des fichiers que tourgraph n'a pas écrits ({listed}) et une construction "
            f"les remplacerait. Choisissez un dossier vide ou nouveau, ou déplacez ces fichiers (une ancienne "
            f"construction sans son fichier {MARKER} est à supprimer à la main une fois).",
        )
    return out


def _host() -> str:
    # Short and safe in a file name; a folder on a shared disk may be another machine's build.
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def staging_folder(out: Path) -> Path:
    """A new folder beside ``out`` for a build to write into, named after the process that builds
    (``.{out}.building-{pid}-{host}-…``), once the folders that stopped builds left there are removed."""
    remove_leftovers(out)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.building-{os.getpid()}-{_host()}-", dir=out.parent))


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # Windows' os.kill ends the process whatever the signal: such leftovers stay
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(out: Path) -> list[Path]:
    """Remove what builds into ``out`` left beside it when they were stopped (killed, or the machine
    went down): a staging folder whose process no longer runs on this machine, and a previous build
    set aside for removal once ``out`` is in place (the folder holds nothing but ``out``'s name).
    Anything else is left alone. Returns what was removed."""
    removed, host = [], _host()
    building = re.compile(rf"\.{re.escape(out.name)}\.building-(\d+)-([0-9a-f]{{8}})-[^/]+")
    retired = re.compile(rf"\.{re.escape(out.name)}\.previous-[^/]+")
    try:
        siblings = sorted(out.parent.iterdir())
    except OSError:
        return removed
    for path in siblings:
        match = building.fullmatch(path.name)
        stopped = match is not None and match.group(2) == host and not _running(int(match.group(1)))
        # Set aside, and out in its place: a build stopped between the two renames leaves out missing
        # and the previous build here, its only copy.
        set_aside = retired.fullmatch(path.name) is not None and out.is_dir()
        if not (stopped or set_aside) or path.is_symlink() or not path.is_dir():
            continue
        if set_aside and not {p.name for p in path.iterdir()} <= {out.name}:
            continue
        shutil.rmtree(path, ignore_errors=True)
        if path.exists():
            log.warning("could not remove %s, which a build into %s left when it was stopped: remove it by hand.", path, out)
            continue
        log.warning("removed %s: a build into %s was stopped before it finished and left it there.", path, out)
        removed.append(path)
    return removed


def replace_folder(staging: Path, out: Path) -> None:
    """Put the finished folder ``staging`` where ``out`` is (or is not yet), each step one rename, so
    that ``out`` is never seen half-written; the previous ``out`` is then removed."""
    if out.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
        os.replace(out, retired / out.name)
        os.replace(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, out)
