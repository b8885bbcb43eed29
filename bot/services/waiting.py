"""Places that come free go to the first in line, who are told privately."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rsvp import Answer
from bot.domain.waiting import next_in_line
from bot.services import delivery
from bot.storage import events as event_store
from bot.storage import signups as sheet_store


class Places(Protocol):
    """An event as its waiting list needs it: an object, or the press path's row."""

    @property
    def id(self) -> int: ...

    @property
    def capacity(self) -> int | None: ...


async def fill_event(session: AsyncSession, event: Places, now: datetime) -> bool:
    """Move members from the event's waiting list into its free places and owe each a
    word; True when anyone moved."""
    if event.capacity is None:
        return False
    going = (await event_store.counts(session, [event.id]))[event.id].going
    line = await event_store.waiting_line(session, event.id)
    # An erased member's place in line (no member) ends the line: nobody jumps it.
    usable = []
    for rsvp in line:
        if rsvp.member_id is None:
            break
        usable.append((rsvp, 1 + rsvp.guests))
    moved = next_in_line(usable, event.capacity - going)
    for rsvp in moved:
        rsvp.answer, rsvp.updated_at = Answer.GOING.value, now
    await session.flush()
    members = [r.member_id for r in moved if r.member_id is not None]
    return await delivery.promoted(session, members, event.id, now)


async def fill_slot(session: AsyncSession, slot_id: int, now: datetime) -> bool:
    """Move members from a sign-up slot's waiting list into its free places and owe
    each a word; True when anyone moved."""
    slot = await sheet_store.slot_view(session, slot_id)
    if slot is None:
        return False
    free = None if slot.capacity is None else slot.capacity - slot.taken
    line = await sheet_store.waiting_line(session, slot_id)
    moved = next_in_line([(s, 1) for s in line], free)
    for signup in moved:
        signup.waiting = False
    await session.flush()
    return await delivery.slot_freed(session, [s.member_id for s in moved], slot_id, now)
