"""Import each published Markdown/HTML ladder in a folder of ladders and print what was found.

    .venv/bin/python bench/try_ladders.py [LADDERS_DIR] [--yaml OUT_DIR] [--only NAME] [--explain]

For each ladder (a folder holding the organisation's files beside its SOURCE.md): tracks, levels, competencies,
sections, and what was not placed, by reason. With --yaml, writes each imported framework file to OUT_DIR.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.framework.reading.draft import Draft  # noqa: E402
from bot.framework.reading.errors import UnreadableFile  # noqa: E402
from bot.framework.reading.html import read_html  # noqa: E402
from bot.framework.reading.markdown import read_markdown  # noqa: E402

READERS = {".md": read_markdown, ".markdown": read_markdown, ".html": read_html, ".htm": read_html}


def ladder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in READERS and p.name != "SOURCE.md")


def import_folder(folder: Path) -> tuple[Draft, float]:
    draft = Draft()
    started = time.perf_counter()
    for path in ladder_files(folder):
        try:
            READERS[path.suffix.lower()](path, draft)
        except UnreadableFile as exc:
            print(f"  refused: {exc}")
    draft.finish()
    return draft, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("ladders", nargs="?", default="/work/shared/ladders")
    parser.add_argument("--yaml", type=Path)
    parser.add_argument("--only")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    for folder in sorted(Path(args.ladders).iterdir()):
        if not folder.is_dir() or not ladder_files(folder) or (args.only and args.only != folder.name):
            continue
        draft, seconds = import_folder(folder)
        print(f"== {folder.name} ({len(ladder_files(folder))} files, {seconds * 1000:.0f} ms)")
        for line in draft.summary():
            print("  " + line)
        print(f"  competencies: {', '.join(c.name for c in draft.competencies.values())[:400]}")
        print(f"  sections: {'; '.join(f'{s.title} [{s.kind}]' for s in draft.sections)[:600]}")
        reasons = Counter(e.reason for e in draft.ledger.unplaced)
        for reason, count in reasons.most_common():
            print(f"  not placed: {count} × {reason}")
        if args.explain:
            print("\n".join("    " + line for line in draft.ledger.explain()))
        if args.yaml:
            args.yaml.mkdir(parents=True, exist_ok=True)
            (args.yaml / f"{folder.name}.yaml").write_text(draft.yaml(), encoding="utf-8")


if __name__ == "__main__":
    main()
