"""Lines of page metadata: "**Track:** Specialist · **Grade:** 6", "Owner: Finance office | Last reviewed: March".

Pages of a ladder often open with a line of labelled values that say where the page sits (its track, its band or
grade) or who keeps it (owner, dates, status). Such a line is no competency and no text of the level: a track or a
band is read as the level's place, anything else is page metadata, listed as not placed. A line is metadata only when
every one of its parts is "Label: value" with a label from these lists and a short value, so a sentence or a labelled
competency ("**Reporting:** Files accurate monthly returns") never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.framework.names import normalize

# General label vocabulary in several languages ("karrierepfad" is German for "career path"), not from one ladder.
TRACK_LABELS = {
    "track", "career track", "track name", "ladder", "career ladder", "path", "career path", "discipline", "stream",
    "spur", "laufbahn", "karrierepfad", "trilha", "trilha de carreira", "trayectoria", "carrera", "filière", "parcours",
    "percorso", "трек", "ветка",
}  # fmt: skip
"""Labels whose value names the track a level's page is on."""
BAND_LABELS = {"band", "grade", "pay band", "salary band", "job grade", "pay grade", "gehaltsband", "faixa", "banda", "грейд"}
"""Labels whose value is a band or grade several tracks share: the same one on two tracks is the same standing."""
RANK_LABELS = {"level", "rank", "step", "tier", "stufe", "nível", "nivel", "niveau", "livello", "уровень"}
"""Labels whose value is the level's number (or code) on its track."""
PAGE_LABELS = {
    "owner", "owners", "document owner", "page owner", "author", "authors", "maintainer", "maintainers", "maintained by",
    "created", "created by", "created on", "updated", "last updated", "updated on", "last reviewed", "reviewed",
    "reviewed by", "last modified", "modified", "status", "version", "date", "published", "effective", "effective date",
    "last edited", "last edited time", "last edited by", "created time", "tags",
    "review date", "next review", "approved by", "contact", "department", "team", "audience", "applies to", "family",
    "job family", "location", "verantwortlich", "stand", "zuletzt geändert", "zuletzt aktualisiert", "autor",
    "gültig ab", "abteilung", "responsável", "atualizado em", "responsable", "actualizado", "propriétaire",
    "mis à jour", "владелец", "обновлено",
}  # fmt: skip
"""Labels of a page's own metadata (who keeps it, when, for whom): listed as not placed."""

AMBIGUOUS = {
    "team", "department", "audience", "discipline", "stream", "path", "status", "location", "contact", "date", "version",
    "step", "tier", "level", "rank", "family", "job family", "published", "effective",
}  # fmt: skip
"""Labels that also name competencies or say something of a level ("**Team:** helps teammates grow"): a line holding
only one of them is no metadata line."""

_SEPARATORS = re.compile(r"\s*(?:[·•|;]|\s—\s|\s–\s|\n)\s*")
_PAIR = re.compile(r"^(?P<label>[^:：]{1,30}?)\s*[:：]\s*(?P<value>\S.*)$")
_MAX_WORDS = 40
_MAX_CHARS = 600
"""A longer line is no metadata line: the bound keeps splitting a long run of spaces cheap."""
_MAX_VALUE_WORDS = 8


@dataclass(frozen=True)
class MetaPair:
    label: str
    value: str
    role: str
    """"track", "band", "rank" or "page" (the page's own metadata)."""

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}"


def meta_pairs(text: str) -> list[MetaPair] | None:
    """The labelled values of a metadata line, or None when ``text`` is not one (a part without a known label, a long
    value, a sentence). Lines of page properties joined into one paragraph ("Owner: People team Last edited time: May 2,
    2027 Status: Draft", as a Notion export writes them under the title) are split where each known label starts."""
    flat = text.strip().strip("*_ ")
    if not flat or len(flat) > _MAX_CHARS or len(flat.split()) > _MAX_WORDS:
        return None
    return _pairs(_SEPARATORS.split(flat)) or _pairs(_joined_parts(flat), joined=True)


def _joined_parts(flat: str) -> list[str]:
    """``flat`` cut before each known label followed by a colon, when it opens with one: "Owner: A Status: B" ->
    ["Owner: A", "Status: B"]."""
    starts = [m.start() for m in _KNOWN_LABEL.finditer(flat)]
    if not starts or starts[0] != 0:
        return []
    return [flat[a:b] for a, b in zip(starts, [*starts[1:], len(flat)], strict=True)]


def _pairs(parts: list[str], joined: bool = False) -> list[MetaPair] | None:
    """The parts as labelled values, or None when one is not (or, ``joined``, when fewer than two are, or only labels
    that also name competencies)."""
    pairs = []
    for part in parts:
        part = part.strip().strip("*_ ")
        if not part:
            continue
        match = _PAIR.match(part)
        if match is None:
            return None
        label, value = match.group("label").strip(" *_"), match.group("value").strip(" *_")
        role = label_role(label)
        if role is None or not value or len(value.split()) > _MAX_VALUE_WORDS or value.rstrip().endswith((".", "!", "?")):
            return None
        pairs.append(MetaPair(label, value, role))
    if len(pairs) == 1 and normalize(pairs[0].label) in AMBIGUOUS:
        return None
    if joined and (len(pairs) < 2 or all(normalize(p.label) in AMBIGUOUS for p in pairs)):
        return None
    return pairs or None


_KNOWN_LABEL = re.compile(
    r"(?:^|(?<=\s))(?:"
    + "|".join(
        re.escape(label) for label in sorted(TRACK_LABELS | BAND_LABELS | RANK_LABELS | PAGE_LABELS, key=len, reverse=True)
    )
    + r")[ \t]?[:：]",
    re.IGNORECASE,
)
"""A known label and its colon, at the start of the text or after a space (where a joined property line starts one)."""


def label_role(label: str) -> str | None:
    key = normalize(label)
    if key in TRACK_LABELS:
        return "track"
    if key in BAND_LABELS:
        return "band"
    if key in RANK_LABELS:
        return "rank"
    if key in PAGE_LABELS:
        return "page"
    return None


def number_in(value: str) -> float | None:
    """The number a band or rank value gives ("4", "Band 4", "P4", "IV" is not read): None when it gives none or
    several."""
    found = re.findall(r"\d+(?:[.,]\d+)?", value)
    if len(found) != 1:
        return None
    return float(found[0].replace(",", "."))
