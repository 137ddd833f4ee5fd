"""Groups of competencies ("Craft", "Collaboration"): the categories a framework files its competencies under.

A group has no id of its own in the framework file, only the name its competencies carry in ``group``; competencies
whose group names are the same in the normal form of names belong to one group.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.framework.model import Competency, Framework
from bot.framework.names import name_words


@dataclass(frozen=True)
class Group:
    """A category of competencies, with its competencies in file order."""

    name: str
    competencies: tuple[Competency, ...]

    @property
    def id(self) -> str:
        """The group's name in the normal form of names: how answers and "did you mean" buttons key it."""
        return "_".join(name_words(self.name))


def groups_of(framework: Framework) -> tuple[Group, ...]:
    """The framework's groups of competencies, in the order their first competency is written."""
    names: dict[tuple[str, ...], str] = {}
    members: dict[tuple[str, ...], list[Competency]] = {}
    for competency in framework.competencies:
        if not competency.group:
            continue
        words = name_words(competency.group)
        if not words:
            continue
        names.setdefault(words, competency.group)
        members.setdefault(words, []).append(competency)
    return tuple(Group(names[words], tuple(found)) for words, found in members.items())
