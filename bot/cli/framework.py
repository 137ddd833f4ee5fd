"""`ladder framework check|schema|init|import|render|diff|publish|history`: the career framework file, and each
organisation's published versions, from the command line."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_FAILED, EXIT_USAGE, command, error

if TYPE_CHECKING:
    from bot.framework.model import Framework


def add_commands(commands: argparse._SubParsersAction) -> None:
    framework = commands.add_parser("framework", help="check or describe a career framework file")
    framework_commands = framework.add_subparsers(metavar="ACTION", required=True)
    check = command(framework_commands, "check", _framework_check, "check a framework file and print every problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="json: the same problems as a list, for editors and CI"
    )
    command(framework_commands, "schema", _framework_schema, "print the framework JSON Schema (for editors)")
    init = command(framework_commands, "init", _framework_init, "write a commented starter framework file to fill in")
    init.add_argument("--family", default="Engineering", help="the job family it is for, e.g. Sales (default: Engineering)")
    init.add_argument("-o", "--output", help="file to write (default: print it)")
    imports_matrix = command(
        framework_commands,
        "import",
        _framework_import,
        "turn the ladder files you have (spreadsheets, Markdown, HTML) into one framework file",
    )
    imports_matrix.add_argument(
        "files", nargs="+", metavar="FILE", help="a workbook (.xlsx, .ods), .csv/.tsv, .md or .html; several make one framework"
    )
    imports_matrix.add_argument("--sheet", help="import only this sheet of the workbooks")
    imports_matrix.add_argument(
        "--name", help="the framework's name (default: a title the files give, else the first file's name)"
    )
    imports_matrix.add_argument("--explain", action="store_true", help="say where every cell and paragraph went, one line each")
    imports_matrix.add_argument("-o", "--output", help="file to write (default: print it)")
    imports_matrix.add_argument(
        "--force", action="store_true", help="replace --output when it exists (what changes is listed first)"
    )
    render = command(framework_commands, "render", _framework_render, "write the ladder's web pages as a static site")
    render.add_argument("--out", required=True, help="folder to write the site into")
    render.add_argument("file", nargs="?", help="framework file (default: $LADDER_FRAMEWORK or the shipped one)")
    diff = command(framework_commands, "diff", _framework_diff, "list what changed between two framework files")
    diff.add_argument("old")
    diff.add_argument("new")
    publish = command(
        framework_commands, "publish", _framework_publish, "check a framework file and make it an organisation's ladder"
    )
    publish.add_argument("file", metavar="FILE", help="a framework file (YAML); turn spreadsheets into one with import")
    publish.add_argument("--team", help="the workspace, or for an org-wide install the enterprise (E…) or a workspace of it")
    history = command(framework_commands, "history", _framework_history, "list the framework versions an organisation published")
    history.add_argument("--team", help="the workspace, or for an org-wide install the enterprise (E…) or a workspace of it")


def _framework_check(args: argparse.Namespace) -> int:
    from bot.framework.loader import check_framework_file

    results = [check_framework_file(file) for file in args.files]
    failed = any(r.errors or (args.strict and r.warnings) for r in results)
    if args.format == "json":  # the report is this command's output, so it goes to stdout
        problems = [p.as_json(r.source) for r in results for p in r.problems]
        print(json.dumps({"ok": not failed, "problems": problems}, indent=2))
        return EXIT_FAILED if failed else 0
    for result in results:
        for line in result.lines():
            print(line)
        fw = result.framework
        if result.errors or fw is None:
            continue
        if args.strict and result.warnings:
            print(f"{result.source}: failed: {_count(len(result.warnings), 'warning')}, and --strict makes warnings fail")
            continue
        levels = sum(len(t.levels) for t in fw.tracks)
        summary = [
            _count(len(fw.tracks), "track"),
            _count(levels, "level"),
            _count(len(fw.competencies), "competency", "competencies"),
        ]
        warnings = f", {_count(len(result.warnings), 'warning')}" if result.warnings else ""
        print(f"{result.source}: ok: {fw.name}, {fw.citation}, {', '.join(summary)}{warnings}")
    return EXIT_FAILED if failed else 0


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _framework_schema(args: argparse.Namespace) -> int:
    from bot.framework.spec import json_schema_text

    sys.stdout.write(json_schema_text())
    return 0


def _framework_init(args: argparse.Namespace) -> int:
    from importlib import resources

    family = " ".join(args.family.split())
    if not family:
        error("--family needs a name, e.g. --family Sales")
        return EXIT_USAGE
    quoted = family.replace("\\", "\\\\").replace('"', '\\"')  # the starter puts it inside YAML double quotes
    text = resources.files("bot.framework").joinpath("starter.yaml").read_text(encoding="utf-8").replace("{{FAMILY}}", quoted)
    if not args.output:
        sys.stdout.write(text)
        return 0
    if not _write_new_file(args.output, text):
        return EXIT_FAILED
    print(f"wrote {args.output}; fill it in, then: ladder framework check {args.output}")
    return 0


def _write_new_file(path: str, text: str) -> bool:
    """Write ``text`` to a file that must not exist yet (never overwrite someone's ladder); False, said, if it cannot."""
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        error(f"{path} exists already; choose another name or remove it first")
        return False
    except OSError as exc:
        error(f"cannot write {path}: {exc.strerror}")
        return False
    return True


def _framework_import(args: argparse.Namespace) -> int:
    from bot.framework.loader import check_framework_text
    from bot.framework.reading.errors import UnreadableFile
    from bot.framework.reading.files import import_files

    try:
        draft = import_files(args.files, args.name, args.sheet)
        text = draft.yaml()
    except UnreadableFile as exc:
        error(str(exc))
        return EXIT_FAILED
    for shape in draft.shapes:
        print(f"read {shape}", file=sys.stderr)
    for line in draft.summary():
        print(line, file=sys.stderr)
    if args.explain:
        for line in draft.ledger.explain():
            print(line, file=sys.stderr)
    else:
        for file, reason, places, _texts in draft.ledger.unplaced_by_reason():
            print(f"not placed: {file}:{places} ({reason})" if places else f"not placed: {file} ({reason})", file=sys.stderr)
    check = check_framework_text(text, args.output or "<imported>")
    for problem in check.errors:  # should not happen: the import writes what the checker accepts
        print(problem.format(check.source), file=sys.stderr)
    if args.output:
        if os.path.lexists(args.output):
            if not _replace_framework(args.output, text, check.framework, args.force):
                return EXIT_FAILED
        elif not _write_new_file(args.output, text):
            return EXIT_FAILED
        levels = sum(len(track.levels) for track in draft.tracks)
        print(
            f"wrote {args.output}: {len(draft.tracks)} track(s), {levels} levels; next: ladder framework check {args.output}",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return EXIT_FAILED if check.errors else 0


def _replace_framework(path: str, text: str, imported: Framework | None, force: bool) -> bool:
    """An import over an existing file: first what would change (`ladder framework diff` of the file to the import, so
    hand edits the import would undo show too); replaced only with --force, in one step (a reader never sees half)."""
    from bot.framework.diff import framework_changes
    from bot.framework.loader import check_framework_file

    existing = check_framework_file(path)
    if existing.framework is None:
        print(f"{path} exists and does not load as a framework ({len(existing.errors)} problem(s))", file=sys.stderr)
    elif imported is not None:
        changes = framework_changes(existing.framework, imported)
        heading = "the import would change it:" if changes else "the import changes nothing answers show"
        print(f"{path} exists; {heading}", file=sys.stderr)
        for change in changes:
            print(change.line(), file=sys.stderr)
    if not force:
        error(f"{path} exists already; pass --force to replace it with the import, or choose another name")
        return False
    temporary = f"{path}.ladder-import"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        error(f"cannot write {path}: {exc.strerror}")
        with contextlib.suppress(OSError):
            os.remove(temporary)
        return False
    return True


def _framework_render(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.framework.loader import load_framework
    from bot.runtime.settings import Settings
    from messages.pages import Pages

    framework = load_framework(args.file or Settings.from_env().framework_path)
    out = Path(args.out)
    try:
        site = Pages(framework).write_site(out)
    except OSError as exc:
        error(f"cannot write to {out}: {exc.strerror}")
        return EXIT_FAILED
    print(f"wrote {len(site.written)} files to {out}; open {out / 'index.html'}")
    if site.removed:
        removed = _count(len(site.removed), "page")
        print(f"removed {removed} of an earlier render, no longer in the framework: {_some(site.removed)}")
    if site.changed:
        print(
            f"{out}: left alone {_count(len(site.changed), 'page')} of an earlier render, no longer in the framework but changed "
            f"since: {_some(site.changed)}; remove them if they should not be published",
            file=sys.stderr,
        )
    if site.others:
        count = _count(len(site.others), "file") if site.others_complete else f"more than {len(site.others):,} files"
        print(
            f"{out}: left alone {count} this render did not write (an earlier render's stale pages, or other files): "
            f"{_some(site.others)}; remove any that should not be published",
            file=sys.stderr,
        )
    return 0


def _some(items: list[str], shown: int = 10) -> str:
    """'a.html, b.html' or 'a.html, …, j.html and 12 more'."""
    return ", ".join(items[:shown]) + (f" and {len(items) - shown:,} more" if len(items) > shown else "")


def _framework_diff(args: argparse.Namespace) -> int:
    from bot.framework.diff import framework_changes
    from bot.framework.loader import load_framework

    old, new = load_framework(args.old), load_framework(args.new)
    changes = framework_changes(old, new)
    for change in changes:
        print(change.line())
    if not changes:
        print("no changes that answers would show")
    return 0


def _framework_publish(args: argparse.Namespace) -> int:
    import getpass

    from bot.cli.common import load_services, team_of
    from bot.framework.loader import MAX_FILE_BYTES
    from bot.framework.publishing import candidate, publish
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    try:
        with open(args.file, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # one byte more than a framework may hold: refused by its size
    except OSError as exc:
        error(f"cannot read {args.file}: {exc.strerror or exc}")
        return EXIT_FAILED
    offered = candidate(data, args.file, services.framework_for(team))
    for line in offered.problem_lines():
        print(line)
    if not offered.publishable:
        error(offered.refusal())
        return EXIT_FAILED
    for change in offered.changes:
        print(change.line())
    try:
        by = f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name (a container): the command line published it
        by = "cli"
    with unit_of_work(services.engine) as work:
        row, added = publish(work.session, team, offered, by=by, at=services.now())
    services.frameworks.forget()
    fw = offered.framework
    assert fw is not None
    if added:
        print(f"published {args.file} for {team} as version {row.version} ({fw.name}, {fw.citation}); servers use it within seconds")
    else:
        print(f"{args.file} is {team}'s framework in force already (version {row.version}): nothing published")
    return 0


def _framework_history(args: argparse.Namespace) -> int:
    from bot.cli.common import load_services, team_of
    from storage.repositories.framework_versions import FrameworkVersions
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine, reads_only=True) as work:
        rows = [(r.version, r.published_at, r.published_by, r.source) for r in FrameworkVersions(work.session).history(team)]
    if not rows:
        print(f"{team} has published no framework: it runs on the default ({services.framework.name}, {services.framework.citation})")
        return 0
    in_force = rows[-1][0]
    for version, at, by, source in rows:
        fw = services.frameworks.version(team, version)
        mark = "  (in force)" if version == in_force else ""
        print(f"version {version}  {at:%Y-%m-%d %H:%M} UTC  by {by}  {fw.name}, {fw.citation}  from {source}{mark}")
    return 0
