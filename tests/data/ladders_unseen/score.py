"""Imports each ladder in this folder and asks its questions.yaml, as a new user would from a shell.

A rough, mechanical check of the answer keys (a phrase the correct answer must hold, one it must not);
the strict judgement per answer is in RESULTS.md. Run from the repository root:

    .venv/bin/python tests/data/ladders_unseen/score.py [LADDER_COMMAND]
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).parent


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, **env}, check=False)


def score(folder: Path, ladder: str, out: Path) -> tuple[int, int]:
    key = yaml.safe_load((folder / "questions.yaml").read_text(encoding="utf-8"))
    files = sorted(str(p) for pattern in key["import"] for p in folder.glob(pattern))
    imported = run([ladder, "framework", "import", *files, "-o", str(out), "--force"])
    if imported.returncode != 0:
        print(f"{folder.name}: import failed: {imported.stderr.strip()[:200]}")
        return 0, len(key["questions"])
    right = 0
    for item in key["questions"]:
        answer = run([ladder, "ask", item["ask"]], LADDER_FRAMEWORK=str(out)).stdout
        ok = all(p in answer for p in item.get("expect", [])) and not any(p in answer for p in item.get("not", []))
        right += ok
        first = next((line for line in answer.splitlines() if line.strip()), "")
        print(f"  {'ok ' if ok else 'NO '} {item['ask']!r} -> {first[:90]}")
    print(f"{folder.name}: {right}/{len(key['questions'])}")
    return right, len(key["questions"])


def main() -> None:
    ladder = sys.argv[1] if len(sys.argv) > 1 else ".venv/bin/ladder"
    total = asked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for folder in sorted(p for p in HERE.iterdir() if (p / "questions.yaml").exists()):
            right, count = score(folder, ladder, Path(tmp) / f"{folder.name}.yaml")
            total, asked = total + right, asked + count
    print(f"all: {total}/{asked}")


if __name__ == "__main__":
    main()
