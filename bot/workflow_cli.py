"""`ladder clock`, `ladder checkins …` and `ladder outbox …`: the clock and what admins do around it.

Registered on the main parser by :mod:`bot.cli`; like every command, each imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import UTC, date
from typing import Any, Callable

from bot.cli import UsageError, upgrade_if_asked
from bot.days import out_of_range
from bot.errors import LadderError
from bot.slack_ids import is_user_id, not_a_user_id


def add_commands(commands: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    command(commands, "clock", _clock, "run the clock: check-in prompts and the outbox sender (one per deployment)")

    checkins = commands.add_parser("checkins", help="check-in cadences, holidays and the planned prompts")
    actions = checkins.add_subparsers(metavar="ACTION", required=True)
    cadence = command(actions, "cadence", _cadence, "set people's check-in cadence, or the team's default")
    cadence.add_argument(
        "words",
        nargs="+",
        metavar="USER... CADENCE",
        help="one or more Slack user ids, then weekly, biweekly, monthly, quarterly or off",
    )
    cadence.add_argument(
        "--default",
        action="store_true",
        help="set the team's default instead (for everyone who has not chosen): give only the cadence",
    )
    cadence.add_argument("--team", help="Slack team id (default: the bot token's team, or the only team in the database)")
    schedule = command(actions, "schedule", _schedule, "print the planned prompts: user id, local time, UTC time")
    schedule.add_argument(
        "--from", dest="start", type=iso_date, help="first day, YYYY-MM-DD, in each person's own calendar (default: now)"
    )
    schedule.add_argument("--days", type=int, default=14, help="how many days (default 14)")
    schedule.add_argument("--user", type=user_id, help="only this Slack user id")
    schedule.add_argument("--team", help="Slack team id (default: as for cadence)")
    holidays = command(actions, "holidays", _holidays, "set the days prompts skip: a country's public holidays and extra dates")
    holidays.add_argument("--country", help="ISO country code, e.g. GB, US, DE ('none' to clear)")
    holidays.add_argument("--subdivision", help="region within the country, e.g. ENG, CA")
    holidays.add_argument("--add", nargs="+", type=iso_date, default=[], metavar="DATE", help="extra days off, YYYY-MM-DD")
    holidays.add_argument("--remove", nargs="+", type=iso_date, default=[], metavar="DATE", help="extra days to remove")
    holidays.add_argument("--team", help="Slack team id (default: as for cadence)")

    outbox = commands.add_parser("outbox", help="messages Ladder must deliver")
    outbox_actions = outbox.add_subparsers(metavar="ACTION", required=True)
    failed = command(outbox_actions, "failed", _outbox_failed, "list messages Slack refused for good, with the reason")
    failed.add_argument("--team", help="Slack team id (default: as for cadence)")
    command(outbox_actions, "status", _outbox_status, "count messages by status")


def user_id(text: str) -> str:
    if not is_user_id(text.strip()):
        raise argparse.ArgumentTypeError(not_a_user_id(text))
    return text.strip()


def iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    problem = out_of_range(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


# -- the clock ----------------------------------------------------------------------------------------------


def _clock(args: argparse.Namespace) -> int:
    from bot.runtime import logs
    from bot.runtime.clock import Clock
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings

    logs.configure(logs.level_from_env())
    settings = Settings.from_env()
    settings.require("ladder clock", "SLACK_BOT_TOKEN")
    logs.configure(settings.log_level)
    upgrade_if_asked(settings)
    services = build_services(settings)
    clock = Clock(services, lease_seconds=settings.clock_lease)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: clock.stop())
    clock.run()
    services.engine.dispose()
    return 0


# -- check-ins ----------------------------------------------------------------------------------------------


def load_services() -> Any:
    """What a command needs, on a database at this release's schema (else :class:`SchemaNotReady` says what to run)."""
    from bot.runtime.services import build_services
    from bot.runtime.settings import Settings
    from storage.health import require_schema

    settings = Settings.from_env()
    upgrade_if_asked(settings)
    services = build_services(settings)
    require_schema(services.engine, settings.database_url)
    services.admins = _configured_admins(settings.admins, services.identity)
    return services


def _configured_admins(users: frozenset[str], identity: Any) -> Any:
    """LADDER_ADMINS administer the bot token's workspace only: the command line asks Slack which that is (once, when
    it matters), and without an answer they administer nothing here, which it says."""
    from functools import cache

    from bot.admins import ConfiguredAdmins

    @cache
    def workspace() -> str | None:
        team = identity.learn_now()
        if team is None:
            why = "Slack did not say which workspace SLACK_BOT_TOKEN is for" if identity.token else "SLACK_BOT_TOKEN is not set"
            print(f"ladder: note: LADDER_ADMINS are not counted as admins here: {why}", file=sys.stderr)
        return team

    return ConfiguredAdmins(users, workspace)


def check_people(services: Any, user_ids: list[str]) -> None:
    """Refuse, in one line, Slack user ids that name nobody who can take a part (unknown, deactivated, a bot or an app);
    without a bot token they cannot be checked, which is said once."""
    from bot.runtime.slack_directory import unusable_people

    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return
    if not services.directory_client.token:
        print(f"ladder: note: not checked in Slack (SLACK_BOT_TOKEN is not set): {', '.join(ids)}", file=sys.stderr)
        return
    unusable = unusable_people(services.directory_client, ids)
    if unusable:
        raise LadderError("not someone who can take part: " + "; ".join(f"{u} ({why})" for u, why in unusable.items()))


def team_of(services: Any, given: str | None) -> str:
    from sqlmodel import Session, select

    from storage.models import Person

    with Session(services.engine) as session:
        teams = sorted(set(session.exec(select(Person.team_id).distinct())))
    if given:
        if teams and given not in teams:  # a typo, most likely: say so, but a team may be set up before its people
            print(f"ladder: note: no people are recorded in team {given} (known: {', '.join(teams)})", file=sys.stderr)
        return given
    if len(teams) == 1:
        return teams[0]
    if services.directory_client.token:
        from bot.runtime.slack_directory import team_id

        return team_id(services.directory_client)
    raise LadderError(
        "give --team: the database holds "
        + (f"{len(teams)} teams" if teams else "no people yet")
        + " and SLACK_BOT_TOKEN is not set"
    )


def _cadence(args: argparse.Namespace) -> int:
    from bot.checkins.schedule import Cadence
    from bot.checkins.service import Checkins
    from bot.runtime.clock import slack_timezone
    from storage.unit_of_work import unit_of_work

    *users, wanted = args.words
    try:
        cadence = Cadence.parse(wanted)
    except ValueError as exc:
        raise LadderError(str(exc)) from None
    if args.default == bool(users):
        raise LadderError("give Slack user ids and a cadence, or --default and a cadence")
    bad = [u for u in users if not is_user_id(u)]
    if bad:
        raise UsageError(not_a_user_id(bad[0]))
    services = load_services()
    team = team_of(services, args.team)
    check_people(services, users)
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework, work.session, services.now)
        if args.default:
            replanned = checkins.set_default_cadence(team, cadence)
            print(
                f"team {team}: default cadence {cadence.value}, for everyone who has not chosen their own ({replanned} planned again)"
            )
            return 0
        for user in users:
            if checkins.repo.schedule(team, user) is None:
                timezone = slack_timezone(services, user) if services.directory_client.token else None
                checkins.schedule_of(team, user, timezone or None)
            schedule = checkins.set_preferences(team, user, cadence=cadence)
            if schedule.next_prompt_at:
                nxt = f"next prompt {schedule.next_prompt_at.isoformat()}"
            elif cadence is Cadence.OFF:
                nxt = "no prompts"
            else:
                nxt = "first prompt planned once Slack tells Ladder their timezone (the clock asks; or set SLACK_BOT_TOKEN here)"
            print(f"{user}: cadence {cadence.value}; {nxt}")
    return 0


def _schedule(args: argparse.Namespace) -> int:
    from bot.checkins.schedule import zone
    from bot.checkins.service import Checkins
    from bot.runtime.clock import learn_timezones
    from storage.unit_of_work import unit_of_work

    if args.days < 1 or args.days > 3660:
        raise LadderError("--days must be between 1 and 3660")
    services = load_services()
    team = team_of(services, args.team)
    if services.directory_client.token:
        while learn_timezones(services, limit=500):
            pass
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework, work.session, services.now)
        planned = checkins.planned(team, days=args.days, first_day=args.start, user_id=args.user)
        waiting = 0 if args.user else checkins.waiting_for_timezone(team)
        work.rollback()  # a preview: whatever planning touched is not kept
    for prompt in planned:
        local = prompt.at.astimezone(zone(prompt.timezone))
        print(f"{prompt.user_id} {local.isoformat()} {prompt.at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if not planned:
        print("no prompts planned in that window", file=sys.stderr)
    if waiting:
        how = (
            "Slack did not give one"
            if services.directory_client.token
            else "set SLACK_BOT_TOKEN for this command to ask Slack, or let the clock ask"
        )
        print(f"{waiting} person(s) not shown: Ladder does not know their timezone yet ({how})", file=sys.stderr)
    return 0


def _holidays(args: argparse.Namespace) -> int:
    from bot.checkins.service import Checkins
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework, work.session, services.now)
        current = checkins.repo.team_settings(team)
        country = (
            current.holiday_country
            if args.country is None
            else (None if args.country.lower() == "none" else args.country.upper())
        )
        subdivision = (
            args.subdivision if args.subdivision is not None else (current.holiday_subdivision if args.country is None else None)
        )
        extra = (set(map(date.fromisoformat, current.extra_holidays)) | set(args.add)) - set(args.remove)
        try:
            checkins.set_holidays(team, country=country, subdivision=subdivision, extra=sorted(extra))
        except ValueError as exc:
            raise LadderError(str(exc)) from None
    where = f"{country}{'-' + subdivision if subdivision else ''} public holidays" if country else "no country's public holidays"
    print(f"team {team}: prompts skip weekends, {where} and {len(extra)} extra day(s)")
    return 0


# -- the outbox ---------------------------------------------------------------------------------------------


def _outbox_failed(args: argparse.Namespace) -> int:
    from storage.repositories.outbox import Outbox
    from storage.unit_of_work import unit_of_work

    services = load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        failed = Outbox(work.session).failed(team, limit=1000)
        for message in failed:
            print(f"{message.due_at.isoformat()} {message.purpose} to {message.recipient}: {message.error} (key {message.key})")
    if not failed:
        print("no failed deliveries", file=sys.stderr)
    return 0


def _outbox_status(args: argparse.Namespace) -> int:
    from storage.repositories.outbox import Outbox
    from storage.unit_of_work import unit_of_work

    services = load_services()
    with unit_of_work(services.engine) as work:
        counts = Outbox(work.session).counts()
    print(" ".join(f"{status}={counts.get(status, 0)}" for status in ("pending", "sending", "sent", "failed")))
    return 0
