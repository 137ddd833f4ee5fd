"""Skore publishes its positions, functional roles and RACI table as JavaScript constants (career-ladder/index.js:
`const jobs = [...]`, `const functionalRoles = [...]`, `const raciData = [...]`), which the page renders at load time
— a format Ladder will never read. This copies their values into CSV cells, mechanically: one file per constant, one
row per object, one column per key in the order the keys first appear, a list's items on separate lines of one cell.
Nothing is reworded, added or left out. The page itself (index.html) is imported as published."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

CONSTANTS = {"jobs": "jobs.csv", "functionalRoles": "functional_roles.csv", "raciData": "raci.csv"}


def convert(ladder_dir: Path, out_dir: Path) -> list[Path]:
    source = (ladder_dir / "career-ladder" / "index.js").read_text(encoding="utf-8")
    written = []
    for name, file_name in CONSTANTS.items():
        start = re.search(rf"\bconst {name} = ", source)
        if start is None:
            raise ValueError(f"index.js has no constant {name}")
        rows, _ = _Literal(source, start.end()).value()
        columns = list(dict.fromkeys(key for row in rows for key in row))
        path = out_dir / file_name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
        written.append(path)
    return written


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_cell(v) for v in value)
    return str(value)


class _Literal:
    """Reads one JavaScript literal (objects, arrays, single- or double-quoted strings, null, numbers)."""

    def __init__(self, text: str, at: int) -> None:
        self.text, self.at = text, at

    def value(self) -> tuple[Any, int]:
        self._space()
        char = self.text[self.at]
        if char == "[":
            return self._array(), self.at
        if char == "{":
            return self._object(), self.at
        if char in "'\"":
            return self._string(), self.at
        word = re.compile(r"[A-Za-z0-9_.+-]+").match(self.text, self.at)
        if word is None:
            raise ValueError(f"index.js: unexpected {char!r} at {self.at}")
        self.at = word.end()
        token = word.group()
        return {"null": None, "true": True, "false": False}.get(token, token), self.at

    def _space(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\r\n":
            self.at += 1

    def _array(self) -> list[Any]:
        self.at += 1
        items = []
        while True:
            self._space()
            if self.text[self.at] == "]":
                self.at += 1
                return items
            item, _ = self.value()
            items.append(item)
            self._space()
            if self.text[self.at] == ",":
                self.at += 1

    def _object(self) -> dict[str, Any]:
        self.at += 1
        entries: dict[str, Any] = {}
        while True:
            self._space()
            if self.text[self.at] == "}":
                self.at += 1
                return entries
            key = re.compile(r"['\"]?([A-Za-z0-9_]+)['\"]?\s*:").match(self.text, self.at)
            if key is None:
                raise ValueError(f"index.js: expected a key at {self.at}")
            self.at = key.end()
            entries[key.group(1)], _ = self.value()
            self._space()
            if self.text[self.at] == ",":
                self.at += 1

    def _string(self) -> str:
        quote = self.text[self.at]
        self.at += 1
        out = []
        while self.text[self.at] != quote:
            if self.text[self.at] == "\\":
                self.at += 1
            out.append(self.text[self.at])
            self.at += 1
        self.at += 1
        return "".join(out)
