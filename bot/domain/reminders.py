"""Reminder offsets ("7d,1d,2h") and the instants they fall due.

Offsets in days or weeks are calendar offsets: the 7-day reminder for a 19:30 meeting
comes at 19:30 local time a week before, even when the clocks changed in between.
Offsets in hours and minutes are elapsed time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError
from bot.strings import input as refuse

EXAMPLE = "remind=7d,1d,2h"
MAX_OFFSETS = 8
_ONE = re.compile(r"^(\d{1,4})\s*([mhdw])$")
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
MAX_MINUTES = 90 * 1440


@dataclass(frozen=True, order=True)
class Offset:
    """How long before the start a reminder is due, kept in minutes."""

    minutes: int

    @property
    def is_calendar(self) -> bool:
        return self.minutes % 1440 == 0

    def label(self) -> str:
        for unit, size in (("d", 1440), ("h", 60)):
            if self.minutes % size == 0:
                return f"{self.minutes // size}{unit}"
        return f"{self.minutes}m"

    def due(self, start: datetime, tz: ZoneInfo) -> datetime:
        if self.is_calendar:
            wall = start.astimezone(tz).replace(tzinfo=None) - timedelta(minutes=self.minutes)
            # A wall time skipped by a clock change falls to the next real instant.
            return wall.replace(tzinfo=tz).astimezone(UTC)
        # Aware arithmetic in a named zone is wall-clock arithmetic: do it in UTC.
        return start.astimezone(UTC) - timedelta(minutes=self.minutes)


def parse_offsets(text: str) -> tuple[Offset, ...]:
    """Offsets, longest first; "none" or "off" for no reminders."""
    cleaned = text.strip().lower()
    if cleaned in ("none", "off", "no", "-"):
        return ()
    if not cleaned:
        raise UserError(refuse.GIVE_REMINDERS, EXAMPLE)
    found: set[Offset] = set()
    for part in cleaned.split(","):
        match = _ONE.match(part.strip())
        if not match:
            raise UserError(refuse.NOT_A_REMINDER.format(part=part.strip()[:20]), EXAMPLE)
        minutes = int(match.group(1)) * _UNIT_MINUTES[match.group(2)]
        if not 1 <= minutes <= MAX_MINUTES:
            raise UserError(refuse.REMINDER_RANGE, EXAMPLE)
        found.add(Offset(minutes))
    if len(found) > MAX_OFFSETS:
        raise UserError(refuse.TOO_MANY_REMINDERS.format(most=MAX_OFFSETS), EXAMPLE)
    return tuple(sorted(found, reverse=True))


def format_offsets(offsets: tuple[Offset, ...]) -> str:
    return ",".join(o.label() for o in offsets) if offsets else "none"
