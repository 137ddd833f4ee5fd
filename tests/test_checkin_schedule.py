"""When check-in prompts are due: 10:00 local on an allowed working day, across DST changes, holidays and away periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.checkins.schedule import (
    DEFAULT_CADENCE,
    DEFAULT_WEEKDAY,
    PROMPT_TIME,
    WEEKDAY_NAMES,
    Away,
    Cadence,
    Calendar,
    PersonSchedule,
    allowed_day_on_or_after,
    at_prompt_time,
    local_date,
    next_prompt,
    parse_weekday,
    snoozed_until,
    zone,
)

MON, TUE, WED, THU, FRI = range(5)
NO_HOLIDAYS = Calendar()
ENGLAND = Calendar("GB", "ENG")
TIMEZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Pacific/Auckland", "Asia/Kolkata")
PERIODS = {
    Cadence.WEEKLY: relativedelta(weeks=1),
    Cadence.BIWEEKLY: relativedelta(weeks=2),
    Cadence.MONTHLY: relativedelta(months=1),
    Cadence.QUARTERLY: relativedelta(months=3),
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def person(timezone: str = "Europe/London", cadence: Cadence = Cadence.WEEKLY, weekday: int = MON, away: Away | None = None):
    return PersonSchedule(timezone=timezone, cadence=cadence, weekday=weekday, away=away)


def prompt_after(previous: date, schedule: PersonSchedule, calendar: Calendar = NO_HOLIDAYS) -> datetime | None:
    return next_prompt(schedule, calendar, now=utc(2026, 1, 1), previous=previous)


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


# --- parsing and defaults ---------------------------------------------------------------------------------------------


def test_defaults():
    assert (DEFAULT_CADENCE, DEFAULT_WEEKDAY, PROMPT_TIME.isoformat()) == (Cadence.MONTHLY, MON, "10:00:00")
    assert WEEKDAY_NAMES == ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@pytest.mark.parametrize(
    ("text", "cadence"),
    [
        ("weekly", Cadence.WEEKLY),
        ("  MONTHLY ", Cadence.MONTHLY),
        ("Quarterly", Cadence.QUARTERLY),
        ("biweekly", Cadence.BIWEEKLY),
        ("bi-weekly", Cadence.BIWEEKLY),
        ("Fortnightly", Cadence.BIWEEKLY),
        ("every  two weeks", Cadence.BIWEEKLY),
        ("off", Cadence.OFF),
        ("None", Cadence.OFF),
        ("never", Cadence.OFF),
    ],
)
def test_cadence_parse(text, cadence):
    assert Cadence.parse(text) is cadence


def test_cadence_parse_lists_the_choices():
    with pytest.raises(ValueError, match="unknown cadence 'daily': choose weekly, biweekly, monthly, quarterly, off"):
        Cadence.parse("daily")


@pytest.mark.parametrize(
    ("text", "weekday"),
    [("mon", MON), ("Monday", MON), ("mondays", MON), ("TUE", TUE), ("tues", TUE), ("wed", WED), ("Thurs", THU), ("fri", FRI)],
)
def test_parse_weekday(text, weekday):
    assert parse_weekday(text) == weekday


@pytest.mark.parametrize("text", ["sat", "Sunday"])
def test_parse_weekday_refuses_weekends(text):
    with pytest.raises(ValueError, match="working days: choose Monday to Friday, not S"):
        parse_weekday(text)


@pytest.mark.parametrize("text", ["", "mo", "someday", "monday please"])
def test_parse_weekday_refuses_other_words(text):
    with pytest.raises(ValueError, match="unknown weekday"):
        parse_weekday(text)


def test_unknown_timezone_falls_back_to_utc():
    assert zone("Mars/Olympus_Mons") == zone(None) == zone("") == zone("../etc/passwd") == ZoneInfo("UTC")
    assert zone("Asia/Kolkata") == ZoneInfo("Asia/Kolkata")
    assert at_prompt_time(date(2026, 7, 1), "Mars/Olympus_Mons") == utc(2026, 7, 1, 10)


def test_schedule_weekday_must_be_a_working_day():
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 4 \\(Friday\\)"):
        person(weekday=5)


def test_away_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end"):
        Away(date(2026, 5, 2), date(2026, 5, 1))
    assert Away(date(2026, 5, 1), date(2026, 5, 1)).covers(date(2026, 5, 1))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_prompt(person(), NO_HOLIDAYS, now=datetime(2026, 1, 1), previous=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        snoozed_until(person(), NO_HOLIDAYS, now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime(2026, 1, 1), "UTC")


# --- calendars --------------------------------------------------------------------------------------------------------


def test_unknown_country_is_refused_briefly():
    with pytest.raises(ValueError, match="^unknown holiday country 'XX'$"):
        Calendar("XX")


def test_unknown_subdivision_and_subdivision_without_country_are_refused():
    with pytest.raises(ValueError, match="unknown holiday subdivision 'ZZZ' for country 'GB'"):
        Calendar("GB", "ZZZ")
    with pytest.raises(ValueError, match="needs a country"):
        Calendar(subdivision="ENG")


def test_calendar_codes_are_stored_in_the_package_spelling():
    assert Calendar("gb", "eng") == ENGLAND
    from_a_list = Calendar("US", extra_holidays=[date(2026, 7, 6)])  # type: ignore[arg-type]
    assert from_a_list.extra_holidays == frozenset({date(2026, 7, 6)})
    assert hash(from_a_list) == hash(Calendar("us", extra_holidays=frozenset({date(2026, 7, 6)})))


def test_gb_christmas_2026_with_the_package_as_witness():
    names = holidays.country_holidays("GB", subdiv="ENG", years=2026)
    assert names.get(date(2026, 12, 28)) == "Boxing Day (observed)"  # Boxing Day is a Saturday in 2026
    assert ENGLAND.holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert [ENGLAND.is_working_day(date(2026, 12, d)) for d in range(24, 30)] == [True, False, False, False, False, True]
    assert ENGLAND.holiday_name(date(2026, 12, 27)) is None  # a weekend is not a holiday


def test_extra_holidays_count_as_holidays():
    calendar = Calendar("NZ", extra_holidays=frozenset({date(2026, 6, 15)}))
    assert calendar.holiday_name(date(2026, 6, 15)) == "organisation holiday"
    assert not calendar.is_working_day(date(2026, 6, 15))
    assert calendar.is_working_day(date(2026, 6, 16))


# --- next prompt ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "before", "after"),
    [
        # Europe/London: clocks go forward 29 March, back 25 October 2026.
        ("Europe/London", utc(2026, 3, 23, 10), utc(2026, 3, 30, 9)),
        ("Europe/London", utc(2026, 10, 19, 9), utc(2026, 10, 26, 10)),
        # America/New_York: 8 March and 1 November 2026.
        ("America/New_York", utc(2026, 3, 2, 15), utc(2026, 3, 9, 14)),
        ("America/New_York", utc(2026, 10, 26, 14), utc(2026, 11, 2, 15)),
        # Australia/Sydney: clocks go back 5 April, forward 4 October 2026 (southern hemisphere).
        ("Australia/Sydney", utc(2026, 3, 29, 23), utc(2026, 4, 6, 0)),
        ("Australia/Sydney", utc(2026, 9, 28, 0), utc(2026, 10, 4, 23)),
        # Pacific/Auckland: back 5 April, forward 27 September 2026.
        ("Pacific/Auckland", utc(2026, 3, 29, 21), utc(2026, 4, 5, 22)),
        ("Pacific/Auckland", utc(2026, 9, 20, 22), utc(2026, 9, 27, 21)),
        # Asia/Kolkata: no DST, always +05:30.
        ("Asia/Kolkata", utc(2026, 3, 23, 4, 30), utc(2026, 3, 30, 4, 30)),
    ],
)
def test_daylight_saving_changes_keep_ten_o_clock_local(timezone, before, after):
    schedule = person(timezone)
    first = next_prompt(schedule, NO_HOLIDAYS, now=before - timedelta(days=2), previous=None)
    assert first == before
    second = next_prompt(schedule, NO_HOLIDAYS, now=before, previous=local_date(first, timezone))
    assert second == after
    for moment in (first, second):
        assert moment.tzinfo is UTC
        assert local(moment, timezone).weekday() == MON
        assert local(moment, timezone).time() == PROMPT_TIME


def test_without_a_previous_prompt_ten_o_clock_today_counts_only_if_still_ahead():
    schedule = person("Europe/London", weekday=MON)
    assert next_prompt(schedule, NO_HOLIDAYS, now=utc(2026, 6, 1, 8, 59), previous=None) == utc(2026, 6, 1, 9)
    assert next_prompt(schedule, NO_HOLIDAYS, now=utc(2026, 6, 1, 9), previous=None) == utc(
        2026, 6, 8, 9
    )  # 10:00 BST is not after


def test_weekly_skips_gb_christmas_and_the_substitute_bank_holiday():
    schedule = person("Europe/London", weekday=FRI)
    assert prompt_after(date(2026, 12, 18), schedule, ENGLAND) == utc(2026, 12, 29, 10)  # Fri 25 .. Mon 28 are all off


def test_us_thanksgiving_moves_to_the_friday():
    assert holidays.country_holidays("US", years=2026).get(date(2026, 11, 26)) == "Thanksgiving Day"
    schedule = person("America/New_York", weekday=THU)
    assert prompt_after(date(2026, 11, 19), schedule, Calendar("US")) == utc(2026, 11, 27, 15)


def test_an_extra_holiday_on_a_friday_moves_past_the_weekend():
    calendar = Calendar(extra_holidays=frozenset({date(2026, 5, 15)}))
    assert prompt_after(date(2026, 5, 8), person("Asia/Kolkata", weekday=FRI), calendar) == utc(2026, 5, 18, 4, 30)


def test_away_period_resumes_on_the_first_allowed_day_after_it():
    away = Away(date(2026, 8, 3), date(2026, 8, 21))  # Monday 3 to Friday 21 August
    schedule = person("Europe/London", weekday=WED, away=away)
    assert prompt_after(date(2026, 7, 29), schedule) == utc(2026, 8, 24, 9)  # the Monday after, not the next Wednesday
    assert allowed_day_on_or_after(date(2026, 8, 3), schedule, ENGLAND) == date(2026, 8, 24)
    assert allowed_day_on_or_after(date(2026, 7, 31), schedule, ENGLAND) == date(2026, 7, 31)


def test_away_period_ending_on_a_bank_holiday():
    away = Away(date(2026, 8, 17), date(2026, 8, 28))
    schedule = person("Europe/London", weekday=MON, away=away)
    assert prompt_after(date(2026, 8, 10), schedule, ENGLAND) == utc(2026, 9, 1, 9)  # Mon 31 Aug is a bank holiday


@pytest.mark.parametrize(
    ("previous", "weekday", "expected"),
    [
        (date(2028, 1, 31), TUE, date(2028, 2, 29)),  # leap year: Jan 31 + 1 month = Tue Feb 29
        (date(2026, 1, 31), FRI, date(2026, 3, 6)),  # Feb 28 2026 is a Saturday: next Friday is March 6
        (date(2026, 1, 31), MON, date(2026, 3, 2)),  # not March 3 (no overflow), so the first Monday on or after Feb 28
        (date(2026, 3, 15), WED, date(2026, 4, 15)),
        (date(2026, 12, 10), THU, date(2027, 1, 14)),  # across the year end
    ],
)
def test_monthly_clamps_the_day_of_month(previous, weekday, expected):
    assert prompt_after(previous, person("Asia/Kolkata", Cadence.MONTHLY, weekday)) == at_prompt_time(expected, "Asia/Kolkata")


@pytest.mark.parametrize(
    ("previous", "weekday", "expected"),
    [
        (date(2026, 1, 15), THU, date(2026, 4, 16)),
        (date(2026, 11, 30), MON, date(2027, 3, 1)),  # Nov 30 + 3 months = Feb 28 2027, a Sunday
    ],
)
def test_quarterly(previous, weekday, expected):
    schedule = person("America/New_York", Cadence.QUARTERLY, weekday)
    assert prompt_after(previous, schedule) == at_prompt_time(expected, "America/New_York")


def test_biweekly_is_two_weeks():
    schedule = person("Pacific/Auckland", Cadence.BIWEEKLY)
    assert prompt_after(date(2026, 6, 1), schedule) == at_prompt_time(date(2026, 6, 15), "Pacific/Auckland")


def test_a_late_start_catches_up_once_with_a_time_in_the_past():
    now = utc(2026, 9, 1)
    due = next_prompt(person(), NO_HOLIDAYS, now=now, previous=date(2026, 6, 1))
    assert due == utc(2026, 6, 8, 9) and due < now


def test_cadence_off_never_prompts():
    assert next_prompt(person(cadence=Cadence.OFF), ENGLAND, now=utc(2026, 1, 1), previous=None) is None
    assert next_prompt(person(cadence=Cadence.OFF), ENGLAND, now=utc(2026, 1, 1), previous=date(2025, 12, 1)) is None


def test_nothing_allowed_within_the_horizon_gives_none():
    decade_away = person(away=Away(date(2026, 1, 1), date(2035, 12, 31)))
    assert next_prompt(decade_away, NO_HOLIDAYS, now=utc(2026, 1, 1), previous=None) is None
    assert snoozed_until(decade_away, NO_HOLIDAYS, now=utc(2026, 1, 1)) is None
    every_day = Calendar(extra_holidays=frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(5 * 366)))
    assert next_prompt(person(), every_day, now=utc(2026, 1, 1), previous=None) is None


# --- snooze -----------------------------------------------------------------------------------------------------------


def test_snooze_on_a_friday_goes_to_monday():
    friday_evening = utc(2026, 6, 5, 20)  # 21:00 in London
    assert snoozed_until(person("Europe/London"), NO_HOLIDAYS, now=friday_evening) == utc(2026, 6, 8, 9)


def test_snooze_uses_the_persons_own_date():
    thursday_in_utc = utc(2026, 6, 4, 20)  # already Friday 08:00 in Auckland
    monday = at_prompt_time(date(2026, 6, 8), "Pacific/Auckland")
    assert snoozed_until(person("Pacific/Auckland"), NO_HOLIDAYS, now=thursday_in_utc) == monday


def test_snooze_before_a_holiday_skips_it():
    christmas_eve = utc(2026, 12, 24, 11)
    assert snoozed_until(person("Europe/London"), ENGLAND, now=christmas_eve) == utc(2026, 12, 29, 10)
    thanksgiving_eve = utc(2026, 11, 25, 16)
    assert snoozed_until(person("America/New_York"), Calendar("US"), now=thanksgiving_eve) == utc(2026, 11, 27, 15)


def test_snooze_into_an_away_period_waits_for_its_end():
    schedule = person("Asia/Kolkata", away=Away(date(2026, 6, 2), date(2026, 6, 3)))
    assert snoozed_until(schedule, NO_HOLIDAYS, now=utc(2026, 6, 1, 6)) == at_prompt_time(date(2026, 6, 4), "Asia/Kolkata")


# --- properties -------------------------------------------------------------------------------------------------------

CALENDARS = {
    None: NO_HOLIDAYS,
    ("GB", "ENG"): ENGLAND,
    ("US", None): Calendar("US"),
    ("DE", None): Calendar("DE"),
    ("NZ", None): Calendar("NZ"),
}
PERSON_ZONES = st.sampled_from([ZoneInfo(name) for name in (*TIMEZONES, "UTC")])
NOWS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=PERSON_ZONES)
CADENCES = st.sampled_from([c for c in Cadence if c is not Cadence.OFF])
WEEKDAYS = st.integers(MON, FRI)


@st.composite
def aways(draw) -> Away | None:
    if draw(st.booleans()):
        return None
    start = draw(st.dates(date(2019, 12, 1), date(2036, 1, 31)))
    return Away(start, start + timedelta(days=draw(st.integers(0, 60))))


def assert_allowed(moment: datetime, timezone: str, region: tuple[str, str | None] | None, away: Away | None) -> None:
    """Checks a prompt against the rules using the holidays package directly, not the Calendar under test."""
    assert moment.tzinfo is UTC
    wall = local(moment, timezone)
    assert wall.time() == PROMPT_TIME
    assert wall.weekday() < 5
    if region is not None:
        assert wall.date() not in holidays.country_holidays(region[0], subdiv=region[1], years=wall.year)
    assert away is None or not away.covers(wall.date())


@settings(max_examples=200, deadline=None)
@given(
    now=NOWS,
    timezone=st.sampled_from(TIMEZONES),
    cadence=CADENCES,
    weekday=WEEKDAYS,
    region=st.sampled_from(list(CALENDARS)),
    away=aways(),
)
def test_first_prompt_is_allowed_and_strictly_after_now(now, timezone, cadence, weekday, region, away):
    due = next_prompt(person(timezone, cadence, weekday, away), CALENDARS[region], now=now, previous=None)
    assert due is not None
    assert due > now
    assert_allowed(due, timezone, region, away)


@settings(max_examples=200, deadline=None)
@given(
    previous=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    timezone=st.sampled_from(TIMEZONES),
    cadence=CADENCES,
    weekday=WEEKDAYS,
    region=st.sampled_from(list(CALENDARS)),
    away=aways(),
)
def test_next_prompt_is_allowed_and_never_before_a_full_period(previous, timezone, cadence, weekday, region, away):
    due = prompt_after(previous, person(timezone, cadence, weekday, away), CALENDARS[region])
    assert due is not None
    assert local_date(due, timezone) >= previous + PERIODS[cadence]
    assert_allowed(due, timezone, region, away)


@settings(max_examples=200, deadline=None)
@given(
    now=NOWS,
    previous=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2035, 12, 31))),
    timezone=st.sampled_from(TIMEZONES),
    cadence=CADENCES,
    weekday=WEEKDAYS,
)
def test_with_nothing_in_the_way_the_prompt_is_the_first_preferred_weekday(now, previous, timezone, cadence, weekday):
    due = next_prompt(person(timezone, cadence, weekday), NO_HOLIDAYS, now=now, previous=previous)
    day = local_date(due, timezone)
    assert day.weekday() == weekday
    if previous is None:
        assert now < due <= now + timedelta(weeks=1)
    else:
        assert previous + PERIODS[cadence] <= day < previous + PERIODS[cadence] + timedelta(weeks=1)


@settings(max_examples=200, deadline=None)
@given(now=NOWS, timezone=st.sampled_from(TIMEZONES), region=st.sampled_from(list(CALENDARS)), away=aways())
def test_snooze_is_an_allowed_day_after_today(now, timezone, region, away):
    due = snoozed_until(person(timezone, away=away), CALENDARS[region], now=now)
    assert due is not None
    assert local_date(due, timezone) > local_date(now, timezone)
    assert_allowed(due, timezone, region, away)
