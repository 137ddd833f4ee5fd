"""Which labels name a level's field (summary, scope, decision rights, typical time in level).

The same rule as the spreadsheet reader's: a label names a field only when it is the field's exact name ("Scope",
"Decision rights", "Summary" or "Description", "Typical time in level"), and each field of a level is taken by one
label at most. Any other label ("Impact", "Decision making", "Tenure") is a competency of its own, and so is a second
label for a field another label took ("Description" after "Summary"): two dimensions never land in one field.
One exception, where nothing can collide: a label about tenure ("Approximate tenure in this role") whose text is only
a duration ("~3 year") is the level's typical time in level, as a duration in a title cell is for the spreadsheet reader.
"""

from __future__ import annotations

import re

from bot.framework.names import normalize
from bot.framework.reading.draft import DraftLevel, LevelField
from bot.framework.reading.grids import FIELDS

_DURATION = re.compile(
    r"^(?:about|around|approx\.?|approximately|typically|at least)?\s*[~≈<>]?\s*\d+(?:[.,]\d+)?"
    r"(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?\s*\+?\s*(?:years?|yrs?|y|months?|mths?|mos?|weeks?|wks?)\.?$",
    re.I,
)
_TENURE = re.compile(r"\b(?:tenure|time in (?:the )?(?:role|level|grade|position))\b", re.I)


class FieldClaims:
    """The label that took each field of each level, so that another label does not land in it too."""

    def __init__(self) -> None:
        self._taken: dict[tuple[int, str], str] = {}

    def claim(
        self, levels: list[DraftLevel], label: str | None, only: LevelField | None = None, value: str | None = None
    ) -> LevelField | None:
        """The field ``label`` names for ``levels`` (taken for each of them), or None: the label is not a field's exact
        name (or not ``only``'s), or another label took that field on one of these levels. With ``value`` (the text
        the label introduces), a label about tenure over a duration names the typical time in level."""
        key = normalize(label or "")
        name = FIELDS.get(key)
        if name is None and value is not None and is_tenure(label or "", value):
            name = "typical_time_in_level"
        if name is None or (only is not None and name != only):
            return None
        if any(self._taken.get((id(level), name), key) != key for level in levels):
            return None
        for level in levels:
            self._taken[(id(level), name)] = key
        return name


def is_tenure(label: str, value: str) -> bool:
    """ "Approximate Tenure in this role" over "~3 year": a time in level, said as a duration and nothing else."""
    return bool(_TENURE.search(label)) and bool(_DURATION.match(" ".join(value.split())))
