"""What an event is made of, and reading `/newevent`'s one-line form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError
from bot.domain.pairs import read_pairs
from bot.domain.recurrence import parse_repeat
from bot.domain.reminders import Offset, format_offsets, parse_offsets
from bot.domain.text import one_line, paragraph
from bot.domain.timeparse import MAX_LEN, parse_end, parse_when
from bot.strings import Msg, examples
from bot.strings import events as words
from bot.strings import input as fields

NEWEVENT_EXAMPLE = examples.NEWEVENT
MAX_TITLE = 200
MAX_LOCATION = 300
MAX_DESC = 1000
MAX_WHEN = MAX_LEN  # the time reader's own limit
# Room for the other key=value details beside a description at its longest.
MAX_DETAILS = MAX_DESC + 400
# The longest /newevent line: every field at its longest, with its separators; the
# Discord form's fields add up to exactly this, so a full form is never "too long".
MAX_NEWEVENT = MAX_TITLE + MAX_WHEN + MAX_LOCATION + MAX_DETAILS + 9
MAX_CAPACITY = 100_000
MAX_REASON = 300  # why an event was cancelled
KEYS = ("kind", "ends", "capacity", "remind", "repeat", "motion", "desc")
DEADLINE_TIME = time(23, 59)


class Kind(StrEnum):
    MEETING = "meeting"
    BRANCH = "branch"
    RALLY = "rally"
    SOCIAL = "social"
    STALL = "stall"
    CANVASS = "canvass"
    DEADLINE = "deadline"
    OTHER = "other"


class Changed(StrEnum):
    """What a change told to members changed (stored as `events.change_note`)."""

    TIME = "time"
    PLACE = "place"
    TIME_AND_PLACE = "time and place"


KIND_LABELS = {
    Kind.MEETING: words.MEETING,
    Kind.BRANCH: words.BRANCH_MEETING,
    Kind.RALLY: words.RALLY,
    Kind.SOCIAL: words.SOCIAL,
    Kind.STALL: words.STALL,
    Kind.CANVASS: words.CANVASS,
    Kind.DEADLINE: words.DEADLINE,
    Kind.OTHER: words.EVENT,
}

# Words in a title that tell the kind when the organiser did not say it.
# A title's words that tell its kind, in English, Welsh and Polish.
_I = re.IGNORECASE
_KIND_WORDS = (
    (
        Kind.DEADLINE,
        re.compile(
            r"\b(?:deadline|closes?|nominations|dyddiad cau|enwebiadau|termin\w*|zg[lł]osze\w*)\b",
            _I,
        ),
    ),
    (
        Kind.RALLY,
        re.compile(
            r"\b(?:rally|demo|demonstration|march|protest|vigil|rali|gorymdaith|gwylnos"
            r"|wiec\w*|manifestacj\w*|demonstracj\w*|marsz\w*|czuwani\w*)\b",
            _I,
        ),
    ),
    (
        Kind.CANVASS,
        re.compile(
            r"\b(?:canvass\w*|door.?knock\w*|phone.?bank\w*|leaflet\w*|canfas\w*|taflenn\w*"
            r"|agitacj\w*|ulotk\w*)\b",
            _I,
        ),
    ),
    (Kind.STALL, re.compile(r"\b(?:stall|stondin|stoisk\w*)\b", _I)),
    (
        Kind.SOCIAL,
        re.compile(
            r"\b(?:social|drinks|quiz|party|picnic|cymdeithasol|cwis|parti"
            r"|spotkanie towarzyskie|towarzysk\w*|piknik\w*|impreza)\b",
            _I,
        ),
    ),
    (Kind.BRANCH, re.compile(r"\b(?:branch|cangen|ko[lł][ao])\b", _I)),
)


@dataclass(frozen=True)
class EventDraft:
    title: str
    kind: Kind
    starts_at: datetime
    ends_at: datetime | None
    location: str
    description: str
    capacity: int | None
    offsets: tuple[Offset, ...] | None  # None: the group's default
    motion_slug: str | None
    repeat: str | None = None  # an RRULE, read in local time


@dataclass(frozen=True)
class Template:
    """What every date of an event shares: the one shape copied from a draft into an
    event or a series, and from a series into each of its dates
    (`storage.events.copy_template`)."""

    kind: str
    title: str
    location: str
    description: str
    capacity: int | None
    reminder_offsets: str
    motion_slug: str | None


def template_of(draft: EventDraft, default_offsets: str) -> Template:
    """A draft's shared fields; its reminders, or the group's default."""
    return Template(
        kind=draft.kind.value,
        title=draft.title,
        location=draft.location,
        description=draft.description,
        capacity=draft.capacity,
        reminder_offsets=(
            format_offsets(draft.offsets) if draft.offsets is not None else default_offsets
        ),
        motion_slug=draft.motion_slug,
    )


EDIT_KEYS: tuple[str, ...] = ("title", "when", "where", "ends", "capacity", "remind", "desc")
EDIT_KEYS += ("kind", "motion", "repeat")
EDIT_EXAMPLE = examples.EDITEVENT
NONE_WORDS = ("none", "-", "off", "no")


@dataclass(frozen=True)
class EventEdit:
    """What an organiser asked to change; only the fields given are set."""

    given: frozenset[str]
    title: str = ""
    when: str = ""
    location: str = ""
    ends: str | None = None  # None: clear the end
    capacity: int | None = None
    offsets: tuple[Offset, ...] = ()
    description: str = ""
    kind: Kind = Kind.MEETING
    motion_slug: str | None = None


def parse_edit(text: str) -> EventEdit:
    """The key=value pairs of /editevent, each checked; times are read by the caller,
    which knows the event they are relative to."""
    options = read_pairs([text], EDIT_KEYS, EDIT_EXAMPLE)
    if not options:
        raise UserError(words.SAY_WHAT_TO_CHANGE, EDIT_EXAMPLE)
    values: dict[str, object] = {}
    for key, value in options.items():
        cleared = value.strip().lower() in NONE_WORDS
        if key == "title":
            if not value.strip():
                raise UserError(words.EMPTY_TITLE, EDIT_EXAMPLE)
            values["title"] = clean_line(value, MAX_TITLE, fields.TITLE, EDIT_EXAMPLE)
        elif key == "when":
            values["when"] = value.strip()
        elif key == "where":
            values["location"] = (
                "" if cleared else clean_line(value, MAX_LOCATION, fields.PLACE, "")
            )
        elif key == "ends":
            values["ends"] = None if cleared else value.strip()
        elif key == "capacity":
            values["capacity"] = None if cleared else parse_capacity(value)
        elif key == "remind":
            values["offsets"] = parse_offsets(value)
        elif key == "desc":
            values["description"] = "" if cleared else clean_desc(value)
        elif key == "kind":
            values["kind"] = parse_kind(value)
        elif key == "motion":
            values["motion_slug"] = None if cleared else value.strip().lower()
        elif key == "repeat" and not cleared:
            raise UserError(words.REPEAT_ONLY_ENDS, "/editevent 12 repeat=none")
    given = frozenset({"repeat"} if "repeat" in options else set()) | frozenset(values)
    return EventEdit(given=given, **values)  # type: ignore[arg-type]


def parse_kind(text: str) -> Kind:
    try:
        return Kind(text.strip().lower())
    except ValueError:
        kinds = ", ".join(k.value for k in Kind)
        raise UserError(
            words.UNKNOWN_KIND.format(kind=text.strip()[:20], kinds=kinds), "kind=rally"
        ) from None


def guess_kind(title: str) -> Kind:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(title):
            return kind
    return Kind.MEETING


def parse_capacity(text: str) -> int:
    cleaned = text.strip()
    if not re.fullmatch(r"\d{1,7}", cleaned) or not 1 <= int(cleaned) <= MAX_CAPACITY:
        raise UserError(words.CAPACITY_RANGE.format(most=MAX_CAPACITY), "capacity=40")
    return int(cleaned)


def clean_line(text: str, limit: int, what: str | Msg, example: str | Msg) -> str:
    """One line of user text: control and invisible characters out, length checked."""
    cleaned = one_line(text)
    if len(cleaned) > limit:
        raise UserError(words.FIELD_TOO_LONG.format(what=what, limit=limit), example)
    return cleaned


def parse_new_event(text: str, tz: ZoneInfo, now: datetime) -> EventDraft:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise UserError(words.GIVE_TITLE_WHEN_WHERE, NEWEVENT_EXAMPLE)
    title = clean_line(parts[0], MAX_TITLE, fields.TITLE, NEWEVENT_EXAMPLE)
    where_given = len(parts) >= 3 and "=" not in parts[2].split(" ")[0]
    location = (
        clean_line(parts[2], MAX_LOCATION, fields.PLACE, NEWEVENT_EXAMPLE) if where_given else ""
    )
    options = read_pairs(parts[3:] if where_given else parts[2:], KEYS, NEWEVENT_EXAMPLE)
    kind = parse_kind(options["kind"]) if "kind" in options else guess_kind(title)
    if not location and kind is not Kind.DEADLINE:
        raise UserError(words.SAY_WHERE, NEWEVENT_EXAMPLE)
    starts_at = parse_when(
        parts[1], tz, now, date_only_time=DEADLINE_TIME if kind is Kind.DEADLINE else None
    )
    repeat = None
    if options.get("repeat", "").strip().lower() not in ("", *NONE_WORDS):
        repeat = parse_repeat(options["repeat"], starts_at.astimezone(tz).replace(tzinfo=None))
    ends_at = parse_end(options["ends"], starts_at, tz) if options.get("ends") else None
    capacity = parse_capacity(options["capacity"]) if "capacity" in options else None
    offsets = parse_offsets(options["remind"]) if "remind" in options else None
    description = clean_desc(options.get("desc", ""))
    motion = options.get("motion", "").strip().lower() or None
    if kind is Kind.DEADLINE:
        capacity = None
    return EventDraft(
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=description,
        capacity=capacity,
        offsets=offsets,
        motion_slug=motion,
        repeat=repeat,
    )


def clean_desc(text: str) -> str:
    cleaned = paragraph(text)
    if len(cleaned) > MAX_DESC:
        raise UserError(words.DESCRIPTION_TOO_LONG.format(limit=MAX_DESC))
    return cleaned
