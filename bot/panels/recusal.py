"""Conflict of interest is automatic: who may not judge a nomination, and why — one rule for scorers, deciders and
the people who hear an appeal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Collection, Mapping, Sequence


class Reason(StrEnum):
    NOMINEE = "is the person nominated"
    NOMINATOR = "nominated them"
    CHAIN = "is in their management chain"
    REVIEWER = "was asked to review it"
    DECLARED = "declared a conflict of interest"
    DECIDED = "decided it the first time"


@dataclass(frozen=True)
class Parties:
    """Everyone with a stake in one nomination. ``reviewers``: everyone asked to review it (a reviewer who declined
    read the case too); ``declared``: people who declared a conflict on it themselves; ``deciders``: who decided it
    the first time (set when an appeal is heard)."""

    nominee: str
    nominator: str
    chain: frozenset[str] = frozenset()
    reviewers: frozenset[str] = frozenset()
    declared: frozenset[str] = frozenset()
    deciders: frozenset[str] = frozenset()

    def reason(self, person: str) -> Reason | None:
        """Why ``person`` may not judge the nomination, or None when they may."""
        if person == self.nominee:
            return Reason.NOMINEE
        if person == self.nominator:
            return Reason.NOMINATOR
        if person in self.chain:
            return Reason.CHAIN
        if person in self.reviewers:
            return Reason.REVIEWER
        if person in self.declared:
            return Reason.DECLARED
        if person in self.deciders:
            return Reason.DECIDED
        return None

    def for_the_appeal(self, deciders: Collection[str]) -> Parties:
        return Parties(self.nominee, self.nominator, self.chain, self.reviewers, self.declared, frozenset(deciders))


@dataclass(frozen=True)
class Sitting:
    """A panel as it sits for one nomination: who judges it, who is recused and why."""

    members: tuple[str, ...]
    recused: Mapping[str, Reason]
    min_members: int

    @property
    def judges(self) -> tuple[str, ...]:
        return tuple(m for m in self.members if m not in self.recused)

    @property
    def too_few(self) -> bool:
        """Fewer members than the policy asks can judge it: the panel cannot decide it."""
        return len(self.judges) < self.min_members


def sitting(members: Sequence[str], parties: Parties, *, min_members: int = 3) -> Sitting:
    recused = {member: reason for member in members if (reason := parties.reason(member)) is not None}
    return Sitting(tuple(dict.fromkeys(members)), recused, min_members)
