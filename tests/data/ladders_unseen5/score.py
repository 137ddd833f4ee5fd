"""Import, check and ask each authored ladder in this folder, then score answers strictly.

Run from the repository root: .venv/bin/python tests/data/ladders_unseen5/score.py
"""

import os
import subprocess
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LADDER = str(Path(sys.executable).with_name("ladder"))


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr


def passes(answer: str, item: dict) -> bool:
    text = answer.casefold()
    if any(p.casefold() not in text for p in item.get("expect", [])):
        return False
    if any(p.casefold() in text for p in item.get("expect_not", [])):
        return False
    anyof = item.get("expect_any", [])
    return not anyof or any(p.casefold() in text for p in anyof)


def main() -> int:
    spec = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
    verbose = "-v" in sys.argv
    total = 0
    for name, ladder in spec.items():
        out = f"/tmp/g5_{name}.yaml"
        files = [str(HERE / f) for f in ladder["files"]]
        code, text = run([LADDER, "framework", "import", *files, "-o", out, "--force"])
        lost = [line for line in text.splitlines() if "not placed" in line]
        code_c, check = run([LADDER, "framework", "check", out])
        env = {**os.environ, "LADDER_FRAMEWORK": out}
        score = 0
        for item in ladder["questions"]:
            _, answer = run([LADDER, "ask", item["q"]], env)
            ok = passes(answer, item)
            score += ok
            if verbose or not ok:
                print(f"  [{'ok' if ok else 'FAIL'}] {item['q']}")
                if not ok:
                    print("      " + answer.strip().replace("\n", "\n      ")[:900])
        total += score
        print(f"{name}: import rc={code} {lost} check rc={code_c} -> {score}/{len(ladder['questions'])}")
    print(f"total {total}/{sum(len(v['questions']) for v in spec.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
