"""Erasure: a member's right to be forgotten, and what follows for those in line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.services import waiting
from bot.services.effects import Tx
from bot.storage import privacy
from bot.storage.tables import Member


@dataclass(frozen=True)
class Forgotten:
    """What an erasure changed: events whose counts moved, and whether anyone in line
    took a freed place (and is owed a word)."""

    events: list[int]
    moved: bool


async def forget(tx: Tx, member: Member) -> Forgotten:
    """Erase the member (`storage.privacy.forget`); the places she held at events and
    slots to come go to the first in line, who are told."""
    session, now = tx.session, tx.now
    freed = await privacy.forget(session, member, now)
    moved = False
    for event in freed.events:
        moved = await waiting.fill_event(session, event, now) or moved
    for slot_id in freed.slots:
        moved = await waiting.fill_slot(session, slot_id, now) or moved
    return Forgotten([e.id for e in freed.events], moved)


async def export(tx: Tx, member: Member) -> dict[str, Any]:
    """Everything held about the member (`storage.privacy.export`)."""
    return await privacy.export(tx.session, member)


def consent(tx: Tx, member: Member) -> datetime:
    """The member agreed to the privacy notice (having read it); when they did."""
    if member.consent_at is None:
        member.consent_at = tx.now
    if member.notice_shown_at is None:
        member.notice_shown_at = tx.now
    return member.consent_at


def notice_owed(tx: Tx, member: Member | None) -> bool:
    """The first private word to a member is the privacy notice: True when it is owed
    now (and it is then recorded as shown). Someone Muster holds nothing about sees it
    too, without a row being made to say so."""
    if member is not None and member.notice_shown_at is not None:
        return False
    if member is not None:
        member.notice_shown_at = tx.now
    return True


def notice_shown(tx: Tx, member: Member) -> None:
    member.notice_shown_at = member.notice_shown_at or tx.now
