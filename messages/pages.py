"""The ladder as web pages: every family side by side, one page per level, and comparisons.

Server-rendered HTML from an autoescaping Jinja environment (framework text is untrusted and
always shows as text), no JavaScript, readable on a phone and printable. The same pages are
served by ``ladder serve`` (under /ladder, when LADDER_PAGES=on) and written as a static site by
``ladder framework render``, with relative links that work from a file:// URL.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bot.framework.model import Framework, Level
from bot.kept import Kept
from bot.questions.answers import Answerer
from bot.questions.ladder_table import LadderTable, families, side_by_side
from bot.slack_ids import is_team_id
from messages.filters import framework_called
from messages.site_folder import SiteWritten, write_site_folder

CSS = resources.files("messages").joinpath("templates/pages/ladder.css").read_text(encoding="utf-8")
ICON = resources.files("messages").joinpath("templates/pages/icon.svg").read_text(encoding="utf-8")
SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
]


@dataclass(frozen=True)
class Links:
    """Relative links between the pages, so they work wherever the site is mounted: served under
    /ladder (also behind a proxy that adds a path prefix), or as files (``static``) from a file:// URL."""

    static: bool = False
    depth: int = 0
    """How many folders below the site's root this page is: 0 for the index and level pages, 2 for comparisons."""
    index_page: bool = False
    """Served only: the index is /ladder itself (an organisation's: /ladder/<tenant>), one level above its pages."""
    root: str = "ladder"
    """Served only: the last part of the index's address ("ladder", or an organisation's id below /ladder/)."""

    def _to(self, name: str) -> str:
        if self.static:
            return "../" * self.depth + (f"{name}.html" if name not in ("ladder.css", "icon.svg") else name)
        if self.index_page:
            return f"{self.root}/{name}" if name != "index" else self.root
        return "../" * self.depth + (name if name != "index" else f"../{self.root}")

    @property
    def index(self) -> str:
        return self._to("index")

    @property
    def css(self) -> str:
        return self._to("ladder.css")

    @property
    def icon(self) -> str:
        return self._to("icon.svg")

    def level(self, level: Level) -> str:
        return self._to(level.id)

    def compare(self, before: Level, after: Level) -> str:
        return self._to(f"compare/{before.id}/{after.id}")


PAGE_DEPTHS = 2
"""The deepest a served page sits below /ladder/ (a comparison, /ladder/compare/a/b): not-found pages kept are
those of this depth or less, whatever addresses arrive."""
KEPT_PAGES = 512
"""The most rendered pages one process keeps, the least recently asked for going first: a 200-level ladder has 39,800
comparisons (about 3.6 KB each, 145 MB in all), and anyone who can reach the pages can ask for every one. 512 pages
are about 2 MB; the index, the level pages and the comparisons people read stay kept."""


class Pages:
    """Renders one framework's pages; a page is rendered when first asked for and kept (the framework does not change
    in a process), up to :data:`KEPT_PAGES` pages, the least recently asked for dropped first.

    A kept page is keyed by what it shows (the levels' ids, how its links are written), never by the address asked
    for: ``STAFF``, ``sTaFf`` and ``staff`` are one page.
    """

    def __init__(self, framework: Framework, kept: int = KEPT_PAGES) -> None:
        self.framework = framework
        self._most_kept = kept
        self._answerer = Answerer(framework)
        self._env = Environment(
            loader=PackageLoader("messages", "templates/pages"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["framework_called"] = framework_called
        self._cache: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._cache_lock = threading.Lock()  # a worker serves pages from several threads

    def index(self, links: Links = Links(index_page=True)) -> str:
        aligned_any = any(table.aligned for _family, table in self._families)
        return self._page(("index", str(links)), "index.html.j2", links, families=self._families, aligned_any=aligned_any)

    def level(self, level_id: str, links: Links = Links()) -> str | None:
        level = self.framework.level(level_id.lower())
        if level is None:
            return None
        fw = self.framework
        context: dict[str, Any] = {
            "level": level,
            "track": fw.track_of(level),
            "expectations": [
                (c, level.expectations[c.id]) for c in fw.competencies_for(level.track_id) if c.id in level.expectations
            ],
            "previous": fw.previous_level(level),
            "next_levels": [(lv, fw.track_of(lv)) for lv in fw.next_levels(level)],
            "equivalents": [(lv, fw.track_of(lv)) for lv in fw.equivalents_of(level)],
            "switches": fw.switch_targets(level),
        }
        return self._page(("level", level.id, str(links)), "level.html.j2", links, **context)

    def compare(self, before_id: str, after_id: str, links: Links = Links(depth=2)) -> str | None:
        before, after = self.framework.level(before_id.lower()), self.framework.level(after_id.lower())
        if before is None or after is None or before is after:
            return None
        answer = self._answerer.compare(before, after)
        return self._page(("compare", before.id, after.id, str(links)), "compare.html.j2", links, **answer.context)

    def not_found(self, links: Links = Links()) -> str:
        """Whatever address was asked for: its links are written for ``links.depth``, kept only for depths pages have."""
        return self._page(("404", str(links)), "not_found.html.j2", links, keep=links.depth <= PAGE_DEPTHS)

    @property
    def kept(self) -> int:
        """How many rendered pages this process keeps."""
        return len(self._cache)

    def static_pairs(self) -> list[tuple[Level, Level]]:
        """The comparisons a static site holds: each level with each of its next levels, and with each of its
        equivalents (both ways, since each level lists its own)."""
        fw = self.framework
        pairs = [(lv, following) for lv in fw.levels for following in fw.next_levels(lv)]
        pairs += [(lv, other) for lv in fw.levels for other in fw.equivalents_of(lv)]
        return pairs

    def write_site(self, out: Path) -> SiteWritten:
        """Write every page as a static site under ``out``, removing the pages an earlier render wrote there that this
        one does not (unchanged since) and naming every other file it did not write (:mod:`messages.site_folder`)."""
        return write_site_folder(out, self.site_files())

    def site_files(self) -> Iterator[tuple[str, str]]:
        """Each file of the static site: its path in the site (with '/') and its text."""
        yield "ladder.css", CSS
        yield "icon.svg", ICON
        yield "index.html", self.index(Links(static=True))
        for level in self.framework.levels:
            yield f"{level.id}.html", self.level(level.id, Links(static=True)) or ""
        for before, after in self.static_pairs():
            yield f"compare/{before.id}/{after.id}.html", self.compare(before.id, after.id, Links(static=True, depth=2)) or ""

    @cached_property
    def _families(self) -> list[tuple[str | None, LadderTable]]:
        return [(group[0].family, side_by_side(self.framework, group)) for group in families(self.framework)]

    def _page(self, key: tuple[str, ...], template: str, links: Links, *, keep: bool = True, **context: object) -> str:
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        page = self._env.get_template(template).render(
            framework=self.framework, links=links, static_pairs=self._pair_ids(links), **context
        )
        if keep:
            with self._cache_lock:
                self._cache[key] = page
                while len(self._cache) > self._most_kept:
                    self._cache.popitem(last=False)
        return page

    def _pair_ids(self, links: Links) -> frozenset[tuple[str, str]] | None:
        """Static sites hold only some comparisons; served pages can compare any two levels."""
        return frozenset((a.id, b.id) for a, b in self.static_pairs()) if links.static else None


PAGES_PER_ORGANISATION = 128
SITE_KEY_CHARS = 20
"""Hex digits of the key in an organisation's pages' address: 80 bits, not guessed from its workspace id."""


def organisation_site(tenant: str, secret: str) -> str:
    """The folder below /ladder/ an organisation's pages live in: ``<tenant>-<key>``, the key a truncated
    HMAC-SHA256 of the tenant id with the signing secret (nothing stored; whoever knows only a workspace id cannot
    find them)."""
    return f"{tenant}-{site_key(tenant, secret)}"


def site_key(tenant: str, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), tenant.encode("utf-8"), hashlib.sha256).hexdigest()[:SITE_KEY_CHARS]


def tenant_of_site(folder: str, secret: str) -> str | None:
    """The tenant whose pages ``folder`` (``<tenant>-<key>``) is, or None when the key is not its own (or missing)."""
    tenant, _, key = folder.rpartition("-")
    if not is_team_id(tenant) or not hmac.compare_digest(key.encode("ascii", "replace"), site_key(tenant, secret).encode()):
        return None
    return tenant


class OrganisationPages:
    """Each organisation's pages (served under /ladder/<tenant>-<key>/, :func:`organisation_site`), from the framework it runs on now: one :class:`Pages`
    per framework version, made when first asked for; an organisation that published none shares the default's."""

    def __init__(self, framework_for: Callable[[str], Framework], default: Pages) -> None:
        self._framework_for = framework_for
        self.default = default
        self._made: Kept[int, Pages] = Kept()
        """Pages of the frameworks asked for lately besides the default's (each organisation's in force)."""

    def __call__(self, tenant: str) -> Pages:
        framework = self._framework_for(tenant)
        if framework is self.default.framework:
            return self.default
        return self._made.get(
            id(framework), lambda: Pages(framework, kept=PAGES_PER_ORGANISATION), still=lambda pages: pages.framework is framework
        )
