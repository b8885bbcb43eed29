"""Repeating events: `repeat=` read into an RRULE, and the occurrences it yields.

Rules are evaluated in local wall time (dateutil on naive datetimes) and only then
placed in the zone, so a weekly 19:30 meeting is at 19:30 in winter and in summer. A wall
time that a clock change skips moves to the next real instant, as a calendar does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import MAXYEAR, UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot import i18n
from bot.domain.errors import UserError
from bot.strings import repeat as words
from bot.strings import when as when_words

EXAMPLE = words.EXAMPLE
RRULE_EXAMPLE = words.RRULE_EXAMPLE
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# The parts of an RRULE a meeting needs. The time of day comes from the event's start:
# BYHOUR, BYMINUTE and BYSECOND would make several dates a day (one such rule made
# 47,619 events), so they are refused with the rest.
ALLOWED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYYEARDAY"}
    | {"BYWEEKNO", "BYSETPOS", "WKST"}
)
MAX_INTERVAL = 99
MAX_RULE = 300
KEY_FORMAT = "%Y-%m-%dT%H:%M"
# A rule must give its first date within this; no group plans further than this ahead.
FIRST_WITHIN = timedelta(days=366 * 2)
# dateutil walks a rule that never occurs to the year 9999 (seconds of work, a whole
# core). Shifted by whole 400-year Gregorian cycles, which repeat every date and
# weekday, a window is read close to that year, so the walk past it is bounded.
CYCLE_YEARS = 400

_DAYS = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4, "last": -1}
_DAY_NAMES = dict(zip(_DAYS.values(), when_words.WEEKDAYS, strict=True))


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
            raise UserError(words.NOT_A_REPEAT.format(text=cleaned[:30]), EXAMPLE)
        rule = f"FREQ=MONTHLY;BYDAY={ordinal}{day}"
    found = walls(rule, local_start, local_start + FIRST_WITHIN, 1)
    first = found[0] if found else None
    if first is None:
        raise UserError(
            words.NO_DATE.format(text=cleaned[:30]),
            RRULE_EXAMPLE,
        )
    if first != local_start:
        raise UserError(
            words.DOES_NOT_FIT_NEXT.format(
                day=i18n.date_time(local_start, "weekday"),
                text=cleaned[:30],
                next=i18n.date_time(first, "weekday"),
            )
        )
    return rule


def _checked_rrule(body: str) -> str:
    if len(body) > MAX_RULE or not re.fullmatch(r"[A-Za-z0-9=;,+\-]+", body):
        raise UserError(words.RRULE_UNREADABLE, RRULE_EXAMPLE)
    upper = body.upper()
    if "DTSTART" in upper:
        raise UserError(words.NO_DTSTART)
    pairs = [p.split("=", 1) for p in upper.split(";") if p]
    if any(len(p) != 2 for p in pairs):
        raise UserError(words.RRULE_UNREADABLE, RRULE_EXAMPLE)
    parts = dict((k, v) for k, v in pairs)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise UserError(words.FREQUENCIES, RRULE_EXAMPLE)
    times = sorted({"BYHOUR", "BYMINUTE", "BYSECOND"} & parts.keys())
    if times:
        raise UserError(
            words.NO_TIME_PARTS.format(part=times[0]),
            RRULE_EXAMPLE,
        )
    unknown = sorted(parts.keys() - ALLOWED_PARTS)
    if unknown:
        raise UserError(words.UNKNOWN_PART.format(part=unknown[0][:12]), RRULE_EXAMPLE)
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL:
        raise UserError(words.INTERVAL_RANGE.format(most=MAX_INTERVAL), RRULE_EXAMPLE)
    try:
        rrulestr(upper, dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError, OverflowError):
        raise UserError(words.RRULE_UNREADABLE, RRULE_EXAMPLE) from None
    return upper


def walls(rule: str, local_start: datetime, until: datetime, limit: int) -> list[datetime]:
    """The rule's wall times from `local_start` to `until`, at most `limit` of them, one
    a day at most, found with bounded work (see CYCLE_YEARS) and remembered."""
    return list(_walls(rule, local_start, until, limit))


@lru_cache(maxsize=256)
def _walls(rule: str, local_start: datetime, until: datetime, limit: int) -> tuple[datetime, ...]:
    if until < local_start or limit < 1:
        return ()
    years = (MAXYEAR - 1 - until.year) // CYCLE_YEARS * CYCLE_YEARS
    base = rrulestr(rule, dtstart=local_start)
    assert isinstance(base, rrule)
    until_in_rule: datetime | None = getattr(base, "_until", None)  # dateutil keeps it private
    end = _shift(until_in_rule, years) if until_in_rule is not None else None
    parsed = base.replace(dtstart=_shift(local_start, years), until=end)
    last = _shift(until, years)
    found: list[datetime] = []
    for wall in parsed:  # past `last`, dateutil stops by the year 9999: ≤ 400 years on
        if wall > last:
            break
        if found and wall.date() == _shift(found[-1], years).date():
            continue  # never two dates in one day
        found.append(_shift(wall, -years))
        if len(found) >= limit:
            break
    return tuple(found)


def _shift(moment: datetime, years: int) -> datetime:
    """The same wall time whole 400-year cycles away (29 February included)."""
    return moment.replace(year=moment.year + years)


def place(wall: datetime, tz: ZoneInfo) -> datetime:
    """A local wall time as a UTC instant; a skipped wall time moves forward by the gap."""
    # fold=0 reads a wall time in a gap with the offset before it: 01:30 on the night the
    # clocks go forward becomes 02:30, and a repeated hour's first pass is taken.
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def occurrences(
    rule: str, local_start: datetime, tz: ZoneInfo, until: datetime, limit: int = 1000
) -> Iterator[tuple[str, datetime]]:
    """(key, start in UTC) of the first `limit` occurrences starting no later than
    `until`. The wall-time bound is a day past `until`, whatever the zone's offset."""
    wall_until = until.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    for wall in walls(rule, local_start, wall_until, limit):
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
    if freq == "MONTHLY" and match and interval == 1 and int(match.group(1)) in words.MONTHLY_ON:
        day = _DAY_NAMES[match.group(2)]
        return words.MONTHLY_ON[int(match.group(1))].format(day=day)
    if interval == 2 and freq == "WEEKLY":
        text = words.EVERY_FORTNIGHT.format()
    else:
        text = words.EVERY[freq].format(interval)
    if byday and not match:
        days = [str(_DAY_NAMES.get(d[-2:], d)) for d in byday.split(",")]
        text = words.ON_DAYS.format(repeat=text, days=", ".join(days))
    return text
