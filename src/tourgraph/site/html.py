"""Fast HTML for the entity pages, the bulk of the site (two per entity).

Jinja costs over 100 µs for even an empty page, so the entity pages are not rendered through it one
by one. ``entity.html`` (which extends ``base.html``) is rendered once per language with placeholders
instead of the per-page values: the result, split at the placeholders, is the page's shell, and each
page is that shell joined with its own values. The article inside the shell is written in Python by
``pages.Site.article``, with the same markup the templates use for the other pages.

Everything inserted is escaped here exactly as Jinja's autoescape (MarkupSafe) does.
"""

from __future__ import annotations

import os

from markupsafe import Markup

_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
# A character no template or value contains: it marks the slots of a shell.
_MARK = "\x00"


def esc(text: str) -> str:
    """``markupsafe.escape`` for plain text, without making a Markup object; Markup passes unchanged."""
    if isinstance(text, Markup):
        return str(text)
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace('"', "&#34;")


def slot(name: str) -> Markup:
    """A placeholder for ``name`` in a shell (Markup, so that autoescape leaves it as it is)."""
    return Markup(f"{_MARK}{name}{_MARK}")


class Shell:
    """A page rendered with placeholders, filled per page with ``fill(values)``."""

    def __init__(self, rendered: str):
        if rendered.count(_MARK) % 2:
            raise ValueError("unbalanced placeholders in a page shell")
        parts = rendered.split(_MARK)
        self.texts = parts[0::2]
        self.names = parts[1::2]

    def fill(self, values: dict[str, str]) -> str:
        texts = self.texts
        out = [texts[0]]
        for i, name in enumerate(self.names, start=1):
            out.append(values[name])
            out.append(texts[i])
        return "".join(out)


def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` (created or truncated, mode 0o666 minus the umask) in three syscalls."""
    fd = os.open(path, _OPEN_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def sup(n: int) -> str:
    return f'<sup class="src"><a href="#source-{n}" aria-label="source {n}">{n}</a></sup>'


_SUPS = [sup(n) for n in range(64)]


def sups(graphs, numbers: dict) -> str:
    """The source numbers of a value, in order, as links to the page's list of sources."""
    if len(graphs) == 1:
        n = numbers.get(graphs[0])
        return "" if n is None else (_SUPS[n] if n < 64 else sup(n))
    found = sorted({numbers[g] for g in graphs if g in numbers})
    return "".join(_SUPS[n] if n < 64 else sup(n) for n in found)


def note(text: str | None) -> str:
    return f' <span class="note">({esc(text)})</span>' if text else ""


def svg_map(map_: dict, t: dict) -> str:
    """The map section of ``entity.html`` (the dict from ``geo.svg_map``, with each point's label and
    href already in the page's language)."""
    width, height, region = map_["width"], map_["height"], map_["region"]
    out = [
        '<section aria-labelledby="map">\n',
        f'<h2 id="map">{esc(t["map"])}</h2>\n',
        '<figure class="map">\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="map-caption">\n',
        f'<rect class="frame" x="0" y="0" width="{width}" height="{height}"/>\n',
    ]
    for line in map_["lines"]:
        out.append(
            f'<line class="grid" x1="{line["x1"]}" y1="{line["y1"]}" x2="{line["x2"]}" y2="{line["y2"]}"/>\n'
            f'<text class="grid" x="{line["lx"]}" y="{line["ly"]}">{esc(line["label"])}</text>\n'
        )
    if region:
        out.append(f'<text class="region" x="{width - 10}" y="24" text-anchor="end">{esc(region)}</text>')
    for item in map_["points"]:
        point = item["point"]
        href = esc(point.href) if point.href else None
        out.append('<g class="venue">\n')
        if href:
            out.append(f'<a href="{href}">')
        out.append(f"<title>{point.number}. {esc(point.label)}</title>\n")
        x, y, mx, my = item["x"], item["y"], item["mx"], item["my"]
        if item["moved"]:
            out.append(f'<line class="leader" x1="{x}" y1="{y}" x2="{mx}" y2="{my}"/><circle class="spot" cx="{x}" cy="{y}" r="3"/>')
        out.append(f'<circle class="marker" cx="{mx}" cy="{my}" r="11"/>\n<text x="{mx}" y="{my + 5}" text-anchor="middle">{point.number}</text>\n')
        if href:
            out.append("</a>")
        out.append("</g>\n")
    frame = f" {esc(t['map_frame'].format(name=region))}." if region else ""
    out.append(f'</svg>\n<figcaption id="map-caption">{esc(t["map_caption"])}{frame}</figcaption>\n</figure>\n<ol class="legend">\n')
    open_map = esc(t["open_map"])
    for item in map_["points"]:
        point = item["point"]
        label = esc(point.label)
        shown = f'<a href="{esc(point.href)}">{label}</a>' if point.href else label
        out.append(f'<li>{shown} · <a class="osm" href="{esc(point.osm)}">{open_map}</a></li>\n')
    out.append("</ol>\n</section>\n")
    return "".join(out)
