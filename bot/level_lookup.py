"""Levels and tracks by the names a person types for them in a file or a command: a people CSV's level column, a
panel's scope. Names compare in the one normal form (:func:`bot.framework.names.name_key`: "IC 1" is "IC1", "Sr
Engineer" is "Senior Engineer", "Engineer II" is "Engineer 2").

A level is found by its id as written, else by its id, title or an alias in the normal form, else by a code or name
written inside its title ("L3" of "Senior Programmer (L3)"). Short names made up by leaving words out ("Principal" for
"Principal Engineer") are for questions, never for writing down who is at which level. A name several levels carry
returns each of them: the caller says which it could mean and asks for a track or an id; it never picks one.
"""

from __future__ import annotations

from bot.framework.model import Framework, Level, Track
from bot.framework.names import name_key
from bot.framework.spoken_names import INSIDE_A_TITLE, level_names


class LevelLookup:
    """Every level and track of one framework by the names a person types; build once per import."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self._written: dict[str, list[Level]] = {}
        self._inside: dict[str, list[Level]] = {}
        derived = level_names(framework)
        for level in framework.levels:
            for name in (level.id, level.title, *level.aliases):
                _add(self._written, name_key(name), level)
            for spoken in derived[level.id]:
                if spoken.tier == INSIDE_A_TITLE:
                    _add(self._inside, " ".join(spoken.words), level)
        self._tracks: dict[str, list[Track]] = {}
        for track in framework.tracks:
            for name in (track.id, track.name, *track.aliases):
                key = name_key(name)
                if key and track not in self._tracks.setdefault(key, []):
                    self._tracks[key].append(track)

    def levels(self, text: str, track: Track | None = None) -> tuple[Level, ...]:
        """The levels ``text`` names (on ``track`` when given), in file order: none, one, or several."""
        exact = self.framework.level(text.strip())
        if exact is not None and (track is None or exact.track_id == track.id):
            return (exact,)
        key = name_key(text)
        if not key:
            return ()
        for index in (self._written, self._inside):
            found = tuple(lv for lv in index.get(key, ()) if track is None or lv.track_id == track.id)
            if found:
                return found
        return ()

    def tracks(self, text: str) -> tuple[Track, ...]:
        """The tracks ``text`` names (by id, name or alias), in file order."""
        exact = self.framework.track(text.strip())
        if exact is not None:
            return (exact,)
        return tuple(self._tracks.get(name_key(text), ()))

    def families(self, text: str) -> tuple[str, ...]:
        """The families ``text`` names, as the file writes them."""
        key = name_key(text)
        return tuple(dict.fromkeys(t.family for t in self.framework.tracks if t.family and name_key(t.family) == key))

    def described(self, levels: tuple[Level, ...]) -> str:
        """Candidates as a person reads them: "se2 (Senior Engineer 2, Individual Contributor track) or m_se2 (…)"."""
        named = [f"{lv.id} ({lv.title}, {self.framework.track_of(lv).name} track)" for lv in levels]
        return ", ".join(named[:-1]) + f" or {named[-1]}" if len(named) > 1 else "".join(named)


def _add(index: dict[str, list[Level]], key: str, level: Level) -> None:
    if key and level not in index.setdefault(key, []):
        index[key].append(level)
