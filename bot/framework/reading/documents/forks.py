"""Tracks that continue from a level of another track (a trunk that forks): what the pages say of where a track starts."""

from __future__ import annotations

import re

from bot.framework.names import normalize
from bot.framework.reading.documents.placing import Placing
from bot.framework.reading.draft import DraftTrack
from bot.framework.reading.outline import iter_texts

_STARTS_AFTER = re.compile(
    r"\b(?:start|starts|begin|begins|continue|continues|branch(?:es)?)\s+(?:after|from|off)\s+(.{2,80})", re.I
)


class Forks(Placing):
    """Step 5b: where each track starts, when it continues from another track's level."""

    def _starts_after(self) -> None:
        """A track whose description says it starts after another track's level ("These roles start after Senior
        Developer") continues from that level."""
        for track in self.draft.tracks:
            if track.starts_after:
                continue
            for piece in track.description:
                match = _STARTS_AFTER.search(piece.text)
                if not match:
                    continue
                tail = normalize(match.group(1))
                names = sorted(
                    (
                        (level.title, normalize(level.title))
                        for other in self.draft.tracks
                        if other is not track
                        for level in other.levels
                    ),
                    key=lambda pair: -len(pair[1]),
                )
                hit = next((key for _title, key in names if key and (tail == key or tail.startswith(key + " "))), None)
                if hit:
                    candidates = [
                        (other, level)
                        for other in self.draft.tracks
                        if other is not track
                        for level in other.levels
                        if normalize(level.title) == hit
                    ]
                    linking = self._tracks_linking_to(track)
                    preferred = [c for c in candidates if id(c[0]) in linking] or candidates
                    track.starts_after = preferred[0][1] if len(preferred) == 1 else preferred[0][1].title
                    break

    def _tracks_linking_to(self, track: DraftTrack) -> set[int]:
        """The tracks whose pages link to a page of ``track``."""
        pages = [d for d in self.docs if d.track is track or any(self.group_track.get(id(p)) is track for p, _ in d.groups)]
        linking: set[int] = set()
        for doc in self.docs:
            tracks = (
                {id(doc.track)}
                if doc.track
                else {id(self.group_track[id(p)]) for p, _ in doc.groups if id(p) in self.group_track}
            )
            for text in iter_texts(doc.document.blocks):
                if any(self._page_at(doc, target) in pages for _label, target in text.links if self._page_at(doc, target)):
                    linking |= tracks
        return linking
