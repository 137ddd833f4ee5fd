"""When a person's next career check-in prompt is due: pure date arithmetic, no Slack, no database.

A prompt arrives at 10:00 in the person's own timezone on an allowed day: a working day of the organisation's
calendar (not a weekend, not a holiday) outside the person's away period. A day that is not allowed moves the
prompt to the next allowed one. The 10:00 wall time is computed in the person's zone and only then converted to
UTC, so daylight-saving changes never move a prompt by an hour.

Searching for an allowed day stops after SEARCH_HORIZON (about three years): an away period of ten years, or a
calendar where every day is a holiday, gives None rather than a loop.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    OFF = "off"

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """A cadence from what a person typed: its name in any case, or a common alias ("fortnightly", "never")."""
        words = " ".join(text.lower().split())
        try:
            return cls(_CADENCE_ALIASES.get(words, words))
        except ValueError:
            raise ValueError(f"unknown cadence {text.strip()!r}: choose {', '.join(cls)}") from None


_CADENCE_ALIASES = {
    "every week": Cadence.WEEKLY,
    "bi-weekly": Cadence.BIWEEKLY,
    "bi weekly": Cadence.BIWEEKLY,
    "fortnightly": Cadence.BIWEEKLY,
    "every two weeks": Cadence.BIWEEKLY,
    "every 2 weeks": Cadence.BIWEEKLY,
    "every month": Cadence.MONTHLY,
    "every quarter": Cadence.QUARTERLY,
    "none": Cadence.OFF,
    "never": Cadence.OFF,
}

DEFAULT_CADENCE = Cadence.MONTHLY
DEFAULT_WEEKDAY = 0  # Monday
PROMPT_TIME = time(10, 0)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SEARCH_HORIZON = timedelta(days=3 * 366)
EXTRA_HOLIDAY_NAME = "organisation holiday"


def parse_weekday(text: str) -> int:
    """0 (Monday) to 4 (Friday) from a day name or its first three or more letters, in any case ("tue", "Thurs", "mondays")."""
    word = text.strip().lower()
    word = word.removesuffix("s") if len(word) > 3 else word  # "mondays", "tues"
    for number, name in enumerate((*WEEKDAY_NAMES, "Saturday", "Sunday")):
        if len(word) >= 3 and name.lower().startswith(word):
            if number >= len(WEEKDAY_NAMES):
                raise ValueError(f"check-ins happen on working days: choose Monday to Friday, not {name}")
            return number
    raise ValueError(f"unknown weekday {text.strip()!r}: choose {', '.join(WEEKDAY_NAMES)}")


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone called `name`; UTC when there is no name or it is not a zone this machine knows."""
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: not even shaped like a zone name, e.g. "../x"
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class Calendar:
    """An organisation's working days: Monday to Friday, minus its country's holidays and its own extra ones.

    `country` is an ISO 3166 code the `holidays` package knows ("GB", "US", "DE", "NZ"), `subdivision` one of that
    country's regions ("ENG"); both are checked on creation (ValueError) and stored in the package's spelling.
    """

    country: str | None = None
    subdivision: str | None = None
    extra_holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_holidays", frozenset(self.extra_holidays))  # a list from storage works too
        if self.country is None:
            if self.subdivision is not None:
                raise ValueError(f"holiday subdivision {self.subdivision!r} needs a country")
            return
        country, subdivision = _holiday_region(self.country, self.subdivision)
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "subdivision", subdivision)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < len(WEEKDAY_NAMES) and self.holiday_name(day) is None

    def add_working_days(self, day: date, count: int) -> date:
        """The working day ``count`` working days after ``day`` (before it when negative)."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name for messages ("Boxing Day (observed)"); None on other days, weekends included."""
        if self.country is not None and (name := _holiday_names(self.country, self.subdivision, day.year).get(day)):
            return name
        return EXTRA_HOLIDAY_NAME if day in self.extra_holidays else None


def _holiday_region(country: str, subdivision: str | None) -> tuple[str, str | None]:
    """The `holidays` package's spelling of a country and subdivision, matched case-insensitively; ValueError if unknown."""
    code = country.strip().upper()
    known = holidays.list_supported_countries().get(code)
    if known is None:
        raise ValueError(f"unknown holiday country {country!r}")
    if subdivision is not None:
        subdivision = next((s for s in known if s.casefold() == subdivision.strip().casefold()), subdivision)
        try:
            holidays.country_holidays(code, subdiv=subdivision)  # also accepts the package's aliases ("England")
        except NotImplementedError:
            raise ValueError(f"unknown holiday subdivision {subdivision!r} for country {code!r}") from None
    return code, subdivision


@cache
def _holiday_names(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    """One year of a region's holidays, built when first needed.

    A plain dict per year rather than one shared, self-expanding `holidays` object: that object fills in a year
    after marking it present, so a second thread could read the year half-built.
    """
    return dict(holidays.country_holidays(country, subdiv=subdivision, years=year))


@dataclass(frozen=True)
class Away:
    """A person's away period, from `start` to `end` inclusive, as dates in their own timezone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"an away period cannot end ({self.end}) before it starts ({self.start})")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class PersonSchedule:
    """How often one person is prompted, on which weekday (0 Monday .. 4 Friday), in which IANA timezone.

    An unknown timezone name is treated as UTC (see `zone`), so a typo never stops the prompts.
    """

    timezone: str
    cadence: Cadence
    weekday: int = DEFAULT_WEEKDAY
    away: Away | None = None

    def __post_init__(self) -> None:
        if self.weekday not in range(len(WEEKDAY_NAMES)):
            raise ValueError(f"check-in weekday must be 0 (Monday) to 4 (Friday), not {self.weekday!r}")


def next_prompt(schedule: PersonSchedule, calendar: Calendar, *, now: datetime, previous: date | None) -> datetime | None:
    """UTC-aware datetime of the next prompt, or None (cadence off or nothing allowed within the search horizon).

    `previous` is the LOCAL date of the last prompt actually sent (None if never). The result may be earlier than `now`
    when the clock was down: the caller sends it at once (catching up once).
    """
    _require_aware(now)
    if schedule.cadence is Cadence.OFF:
        return None
    if previous is None:
        target = _on_or_after_weekday(local_date(now, schedule.timezone), schedule.weekday)
        if at_prompt_time(target, schedule.timezone) <= now:
            target += timedelta(weeks=1)
    else:
        target = _on_or_after_weekday(_add_period(previous, schedule.cadence), schedule.weekday)
    day = allowed_day_on_or_after(target, schedule, calendar)
    return None if day is None else at_prompt_time(day, schedule.timezone)


LATEST_CATCH_UP = time(17, 0)
"""A prompt missed while the clock was down is sent at once only during working hours (10:00 to 17:00 local)."""


def catch_up_at(schedule: PersonSchedule, calendar: Calendar, *, now: datetime) -> datetime | None:
    """When to send a prompt whose time passed while the clock was down: now, if it is working hours on an allowed
    day for the person; otherwise 10:00 on their next allowed day (today, if it is still before 10:00)."""
    local = now.astimezone(zone(schedule.timezone))
    today = local.date()
    allowed_today = allowed_day_on_or_after(today, schedule, calendar) == today
    if allowed_today and PROMPT_TIME <= local.time() < LATEST_CATCH_UP:
        return now
    day = allowed_day_on_or_after(
        today if allowed_today and local.time() < PROMPT_TIME else today + timedelta(days=1), schedule, calendar
    )
    return None if day is None else at_prompt_time(day, schedule.timezone)


def cadence_anchor(day: date, weekday: int) -> date:
    """The preferred weekday on or before ``day``: where the next period counts from. A prompt moved to
    Tuesday by a bank holiday leaves the following ones on Mondays."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def snoozed_until(schedule: PersonSchedule, calendar: Calendar, *, now: datetime) -> datetime | None:
    """10:00 local on the next allowed day after today (the person's today), whatever the cadence; None past the horizon."""
    tomorrow = local_date(now, schedule.timezone) + timedelta(days=1)
    day = allowed_day_on_or_after(tomorrow, schedule, calendar)
    return None if day is None else at_prompt_time(day, schedule.timezone)


def allowed_day_on_or_after(day: date, schedule: PersonSchedule, calendar: Calendar) -> date | None:
    """The first working day from `day` on that is outside the person's away period; None if none within SEARCH_HORIZON."""
    last = day + SEARCH_HORIZON
    while day <= last:
        if schedule.away is not None and schedule.away.covers(day):
            day = schedule.away.end + timedelta(days=1)
        elif calendar.is_working_day(day):
            return day
        else:
            day += timedelta(days=1)
    return None


def at_prompt_time(day: date, timezone: str) -> datetime:
    """10:00 local on `day` in `timezone`, as a UTC-aware datetime."""
    return datetime.combine(day, PROMPT_TIME, tzinfo=zone(timezone)).astimezone(UTC)


def local_date(moment: datetime, timezone: str) -> date:
    _require_aware(moment)
    return moment.astimezone(zone(timezone)).date()


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {moment.isoformat()}")


def _on_or_after_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _add_period(day: date, cadence: Cadence) -> date:
    match cadence:
        case Cadence.WEEKLY:
            return day + timedelta(weeks=1)
        case Cadence.BIWEEKLY:
            return day + timedelta(weeks=2)
        case Cadence.MONTHLY:
            return _add_months(day, 1)
        case Cadence.QUARTERLY:
            return _add_months(day, 3)
    raise ValueError(f"cadence {cadence!r} has no period")


def _add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28 or 29)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))
