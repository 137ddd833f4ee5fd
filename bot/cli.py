"""The `ladder` command line (also `python -m bot`).

Each command imports what it needs when it runs, so `ladder ask` starts in well under a second.
Problems a person can fix are printed as one clear line each with a non-zero exit status:
2 for a missing setting or bad usage, 1 for anything else that failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import shutil
import sys
import tempfile
from typing import TYPE_CHECKING, Callable, NoReturn, Sequence

if TYPE_CHECKING:
    from bot.framework.loader import FrameworkError
    from bot.imports.plan import Plan
    from bot.runtime.server import Companion

EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The command was given something it cannot take (an argument, an option): one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """Bad usage is one line naming what was wrong, like every other problem (argparse prints the usage too)."""
        self.exit(EXIT_USAGE, f"ladder: {message} (see: {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or bad usage already said in one line
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    problem = _id_problem(args)
    if problem:
        _error(problem)
        return EXIT_USAGE
    return _reporting_failures(lambda: args.run(args))


def _id_problem(args: argparse.Namespace) -> str | None:
    """Every command's --team and --user are Slack ids of the right shape (and length, so no column refuses them)."""
    from bot.slack_ids import is_team_id, is_user_id, not_a_team_id, not_a_user_id

    team, user = getattr(args, "team", None), getattr(args, "user", None)
    if isinstance(team, str) and not is_team_id(team):
        return f"--team: {not_a_team_id(team)}"
    if isinstance(user, str) and not is_user_id(user):
        return f"--user: {not_a_user_id(user)}"
    return None


def _reporting_failures(work: Callable[[], int | None]) -> int:
    """Run ``work``; a failure becomes one clear line on stderr and an exit status, never a traceback: 2 for a setting
    or usage to fix, 1 for anything else (the database or Slack out of reach included)."""
    from bot.errors import LadderError
    from bot.framework.loader import FrameworkError
    from bot.runtime.settings import InvalidSetting, MissingSetting
    from storage.errors import DatabaseUnreachable, SchemaNotReady

    try:
        return work() or 0
    except (MissingSetting, InvalidSetting, UsageError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except LadderError as exc:
        _error(exc.message)
        return EXIT_FAILED
    except (SchemaNotReady, DatabaseUnreachable) as exc:
        _error(str(exc))
        return EXIT_FAILED
    except FrameworkError as exc:
        _report_framework_error(exc)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a person at a terminal gets one line, not a traceback
        _error(_failure_line(exc))
        if os.environ.get("LOG_LEVEL", "").upper() == "DEBUG":
            raise
        return EXIT_FAILED


def _failure_line(exc: Exception) -> str:
    """One line for a failure nobody foresaw in particular: Slack refusing or out of reach, the database refusing (its
    own words, never the SQL), else the error itself."""
    import traceback
    import urllib.error

    slack_api = (os.environ.get("SLACK_API_URL") or "").strip() or "https://slack.com/api/"
    slack_errors, database_errors = sys.modules.get("slack_sdk.errors"), sys.modules.get("sqlalchemy.exc")  # if loaded
    if slack_errors is not None and isinstance(exc, slack_errors.SlackApiError):
        if exc.response.status_code != 200:  # down (5xx), still rate-limited after the retries (429), or not Slack at all
            return f"Slack's Web API at {slack_api} answered HTTP {exc.response.status_code}; try again later"
        said = str(exc.response.get("error")).strip().splitlines()[0][:200]  # an answer that was not Slack's can be long
        return f"Slack refused the request: {said} (check SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL)"
    from_slack = any("slack_sdk" in frame.filename for frame in traceback.extract_tb(exc.__traceback__))
    if from_slack and isinstance(exc, (urllib.error.URLError, ConnectionError, TimeoutError)):
        reason = getattr(exc, "reason", None) or exc
        return f"cannot reach Slack's Web API at {slack_api}: {reason} (check SLACK_API_URL and the network)"
    if database_errors is not None and isinstance(exc, database_errors.DBAPIError) and exc.orig is not None:
        said = getattr(getattr(exc.orig, "diag", None), "message_primary", None) or str(exc.orig).strip().splitlines()[0]
        return f"the database refused the request: {said}"
    return f"unexpected error: {type(exc).__name__}: {exc} (set LOG_LEVEL=DEBUG for details)"


_json_log = False
"""Set by the server commands once logging is JSON lines: their failures are log lines too."""


def _error(message: str, details: list[str] | None = None) -> None:
    if _json_log:
        import logging

        logging.getLogger("ladder.cli").error(message, extra={"details": details} if details else None)
        return
    print(f"ladder: {message}", file=sys.stderr)
    for line in details or ():
        print(line, file=sys.stderr)


def _report_framework_error(exc: "FrameworkError") -> None:
    _error(
        f"the career framework has {len(exc.result.errors)} problem(s); fix them and try again:",
        [problem.format(exc.result.source) for problem in exc.result.errors],
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ladder", description="Ladder: career-ladder answers in Slack and in your terminal.")
    commands = parser.add_subparsers(metavar="COMMAND")

    ask = _command(commands, "ask", _ask, "answer a career question in the terminal")
    ask.add_argument("question", nargs="+", help='e.g. "what does Staff mean"')
    ask.add_argument("--team", help="Slack team id, with --user, to answer as a recorded person")
    ask.add_argument("--user", help="Slack user id of the person asking (for 'what's my next level?')")

    framework = commands.add_parser("framework", help="check or describe a career framework file")
    framework_commands = framework.add_subparsers(metavar="ACTION", required=True)
    check = _command(framework_commands, "check", _framework_check, "check a framework file and print every problem")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="json: the same problems as a list, for editors and CI"
    )
    _command(framework_commands, "schema", _framework_schema, "print the framework JSON Schema (for editors)")
    init = _command(framework_commands, "init", _framework_init, "write a commented starter framework file to fill in")
    init.add_argument("--family", default="Engineering", help="the job family it is for, e.g. Sales (default: Engineering)")
    init.add_argument("-o", "--output", help="file to write (default: print it)")
    imports_matrix = _command(
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
    render = _command(framework_commands, "render", _framework_render, "write the ladder's web pages as a static site")
    render.add_argument("--out", required=True, help="folder to write the site into")
    render.add_argument("file", nargs="?", help="framework file (default: $LADDER_FRAMEWORK or the shipped one)")
    diff = _command(framework_commands, "diff", _framework_diff, "list what changed between two framework files")
    diff.add_argument("old")
    diff.add_argument("new")

    people = commands.add_parser("people", help="manage the people whose levels Ladder knows")
    people_commands = people.add_subparsers(metavar="ACTION", required=True)
    imports = _command(people_commands, "import", _people_import, "import people from a CSV file")
    imports.add_argument("file", help="CSV with columns email or slack_id, and any of level, track, manager, name, level_since")
    imports.add_argument("--team", help="Slack team id: the bot token's team, which is the default")
    imports.add_argument("--dry-run", action="store_true", help="say what the import would change, and write nothing")
    imports.add_argument(
        "--levels-from-file",
        action="store_true",
        help="let the file's levels replace levels Ladder set from published promotions (kept and reported otherwise)",
    )
    from bot import groups_cli

    groups_cli.add_commands(people_commands, _command)  # ladder people groups import

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(metavar="ACTION", required=True)
    _command(db_commands, "upgrade", _db_upgrade, "upgrade the database to the latest schema")
    _command(db_commands, "current", _db_current, "print the database's schema revision")

    from bot import panel_cli, promotion_cli, workflow_cli

    workflow_cli.add_commands(commands, _command)
    promotion_cli.add_commands(commands, _command)
    panel_cli.add_commands(commands, _command)
    from bot import retention_cli

    retention_cli.add_commands(commands, _command)
    from bot import person_cli

    person_cli.add_commands(commands, _command)
    from bot import fairness_cli

    fairness_cli.add_commands(commands, _command)  # ladder fairness report, ladder fairness trend

    serve = _command(commands, "serve", _serve, "run the HTTP server for Slack (production)")
    serve.add_argument("--port", type=_port, help="port to bind (default: $PORT or 3000)")
    _command(commands, "socket", _socket, "run over Socket Mode (development, no public URL)")
    return parser


def _port(text: str) -> int:
    if not (text.strip().isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"not a port number from 1 to 65535: {text!r}")
    return int(text)


def _command(
    group: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int], help_text: str
) -> argparse.ArgumentParser:
    command = group.add_parser(name, help=help_text, description=help_text)
    command.set_defaults(run=run)
    return command


# -- commands --------------------------------------------------------------------------------


def _ask(args: argparse.Namespace) -> int:
    from bot.careers import CareerQuestions
    from bot.framework.loader import load_framework
    from bot.runtime.settings import Settings
    from messages.render import Renderer

    settings = Settings.from_env()
    framework = load_framework(settings.framework_path)
    levels = None
    if args.user or args.team:
        if not (args.user and args.team):
            _error("--user and --team go together")
            return EXIT_USAGE
        from bot.runtime.services import RecordedLevels
        from storage.engine import make_engine, sqlite_path
        from storage.health import require_schema
        from storage.repositories import PeopleRepository

        database = sqlite_path(settings.database_url)
        if database is not None and not database.exists():  # asking creates nothing: say why nobody is known
            _error(f"no database at {database}, so no one's level is recorded (ladder people import FILE records them)")
        else:
            engine = make_engine(settings.database_url, create_missing=False)
            require_schema(engine, settings.database_url)
            levels = RecordedLevels(PeopleRepository(engine))
    answer = CareerQuestions(framework, levels).ask(" ".join(args.question), team_id=args.team, user_id=args.user)
    sys.stdout.write(Renderer(public_url=settings.public_url).terminal(answer.template, **answer.context))
    return 0


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
        _error("--family needs a name, e.g. --family Sales")
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
        _error(f"{path} exists already; choose another name or remove it first")
        return False
    except OSError as exc:
        _error(f"cannot write {path}: {exc.strerror}")
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
        _error(str(exc))
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


def _replace_framework(path: str, text: str, imported: object, force: bool) -> bool:
    """An import over an existing file: first what would change (`ladder framework diff` of the file to the import, so
    hand edits the import would undo show too); replaced only with --force, in one step (a reader never sees half)."""
    from bot.framework.diff import framework_changes
    from bot.framework.loader import check_framework_file

    existing = check_framework_file(path)
    if existing.framework is None:
        print(f"{path} exists and does not load as a framework ({len(existing.errors)} problem(s))", file=sys.stderr)
    elif imported is not None:
        changes = framework_changes(existing.framework, imported)  # type: ignore[arg-type]
        heading = "the import would change it:" if changes else "the import changes nothing answers show"
        print(f"{path} exists; {heading}", file=sys.stderr)
        for change in changes:
            print(change.line(), file=sys.stderr)
    if not force:
        _error(f"{path} exists already; pass --force to replace it with the import, or choose another name")
        return False
    temporary = f"{path}.ladder-import"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        _error(f"cannot write {path}: {exc.strerror}")
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
        _error(f"cannot write to {out}: {exc.strerror}")
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


def _people_import(args: argparse.Namespace) -> int:
    from bot.framework.loader import load_framework
    from bot.imports.table import TableError, read_table_file
    from bot.people_import import COLUMN_NAMES, Promotion, parse_people, plan_people, save_plan, stored_people
    from bot.runtime.clients import slack_client
    from bot.runtime.settings import Settings
    from bot.runtime.slack_directory import SlackDirectory
    from storage.engine import make_engine, sqlite_path
    from storage.health import require_schema
    from storage.repositories import PeopleRepository

    settings = Settings.from_env()
    settings.require("ladder people import (to look people up in Slack)", "SLACK_BOT_TOKEN")
    framework = load_framework(settings.framework_path)
    try:
        table = read_table_file(args.file, COLUMN_NAMES)
        rows, problems = parse_people(table, framework)
    except TableError as exc:
        _error(str(exc) if str(exc).startswith(args.file) else f"{args.file}: {exc}")
        return EXIT_FAILED
    if table.other:
        print(f"ignored column(s), not known to the import: {', '.join(table.other)}", file=sys.stderr)
    client = slack_client(settings, token=settings.slack_bot_token)
    team = _token_team(client, args.team)
    database = sqlite_path(settings.database_url)
    people = None
    if args.dry_run and database is not None and not database.exists():  # a dry run creates nothing, a database least
        print(f"no database at {database} yet: everyone would be new", file=sys.stderr)
    else:
        if not args.dry_run:
            upgrade_if_asked(settings)
        engine = make_engine(settings.database_url, create_missing=not args.dry_run)
        require_schema(engine, settings.database_url)
        people = PeopleRepository(engine)
    promotions = {
        user: Promotion(change.to_track, change.to_level, change.effective_on)
        for user, change in (people.latest_promotions(team) if people else {}).items()
    }
    stored = stored_people(people.list(team)) if people else {}
    plan = plan_people(rows, SlackDirectory(client), stored, promotions, levels_from_file=args.levels_from_file)
    plan.problems[:0] = problems

    def apply() -> None:
        save_plan(plan, people, team)  # type: ignore[arg-type]
        _take_back_from_the_newly_recused(team)

    return _show_and_apply(plan, "people", args.dry_run, apply)


def _token_team(client: object, given: str | None) -> str:
    """The workspace SLACK_BOT_TOKEN belongs to, where the import looks people up: a --team naming another is refused,
    or its people would be stored where Ladder serves nobody."""
    own = client.auth_test()["team_id"]  # type: ignore[attr-defined]
    if given is not None and given != own:
        raise UsageError(f"--team {given} is not the workspace SLACK_BOT_TOKEN belongs to ({own}), where people are looked up")
    return own


def _take_back_from_the_newly_recused(team: str) -> None:
    """New managers can put a panel member in a nominee's chain: what they were sent to judge it is taken back now, not
    at the next digest."""
    from bot.panels.board import Board
    from bot.workflow_cli import load_services
    from storage.unit_of_work import unit_of_work

    services = load_services()
    with unit_of_work(services.engine) as work:
        Board.open(services.framework, work.session, services.now, services.admins).reconsider(team)


def _show_and_apply(plan: "Plan", noun: str, dry_run: bool, apply: Callable[[], None]) -> int:
    """What every import prints: the changes per record and field on stdout, each problem by row on stderr, then the
    counts; the plan is applied unless this is a dry run. Exit 1 when any row had a problem, so a schedule notices."""
    for line in plan.change_lines():
        print(line)
    for line in plan.problem_lines():
        print(line, file=sys.stderr)
    if not dry_run:
        apply()
    print(plan.summary(noun, dry_run))
    return EXIT_FAILED if plan.problems else 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.runtime.settings import Settings
    from storage.migrate import current_revision, upgrade

    settings = Settings.from_env()
    upgrade(settings.database_url)
    print(f"database at revision {current_revision(settings.database_url)}")
    return 0


def _db_current(args: argparse.Namespace) -> int:
    from bot.runtime.settings import Settings
    from storage.migrate import current_revision

    print(current_revision(Settings.from_env().database_url) or "empty (run: ladder db upgrade)")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from bot.runtime import logs
    from bot.runtime.settings import Settings

    global _json_log
    logs.configure(logs.level_from_env())
    _json_log = True
    settings = Settings.from_env()  # before gunicorn is imported: it reads WEB_CONCURRENCY as it loads
    settings.require("ladder serve", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    logs.configure(settings.log_level)
    from bot.runtime.server import GunicornServer, gunicorn_options

    # Workers load the last framework that passed the checks, from a private copy: a worker that is
    # restarted after a refused reload must not pick up the broken file from disk (gunicorn would stop).
    snapshot_dir = tempfile.mkdtemp(prefix="ladder-framework-")
    snapshot = os.path.join(snapshot_dir, "framework.yaml")
    master = os.getpid()

    def preflight() -> None:
        import logging

        from bot.framework.loader import FrameworkError, check_framework_file, default_framework_path

        source = settings.framework_path or str(default_framework_path())
        result = check_framework_file(source)
        if result.errors or result.framework is None or result.checked is None:
            raise FrameworkError(result)  # refuse to start (or to reload) on a broken framework
        upgrade_if_asked(settings)
        _say_if_not_migrated(settings)
        with open(snapshot + ".new", "wb") as copy:  # last: a check stopped before this leaves the previous framework
            copy.write(result.checked)  # the bytes checked, not the file again (it may have changed since)
        os.replace(snapshot + ".new", snapshot)
        fw = result.framework
        logging.getLogger("ladder.cli").info(
            f"framework checked: {fw.name}, {fw.citation}; workers serve it", extra={"file": source}
        )

    try:
        status = _in_child_process(preflight)
        if status:
            return status
        port = args.port or settings.port
        refused = _cannot_listen(settings.host, port)
        if refused:
            _error(refused)
            return EXIT_FAILED
        serving = _with(settings, framework_path=snapshot)
        GunicornServer(
            lambda: _wsgi_app(serving),
            gunicorn_options(settings.host, port, settings.web_concurrency),
            settings.request_timeout,
            ready_to_reload=lambda: _reporting_failures(preflight) == 0,  # on kill -HUP, in a child: the checks of the start
            companions=_clock_beside(settings),
        ).run()
        return 0
    finally:
        if os.getpid() == master:  # gunicorn's workers are forked in here, and leave through here too
            shutil.rmtree(snapshot_dir, ignore_errors=True)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on HOST:PORT (an address not on this machine, a port in use or kept for root), in
    one line, before gunicorn tries and retries; None when it can. The probe is closed at once."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds: a closing connection is no obstacle
            probe.bind(address)
    except OSError as exc:
        return f"cannot listen on {host} port {port}: {exc.strerror or exc} (check HOST and PORT)"
    return None


def _clock_beside(settings: object) -> tuple["Companion", ...]:
    """The embedded default runs the clock as a child of the server's master, kept running by it (never inside
    a gunicorn worker: one clock per deployment); LADDER_CLOCK=off when a separate `ladder clock` process runs."""
    from bot.runtime.server import Companion

    return (Companion([sys.executable, "-m", "bot", "clock"], "clock"),) if getattr(settings, "clock", True) else ()


def _in_child_process(work: Callable[[], None]) -> int:
    """Run start-up checks in a forked child, so the long-lived gunicorn master never holds the
    framework validator, Alembic and the ORM in memory; the workers load what they need."""
    pid = os.fork()
    if pid == 0:  # the child: report like the CLI does, then leave without running parent cleanup
        code = _reporting_failures(work)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _wsgi_app(settings: object) -> object:
    from bot.runtime.services import build_services
    from bot.runtime.wsgi import build_wsgi

    app = build_wsgi(settings, build_services(settings))  # type: ignore[arg-type]
    gc.freeze()  # the app lives as long as the worker: keep the collector from re-scanning it on every pass
    return app


def _socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import logs
    from bot.runtime.app import create_app
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings

    settings = Settings.from_env()
    settings.require("ladder socket", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    if not settings.slack_signing_secret:  # Socket Mode requests are not signed; Bolt still wants a value
        settings = _with(settings, slack_signing_secret="unused-in-socket-mode")
    logs.configure(settings.log_level)
    upgrade_if_asked(settings)
    _say_if_not_migrated(settings)
    services = build_services(settings)
    if settings.clock:
        import threading

        from bot.runtime.clock import Clock

        threading.Thread(target=Clock(services, lease_seconds=settings.clock_lease).run, name="clock", daemon=True).start()
    SocketModeHandler(create_app(settings, services), settings.slack_app_token).start()
    return 0


def _with(settings: object, **changes: object) -> object:
    from dataclasses import replace

    return replace(settings, **changes)  # type: ignore[type-var]


def _say_if_not_migrated(settings: object) -> None:
    """A server starts on a database without this release's schema (a release step may migrate it next), and says so."""
    import logging

    from storage.engine import make_engine
    from storage.health import schema_not_ready

    url: str = settings.database_url  # type: ignore[attr-defined]
    engine = make_engine(url, create_missing=False)
    try:
        problem = schema_not_ready(engine, url)
    finally:
        engine.dispose()
    if problem is not None:
        logging.getLogger("ladder.cli").error(f"{problem}; until it is done, what needs the database fails")


def upgrade_if_asked(settings: object) -> None:
    from storage.migrate import upgrade

    if getattr(settings, "upgrade_db_on_start", False):
        upgrade(settings.database_url)  # type: ignore[attr-defined]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
