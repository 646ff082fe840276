"""The built site: the files of dist/ served by Starlette's StaticFiles (with the media types of
tourgraph's outputs), and entity IRIs (/person/ernesto-alcalde) negotiated to their HTML page, Turtle
or JSON-LD by Accept and Accept-Language. A build that left the entity pages to the server (``[site]
static = false``) has them rendered on demand (``tourgraph.site.ondemand``). ``/`` sends a browser that
names a project language to that language's home page; an unknown path is the site's 404 page for a
browser, a one-line reason for other clients."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..site import served
from ..site.ondemand import OnDemand
from .negotiation import ENTITY_OFFERS, FILE_TYPES, error, negotiate, offered, pick_language

VARY = {"Vary": "Accept, Accept-Language"}
# A missing page: a one-line reason, or the site's 404 page for a client that prefers HTML (a browser).
NOT_FOUND_OFFERS = (("text/plain", "text"), ("text/html", "html"))


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
        self.dist = Path(dist)
        self.files = DistFiles(directory=dist, html=True)
        self.languages = languages
        self._ondemand: OnDemand | None = None
        self._service = None

    def _bind(self, scope) -> None:
        """The app's service (project, sources) and the on-demand renderer, looked up once."""
        if self._service is None:
            self._service = getattr(scope["app"].state, "service", None) if "app" in scope else None
            if self._service is not None:
                self._ondemand = OnDemand.for_build(self.dist, self._service.project, self._service.sources)

    async def __call__(self, scope, receive, send) -> None:
        # Mounted at the root, so the request's path is the path under dist/.
        self._bind(scope)
        parts = scope["path"].strip("/").split("/")
        entity = len(parts) == 2 and "." not in parts[1]
        response = None
        if scope["method"] not in ("GET", "HEAD"):
            # 405 for what exists, 404 for the rest: a client posting to a wrong URL learns it is wrong.
            exists = entity or self._exists(scope)
            response = error(405, f"{scope['method']} is not allowed: the site is read-only.", {"Allow": "GET, HEAD"}) if exists else error(404, "not found.")
        elif parts == [""]:
            response = self._root(scope)
        elif entity:
            response = await self._entity(scope, *parts) or self._not_found(scope)
        elif not self._exists(scope):
            response = await self._rendered(parts) or self._not_found(scope)
        if response is None:
            return await self.files(scope, receive, send)
        await response(scope, receive, send)

    def _root(self, scope) -> Response | None:
        """``/``: the home page of the language the browser asks for, else the language chooser."""
        header = _header(dict(scope["headers"]), b"accept-language")
        lang = parse_accept_header(header, LanguageAccept).best_match(self.languages) if header else None
        if lang is not None:
            return RedirectResponse(f"/{lang}/", status_code=302, headers={"Vary": "Accept-Language"})
        chooser = self.files.find("index.html")
        return FileResponse(chooser, media_type=FILE_TYPES[".html"], headers={"Vary": "Accept-Language"}) if chooser else None

    def _not_found(self, scope) -> Response:
        headers = dict(scope["headers"])
        if self._service is None or negotiate(_header(headers, b"accept"), NOT_FOUND_OFFERS) != "html":
            return error(404, "not found.", VARY)
        lang = pick_language(_header(headers, b"accept-language"), self.languages)
        page = served.render("not_found.html", self._service.project, lang)
        return HTMLResponse(page, status_code=404, headers={**VARY, "Content-Language": lang})

    async def _rendered(self, parts: list[str]) -> Response | None:
        """A file of an entity that the build left to the server, rendered (or taken from its cache)."""
        if self._ondemand is None or any(part in ("", ".", "..") or os.sep in part for part in parts):
            return None
        found = await run_in_threadpool(self._ondemand.render, "/".join(parts))
        if found is None:
            return None
        content, suffix = found
        return Response(content, media_type=FILE_TYPES[suffix])

    def _exists(self, scope) -> bool:
        try:
            return self.files.lookup_path(self.files.get_path(scope))[1] is not None
        except (OSError, ValueError):
            return False

    async def _entity(self, scope, kind: str, slug: str) -> Response | None:
        """/{kind}/{slug}: the entity's page, Turtle or JSON-LD, whichever the client prefers; None if
        dist/ describes no such entity."""
        if any(part in ("", ".", "..") or os.sep in part for part in (kind, slug)):
            return None
        pages = {lang: found for lang in self.languages if (found := self.files.find(f"{lang}/{kind}/{slug}.html"))}
        files = {ext: found for ext in ("ttl", "jsonld") if (found := self.files.find(f"{kind}/{slug}.{ext}"))}
        if not pages and not files:
            return await self._entity_on_demand(scope, kind, slug)
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


    async def _entity_on_demand(self, scope, kind: str, slug: str) -> Response | None:
        """The same negotiation over the files the server renders: the description first (no
        description, no entity), the page where the entity has one."""
        if self._ondemand is None:
            return None
        render = self._ondemand.render
        turtle = await run_in_threadpool(render, f"{kind}/{slug}.ttl")
        if turtle is None:
            return None
        headers = dict(scope["headers"])
        accept = _header(headers, b"accept")
        choice = negotiate(accept, ENTITY_OFFERS)
        lang = pick_language(_header(headers, b"accept-language"), self.languages)
        page = await run_in_threadpool(render, f"{lang}/{kind}/{slug}.html") if choice == "html" else None
        if choice == "html" and page is None:
            choice = negotiate(accept, tuple(o for o in ENTITY_OFFERS if o[1] != "html"))
        if choice is None:
            offers = ENTITY_OFFERS if await run_in_threadpool(render, f"{lang}/{kind}/{slug}.html") else ENTITY_OFFERS[1:]
            return error(406, f"{kind}/{slug} is available as {offered(offers)}.", VARY)
        if choice == "html":
            location = {"Content-Language": lang, "Content-Location": f"/{lang}/{kind}/{slug}.html"}
            return Response(page[0], media_type=FILE_TYPES[".html"], headers={**VARY, **location})
        content = turtle[0] if choice == "ttl" else (await run_in_threadpool(render, f"{kind}/{slug}.jsonld"))[0]
        suffix = "." + choice
        return Response(content, media_type=FILE_TYPES[suffix], headers={**VARY, "Content-Location": f"/{kind}/{slug}{suffix}"})


def _header(headers: dict, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value is not None else None
