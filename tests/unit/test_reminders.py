from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import UserError
from bot.domain.reminders import Offset, format_offsets, parse_offsets
from bot.render import reminder_lead

LONDON = ZoneInfo("Europe/London")


def test_parses_and_sorts_longest_first() -> None:
    assert parse_offsets("2h, 7d,1d,30m,5m") == (
        Offset(7 * 1440),
        Offset(1440),
        Offset(120),
        Offset(30),
        Offset(5),
    )
    assert format_offsets(parse_offsets("2h,7d,1d")) == "7d,1d,2h"
    assert parse_offsets("1w") == (Offset(7 * 1440),)
    assert parse_offsets("none") == ()


@pytest.mark.parametrize("text", ["", "7x", "0m", "100d", "1h,2h,3h,4h,5h,6h,7h,8h,9h", "-1h"])
def test_refuses_bad_offsets(text: str) -> None:
    with pytest.raises(UserError):
        parse_offsets(text)


def test_day_offsets_keep_the_local_time_across_the_october_change() -> None:
    # A 19:30 meeting on Thu 29 Oct 2026 (GMT); the clocks went back on Sun 25 Oct.
    start = datetime(2026, 10, 29, 19, 30, tzinfo=LONDON)
    assert Offset(7 * 1440).due(start, LONDON) == datetime(2026, 10, 22, 18, 30, tzinfo=UTC)
    assert Offset(1440).due(start, LONDON) == datetime(2026, 10, 28, 19, 30, tzinfo=UTC)
    assert Offset(120).due(start, LONDON) == datetime(2026, 10, 29, 17, 30, tzinfo=UTC)


def test_day_offsets_keep_the_local_time_across_the_march_change() -> None:
    start = datetime(2026, 4, 2, 19, 30, tzinfo=LONDON)  # BST
    assert Offset(7 * 1440).due(start, LONDON) == datetime(2026, 3, 26, 19, 30, tzinfo=UTC)


def test_a_reminder_says_how_far_ahead_in_one_whole_sentence() -> None:
    assert reminder_lead("AGM", Offset(1440)) == "⏰ Reminder: AGM is tomorrow."
    assert reminder_lead("AGM", Offset(120)) == "⏰ Reminder: AGM is in 2 hours."
    assert reminder_lead("AGM", Offset(60)) == "⏰ Reminder: AGM is in 1 hour."
    assert reminder_lead("AGM", Offset(30)) == "⏰ Reminder: AGM is in 30 minutes."
    assert reminder_lead("AGM", Offset(1)) == "⏰ Reminder: AGM is in 1 minute."
    assert reminder_lead("AGM", Offset(7 * 1440)) == "⏰ Reminder: AGM is in 7 days."
