"""`ladder checkins cadence|schedule|holidays`: check-in cadences, the days prompts skip, and the planned prompts."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date

from bot.cli import common
from bot.cli.common import UsageError, check_people, command, directory, iso_date, team_of, user_id
from bot.errors import LadderError
from bot.slack_ids import is_user_id, not_a_user_id


def add_commands(commands: argparse._SubParsersAction) -> None:
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
    services = common.load_services()
    team = team_of(services, args.team)
    check_people(services, users, team)
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework_for(team), work.session, services.now)
        if args.default:
            replanned = checkins.set_default_cadence(team, cadence)
            print(
                f"team {team}: default cadence {cadence.value}, for everyone who has not chosen their own ({replanned} planned again)"
            )
            return 0
        for user in users:
            if checkins.repo.schedule(team, user) is None:
                timezone = slack_timezone(services, user, team) if directory(services, team).token else None
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
    services = common.load_services()
    team = team_of(services, args.team)
    if directory(services, team).token:
        while learn_timezones(services, limit=500):
            pass
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework_for(team), work.session, services.now)
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
            if directory(services, team).token
            else "set SLACK_BOT_TOKEN for this command to ask Slack, or let the clock ask"
        )
        print(f"{waiting} person(s) not shown: Ladder does not know their timezone yet ({how})", file=sys.stderr)
    return 0


def _holidays(args: argparse.Namespace) -> int:
    from bot.checkins.service import Checkins
    from storage.unit_of_work import unit_of_work

    services = common.load_services()
    team = team_of(services, args.team)
    with unit_of_work(services.engine) as work:
        checkins = Checkins(services.framework_for(team), work.session, services.now)
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
