"""Credentials for triple stores, read from environment variables only, and the HTTP authentication
scheme chosen from the server's challenge (``WWW-Authenticate``): Digest (RFC 7616, as Virtuoso's
``/sparql-graph-crud-auth`` and ``/sparql-auth`` ask), Basic or Bearer. httpx computes the answers."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import httpx

from .errors import InputError

SCHEMES = ("auto", "digest", "basic", "bearer", "none")
DEFAULT_VARIABLES = {"user": "TOURGRAPH_USER", "password": "TOURGRAPH_PASSWORD", "token": "TOURGRAPH_TOKEN"}
_CHALLENGE = re.compile(r"(?:^|,)\s*(digest|basic|bearer)(?:\s|,|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Credentials:
    """What the environment gives, with the names of the variables it was read from (for messages)."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    scheme: str = "auto"
    variables: dict = field(default_factory=lambda: dict(DEFAULT_VARIABLES))

    @property
    def given(self) -> bool:
        return bool(self.user or self.token) and self.scheme != "none"

    def names(self) -> str:
        """The variables to set, as a user reads them: ``TOURGRAPH_USER and TOURGRAPH_PASSWORD``."""
        if self.scheme == "bearer":
            return self.variables["token"]
        pair = f"{self.variables['user']} and {self.variables['password']}"
        return pair if self.scheme in ("digest", "basic") else f"{pair} (or {self.variables['token']})"


def from_environment(variables: dict | None = None, scheme: str = "auto", environ=None) -> Credentials:
    """Credentials from the environment variables named in ``variables`` (TOURGRAPH_USER,
    TOURGRAPH_PASSWORD, TOURGRAPH_TOKEN unless a store names its own)."""
    if scheme not in SCHEMES:
        raise InputError(f"auth must be one of {', '.join(SCHEMES)}, not {scheme!r}.")
    environ = os.environ if environ is None else environ
    names = {**DEFAULT_VARIABLES, **(variables or {})}
    value = lambda key: environ.get(names[key]) or None
    user, password, token = value("user"), value("password"), value("token")
    if scheme == "bearer" and not token:
        raise InputError(f"auth = \"bearer\" needs the token in the environment variable {names['token']}.")
    if scheme in ("digest", "basic") and not user:
        raise InputError(f"auth = \"{scheme}\" needs {names['user']} and {names['password']} in the environment.")
    return Credentials(user=user, password=password or "", token=token, scheme=scheme, variables=names)


def offered(response: httpx.Response) -> list[str]:
    """The schemes a 401 answer offers, lower case, in the server's order."""
    found = []
    for header in response.headers.get_list("www-authenticate"):
        found += [match.lower() for match in _CHALLENGE.findall(header)]
    return found


class ChallengeAuth(httpx.Auth):
    """Sends no secret until the server says how it wants it, then answers its challenge; a bearer
    token, which is meant to be shown, goes with the first request. Once a scheme is chosen, each
    later request carries it from the start (Digest with the server's last nonce), so a large body
    crosses the network once: a publish asks a small question first to learn the challenge."""

    def __init__(self, credentials: Credentials):
        self.credentials = credentials
        self.chosen: str | None = None
        self._digest = httpx.DigestAuth(credentials.user or "", credentials.password or "")
        self._basic = httpx.BasicAuth(credentials.user or "", credentials.password or "")

    def auth_flow(self, request):
        credentials = self.credentials
        if not credentials.given:
            yield request
            return
        if credentials.scheme == "basic":
            self.chosen = "basic"
        elif credentials.scheme == "bearer" or (credentials.token and not credentials.user):
            self.chosen = "bearer"
        if self.chosen == "bearer":
            request.headers["Authorization"] = f"Bearer {credentials.token}"
            yield request
            return
        if self.chosen == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self.chosen == "digest":
            yield from self._digest.auth_flow(request)
            return
        if credentials.token:
            request.headers["Authorization"] = f"Bearer {credentials.token}"
        response = yield request
        if response.status_code != 401:
            self.chosen = "bearer" if credentials.token else None
            return
        schemes = offered(response)
        request.headers.pop("Authorization", None)
        if credentials.user and "digest" in schemes:
            self.chosen = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            yield retry
        elif credentials.user and "basic" in schemes and credentials.scheme == "auto":
            self.chosen = "basic"
            yield from self._basic.auth_flow(request)
