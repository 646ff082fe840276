"""HTTP to triple stores: one way to open a client (credentials from the environment, no proxy
variables), and a store's refusal or silence said in one line with what to do about it.

Stores answer errors in their own forms: Oxigraph one line of text, Virtuoso an HTML page
(``<h3>Error 42000</h3><xmp>SQ110:SECURITY: Permission denied …</xmp>``) or a text block that repeats
the query. The reason kept is the store's own sentence: its error code and message when it has one
(Virtuoso's ``SQ110:``, ``SR186:``), else its first line that says more than the status."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx

from . import __version__
from .errors import RemoteError
from .httpauth import ChallengeAuth, Credentials, offered

USER_AGENT = f"tourgraph/{__version__}"
# Virtuoso's error codes: two capitals and three digits before a colon (SQ110:, SR186:, SP030:).
_CODED = re.compile(r"\b[A-Z]{2}\d{3}:.*")
_STATUS_ONLY = re.compile(r"^(?:HTTP/\d(?:\.\d)?\s+)?\d{3}\b[\w\s.-]*$|^Error\s+\w+$", re.IGNORECASE)
_TEXT_BLOCKS = {"xmp", "pre", "p", "h1", "h2", "h3", "li", "div", "title", "body"}


def client(credentials: Credentials, timeout: httpx.Timeout | float) -> httpx.Client:
    """A client for one store: its own credentials, and no proxy or .netrc taken from the environment
    (a publish goes where it is told)."""
    return httpx.Client(
        auth=ChallengeAuth(credentials), timeout=timeout, trust_env=False, headers={"User-Agent": USER_AGENT}
    )


class _Text(HTMLParser):
    """The text of an HTML error page, one entry per block, scripts and styles left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _TEXT_BLOCKS or tag == "br":
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _TEXT_BLOCKS:
            self.blocks.append("")

    def handle_data(self, data):
        if not self._skip:
            if not self.blocks:
                self.blocks.append("")
            self.blocks[-1] += data


def _lines(response: httpx.Response) -> list[str]:
    text = response.content[:65536].decode(response.encoding or "utf-8", errors="replace")
    if "html" in response.headers.get("content-type", "") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        parser = _Text()
        parser.feed(text)
        parser.close()
        text = "\n".join(parser.blocks)
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line == "SPARQL query:":
            break  # Virtuoso repeats the whole query after its message
        if line:
            lines.append(line)
    return lines


def reason(response: httpx.Response, limit: int = 300) -> str:
    """The store's own reason for an answer, on one line."""
    lines = _lines(response)
    coded = next((m.group(0) for line in lines if (m := _CODED.search(line))), None)
    chosen = coded or next((line for line in lines if not _STATUS_ONLY.match(line) and line != response.reason_phrase), None)
    chosen = chosen or response.reason_phrase or "no reason given"
    return chosen if len(chosen) <= limit else chosen[: limit - 1] + "…"


def is_virtuoso(response: httpx.Response | None) -> bool:
    return response is not None and response.headers.get("server", "").lower().startswith("virtuoso")


def hint(response: httpx.Response, credentials: Credentials, doing: str = "write") -> str:
    """What to do about a refusal whose cause is known: credentials, Digest, Virtuoso's grant."""
    status = response.status_code
    text = reason(response)
    if status == 401:
        schemes = offered(response)
        wanted = " or ".join(s.capitalize() for s in schemes) or "HTTP authentication"
        if not credentials.given:
            return f"the store asks for credentials ({wanted}): set {credentials.names()} in the environment"
        if credentials.scheme == "basic" and "digest" in schemes:
            return "the store takes HTTP Digest: set auth = \"digest\" (or \"auto\") for this store"
        if not schemes and credentials.scheme in ("basic", "auto") and is_virtuoso(response):
            return "Virtuoso's /sparql-graph-crud-auth and /sparql-auth take HTTP Digest only: leave auth at \"auto\" or set \"digest\""
        return f"check {credentials.names()}: the store did not accept them"
    denied = status == 403 or re.search(r"SECURITY|permission denied|no permission", text, re.IGNORECASE)
    if denied and doing == "write":
        if is_virtuoso(response):
            who = f'"{credentials.user}"' if credentials.user else "the user"
            return f"the user may not write graphs: as dba, run GRANT SPARQL_UPDATE TO {who}; in Virtuoso's isql"
        return "the user may not write graphs on this store"
    if status == 404:
        return "no such service at this URL (Oxigraph: /store, /query, /update; Virtuoso: /sparql-graph-crud-auth, /sparql, /sparql-auth)"
    if status == 405:
        return "this URL does not take this method: is it the right endpoint?"
    if "after image size went above the limit" in text:
        return ("Virtuoso keeps a transaction's changes within TransactionAfterImageLimit: raise it in the [Parameters] "
                "section of virtuoso.ini (e.g. 1500000000) and restart the store, or publish with --replace put (not atomic)")
    return ""


def refused(url: str, response: httpx.Response, credentials: Credentials, what: str, doing: str = "write", outcome: str = "") -> RemoteError:
    """A RemoteError for a store's refusal: ``URL refused WHAT: HTTP 403 <reason>; <hint>; <outcome>.``"""
    parts = [f"{url} refused {what}: HTTP {response.status_code} {reason(response)}", hint(response, credentials, doing), outcome]
    return RemoteError("; ".join(part for part in parts if part) + ".")


def transport_reason(exc: httpx.HTTPError) -> str:
    """Why a request got no answer, in a few words."""
    if isinstance(exc, httpx.ConnectError):
        return "connection refused" if "refused" in str(exc).lower() or not str(exc) else f"cannot connect: {_first_line(exc)}"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return "the connection was cut"
    return _first_line(exc)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
