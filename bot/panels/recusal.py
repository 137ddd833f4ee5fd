"""Conflict of interest is automatic: who on a panel may not judge a given nomination, and why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Collection, Mapping, Sequence


class Reason(StrEnum):
    NOMINEE = "is the person nominated"
    NOMINATOR = "nominated them"
    CHAIN = "is in their management chain"
    REVIEWER = "is one of their peer reviewers"
    DECLARED = "declared a conflict of interest"


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
        """Fewer members than the policy asks can judge it: flagged to the chair."""
        return len(self.judges) < self.min_members


def sitting(
    members: Sequence[str],
    *,
    nominee: str,
    nominator: str,
    chain: Collection[str],
    reviewers: Collection[str],
    declared: Collection[str] = (),
    min_members: int = 3,
) -> Sitting:
    """``chain``: the nominee's managers; ``reviewers``: everyone asked to review it (a declined reviewer
    read the case too); ``declared``: members who declared a conflict themselves."""
    recused: dict[str, Reason] = {}
    for member in members:
        reason = (
            Reason.NOMINEE if member == nominee
            else Reason.NOMINATOR if member == nominator
            else Reason.CHAIN if member in chain
            else Reason.REVIEWER if member in reviewers
            else Reason.DECLARED if member in declared
            else None
        )  # fmt: skip
        if reason is not None:
            recused[member] = reason
    return Sitting(tuple(dict.fromkeys(members)), recused, min_members)
