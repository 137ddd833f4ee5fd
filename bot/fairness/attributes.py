"""The attributes a fairness report groups people by: five built in (no HR data needed) and every attribute held in
``person_group`` (imported by HR or answered by people themselves).

Built-in attributes, each worked out from :class:`~bot.fairness.facts.PersonFacts` as the cycle opened:

- **track**: the framework's name of the person's track (e.g. "Individual Contributor", "Management").
- **family**: the track's job family as the framework names it (people on a track without one are unknown).
- **level band**: the level's position in its track, in quarters: with ``n`` levels on the track, the level at
  position ``i`` (0 for the first) is in band ``i * 4 // n`` of early, mid, senior, top. On a six-level track that is
  early (1st, 2nd), mid (3rd), senior (4th, 5th), top (6th); the top level of a track is never eligible, so "top" shows
  only on tracks of eight levels or more.
- **remote or office**: from the ``location`` group where anyone has one: a value saying remote ("remote", "home",
  "anywhere", "distributed") is *remote*, any other place *office*; people without a location are unknown. Where
  nobody has a location, the attribute is the **timezone region** instead: the first part of the person's Slack
  timezone (``Europe/London`` → Europe, ``America/Sao_Paulo`` → America); no timezone, or one with no region (UTC), is
  unknown.
- **tenure band**: how long before the cycle opened Ladder first knew the person (``known_since``): <1y, 1–3y, 3–5y,
  5y+ (years of 365.25 days; a boundary belongs to the band above it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.fairness.facts import PersonFacts
from bot.framework.model import Framework

LEVEL_BANDS = ("early", "mid", "senior", "top")
TENURE_BANDS = ((1.0, "<1y"), (3.0, "1–3y"), (5.0, "3–5y"))
TENURE_LONGEST = "5y+"
REMOTE_WORDS = ("remote", "home", "anywhere", "distributed")
LOCATION = "location"
BUILT_IN_IDS = ("track", "family", "level_band", "remote_or_office", "timezone_region", "tenure_band")
"""The attributes the audit works out itself; group data so named is audited as ``<id>_group_data`` beside them."""
GROUP_DATA_SUFFIX = "_group_data"


@dataclass(frozen=True, slots=True)
class Attribute:
    id: str
    label: str
    built_in: bool
    group_of: Callable[[PersonFacts], str | None]
    """The person's group under this attribute, or None when unknown."""
    order: tuple[str, ...] = ()
    """Groups in the order they read best (tracks as the framework lists them, bands low to high); others follow,
    largest first."""
    within: tuple[str, Callable[[str], str | None]] | None = None
    """Where each group of this attribute is a union of another's: that attribute's id, and the group each of its
    groups falls in (a track's family; a location's remote or office). Suppression keeps the two consistent."""


def attributes_for(people: Sequence[PersonFacts], framework: Framework, opens_on: date) -> list[Attribute]:
    """The built-in attributes, then every attribute any person has a group under (alphabetically)."""
    tracks = {track.id: track for track in framework.tracks}
    families = {track.name: track.family for track in framework.tracks if track.family}
    positions = {level.id: (i, len(track.levels)) for track in framework.tracks for i, level in enumerate(track.levels)}

    def track_name(person: PersonFacts) -> str | None:
        track = tracks.get(person.track)
        return track.name if track else None

    def family(person: PersonFacts) -> str | None:
        track = tracks.get(person.track)
        return track.family if track and track.family else None

    def level_band(person: PersonFacts) -> str | None:
        position = positions.get(person.level)
        return LEVEL_BANDS[position[0] * len(LEVEL_BANDS) // position[1]] if position else None

    def tenure(person: PersonFacts) -> str | None:
        return tenure_band(person.known_since, opens_on)

    held = sorted({attribute for person in people for attribute in person.groups})
    found = [
        Attribute("track", "Track", True, track_name, tuple(track.name for track in framework.tracks)),
        Attribute("family", "Family", True, family, within=("track", families.get)),
        Attribute("level_band", "Level band", True, level_band, LEVEL_BANDS),
    ]
    if LOCATION in held:
        found.append(Attribute("remote_or_office", "Remote or office", True, remote_or_office, within=(LOCATION, place_kind)))
    else:
        found.append(Attribute("timezone_region", "Timezone region", True, lambda p: timezone_region(p.timezone)))
    found.append(Attribute("tenure_band", "Tenure band", True, tenure, (*(name for _, name in TENURE_BANDS), TENURE_LONGEST)))
    for attribute in held:
        label = attribute.replace("_", " ").strip().capitalize() or attribute
        audited_as = attribute + GROUP_DATA_SUFFIX if attribute in BUILT_IN_IDS else attribute  # never in place of one
        found.append(Attribute(audited_as, label, False, _held(attribute)))
    return found


def _held(attribute: str) -> Callable[[PersonFacts], str | None]:
    return lambda person: person.groups.get(attribute)


def remote_or_office(person: PersonFacts) -> str | None:
    place = person.groups.get(LOCATION)
    return None if place is None else place_kind(place)


def place_kind(place: str) -> str:
    """ "remote" for a location that says so, else "office"."""
    return "remote" if any(word in place.casefold() for word in REMOTE_WORDS) else "office"


def timezone_region(zone: str | None) -> str | None:
    if not zone or "/" not in zone:
        return None
    region = zone.split("/", 1)[0]
    return None if region in ("Etc", "SystemV") else region


def tenure_band(known_since: date | None, on: date) -> str | None:
    if known_since is None:
        return None
    years = (on - known_since).days / 365.25
    if years < 0:
        return TENURE_BANDS[0][1]
    for bound, name in TENURE_BANDS:
        if years < bound:
            return name
    return TENURE_LONGEST
