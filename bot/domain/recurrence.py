"""Repeating events: `repeat=` read into an RRULE, and the occurrences it yields.

Rules are evaluated in local wall time (dateutil on naive datetimes) and only then
placed in the zone, so a weekly 19:30 meeting is at 19:30 in winter and in summer. A wall
time that a clock change skips moves to the next real instant, as a calendar does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot.domain.errors import UserError

EXAMPLE = "repeat=weekly (or fortnightly, monthly, first thu, last wed, RRULE:FREQ=…)"
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_RULE = 300
KEY_FORMAT = "%Y-%m-%dT%H:%M"

_DAYS = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4, "last": -1}
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_DAY_WORDS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def parse_repeat(text: str, local_start: datetime) -> str:
    """The RRULE (without "RRULE:") that `repeat=` asks for, checked against the start.

    The first occurrence must be the start itself: "first thu" from a Tuesday is refused
    with the date that would fit, rather than silently moving the meeting.
    """
    cleaned = " ".join(text.strip().split())
    lowered = cleaned.lower()
    if lowered in ("weekly", "every week"):
        rule = "FREQ=WEEKLY"
    elif lowered in ("fortnightly", "every 2 weeks", "every other week"):
        rule = "FREQ=WEEKLY;INTERVAL=2"
    elif lowered in ("monthly", "every month"):
        rule = "FREQ=MONTHLY"
    elif lowered.upper().startswith("RRULE:"):
        rule = _checked_rrule(cleaned[6:].strip())
    else:
        match = re.fullmatch(r"(?:every )?(\w+) (\w+?)(?:day|days|s)?", lowered)
        ordinal = _ORDINALS.get(match.group(1)) if match else None
        day = _DAYS.get(match.group(2)[:2]) if match else None
        if ordinal is None or day is None:
            raise UserError(f"“{cleaned[:30]}” is not a repeat I know.", EXAMPLE)
        rule = f"FREQ=MONTHLY;BYDAY={ordinal}{day}"
    first = next(iter(_rule(rule, local_start)), None)
    if first != local_start:
        hint = f" The next that fits is {first:%a %-d %b}." if first else ""
        raise UserError(f"{local_start:%a %-d %b} does not fit repeat={cleaned[:30]}.{hint}")
    return rule


def _checked_rrule(body: str) -> str:
    if len(body) > MAX_RULE or not re.fullmatch(r"[A-Za-z0-9=;,+\-]+", body):
        raise UserError("That RRULE cannot be read.", "repeat=RRULE:FREQ=WEEKLY;BYDAY=TH")
    parts = dict(p.split("=", 1) for p in body.upper().split(";") if "=" in p)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise UserError(
            "An RRULE repeats DAILY, WEEKLY, MONTHLY or YEARLY.", "repeat=RRULE:FREQ=WEEKLY"
        )
    if "DTSTART" in body.upper():
        raise UserError("The start comes from the event's date, not the RRULE.")
    try:
        rrulestr(body.upper(), dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError):
        raise UserError("That RRULE cannot be read.", "repeat=RRULE:FREQ=WEEKLY;BYDAY=TH") from None
    return body.upper()


def _rule(rule: str, local_start: datetime) -> rrule:
    parsed = rrulestr(rule, dtstart=local_start)
    assert isinstance(parsed, rrule)
    return parsed


def place(wall: datetime, tz: ZoneInfo) -> datetime:
    """A local wall time as a UTC instant; a skipped wall time moves forward by the gap."""
    # fold=0 reads a wall time in a gap with the offset before it: 01:30 on the night the
    # clocks go forward becomes 02:30, and a repeated hour's first pass is taken.
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def occurrences(
    rule: str, local_start: datetime, tz: ZoneInfo, until: datetime
) -> Iterator[tuple[str, datetime]]:
    """(key, start in UTC) of every occurrence starting no later than `until`."""
    for wall in _rule(rule, local_start):
        start = place(wall, tz)
        if start > until:
            return
        yield wall.strftime(KEY_FORMAT), start


def describe(rule: str) -> str:
    """How a card says it repeats: "every week", "monthly on the first Thursday"."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq, interval = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1") or 1)
    byday = parts.get("BYDAY", "")
    match = re.fullmatch(r"([+-]?\d)([A-Z]{2})", byday)
    if freq == "MONTHLY" and match and interval == 1:
        ordinal = _ORDINAL_WORDS.get(int(match.group(1)), match.group(1))
        return f"monthly on the {ordinal} {_DAY_WORDS[match.group(2)]}"
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[freq]
    if interval == 1:
        text = f"every {unit}"
    elif interval == 2 and unit == "week":
        text = "every fortnight"
    else:
        text = f"every {interval} {unit}s"
    if byday and not match:
        days = [_DAY_WORDS.get(d[-2:], d) for d in byday.split(",")]
        text += " on " + ", ".join(days)
    return text
