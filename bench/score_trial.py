"""Score a first-contact trial of issue #17: the authored ladders of one folder, imported, checked and asked as a new
user would, each answer scored strictly.

    .venv/bin/python bench/score_trial.py tests/data/ladders_unseen5 [-v] [LADDER ...]

The folder's ``questions.yaml`` names, per ladder, its ``files`` and ten ``questions``: ``q`` (asked with
``ladder ask``) and the phrases an answer must hold (``expect``, every one; ``expect_any``, one at least) and must
not (``expect_not``), compared without regard to case. An import or check failure fails every question of its
ladder. ``-v`` prints every answer, not only the failures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

LADDER = str(Path(sys.executable).with_name("ladder"))


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr


def passes(answer: str, item: dict[str, Any]) -> bool:
    text = answer.casefold()
    if any(p.casefold() not in text for p in item.get("expect", [])):
        return False
    if any(p.casefold() in text for p in item.get("expect_not", [])):
        return False
    anyof = item.get("expect_any", [])
    return not anyof or any(p.casefold() in text for p in anyof)


def score_ladder(folder: Path, name: str, ladder: dict[str, Any], out: Path, verbose: bool) -> int:
    files = [str(folder / f) for f in ladder["files"]]
    code, text = run([LADDER, "framework", "import", *files, "-o", str(out), "--force"])
    lost = [line for line in text.splitlines() if "not placed" in line]
    checked, _ = run([LADDER, "framework", "check", str(out)]) if code == 0 else (code, "")
    score = 0
    for item in ladder["questions"]:
        answer = run([LADDER, "ask", item["q"]], {**os.environ, "LADDER_FRAMEWORK": str(out)})[1] if checked == 0 else ""
        ok = passes(answer, item) if checked == 0 else False
        score += ok
        if verbose or not ok:
            print(f"  [{'ok' if ok else 'FAIL'}] {item['q']}")
            if not ok and answer:
                print("      " + answer.strip().replace("\n", "\n      ")[:900])
    print(f"{name}: import rc={code} {lost} check rc={checked} -> {score}/{len(ladder['questions'])}")
    return score


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "-v"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    folder, only = Path(args[0]), set(args[1:])
    spec = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    chosen = {name: ladder for name, ladder in spec.items() if not only or name in only}
    with tempfile.TemporaryDirectory() as tmp:
        total = sum(
            score_ladder(folder, name, ladder, Path(tmp) / f"{name}.yaml", "-v" in argv) for name, ladder in chosen.items()
        )
    print(f"total {total}/{sum(len(ladder['questions']) for ladder in chosen.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
