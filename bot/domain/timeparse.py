"""Reads the `<when>` of a command in the group's timezone.

dateparser does the reading of words ("next Thursday", "3 Dec"); we keep the parts where
its defaults would be wrong for organisers: relative hours are real elapsed time (so they
stay right across a clock change), a weekday that does not match the date is refused,
a wall time that does not exist on a clock-change night is refused, and the past is
refused, each with an example.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot import i18n
from bot.domain.errors import UserError
from bot.strings import Msg
from bot.strings import when as words

EXAMPLE = words.EXAMPLE
MAX_LEN = 100
MAX_AHEAD = timedelta(days=5 * 366)

_RELATIVE = re.compile(
    r"^in\s+(?:(an?|\d{1,4})\s+)?(min(?:ute)?s?|hours?|hrs?|days?|weeks?)$", re.IGNORECASE
)
_DOT_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.([0-5]\d)(?![\d.])")
_HAS_TIME = re.compile(
    r"\d{1,2}:\d{2}|\d\s*(?:am|pm|a\.m\.|p\.m\.)\b|\bnoon\b|\bmidday\b|\bmidnight\b|T\d{2}",
    re.IGNORECASE,
)
_WEEKDAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_WEEKDAY_WORD = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b(?=.*\b\d{1,2}(?:st|nd|rd|th)?\b)", re.IGNORECASE
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_when(
    text: str,
    tz: ZoneInfo,
    now: datetime,
    *,
    date_only_time: time | None = None,
) -> datetime:
    """An aware datetime in `tz`, strictly after `now`.

    A bare date is accepted only when `date_only_time` says what time it stands for
    (deadlines close at the end of the day); otherwise a time is asked for.
    """
    cleaned = _normalise(text)
    if not cleaned:
        raise UserError(words.SAY_WHEN, EXAMPLE)
    if len(cleaned) > MAX_LEN:
        raise UserError(words.TOO_LONG.format(limit=MAX_LEN), EXAMPLE)
    local_now = now.astimezone(tz)
    relative = _relative(cleaned, local_now, tz)
    if relative is not None:
        return _check_range(relative, now)
    wall = _read(cleaned, local_now, tz)
    if not _HAS_TIME.search(cleaned):
        if date_only_time is None:
            raise UserError(words.ADD_A_TIME.format(text=cleaned), f"{cleaned} 19:30")
        wall = datetime.combine(wall.date(), date_only_time)
    _check_weekday(cleaned, wall.date())
    return _check_range(localize(wall, tz), now)


def parse_end(text: str, start: datetime, tz: ZoneInfo) -> datetime:
    """The end of an event: a time on the start's day ("21:00") or a full date and time."""
    cleaned = _normalise(text)
    example = words.END_EXAMPLE
    if not cleaned or len(cleaned) > MAX_LEN:
        raise UserError(words.SAY_WHEN_IT_ENDS, example)
    local_start = start.astimezone(tz)
    wall = _read(cleaned, local_start, tz, example=example)
    if not _HAS_TIME.search(cleaned):
        raise UserError(words.ADD_A_TIME.format(text=cleaned), example)
    if _is_time_only(cleaned):
        wall = datetime.combine(local_start.date(), wall.time())
    end = localize(wall, tz)
    if end <= start:
        raise UserError(words.END_BEFORE_START, example)
    return end


def localize(wall: datetime, tz: ZoneInfo) -> datetime:
    """Attach `tz` to a wall time, refusing one that a clock change skips."""
    aware = wall.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if back.replace(tzinfo=None) != wall.replace(tzinfo=None):
        raise UserError(
            words.SKIPPED_BY_CLOCKS.format(time=f"{wall:%H:%M}", day=i18n.date_time(wall, "day")),
            f"{wall:%-d %b} 03:30",
        )
    return aware


def _read(text: str, local_now: datetime, tz: ZoneInfo, example: str | Msg = EXAMPLE) -> datetime:
    # The reader's language first; English always works.
    languages = list(dict.fromkeys([i18n.language(), i18n.ENGLISH]))
    try:
        parsed = dateparser.parse(
            _next_in_english(text),
            languages=languages,
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": local_now.replace(tzinfo=None),
                "DATE_ORDER": "DMY",
            },
        )
    except Exception as exc:  # dateparser raises many kinds on odd input
        raise UserError(words.UNREADABLE.format(text=_short(text)), example) from exc
    if parsed is None:
        raise UserError(words.UNREADABLE.format(text=_short(text)), example)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed


def _relative(text: str, local_now: datetime, tz: ZoneInfo) -> datetime | None:
    match = _RELATIVE.match(text)
    if not match:
        return None
    raw, unit = match.groups()
    count = 1 if raw is None or raw.lower() in ("a", "an") else int(raw)
    unit = unit.lower()
    if unit.startswith(("min", "h")):
        minutes = count if unit.startswith("min") else count * 60
        # Elapsed time: add in UTC, since aware arithmetic in a zone is wall-clock.
        return (local_now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(tz)
    days = count * (7 if unit.startswith("w") else 1)
    # Days and weeks are calendar days: the same wall time, whatever the clocks do.
    try:
        wall = local_now.replace(tzinfo=None) + timedelta(days=days)
    except OverflowError as exc:
        raise UserError(words.TOO_FAR, EXAMPLE) from exc
    return localize(wall, tz)


def _check_weekday(text: str, day: date) -> None:
    match = _WEEKDAY_WORD.search(text)
    if not match or re.search(r"\bnext\b|\bthis\b", text, re.IGNORECASE):
        return
    said = _WEEKDAYS[match.group(1).lower()]
    if said != day.weekday():
        actual = words.WEEKDAYS[day.weekday()]
        raise UserError(
            words.WRONG_WEEKDAY.format(
                day=i18n.date_time(day, "date"), actual=actual, said=words.WEEKDAYS[said]
            ),
            f"{day:%a %-d %b} 19:30",
        )


def _check_range(when: datetime, now: datetime) -> datetime:
    if when <= now:
        raise UserError(words.IN_THE_PAST, EXAMPLE)
    if when - now > MAX_AHEAD:
        raise UserError(words.OVER_FIVE_YEARS, EXAMPLE)
    return when


def _is_time_only(text: str) -> bool:
    stripped = _HAS_TIME.sub("", text)
    return not re.search(r"[0-9A-Za-z]", re.sub(r"\b(am|pm|at)\b", "", stripped, flags=re.I))


def _next_in_english(text: str) -> str:
    """ "Iau nesaf", "w przyszły czwartek": the one phrase dateparser reads in English
    only, "next Thursday", said in English."""
    for pattern, day in _NEXT:
        text = pattern.sub(f"next {day}", text)
    return text


_DAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CY_DAYS = ("llun", "mawrth", "mercher", "iau", "gwener", "sadwrn", "sul")
_PL_DAYS = (
    "poniedzia[lł]ek",
    "wtorek",
    "[sś]rod[aęe]",
    "czwartek",
    "pi[aą]tek",
    "sobot[aęe]",
    "niedziel[aęe]",
)
_NEXT = [
    (re.compile(rf"\b(?:dydd\s+|nos\s+)?{cy}\s+nesaf\b", re.IGNORECASE), en)
    for cy, en in zip(_CY_DAYS, _DAYS_EN, strict=True)
] + [
    (
        re.compile(rf"(?:\bw\s+)?\b(?:przysz[lł][yaą]|nast[eę]pn[yaą])\s+{pl}\b", re.IGNORECASE),
        en,
    )
    for pl, en in zip(_PL_DAYS, _DAYS_EN, strict=True)
]


def _normalise(text: str) -> str:
    """Control characters out; the British "7.30pm" written the way dateparser reads."""
    return _DOT_TIME.sub(r"\1:\2", _CONTROL.sub(" ", text)).strip()


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def warm_up() -> None:
    """Read one date, so dateparser loads its language data at start rather than during
    the first organiser's /newevent (a sixth of a second, the first time only)."""
    with contextlib.suppress(UserError):
        parse_when("Thu 3 Dec 7.30pm", ZoneInfo("UTC"), datetime(2026, 1, 1, tzinfo=UTC))
