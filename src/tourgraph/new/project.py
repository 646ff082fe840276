"""`tourgraph new project DIR`: tourgraph.toml with placeholders, the ontology, shapes and stored queries
tourgraph ships, the publishing commission to name, and an example tour of fictional entities."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..authoring.document import authoring_markdown
from . import Written, listing, refuse_existing, staged, template_root

NEXT = {
    "en": [
        "tourgraph.toml: set base to the commission's own address, and the title, description and publisher marked TO FILL.",
        "data/common/organizations.ttl: the commission's name (then remove its tg:toReview note).",
        "data/tours/example/ is a fictional example (every entity flagged tg:example true): read it, then delete it.",
        "tourgraph new tour SLUG --project DIR writes the folder of a real tour; docs/authoring.md lists every field of each kind of entity.",
        "tourgraph validate --project DIR (warnings for the placeholders and the example), then tourgraph build.",
    ],
    "fr": [
        "tourgraph.toml : base (l'adresse de la commission), puis le titre, la description et l'éditeur marqués À COMPLÉTER.",
        "data/common/organizations.ttl : le nom de la commission (puis retirez sa note tg:toReview).",
        "data/tours/example/ est un exemple fictif (chaque entité porte tg:example true) : lisez-le, puis supprimez-le.",
        "tourgraph new tour SLUG --project DOSSIER écrit le dossier d'une vraie tournée ; docs/authoring.md liste chaque champ de chaque sorte d'entité.",
        "tourgraph validate --project DOSSIER (des avertissements pour les champs à compléter et l'exemple), puis tourgraph build.",
    ],
}


def new_project(target: Path) -> Written:
    target = Path(target).expanduser().absolute()
    refuse_existing(target, str(target), "project")
    with staged(target) as staging:
        shutil.copytree(template_root(), staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        docs = staging / "docs"
        docs.mkdir()
        (docs / "authoring.md").write_text(authoring_markdown(staging), encoding="utf-8")
        files = listing(staging)
    return Written(folder=target, files=files, next_steps=NEXT)
