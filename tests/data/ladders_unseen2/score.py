"""Score Ladder against the authored ladders in this folder, as an outside harness would.

For every ladder folder (a subfolder holding questions.yaml): import its files as they are,
check the result, list the words of the source that the framework no longer holds, ask each
question with `ladder ask`, and score the answer against phrases taken from the source.

    .venv/bin/python tests/data/ladders_unseen2/score.py            # every ladder
    .venv/bin/python tests/data/ladders_unseen2/score.py b_support_gdocs -v   # one, with answers

A question passes when its answer holds every `expect` phrase, all phrases of at least one
`expect_any` group, no `expect_not` phrase nor any of the ladder's `never_say`, and, unless it is marked `ambiguous`, no
"did you mean" / "could mean" (a name that is unique must not be asked back). Phrases compare
without regard to case and spacing. Exit status: 0 when every question passes, else 1.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ASKED_BACK = ("did you mean", "could mean", "which one did you mean")
LATIN_WORD = re.compile(r"[^\W\d_]{3,}")
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff10-\uff5a]{2,}")
SKIPPED_KEYS = {"id", "equivalent", "starts_after", "about", "kind"}


def ladder_command() -> str:
    beside_python = Path(sys.executable).parent / "ladder"
    return str(beside_python) if beside_python.exists() else "ladder"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").casefold()).strip()


def holds(answer: str, phrase: str) -> bool:
    a, p = normalise(answer), normalise(phrase)
    return p in a or p.replace(" ", "") in a.replace(" ", "")


# --- the words of a source file ---------------------------------------------------------


def source_chunks(path: Path) -> Iterator[str]:
    suffix = path.suffix.lower()
    if suffix in {".md", ".markdown", ".txt"}:
        yield from path.read_text(encoding="utf-8").splitlines()
    elif suffix in {".html", ".htm"}:
        import lxml.html

        root = lxml.html.fromstring(path.read_bytes())
        for dropped in root.xpath("//style|//script|//head"):
            dropped.drop_tree()
        for element in root.iter("p", "li", "td", "th", "h1", "h2", "h3", "h4"):
            if not element.xpath(".//p|.//li"):
                yield element.text_content()
    elif suffix in {".xlsx", ".xlsm"}:
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            yield sheet.title
            for row in sheet.iter_rows(values_only=True):
                yield from (str(value) for value in row if value is not None)
    elif suffix in {".csv", ".tsv"}:
        text = path.read_text(encoding="utf-8-sig")
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
        for row in csv.reader(text.splitlines(keepends=True), delimiter=delimiter):
            yield from row
    else:
        raise SystemExit(f"score.py: no reader for {path}")


def framework_strings(node: object, key: str = "") -> Iterator[str]:
    if key in SKIPPED_KEYS or (key == "tracks" and isinstance(node, list) and all(isinstance(t, str) for t in node)):
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for child_key, child in node.items():
            yield from framework_strings(child, str(child_key))
    elif isinstance(node, list):
        for child in node:
            yield from framework_strings(child, key)


def lost_words(sources: list[Path], framework: Path) -> list[tuple[str, str]]:
    """Words (and runs of CJK text) of the sources the framework's text does not hold."""
    data = yaml.safe_load(framework.read_text(encoding="utf-8"))
    corpus = "\n".join(framework_strings(data))
    corpus_words = {word.casefold() for word in LATIN_WORD.findall(corpus)}
    corpus_packed = re.sub(r"\s+", "", corpus)
    lost: dict[str, str] = {}
    for source in sources:
        for chunk in source_chunks(source):
            for word in LATIN_WORD.findall(chunk):
                if word.casefold() not in corpus_words:
                    lost.setdefault(word.casefold(), chunk.strip()[:90])
            for run in CJK_RUN.findall(chunk):
                if run not in corpus_packed:
                    lost.setdefault(run, chunk.strip()[:90])
    return sorted(lost.items())


# --- one ladder ---------------------------------------------------------------------------


@dataclass
class Outcome:
    question: str
    passed: bool
    reasons: list[str] = field(default_factory=list)
    answer: str = ""


def judge(entry: dict, answer: str, status: int, never_say: list[str]) -> Outcome:
    reasons: list[str] = []
    if status != 0:
        reasons.append(f"exit status {status}")
    reasons += [f"missing {p!r}" for p in entry.get("expect", []) if not holds(answer, p)]
    groups = entry.get("expect_any", [])
    if groups and not any(all(holds(answer, p) for p in group) for group in groups):
        reasons.append(f"none of {groups!r}")
    unsaid = dict.fromkeys([*entry.get("expect_not", []), *never_say])
    reasons += [f"says {p!r}" for p in unsaid if holds(answer, p)]
    if not entry.get("ambiguous") and any(holds(answer, p) for p in ASKED_BACK):
        reasons.append("asks back about a unique name")
    return Outcome(entry["q"], not reasons, reasons, answer)


def score_ladder(folder: Path, workdir: Path, verbose: bool) -> tuple[int, int]:
    spec = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    sources = [folder / name for name in spec["files"]]
    framework = workdir / f"{folder.name}.yaml"
    ladder = ladder_command()
    print(f"== {folder.name}")
    imported = subprocess.run(
        [ladder, "framework", "import", *map(str, sources), "-o", str(framework), "--force"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in (imported.stdout + imported.stderr).splitlines():
        print(f"   import: {line}")
    questions = spec["questions"]
    if imported.returncode != 0 or not framework.exists():
        print(f"   import failed: 0/{len(questions)}")
        return 0, len(questions)
    checked = subprocess.run([ladder, "framework", "check", str(framework)], capture_output=True, text=True, timeout=120)
    print(f"   check: {(checked.stdout + checked.stderr).strip().splitlines()[-1]}")
    lost = lost_words(sources, framework)
    print(f"   words not in the framework: {len(lost)}")
    for word, where in lost[:40]:
        print(f"     {word!r} in {where!r}")
    environment = {**os.environ, "LADDER_FRAMEWORK": str(framework)}
    passed = 0
    for entry in questions:
        asked = subprocess.run([ladder, "ask", entry["q"]], capture_output=True, text=True, timeout=120, env=environment)
        outcome = judge(entry, asked.stdout + asked.stderr, asked.returncode, spec.get("never_say", []))
        passed += outcome.passed
        mark = "PASS" if outcome.passed else "FAIL"
        print(f"   {mark} {entry['q']!r}" + ("" if outcome.passed else f": {'; '.join(outcome.reasons)}"))
        if verbose:
            print("      | " + outcome.answer.strip().replace("\n", "\n      | "))
    print(f"   {folder.name}: {passed}/{len(questions)}")
    return passed, len(questions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ladders", nargs="*", help="folder names (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every answer")
    parser.add_argument("--keep", metavar="DIR", help="write the imported frameworks here")
    parser.add_argument("--root", type=Path, default=HERE, help="folder of ladder folders")
    args = parser.parse_args()
    folders = sorted(p.parent for p in args.root.glob("*/questions.yaml"))
    if args.ladders:
        folders = [f for f in folders if f.name in args.ladders]
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(args.keep or scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        totals = [score_ladder(folder, workdir, args.verbose) for folder in folders]
    passed, asked = sum(t[0] for t in totals), sum(t[1] for t in totals)
    print(f"== total: {passed}/{asked}")
    return 0 if passed == asked else 1


if __name__ == "__main__":
    sys.exit(main())
