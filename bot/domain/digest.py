"""The week's digest setting: "mon 09:00" (a day and a time in the group's zone)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError
from bot.strings import digest as words

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFF = ("off", "none", "no", "-")
_SETTING = re.compile(r"^([a-z]{3})[a-z]*\s+(\d{1,2})[:.](\d{2})$")
EXAMPLE = "/settings digest=mon 09:00"


def parse_digest(text: str) -> str:
    """The setting as stored ("mon 09:00"), or "" for none."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in OFF:
        return ""
    match = _SETTING.match(cleaned)
    if not match or match.group(1) not in DAYS:
        raise UserError(words.BAD_SETTING.format(text=text.strip()[:20]), EXAMPLE)
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise UserError(words.BAD_SETTING.format(text=text.strip()[:20]), EXAMPLE)
    return f"{match.group(1)} {hour:02d}:{minute:02d}"


def next_digest(setting: str, zone: str, after: datetime) -> datetime:
    """The first moment after `after` the setting names, in the group's zone (the wall
    time, whatever the clocks do that week)."""
    day, clock = setting.split()
    at = time.fromisoformat(clock)
    tz = ZoneInfo(zone)
    local = after.astimezone(tz)
    ahead = (DAYS.index(day) - local.weekday()) % 7
    for extra in (0, 7):
        wall = datetime.combine(local.date() + timedelta(days=ahead + extra), at)
        moment = wall.replace(tzinfo=tz)
        if moment > after:
            return moment
    raise AssertionError("a week always holds the day")  # pragma: no cover
