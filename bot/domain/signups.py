"""Sign-up sheets: reading `/newsignup` and choosing a slot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.domain.errors import UserError
from bot.domain.events import MAX_DESC, MAX_TITLE, clean_desc, clean_line
from bot.domain.pairs import read_pairs
from bot.domain.timeparse import parse_when
from bot.strings import examples
from bot.strings import input as fields
from bot.strings import signups as words

NEWSIGNUP_EXAMPLE = examples.NEWSIGNUP
SHEET_KEYS = ("slots", "deadline", "desc")
MAX_SLOTS = 20
MAX_SLOT_LABEL = 60
MAX_SLOT_CAPACITY = 10_000
# The longest /newsignup: a title, every slot named at its longest with a capacity, a
# deadline and a description.
MAX_NEWSIGNUP = MAX_TITLE + MAX_SLOTS * (MAX_SLOT_LABEL + 8) + 100 + MAX_DESC


@dataclass(frozen=True)
class SlotDraft:
    label: str
    capacity: int | None


@dataclass(frozen=True)
class SheetDraft:
    title: str
    description: str
    slots: tuple[SlotDraft, ...]
    deadline: datetime | None


def parse_slots(text: str) -> tuple[SlotDraft, ...]:
    example = examples.SLOTS
    slots: list[SlotDraft] = []
    for raw in text.split(","):
        raw = raw.strip()
        if not raw:
            continue
        label, capacity = raw, None
        match = re.fullmatch(r"(.*?):\s*(\d{1,6})", raw)
        if match:
            label, capacity = match.group(1).strip(), int(match.group(2))
            if not 1 <= capacity <= MAX_SLOT_CAPACITY:
                raise UserError(words.SLOT_PLACES, example)
        label = clean_line(label, MAX_SLOT_LABEL, fields.SLOT_NAME, example)
        if not label:
            raise UserError(words.SLOT_NEEDS_NAME, example)
        if any(s.label.lower() == label.lower() for s in slots):
            raise UserError(words.SLOT_TWICE.format(label=label), example)
        slots.append(SlotDraft(label, capacity))
    if not slots:
        raise UserError(words.GIVE_A_SLOT, example)
    if len(slots) > MAX_SLOTS:
        raise UserError(words.TOO_MANY_SLOTS.format(most=MAX_SLOTS), example)
    return tuple(slots)


def parse_new_sheet(text: str, tz: ZoneInfo, now: datetime) -> SheetDraft:
    parts = [p.strip() for p in text.split("|")]
    title = clean_line(parts[0], MAX_TITLE, fields.TITLE, NEWSIGNUP_EXAMPLE)
    if not title:
        raise UserError(words.GIVE_SHEET_TITLE, NEWSIGNUP_EXAMPLE)
    options = read_pairs(parts[1:], SHEET_KEYS, NEWSIGNUP_EXAMPLE)
    slots = parse_slots(options["slots"]) if "slots" in options else (SlotDraft("", None),)
    deadline = (
        parse_when(options["deadline"], tz, now, date_only_time=time(23, 59))
        if options.get("deadline")
        else None
    )
    description = clean_desc(options.get("desc", ""))
    return SheetDraft(title=title, description=description, slots=slots, deadline=deadline)
