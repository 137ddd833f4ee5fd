"""Harness for the authored ladders in this folder (issue #17, third round).

For each ladder: import its files, check the result, ask its ten questions and score them.
Run from the repository root: .venv/bin/python tests/data/ladders_unseen3/score.py [ladder ...]
A question passes when every `expect` phrase is in the answer and no `expect_not` phrase is
(case-insensitive). An import or check failure fails all ten of that ladder.
"""

import os
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
LADDER = Path(".venv/bin/ladder")


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)


def score_ladder(name: str, spec: dict) -> int:
    out = Path(f"/tmp/g3_{name}.yaml")
    files = [str(HERE / f) for f in spec["files"]]
    imported = run([str(LADDER), "framework", "import", *files, "-o", str(out), "--force"])
    print(f"=== {name}: import rc={imported.returncode}")
    print(imported.stdout.strip() or imported.stderr.strip())
    if imported.returncode != 0:
        return 0
    checked = run([str(LADDER), "framework", "check", str(out)])
    print(f"check rc={checked.returncode}: {checked.stdout.strip().splitlines()[-1:]}")
    if checked.returncode != 0:
        return 0
    env = {**os.environ, "LADDER_FRAMEWORK": str(out)}
    passed = 0
    for item in spec["questions"]:
        answer = run([str(LADDER), "ask", item["q"]], env=env).stdout
        low = answer.lower()
        missing = [p for p in item["expect"] if p.lower() not in low]
        wrong = [p for p in item["expect_not"] if p.lower() in low]
        ok = not missing and not wrong
        passed += ok
        print(f"[{'PASS' if ok else 'FAIL'}] {item['q']}")
        if not ok:
            print(f"    missing={missing} unwanted={wrong}")
            print("    " + answer.strip().replace("\n", "\n    ")[:900])
    print(f"--- {name}: {passed}/{len(spec['questions'])}")
    return passed


def main() -> None:
    specs = yaml.safe_load((HERE / "questions.yaml").read_text())
    wanted = sys.argv[1:] or list(specs)
    total = sum(score_ladder(n, specs[n]) for n in wanted)
    print(f"TOTAL {total}/{10 * len(wanted)}")


if __name__ == "__main__":
    main()
