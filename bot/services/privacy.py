"""Erasure: a member's right to be forgotten, and what follows for those in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import waiting
from bot.storage import privacy
from bot.storage.tables import Member


@dataclass(frozen=True)
class Forgotten:
    """What an erasure changed: events whose counts moved, and whether anyone in line
    took a freed place (and is owed a word)."""

    events: list[int]
    moved: bool


async def forget(session: AsyncSession, member: Member, now: datetime) -> Forgotten:
    """Erase the member (`storage.privacy.forget`); the places she held at events and
    slots to come go to the first in line, who are told."""
    freed = await privacy.forget(session, member, now)
    moved = False
    for event in freed.events:
        moved = await waiting.fill_event(session, event, now) or moved
    for slot_id in freed.slots:
        moved = await waiting.fill_slot(session, slot_id, now) or moved
    return Forgotten([e.id for e in freed.events], moved)
