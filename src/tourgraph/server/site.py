"""The built site: the files of dist/ served by Starlette's StaticFiles (with the media types of
tourgraph's outputs), and entity IRIs (/person/ernesto-alcalde) negotiated to their HTML page, Turtle
or JSON-LD by Accept and Accept-Language."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles

from .negotiation import ENTITY_OFFERS, FILE_TYPES, error, negotiate, offered, pick_language

VARY = {"Vary": "Accept, Accept-Language"}


class DistFiles(StaticFiles):
    """StaticFiles (path checks, index.html, conditional requests) with the media types of dist/."""

    def file_response(self, full_path, stat_result, scope, status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        media = FILE_TYPES.get(Path(full_path).suffix)
        if media is not None and response.status_code != 304:
            response.headers["content-type"] = media
        return response

    def find(self, relative: str) -> str | None:
        """The full path of a regular file of dist/, by the same checks as any request."""
        full_path, found = self.lookup_path(relative)
        return full_path if found is not None and stat.S_ISREG(found.st_mode) else None


class Site:
    """An ASGI app for everything under / that no other route takes."""

    def __init__(self, dist: Path, languages: tuple[str, ...]):
        self.files = DistFiles(directory=dist, html=True)
        self.languages = languages

    async def __call__(self, scope, receive, send) -> None:
        # Mounted at the root, so the request's path is the path under dist/.
        parts = scope["path"].strip("/").split("/")
        entity = len(parts) == 2 and "." not in parts[1]
        response = None
        if scope["method"] not in ("GET", "HEAD"):
            # 405 for what exists, 404 for the rest: a client posting to a wrong URL learns it is wrong.
            exists = entity or self._exists(scope)
            response = error(405, f"{scope['method']} is not allowed: the site is read-only.", {"Allow": "GET, HEAD"}) if exists else error(404, "not found.")
        elif entity:
            response = self._entity(scope, *parts)
        if response is None:
            return await self.files(scope, receive, send)
        await response(scope, receive, send)

    def _exists(self, scope) -> bool:
        try:
            return self.files.lookup_path(self.files.get_path(scope))[1] is not None
        except (OSError, ValueError):
            return False

    def _entity(self, scope, kind: str, slug: str) -> Response | None:
        """/{kind}/{slug}: the entity's page, Turtle or JSON-LD, whichever the client prefers; None if
        dist/ describes no such entity."""
        if any(part in ("", ".", "..") or os.sep in part for part in (kind, slug)):
            return None
        pages = {lang: found for lang in self.languages if (found := self.files.find(f"{lang}/{kind}/{slug}.html"))}
        files = {ext: found for ext in ("ttl", "jsonld") if (found := self.files.find(f"{kind}/{slug}.{ext}"))}
        if not pages and not files:
            return None
        offers = tuple(o for o in ENTITY_OFFERS if (o[1] == "html" and pages) or o[1] in files)
        headers = dict(scope["headers"])
        choice = negotiate(_header(headers, b"accept"), offers)
        if choice is None:
            return error(406, f"{kind}/{slug} is available as {offered(offers)}.", VARY)
        if choice == "html":
            lang = pick_language(_header(headers, b"accept-language"), self.languages)
            if lang not in pages:
                lang = next(iter(pages))
            location = {"Content-Language": lang, "Content-Location": f"/{lang}/{kind}/{slug}.html"}
            return FileResponse(pages[lang], media_type=FILE_TYPES[".html"], headers={**VARY, **location})
        suffix = "." + choice
        return FileResponse(files[choice], media_type=FILE_TYPES[suffix], headers={**VARY, "Content-Location": f"/{kind}/{slug}{suffix}"})


def _header(headers: dict, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None
