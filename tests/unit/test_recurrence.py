"""Reading `repeat=` and the occurrences of a rule, across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.recurrence import describe, occurrences, parse_repeat, place

LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
THU = datetime(2026, 12, 3, 19, 30)  # the first Thursday of December


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        ("weekly", "FREQ=WEEKLY", "every week"),
        ("Fortnightly", "FREQ=WEEKLY;INTERVAL=2", "every fortnight"),
        ("monthly", "FREQ=MONTHLY", "every month"),
        ("first thu", "FREQ=MONTHLY;BYDAY=1TH", "monthly on the first Thursday"),
        ("first Thursday", "FREQ=MONTHLY;BYDAY=1TH", "monthly on the first Thursday"),
        ("every first thursday", "FREQ=MONTHLY;BYDAY=1TH", "monthly on the first Thursday"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;BYDAY=TH", "every week on Thursday"),
        ("rrule:freq=weekly;interval=3", "FREQ=WEEKLY;INTERVAL=3", "every 3 weeks"),
    ],
)
def test_repeat_forms(text: str, rule: str, words: str) -> None:
    assert parse_repeat(text, THU) == rule
    assert describe(rule) == words


def test_last_weekday_of_the_month() -> None:
    rule = parse_repeat("last wed", datetime(2026, 12, 30, 19, 0))
    assert describe(rule) == "monthly on the last Wednesday"
    keys = [k for k, _ in occurrences(rule, datetime(2026, 12, 30, 19, 0), LONDON, _utc(2027, 4))]
    assert keys == ["2026-12-30T19:00", "2027-01-27T19:00", "2027-02-24T19:00", "2027-03-31T19:00"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("first tue", "does not fit"),
        ("hourly", "not a repeat I know"),
        ("fifth fri", "not a repeat I know"),
        ("RRULE:FREQ=SECONDLY", "DAILY, WEEKLY"),
        ("RRULE:FREQ=WEEKLY;DTSTART=20260101T000000", "from the event's date"),
        ("RRULE:FREQ=WEEKLY;BYDAY=XX", "cannot be read"),
        ("RRULE:<script>", "cannot be read"),
    ],
)
def test_refused_repeats(text: str, reason: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_repeat(text, THU)
    assert reason in caught.value.reason


def test_the_wrong_start_is_refused_with_the_next_that_fits() -> None:
    with pytest.raises(UserError) as caught:
        parse_repeat("first tue", THU)
    assert (
        caught.value.reason
        == "Thu 3 Dec does not fit repeat=first tue. The next that fits is Tue 5 Jan."
    )


def _utc(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@pytest.mark.parametrize("tz", [LONDON, BERLIN])
def test_weekly_local_time_holds_across_both_clock_changes(tz: ZoneInfo) -> None:
    found = list(occurrences("FREQ=WEEKLY", THU, tz, _utc(2027, 11, 30)))
    assert len(found) == 52
    for key, start in found:
        local = start.astimezone(tz)
        assert (local.hour, local.minute) == (19, 30), key
        assert key == local.strftime("%Y-%m-%dT%H:%M")
    offsets = {start.astimezone(tz).utcoffset() for _, start in found}
    assert len(offsets) == 2  # both winter and summer time were crossed


def test_a_wall_time_skipped_by_the_clocks_moves_forward() -> None:
    skipped = place(datetime(2027, 3, 28, 1, 30), LONDON)
    assert skipped.astimezone(LONDON).strftime("%H:%M %Z") == "02:30 BST"
    repeated = place(datetime(2027, 10, 31, 1, 30), LONDON)
    assert repeated.astimezone(LONDON).strftime("%H:%M %Z") == "01:30 BST"  # the first pass


@given(st.integers(min_value=0, max_value=400), st.sampled_from(["weekly", "monthly"]))
def test_occurrences_are_ordered_unique_and_from_the_start(days: int, text: str) -> None:
    start = datetime(2026, 11, 23, 18, 0)
    start = start.replace(day=1) if text == "monthly" else start
    rule = parse_repeat(text, start)
    until = _utc(2027, 1) if days < 200 else _utc(2028, 1)
    found = list(occurrences(rule, start, LONDON, until))
    keys = [k for k, _ in found]
    assert keys[0] == start.strftime("%Y-%m-%dT%H:%M")
    assert len(set(keys)) == len(keys)
    assert [s for _, s in found] == sorted(s for _, s in found)
