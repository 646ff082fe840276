"""`tourgraph new project DIR` and `tourgraph new tour SLUG`: a valid project, a tour folder to fill in.

Nothing is ever overwritten: a project goes only into a folder that does not exist or is empty, a tour
only into a folder that does not exist; the files are written into a staging folder beside the target
and moved into place by one rename, so a failure leaves nothing half written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class Written:
    """What a `new` command wrote, and what to fill next (FR/EN)."""

    folder: Path
    files: tuple[str, ...]
    next_steps: dict

    def summary(self, lang: str = "en") -> str:
        head = {"en": f"Wrote {self.folder} ({len(self.files)} files).", "fr": f"Écrit {self.folder} ({len(self.files)} fichiers)."}[lang]
        steps = self.next_steps[lang]
        title = {"en": "Next:", "fr": "Ensuite :"}[lang]
        return "\n".join([head, title, *(f"  {n}. {step}" for n, step in enumerate(steps, start=1))])


def template_root() -> Path:
    return Path(str(resources.files(__package__) / "project"))


@contextmanager
def staged(target: Path):
    """A hidden staging folder beside ``target``, renamed to ``target`` when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        if target.exists():
            target.rmdir()  # empty, as checked before: rename cannot replace a folder with files
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def listing(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()))


def refuse_existing(target: Path, shown: str, kind: str) -> None:
    """Exit 2 for a target that holds anything: `new` writes only into new (or, for a project, empty) folders."""
    if not target.exists():
        return
    if not target.is_dir():
        raise InputError(f"{shown} is a file: choose a new folder for the {kind}; nothing was written.",
                         fr=f"{shown} est un fichier : choisissez un nouveau dossier ; rien n'a été écrit.")
    if kind == "project" and not any(target.iterdir()):
        return
    raise InputError(
        f"{shown} already exists{' and is not empty' if kind == 'project' else ''}: tourgraph new never overwrites; "
        f"choose a new folder{' (or another SLUG)' if kind == 'tour' else ''}; nothing was written.",
        fr=f"{shown} existe déjà{' et n’est pas vide' if kind == 'project' else ''} : tourgraph new n'écrase jamais rien ; "
        f"choisissez un nouveau dossier{' (ou un autre SLUG)' if kind == 'tour' else ''} ; rien n'a été écrit.",
    )
