"""Findmypast's site keeps one JSON data file per family folder (src/content/engineering/engineering.json,
src/content/product/product.json: `{"tags": "engineering"}`), which Eleventy uses to group the level pages — a format
Ladder will never read. This copies each file's keys and values into the cells of a CSV file of the same name (a
header row of keys, a row of values), nothing reworded. The Markdown level pages are imported as published."""

from __future__ import annotations

import csv
import json
from pathlib import Path


def convert(ladder_dir: Path, out_dir: Path) -> list[Path]:
    written = []
    for source in sorted((ladder_dir / "src" / "content").glob("*/*.json")):
        data = json.loads(source.read_text(encoding="utf-8"))
        path = out_dir / source.parent.name / f"{source.stem}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(data))
            writer.writerow([str(v) for v in data.values()])
        written.append(path)
    return written
