"""Gemba publishes its grades and capabilities as JSON data (assets/data/grades.json, matrix.json), a format Ladder
will never read. This copies the values into CSV cells, mechanically: one row per innermost object, one column per
key (a parent object's keys prefixed with the list they sit in, "categories.name"), in the order the keys first
appear. Nothing is reworded, added or left out; the Markdown fragments are imported as published."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def convert(ladder_dir: Path, out_dir: Path) -> list[Path]:
    written = []
    for name in ("grades", "matrix"):
        data = json.loads((ladder_dir / "assets" / "data" / f"{name}.json").read_text(encoding="utf-8"))
        rows = list(_rows(data))
        columns = list(dict.fromkeys(key for row in rows for key in row))
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([row.get(c, "") for c in columns] for row in rows)
        written.append(path)
    return written


def _rows(value: Any, inherited: dict[str, Any] | None = None, within: str = "") -> Any:
    """Every innermost object of the document as a flat row with its own keys, carrying its parents' scalar values
    under the name of the list they sit in ("categories.name")."""
    inherited = inherited or {}
    if isinstance(value, list):
        for item in value:
            yield from _rows(item, inherited, within)
        return
    if not isinstance(value, dict):
        return
    scalars = {k: v for k, v in value.items() if not isinstance(v, (dict, list))}
    nested = {k: v for k, v in value.items() if isinstance(v, (dict, list))}
    if not nested:
        yield {**inherited, **scalars}
        return
    carried = {**inherited, **{f"{within}.{k}" if within else k: v for k, v in scalars.items()}}
    for key, child in nested.items():
        yield from _rows(child, carried, key)
