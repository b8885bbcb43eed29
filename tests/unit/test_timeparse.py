"""The `<when>` reader: every form of product.md, in the group's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import UserError
from bot.domain.timeparse import parse_end, parse_when

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03 19:30", datetime(2026, 12, 3, 19, 30)),
        ("3 Dec 19:30", datetime(2026, 12, 3, 19, 30)),
        ("Thu 3 Dec 7.30pm", datetime(2026, 12, 3, 19, 30)),
        ("Thu 3 Dec 7:30pm", datetime(2026, 12, 3, 19, 30)),
        ("tomorrow 18:00", datetime(2026, 11, 24, 18, 0)),
        ("next Thursday 7:30pm", datetime(2026, 11, 26, 19, 30)),
        ("in 2 hours", datetime(2026, 11, 23, 12, 0)),
        ("in 90 minutes", datetime(2026, 11, 23, 11, 30)),
        ("in an hour", datetime(2026, 11, 23, 11, 0)),
        ("in 3 days", datetime(2026, 11, 26, 10, 0)),
        ("2026-12-03T19:30", datetime(2026, 12, 3, 19, 30)),
        ("2026-12-03T19:30+01:00", datetime(2026, 12, 3, 18, 30)),
        ("19.30 3 Dec", datetime(2026, 12, 3, 19, 30)),
        ("Sat 10am", datetime(2026, 11, 28, 10, 0)),
        ("3 January 2027 14:00", datetime(2027, 1, 3, 14, 0)),
    ],
)
def test_reads_each_form_in_london(text: str, expected: datetime) -> None:
    got = parse_when(text, LONDON, NOW)
    assert got.tzinfo is not None
    assert got.astimezone(LONDON).replace(tzinfo=None) == expected


def test_reads_in_the_groups_timezone() -> None:
    got = parse_when("3 Dec 19:30", NEW_YORK, NOW)
    assert got.astimezone(UTC) == datetime(2026, 12, 4, 0, 30, tzinfo=UTC)


def test_summer_time_is_applied_to_a_summer_date() -> None:
    got = parse_when("2027-06-10 19:30", LONDON, NOW)
    assert got.astimezone(UTC) == datetime(2027, 6, 10, 18, 30, tzinfo=UTC)


def test_hours_are_elapsed_time_across_the_clock_change() -> None:
    before_change = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    got = parse_when("in 2 hours", LONDON, before_change)
    assert got.astimezone(UTC) == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("yesterday 10:00", "in the past"),
        ("2020-01-01 10:00", "in the past"),
        ("garbage", "can't read"),
        ("", "Say when"),
        ("3 Dec", "Add a time"),
        ("Fri 3 Dec 19:30", "is a Thursday, not a Friday"),
        ("2027-03-28 01:30", "does not exist"),
        ("x" * 101, "too long"),
        ("2040-01-01 10:00", "five years"),
    ],
)
def test_refuses_with_reason_and_example(text: str, reason: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_when(text, LONDON, NOW)
    assert reason in caught.value.reason
    assert caught.value.example


def test_a_deadline_may_be_a_bare_date() -> None:
    got = parse_when("20 Jun", LONDON, NOW, date_only_time=time(23, 59))
    assert got.astimezone(LONDON).replace(tzinfo=None) == datetime(2027, 6, 20, 23, 59)


def test_end_time_on_the_same_day_or_a_full_date() -> None:
    start = parse_when("3 Dec 19:30", LONDON, NOW)
    assert parse_end("21:30", start, LONDON).astimezone(LONDON).hour == 21
    assert parse_end("9.30pm", start, LONDON).astimezone(LONDON).minute == 30
    assert parse_end("4 Dec 01:00", start, LONDON).astimezone(LONDON).day == 4
    with pytest.raises(UserError, match="after the start"):
        parse_end("18:00", start, LONDON)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_never_raises_anything_but_a_user_error(text: str) -> None:
    try:
        got = parse_when(text, LONDON, NOW)
    except UserError as exc:
        assert exc.reason and "\n" not in exc.reason
    else:
        assert got > NOW


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        "{} {} {}:{:02d}".format,
        st.integers(1, 28),
        st.sampled_from(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"]),
        st.integers(0, 23),
        st.integers(0, 59),
    )
)
def test_any_well_formed_date_reads_or_is_refused_cleanly(text: str) -> None:
    try:
        got = parse_when(text, LONDON, NOW)
    except UserError:
        return
    local = got.astimezone(LONDON)
    assert f"{local.hour}:{local.minute:02d}" == text.split(" ")[2]
