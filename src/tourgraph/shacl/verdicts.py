"""The analyses of SHACL-SPARQL texts (``sparql.analyse``) kept between runs, as Python keeps compiled
modules: rdflib's parser takes 25 to 40 ms a query, most of the validation of a small project.

They are kept in ``shacl/__pycache__/sparql-verdicts.json``, each under a digest of the text, its
prologue's size, the pre-bound variables and what the analysis depends on (the code of ``sparql``,
``sparql_guard`` and this module, the versions of rdflib and pyparsing): a changed text, or changed
code, is analysed again. Like Python, nothing is written where PYTHONDONTWRITEBYTECODE says not to or
where the folder cannot be written; a file that cannot be read as this module writes it is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import pyparsing
import rdflib

HERE = Path(__file__).parent
FOLDER = HERE / "__pycache__"
FILE = FOLDER / "sparql-verdicts.json"
FORMAT = 1
# A project has a few SHACL-SPARQL queries; the cap only bounds what test suites leave.
KEPT = 512

_memory: dict[str, dict] | None = None
_code: bytes | None = None


def _code_digest() -> bytes:
    global _code
    if _code is None:
        digest = hashlib.sha256(f"{rdflib.__version__}\0{pyparsing.__version__}\0".encode())
        for name in ("sparql.py", "verdicts.py", "../sparql_guard.py"):
            digest.update((HERE / name).read_bytes())
        _code = digest.digest()
    return _code


def key(text: str, prefixes: int, prebound: frozenset[str]) -> str:
    digest = hashlib.sha256(_code_digest())
    digest.update(json.dumps([text, prefixes, sorted(prebound)]).encode("utf-8"))
    return digest.hexdigest()


def _valid(found) -> bool:
    if not isinstance(found, dict) or len(found) != 1:
        return False
    [(kind, value)] = found.items()
    if kind == "variables":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return kind in ("failure", "unsupported") and isinstance(value, str)


def _kept() -> dict[str, dict]:
    global _memory
    if _memory is None:
        _memory = {}
        try:
            stored = json.loads(FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return _memory
        if isinstance(stored, dict) and stored.get("format") == FORMAT and isinstance(stored.get("verdicts"), dict):
            _memory.update((k, v) for k, v in stored["verdicts"].items() if _valid(v))
    return _memory


def _write(kept: dict[str, dict]) -> None:
    if sys.dont_write_bytecode:
        return
    text = json.dumps({"format": FORMAT, "verdicts": kept}, sort_keys=True)
    try:
        FOLDER.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=FOLDER, prefix=".sparql-verdicts-")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, FILE)  # a reader sees the old file or the new one, never half of one
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def analysis(analyse, text: str, prefixes: int, prebound: frozenset[str]) -> dict:
    """``analyse(text, prefixes, prebound)`` (``sparql.analyse``), from what earlier runs kept when they can tell."""
    kept = _kept()
    name = key(text, prefixes, prebound)
    found = kept.get(name)
    if found is None:
        found = kept[name] = analyse(text, prefixes, prebound)
        while len(kept) > KEPT:
            del kept[next(iter(kept))]
        _write(kept)
    return found
