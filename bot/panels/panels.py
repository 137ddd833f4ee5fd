"""Setting panels up: members and a chair, a private channel for digests, the nominations they review (scope),
and the warnings a diverse, senior-enough panel should not need (policy in the framework file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence

from sqlmodel import Session

from bot.errors import InvalidAnswers, LadderError, NotFound
from bot.framework.model import Framework, Level
from bot.level_lookup import LevelLookup
from bot.panels import form
from storage.models import Panel, Person
from storage.repositories.audit import AuditTrail
from storage.repositories.panels import PanelRepository

SCOPE_KEYS = ("families", "tracks", "levels")
MAX_MEMBERS = 25
REVIEW, APPEAL = "review", "appeal"


@dataclass(frozen=True)
class Scope:
    """Which target levels a panel reviews; an empty part is "any"."""

    families: tuple[str, ...] = ()
    tracks: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    def covers(self, framework: Framework, level: Level) -> bool:
        track = framework.track_of(level)
        return (
            (not self.families or (track.family or "") in self.families)
            and (not self.tracks or track.id in self.tracks)
            and (not self.levels or level.id in self.levels)
        )

    def target_levels(self, framework: Framework) -> list[Level]:
        """The levels a nomination reviewed by this panel can aim at (a track's first level is no promotion)."""
        return [lv for t in framework.tracks for lv in t.levels[1:] if self.covers(framework, lv)]

    def as_json(self) -> dict[str, list[str]]:
        return {key: list(getattr(self, key)) for key in SCOPE_KEYS}

    @classmethod
    def of(cls, panel: Panel) -> Scope:
        return cls(**{key: tuple(panel.scope.get(key) or ()) for key in SCOPE_KEYS})

    @classmethod
    def parse(cls, framework: Framework, items: Iterable[str]) -> Scope:
        """``family=engineering``, ``track=ic,management``, ``level=staff,Principal Engineer`` (ids or titles)."""
        found: dict[str, list[str]] = {key: [] for key in SCOPE_KEYS}
        for item in items:
            key, _, values = item.partition("=")
            key = {"family": "families", "track": "tracks", "level": "levels"}.get(key.strip().lower().rstrip("s"), "")
            if not key or not values.strip():
                raise LadderError(f"Scope {item!r}: write family=…, track=… or level=… (comma-separated).")
            for value in (v.strip() for v in values.split(",") if v.strip()):
                found[key].append(_scope_id(framework, key, value))
        return cls(**{key: tuple(dict.fromkeys(values)) for key, values in found.items()})

    def describe(self, framework: Framework) -> str:
        parts = []
        if self.families:
            parts.append("families " + ", ".join(self.families))
        if self.tracks:
            parts.append("tracks " + ", ".join(t.name for t in framework.tracks if t.id in self.tracks))
        if self.levels:
            parts.append("levels " + ", ".join(lv.title for lv in framework.levels if lv.id in self.levels))
        return "; ".join(parts) or "every promotion"


def _scope_id(framework: Framework, key: str, value: str) -> str:
    """The id (for a family, the name) ``value`` names, compared in the normal form of names ("IC 1" is "IC1", "Sr
    Engineer" is "Senior Engineer"); a name several levels or tracks carry is refused, naming each."""
    names = LevelLookup(framework)
    if key == "families":
        found = {family: family for family in names.families(value)}
    elif key == "tracks":
        found = {t.id: f"{t.id} ({t.name})" for t in names.tracks(value)}
    else:
        levels = names.levels(value)
        found = {lv.id: names.described((lv,)) for lv in levels}
    if not found:
        raise LadderError(f"The framework has no {key[:-1] if key != 'families' else 'family'} called {value!r}.")
    if len(found) > 1:
        kind = {"families": "family", "tracks": "track", "levels": "level"}[key]
        raise LadderError(f"{value!r} could mean {' or '.join(found.values())}: write the {kind}'s id.")
    return next(iter(found))


@dataclass(frozen=True)
class ChannelFacts:
    """What Slack says of a panel's channel when it is set (conversations.info and conversations.members)."""

    private: bool
    ladder_in: bool
    members: frozenset[str] = frozenset()
    """Everyone in it but Ladder itself."""


@dataclass(frozen=True)
class PanelSetup:
    panel: Panel
    members: tuple[str, ...]
    warnings: tuple[str, ...]
    created: bool


class Panels:
    def __init__(self, framework: Framework, session: Session, now: Callable[[], datetime]) -> None:
        self.framework = framework
        self.now = now
        self.repo = PanelRepository(session)
        self._audit = AuditTrail(session)

    def create(
        self, team_id: str, name: str, *, chair: str, members: Sequence[str], channel: str | None, scope: Scope,
        by: str, kind: str = REVIEW, channel_facts: ChannelFacts | None = None,
    ) -> PanelSetup:  # fmt: skip
        """A new panel (the chair is a member too). The same request again changes nothing and says so; a panel of that
        name (up to case and spacing) set up otherwise is refused: edit it instead."""
        name = _name(name)
        everyone = _members(chair, members)
        existing = self.repo.panel_named(team_id, name)
        if existing is not None:
            if (
                existing.name,
                existing.kind,
                existing.chair,
                existing.channel,
                set(self.members_of(existing)),
                Scope.of(existing),
            ) != (name, kind, chair, channel, set(everyone), scope):
                raise InvalidAnswers(
                    {
                        form.PANEL_NAME: f"A panel named {existing.name!r} exists already ({self.describe(existing)}): "
                        "change it with `ladder panel edit`, or pick another name."
                    }
                )
            return PanelSetup(existing, tuple(self.members_of(existing)), (), False)
        warnings = self._channel_warnings(channel, channel_facts, everyone)
        panel, created = self.repo.add_panel(
            Panel(team_id=team_id, name=name, kind=kind, chair=chair, channel=channel, scope=scope.as_json(), created_by=by)
        )
        if created:
            self.repo.add_members(panel, everyone)
            assert panel.id is not None
            self._audit.audit(team_id, "panel", panel.id, "created", by, self.now(), members=len(everyone), panel_kind=kind)
        return PanelSetup(panel, everyone, tuple(warnings + self.warnings(team_id, everyone, scope, panel)), created)

    def edit(
        self, team_id: str, name: str, *, by: str, chair: str | None = None, members: Sequence[str] | None = None,
        channel: str | None = None, scope: Scope | None = None, channel_facts: ChannelFacts | None = None,
    ) -> PanelSetup:  # fmt: skip
        """Change a panel's chair, members (the list given replaces the old one), channel or scope. Decisions already
        recorded stand; nominations not yet decided are judged by the panel as it is now. The same edit again changes
        nothing and is not audited again."""
        panel = self.named(team_id, name, for_update=True)
        current = self.members_of(panel)
        new_chair = chair or panel.chair
        everyone = _members(new_chair, members if members is not None else current)
        warnings = self._channel_warnings(channel, channel_facts, everyone) if channel else []
        before = (panel.chair, panel.channel, panel.scope, set(current))
        if before == (new_chair, channel or panel.channel, scope.as_json() if scope is not None else panel.scope, set(everyone)):
            return PanelSetup(panel, everyone, tuple(warnings + self.warnings(team_id, everyone, Scope.of(panel), panel)), False)
        panel.chair, panel.updated_at = new_chair, self.now()
        panel.channel = channel or panel.channel
        if scope is not None:
            panel.scope = scope.as_json()
        self.repo.save(panel)
        self.repo.set_members(panel, everyone)
        assert panel.id is not None
        changed = [
            k for k, v in (("chair", chair), ("members", members), ("channel", channel), ("scope", scope)) if v is not None
        ]
        self._audit.audit(team_id, "panel", panel.id, "edited", by, self.now(), fields=changed, members=len(everyone))
        return PanelSetup(panel, everyone, tuple(warnings + self.warnings(team_id, everyone, Scope.of(panel), panel)), False)

    def rename(self, team_id: str, name: str, new_name: str, *, by: str) -> Panel:
        panel = self.named(team_id, name, for_update=True)
        new_name = _name(new_name)
        clash = self.repo.panel_named(team_id, new_name)
        if clash is not None and clash.id != panel.id:
            raise LadderError(f"A panel named {clash.name!r} exists already: pick another name.")
        if panel.name != new_name:
            old = panel.name
            self.repo.rename(panel, new_name)
            assert panel.id is not None
            self._audit.audit(team_id, "panel", panel.id, "renamed", by, self.now(), old=old, new=new_name)
        return panel

    def remove(self, team_id: str, name: str, *, by: str) -> Panel:
        """A panel that has judged nothing goes (its nominations go to the next panel that covers them); one with scores
        or decisions on record stays, because they cite it."""
        panel = self.named(team_id, name, for_update=True)
        assert panel.id is not None
        judged = self.repo.judged_by(team_id, panel.id)
        if judged:
            raise LadderError(
                f"{panel.name} has {judged} score{'s' if judged != 1 else ''} or decisions on record, which cite it: it cannot be "
                "removed. Change its members or scope with `ladder panel edit` instead."
            )
        self._audit.audit(team_id, "panel", panel.id, "removed", by, self.now(), name=panel.name)
        self.repo.remove_panel(panel)
        return panel

    def describe(self, panel: Panel) -> str:
        members = self.members_of(panel)
        kind = "appeals; " if panel.kind == APPEAL else ""
        return (
            f"{kind}chair {panel.chair}, {len(members)} member{'s' if len(members) != 1 else ''}, "
            f"channel {panel.channel or 'none'}, reviews {Scope.of(panel).describe(self.framework)}"
        )

    def _channel_warnings(self, channel: str | None, facts: ChannelFacts | None, everyone: Sequence[str]) -> list[str]:
        """A panel's channel names who is nominated: it must be private, Ladder must be in it, and only members should
        read it (Ladder checks again before every post, and posts nothing while someone else is there)."""
        if channel is None:
            return []
        if facts is None:
            return [
                f"The channel {channel} was not checked (no Slack token): it must be private, with Ladder and the panel in it."
            ]
        if not facts.ladder_in:
            raise InvalidAnswers(
                {
                    form.CHANNEL: f"Ladder is not in the channel {channel} (or it does not exist): invite Ladder to it "
                    "(/invite @Ladder), then try again."
                }
            )
        if not facts.private:
            raise InvalidAnswers(
                {
                    form.CHANNEL: f"{channel} is a public channel: a panel's channel must be private, because it names who is nominated."
                }
            )
        outsiders = sorted(facts.members - set(everyone))
        if outsiders:
            return [
                f"The channel {channel} has {len(outsiders)} member{'s' if len(outsiders) != 1 else ''} who "
                f"{'are' if len(outsiders) != 1 else 'is'} not on the panel ({', '.join(outsiders[:10])}): Ladder posts nothing "
                "there until only panel members remain."
            ]
        return []

    def members_of(self, panel: Panel) -> list[str]:
        assert panel.id is not None
        return self.repo.members(panel.team_id, [panel.id]).get(panel.id, [])

    def listing(self, team_id: str) -> list[tuple[Panel, list[str]]]:
        panels = self.repo.panels(team_id)
        members = self.repo.members(team_id, [p.id for p in panels if p.id is not None])
        return [(p, members.get(p.id or -1, [])) for p in panels]

    def named(self, team_id: str, name: str, *, for_update: bool = False) -> Panel:
        """The panel of that name; ``for_update`` holds it (:func:`storage.repositories.held.held`) while it changes."""
        found = self.repo.panel_named(team_id, " ".join(name.split()))
        if found is None:
            known = ", ".join(p.name for p in self.repo.panels(team_id)) or "none yet"
            raise NotFound(f"No panel is named {name!r} (panels: {known}).")
        return (self.repo.panel(team_id, found.id, for_update=True) or found) if for_update else found

    def reviewing(self, team_id: str, target_level: str, panels: Sequence[Panel] | None = None) -> Panel | None:
        """The review panel for a nomination aiming at ``target_level``: the narrowest scope that covers it."""
        return next(iter(self.covering(team_id, target_level, panels)), None)

    def covering(self, team_id: str, target_level: str, panels: Sequence[Panel] | None = None) -> list[Panel]:
        """Every review panel whose scope covers ``target_level``, narrowest first (ties by name): a nomination goes to
        the first that has enough members free to judge it."""
        level = self.framework.level(target_level)
        if level is None:
            return []
        candidates = [
            p for p in (panels if panels is not None else self.repo.panels(team_id))
            if p.kind == REVIEW and Scope.of(p).covers(self.framework, level)
        ]  # fmt: skip
        return sorted(candidates, key=lambda p: (len(Scope.of(p).target_levels(self.framework)), p.name))

    # -- warnings ------------------------------------------------------------------------------------------------

    def warnings(self, team_id: str, members: Sequence[str], scope: Scope, panel: Panel | None = None) -> list[str]:
        people = self.repo.people(team_id, members)
        out = self._overlaps(team_id, scope, panel) if panel is None or panel.kind == REVIEW else []
        unknown = [m for m in members if m not in people]
        if unknown:
            out.append(f"No level is recorded for {_names(unknown, people)}: their seniority and team cannot be checked.")
        known = [people[m] for m in members if m in people]
        policy = self.framework.panel_policy
        if len(members) < policy.min_members:
            out.append(
                f"{len(members)} member{'s' if len(members) != 1 else ''}: the policy asks for {policy.min_members} "
                "who can judge each nomination, and recusals take members away."
            )
        if len(known) > 1 and len({p.manager_user_id for p in known}) == 1:
            out.append("Every member reports to the same manager: a cross-functional panel draws on more than one team.")
        if len(known) > 1 and len({p.track for p in known}) == 1:
            track = self.framework.track(known[0].track)
            out.append(
                f"Every member is on the {track.name if track else known[0].track} track: consider someone from another track."
            )
        if policy.members_at_or_above_target:
            targets = scope.target_levels(self.framework)
            for person in known:
                above = [t for t in targets if (self.framework.levels_apart(person.level, t) or 0) < 0]
                if above:
                    titles = ", ".join(t.title for t in above[:3]) + (f" and {len(above) - 3} more" if len(above) > 3 else "")
                    out.append(f"{person.name or person.user_id} is below levels this panel reviews ({titles}).")
        return out

    def _overlaps(self, team_id: str, scope: Scope, panel: Panel | None) -> list[str]:
        """Other review panels covering some of the same target levels: say which one reviews them."""
        mine = {lv.id for lv in scope.target_levels(self.framework)}
        others = [p for p in self.repo.panels(team_id) if p.kind == REVIEW and (panel is None or p.id != panel.id)]
        out = []
        for other in others:
            shared = [lv for lv in Scope.of(other).target_levels(self.framework) if lv.id in mine]
            if not shared:
                continue
            first = self.reviewing(team_id, shared[0].id, [*others, *([panel] if panel else [])])
            titles = ", ".join(lv.title for lv in shared[:3]) + (f" and {len(shared) - 3} more" if len(shared) > 3 else "")
            which = "this panel" if first is None or panel is None or first.id == panel.id else repr(first.name)
            out.append(
                f"{other.name!r} also covers {titles}: nominations for them go to {which} (the narrower scope, then the name), "
                f"and to the other when it has too few members free to judge one."
            )
        return out


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 80:
        raise InvalidAnswers({form.PANEL_NAME: "A panel's name is 1 to 80 characters, e.g. 'Engineering IC panel'."})
    return cleaned


def _members(chair: str, members: Sequence[str]) -> tuple[str, ...]:
    everyone = tuple(dict.fromkeys([chair, *members]))
    if len(everyone) > MAX_MEMBERS:
        raise LadderError(f"A panel has at most {MAX_MEMBERS} members.")
    return everyone


def _names(user_ids: Sequence[str], people: dict[str, Person]) -> str:
    return ", ".join(people[u].name if u in people and people[u].name else u for u in user_ids)
