"""Benchmark for issue #17: real career ladders, imported as their organisations published them, asked in their own words.

For every ladder folder in ``--ladders`` that has a question file in ``bench/ladders/<org>/questions.yaml``:

1. import its files as published with ``bot.framework.reading.files.import_files`` (or, where a format Ladder will
   never read — JSON data, JavaScript constants — after ``bench/ladders/<org>/convert.py``, which only copies values
   into CSV cells, nothing reworded), and time it;
2. write the YAML framework file the import makes and check it with ``bot.framework.loader.check_framework_text``;
3. ask each of the ladder's ten questions the way ``ladder ask`` does (``CareerQuestions``, rendered to plain text by
   ``messages.render.Renderer.terminal``) and score it: correct when every ``expect`` phrase is in the answer, at
   least one ``expect_any`` phrase is (when given), and no ``expect_not`` phrase is — compared without regard to
   case, spacing, typographic quotes and Markdown emphasis;
4. resolve every level code and short name the organisation uses (``codes:``): "what is <code>" must answer with
   that level, or — for a name that could mean several levels — name each of them without picking one.

Until the importer reads a format, the ladder is reported as "not read: <reason>" and scores nothing.

Run:  .venv/bin/python bench/bench_ladders.py [--ladders DIR] [--only ORG ...] [--show-failures] [--answers DIR]
      .venv/bin/python bench/bench_ladders.py --check-phrases   (every expectation is the source's own text)
"""

from __future__ import annotations

import argparse
import csv
import glob
import importlib.util
import os
import platform
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: import the project, not an installed copy
    sys.path.insert(0, str(ROOT))

QUESTIONS = ROOT / "bench" / "ladders"
DEFAULT_LADDERS = Path("/work/shared/ladders")

PHRASE_SETS: dict[str, list[str]] = {
    # "the framework names none": answers to an equivalence the file does not state
    "@names_none": [
        "names no equivalent",
        "names none",
        "no equivalent",
        "does not name",
        "doesn't name",
        "not named as equivalent",
    ],
    # "the framework does not say": answers to a question no passage of the file answers
    "@not_said": ["does not say", "doesn't say", "says nothing", "does not mention", "doesn't mention", "no passage"],
}

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_EMPHASIS = re.compile(r"[*_`]")
_SPACES = re.compile(r"\s+")


def normalised(text: str) -> str:
    """Case, spacing, typographic quotes and Markdown emphasis do not matter when an answer is compared."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub(" ", _EMPHASIS.sub("", text)).strip().casefold()


def _name_key(text: str) -> str:
    """A level title or alias, compared without case, punctuation or spacing."""
    return re.sub(r"[\W_]+", " ", normalised(text)).strip()


# -- the question files ---------------------------------------------------------------------------------


@dataclass
class Question:
    ask: str
    kind: str
    expect: list[str]
    expect_any: list[str] = field(default_factory=list)
    expect_not: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Code:
    code: str
    levels: list[str] = field(default_factory=list)
    """Titles (or aliases) any one of which the answer's level must carry."""
    track: str | None = None
    ambiguous: list[str] = field(default_factory=list)
    """Phrases an answer naming each meaning must hold (titles, or track names when the titles are the same)."""
    means: str | None = None
    """For a code that is not one level (a dimension grade shared by several): the source's words for it."""


@dataclass
class LadderSpec:
    org: str
    organisation: str
    folder: Path
    files: list[str]
    convert: list[str]
    code_question: str
    codes: list[Code]
    questions: list[Question]


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return list(PHRASE_SETS[value]) if value in PHRASE_SETS else [value]
    out: list[str] = []
    for item in value:
        out += _as_list(item)
    return out


def load_spec(org: str, questions_dir: Path = QUESTIONS) -> LadderSpec:
    data = yaml.safe_load((questions_dir / org / "questions.yaml").read_text(encoding="utf-8"))
    codes = []
    for entry in data.get("codes", []):
        codes.append(
            Code(
                code=str(entry["code"]),
                levels=_as_list(entry.get("level")),
                track=entry.get("track"),
                ambiguous=_as_list(entry.get("ambiguous")),
                means=entry.get("means"),
            )
        )
    questions = [
        Question(
            ask=q["ask"],
            kind=q["kind"],
            expect=_as_list(q.get("expect")),
            expect_any=_as_list(q.get("expect_any")),
            expect_not=_as_list(q.get("expect_not")),
            note=q.get("note", ""),
        )
        for q in data["questions"]
    ]
    return LadderSpec(
        org=org,
        organisation=data["organisation"],
        folder=questions_dir / org,
        files=list(data["files"]),
        convert=list(data.get("convert") or []),
        code_question=data.get("code_question", "what is {code}"),
        codes=codes,
        questions=questions,
    )


def all_orgs(questions_dir: Path = QUESTIONS) -> list[str]:
    return sorted(p.parent.name for p in questions_dir.glob("*/questions.yaml"))


def input_files(spec: LadderSpec, ladder_dir: Path) -> list[Path]:
    """The published files the ladder imports (globs from its question file), in a stable order."""
    found: list[Path] = []
    for pattern in spec.files:
        matches = sorted(Path(p) for p in glob.glob(str(ladder_dir / pattern), recursive=True))
        found += [m for m in matches if m.is_file() and m not in found]
    return found


def converted_files(spec: LadderSpec, ladder_dir: Path, out_dir: Path) -> list[Path]:
    """Run the ladder's convert.py (cells copied, nothing reworded) and return the files it wrote."""
    if not spec.convert:
        return []
    module_path = spec.folder / "convert.py"
    module_spec = importlib.util.spec_from_file_location(f"convert_{spec.org.replace('-', '_')}", module_path)
    assert module_spec and module_spec.loader
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return list(module.convert(ladder_dir, out_dir))


# -- importing and asking --------------------------------------------------------------------------------


@dataclass
class Imported:
    status: str
    """"yes", "after conversion", or "no: <reason>"."""
    reason: str = ""
    framework: Any = None
    draft: Any = None
    yaml_text: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: int = 0
    unplaced: int = 0
    unplaced_markup: int = 0
    import_seconds: float | None = None
    check_seconds: float | None = None
    input_bytes: int = 0


def import_ladder(spec: LadderSpec, ladder_dir: Path) -> Imported:
    """Import the ladder's files as published (after its conversion, if it has one) and check the result."""
    with tempfile.TemporaryDirectory() as tmp:
        published = input_files(spec, ladder_dir)
        converted = converted_files(spec, ladder_dir, Path(tmp))
        paths = published + converted
        size = sum(p.stat().st_size for p in paths)
        if not paths:
            return Imported("no", "no input files found", input_bytes=0)
        try:
            from bot.framework.reading.files import import_files
        except ImportError as exc:
            return Imported("no", f"not read: the importer is not there yet ({exc})", input_bytes=size)
        started = time.perf_counter()
        try:
            draft = import_files(paths, spec.organisation)
            import_seconds = time.perf_counter() - started
            yaml_text = draft.yaml()
        except Exception as exc:  # noqa: BLE001 - any failure is "not read", with its reason, for the table
            return Imported("no", f"not read: {type(exc).__name__}: {_one_line(str(exc))}", input_bytes=size)
    from bot.framework.loader import check_framework_text

    started = time.perf_counter()
    result = check_framework_text(yaml_text, f"{spec.org}.yaml")
    check_seconds = time.perf_counter() - started
    unplaced = list(draft.ledger.unplaced)
    markup = sum(1 for e in unplaced if "markup" in e.reason.lower())
    imported = Imported(
        "after conversion" if converted else "yes",
        draft=draft,
        yaml_text=yaml_text,
        errors=result.lines() if result.errors else [],
        warnings=len(result.warnings),
        unplaced=len(unplaced),
        unplaced_markup=markup,
        import_seconds=import_seconds,
        check_seconds=check_seconds,
        input_bytes=size,
    )
    if result.errors or result.framework is None:
        imported.status = "no"
        imported.reason = f"check: {len(result.errors)} error(s): {_one_line(result.errors[0].message) if result.errors else ''}"
    else:
        imported.framework = result.framework
    return imported


class Asker:
    """Asks as `ladder ask` does: CareerQuestions without a recorded level, rendered as plain text."""

    def __init__(self, framework: Any) -> None:
        from bot.careers import CareerQuestions
        from messages.render import Renderer

        self.questions = CareerQuestions(framework)
        self.renderer = Renderer()

    def ask(self, text: str) -> tuple[Any, str]:
        answer = self.questions.ask(text)
        return answer, self.renderer.terminal(answer.template, **answer.context)


@dataclass
class Scored:
    question: Question
    correct: bool
    answer: str
    missing: list[str]
    wrong: list[str]
    template: str = ""


def score(question: Question, answer_text: str, template: str = "") -> Scored:
    text = normalised(answer_text)
    missing = [p for p in question.expect if normalised(p) not in text]
    if question.expect_any and not any(normalised(p) in text for p in question.expect_any):
        missing.append("one of: " + " | ".join(question.expect_any))
    wrong = [p for p in question.expect_not if normalised(p) in text]
    return Scored(question, not missing and not wrong, answer_text, missing, wrong, template)


@dataclass
class Resolved:
    code: Code
    resolved: bool
    got: str


def _level_names(level: Any) -> set[str]:
    names = {level.title, *getattr(level, "aliases", ())}
    names.add(re.sub(r"\s*\([^)]*\)\s*", " ", level.title))  # "Senior Programmer (L3)" carries "Senior Programmer"
    return {_name_key(n) for n in names if n.strip()}


def resolve(code: Code, spec: LadderSpec, asker: Asker) -> Resolved:
    answer, text = asker.ask(spec.code_question.format(code=code.code))
    level = answer.context.get("level") if answer.template == "level" else None
    got = f"{answer.template}: {level.title}" if level is not None else answer.template
    if code.means is not None:
        return Resolved(code, normalised(code.means) in normalised(text), got)
    if code.ambiguous:
        named = all(normalised(p) in normalised(text) for p in code.ambiguous)
        return Resolved(code, named and level is None, got)
    if level is None:
        return Resolved(code, False, got)
    ok = bool(_level_names(level) & {_name_key(t) for t in code.levels})
    if ok and code.track:
        track = answer.context.get("track")
        track_names = normalised(" ".join(filter(None, [getattr(track, "name", ""), getattr(track, "family", "") or ""])))
        ok = normalised(code.track) in track_names
    return Resolved(code, ok, got)


@dataclass
class LadderResult:
    spec: LadderSpec
    imported: Imported
    scored: list[Scored] = field(default_factory=list)
    resolved: list[Resolved] = field(default_factory=list)
    answer_seconds: float = 0.0

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.scored)

    @property
    def codes_resolved(self) -> int:
        return sum(r.resolved for r in self.resolved)


def run_ladder(spec: LadderSpec, ladder_dir: Path) -> LadderResult:
    imported = import_ladder(spec, ladder_dir)
    result = LadderResult(spec, imported)
    if imported.framework is None:
        return result
    started = time.perf_counter()
    asker = Asker(imported.framework)
    for question in spec.questions:
        try:
            answer, text = asker.ask(question.ask)
            result.scored.append(score(question, text, answer.template))
        except Exception as exc:  # noqa: BLE001 - a crash is a wrong answer, with its reason
            result.scored.append(Scored(question, False, f"CRASH {type(exc).__name__}: {exc}", ["(crashed)"], []))
    for code in spec.codes:
        try:
            result.resolved.append(resolve(code, spec, asker))
        except Exception as exc:  # noqa: BLE001
            result.resolved.append(Resolved(code, False, f"CRASH {type(exc).__name__}: {exc}"))
    result.answer_seconds = time.perf_counter() - started
    return result


# -- checking the question files against the source ------------------------------------------------------


def source_text(paths: list[Path], ladder_dir: Path) -> str:
    """Every word of the input files and their names, for checking that expectations are the source's own text (not
    a parser: HTML tags are dropped so that a phrase inside a table cell is found)."""
    parts: list[str] = [str(p.relative_to(ladder_dir).with_suffix("")).replace("-", " ") for p in paths]
    for path in paths:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    parts += [str(v) for v in row if v not in (None, "")]
            book.close()
        elif path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                parts += [cell for row in csv.reader(handle) for cell in row if cell]
        else:
            raw = path.read_text(encoding="utf-8")
            parts.append(re.sub(r"<[^>]+>", " ", raw))
            parts.append(raw)
    return normalised("\n".join(parts))


def check_phrases(spec: LadderSpec, ladder_dir: Path) -> list[str]:
    """Expectations and code titles that are not in the ladder's own files."""
    text = source_text(input_files(spec, ladder_dir) + [ladder_dir / c for c in spec.convert], ladder_dir)
    names = _name_key(text)
    stock = {p for phrases in PHRASE_SETS.values() for p in phrases}
    problems = []
    for q in spec.questions:
        for phrase in q.expect + q.expect_any + q.expect_not:
            if phrase not in stock and normalised(phrase) not in text:
                problems.append(f"{spec.org}: {q.ask!r}: {phrase!r} is not in the source")
    for c in spec.codes:
        for phrase in [c.code, *c.levels, *c.ambiguous, *([c.means] if c.means else [])]:
            if _name_key(phrase) not in names:
                problems.append(f"{spec.org}: code {c.code!r}: {phrase!r} is not in the source")
    return problems


# -- the report ------------------------------------------------------------------------------------------


def _one_line(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


def table(results: list[LadderResult]) -> list[str]:
    lines = [
        "| Ladder | Loaded as published | Check errors | Not placed (markup) | Questions correct | Codes resolved | Import |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        imp = r.imported
        loaded = imp.status if imp.status != "no" else f"no — {imp.reason}"
        errors = str(len(imp.errors)) if imp.draft is not None else "–"
        unplaced = f"{imp.unplaced} ({imp.unplaced_markup})" if imp.draft is not None else "–"
        lines.append(
            f"| {r.spec.org} | {_one_line(loaded, 90)} | {errors} | {unplaced} | {r.correct}/{len(r.spec.questions)} "
            f"| {r.codes_resolved}/{len(r.spec.codes)} | {_ms(imp.import_seconds)} |"
        )
    questions = sum(len(r.spec.questions) for r in results)
    correct = sum(r.correct for r in results)
    codes = sum(len(r.spec.codes) for r in results)
    resolved = sum(r.codes_resolved for r in results)
    loaded = sum(r.imported.framework is not None for r in results)
    share = f"{100 * correct / questions:.0f}%" if questions else "–"
    lines.append(
        f"| **total** | {loaded}/{len(results)} loaded | | | **{correct}/{questions} ({share})** | **{resolved}/{codes}** | |"
    )
    return lines


def diagnose(scored: Scored, yaml_text: str) -> str:
    """Where a wrong answer went wrong: the question not understood, the import (the source's words are not in the
    framework file at all), or the answer (they are in the file, not in this answer)."""
    if scored.answer.startswith("CRASH"):
        return "crash"
    if scored.template == "help":
        return "not understood"
    if scored.wrong:
        return "shows text that is not the answer"
    framework = normalised(yaml_text)
    phrases = [m for m in scored.missing if not m.startswith("one of: ")]
    if any(normalised(m) not in framework for m in phrases):
        return "import: the source's words are not in the framework"
    return f"answer: the framework has it, the {scored.template!r} answer does not say it"


def failures(results: list[LadderResult]) -> list[str]:
    lines: list[str] = []
    for r in results:
        bad = [s for s in r.scored if not s.correct]
        unresolved = [c for c in r.resolved if not c.resolved]
        if not bad and not unresolved:
            continue
        lines.append(f"\n## {r.spec.org}")
        for s in bad:
            why = []
            if s.missing:
                why.append("missing " + "; ".join(repr(m) for m in s.missing))
            if s.wrong:
                why.append("shows " + "; ".join(repr(w) for w in s.wrong))
            lines.append(f"- [{s.question.kind}] {s.question.ask!r} -> {diagnose(s, r.imported.yaml_text)}: {', '.join(why)}")
            lines.append(f"    answer: {_one_line(s.answer, 300)}")
        for c in unresolved:
            wanted = c.code.levels or c.code.ambiguous or [c.code.means]
            lines.append(f"- code {c.code.code!r} (wanted {wanted}) -> {c.got}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ladders", type=Path, default=DEFAULT_LADDERS, help="folder of ladders, one sub-folder each")
    parser.add_argument("--only", nargs="*", help="only these ladders (folder names)")
    parser.add_argument("--show-failures", action="store_true", help="print each wrong answer and unresolved code")
    parser.add_argument("--answers", type=Path, help="write every answer and each import's YAML into this folder")
    parser.add_argument("--check-phrases", action="store_true", help="check the question files against the sources")
    args = parser.parse_args()

    orgs = [o for o in all_orgs() if (args.ladders / o).is_dir() and (not args.only or o in args.only)]
    if args.check_phrases:
        problems = [p for org in orgs for p in check_phrases(load_spec(org), args.ladders / org)]
        print("\n".join(problems) or f"{len(orgs)} question files: every expectation is in its source")
        sys.exit(1 if problems else 0)

    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.platform()}"
    )
    print(f"ladders: {args.ladders} ({len(orgs)})\n")
    results = []
    for org in orgs:
        spec = load_spec(org)
        result = run_ladder(spec, args.ladders / org)
        results.append(result)
        if args.answers:
            _write_answers(args.answers, result)
    print("\n".join(table(results)))
    print("target (issue #17): every ladder loads, >= 90% of the questions answered correctly, every code resolved")
    timed = [r for r in results if r.imported.import_seconds is not None]
    if timed:
        largest = max(timed, key=lambda r: r.imported.input_bytes)
        slowest = max(timed, key=lambda r: r.imported.import_seconds or 0)
        print(
            f"\nlargest input: {largest.spec.org} ({largest.imported.input_bytes:,} bytes): import "
            f"{_ms(largest.imported.import_seconds)}, check {_ms(largest.imported.check_seconds)}; "
            f"slowest import: {slowest.spec.org} {_ms(slowest.imported.import_seconds)}"
        )
    if args.show_failures:
        print("\n".join(failures(results)))


def _write_answers(folder: Path, result: LadderResult) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if result.imported.yaml_text:
        (folder / f"{result.spec.org}.yaml").write_text(result.imported.yaml_text, encoding="utf-8")
    out = [f"# {result.spec.organisation}: {result.imported.status} {result.imported.reason}"]
    out += result.imported.errors
    for s in result.scored:
        out.append(f"\n## [{'ok' if s.correct else 'WRONG'}] {s.question.ask} ({s.template})\n{s.answer}")
    for c in result.resolved:
        out.append(f"\n## [{'ok' if c.resolved else 'UNRESOLVED'}] code {c.code.code} -> {c.got}")
    (folder / f"{result.spec.org}.answers.txt").write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
