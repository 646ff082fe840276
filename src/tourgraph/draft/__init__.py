"""``tourgraph draft``: a reviewable draft of a tour folder from its press release.

release file -> numbered lines (reading) -> language versions (versions) -> what each version states,
with its evidence (reader: lists, prose, dates) -> one set of entities, French and English merged
(builder, events) -> linked to what the project already holds (link, linking) -> Turtle files citing
their lines (turtle), written whole into a folder of their own (output).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from ..project import open_project
from .nlp import require_tools

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftResult:
    out: Path
    files: tuple[str, ...]
    counts: dict
    linked: int
    reviews: int
    languages: tuple[str, ...]
    seconds: float

    def summary(self, lang: str = "en") -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in self.counts.items() if n)
        if lang == "fr":
            return (f"Brouillon écrit dans {self.out} ({', '.join(self.files)}) : {kinds} ; {self.linked} entité(s) déjà "
                    f"dans le projet reliée(s) ; {self.reviews} fait(s) à relire (tourgraph validate les signale) ; "
                    f"langues {'/'.join(self.languages)} ; {self.seconds:.1f} s.")
        return (f"Draft written to {self.out} ({', '.join(self.files)}): {kinds}; {self.linked} entit(y/ies) already in the "
                f"project linked; {self.reviews} fact(s) to review (tourgraph validate lists them); languages "
                f"{'/'.join(self.languages)}; {self.seconds:.1f} s.")


def draft_release(release_path: Path, project_dir: Path = Path("."), tour: str | None = None, out: Path | None = None) -> DraftResult:
    """Read a press release and write a draft tour folder into the project (or ``out``)."""
    started = time.perf_counter()
    require_tools()
    from .build import build_draft

    project = open_project(project_dir)
    built = build_draft(project, Path(release_path), tour, out)
    seconds = time.perf_counter() - started
    log.info("drafted %s in %.2f s", release_path, seconds)
    return DraftResult(**built, seconds=seconds)
