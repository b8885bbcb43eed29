"""What an event owes its chats and members, and when: the rules behind the outbox.

Announcing, reminding and telling of changes are planned here and written to the
outbox (`bot/storage/outbox.py`), which the scheduler sends from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.outbox import Purpose
from bot.domain.reminders import parse_offsets
from bot.domain.rsvp import Answer
from bot.storage import events as event_store
from bot.storage import members, outbox
from bot.storage.outbox import ChatMessage
from bot.storage.tables import Chat, Event, Outbox

SCHEDULED = event_store.SCHEDULED
TOLD = (Answer.GOING, Answer.MAYBE)  # who hears privately of a change or cancellation


async def plan(
    session: AsyncSession,
    event: Event,
    chats: list[Chat],
    now: datetime,
    announce_at: datetime | None = None,
) -> None:
    """Owe each chat that shows the event its announcement and the reminders still ahead.

    Reminders whose moment has already passed are not owed (a meeting created two hours
    ahead gets no "in 7 days" reminder), nor those before the announcement of a later
    occurrence of a series. Reminders belong to the event's current revision: a meeting
    that moves owes its reminders again.
    """
    tz = ZoneInfo(event.timezone)
    announce_due = max(now, announce_at or now)
    offsets = parse_offsets(event.reminder_offsets)
    reminders = [(o.minutes, o.due(event.starts_at, tz)) for o in offsets]
    wanted: list[ChatMessage] = []
    for chat in chats:
        wanted.append(ChatMessage(chat.id, Purpose.ANNOUNCE, announce_due))
        wanted += [
            ChatMessage(chat.id, Purpose.REMIND, due, m, event.revision)
            for m, due in reminders
            if due > announce_due
        ]
        if chat.id == event.chat_id and reminders and reminders[-1][1] > now:
            # Private reminders go with the nearest offset, once, from the home chat.
            minutes, due = reminders[-1]
            wanted.append(
                ChatMessage(chat.id, Purpose.PRIVATE_REMINDERS, due, minutes, event.revision)
            )
    await outbox.add_for_chats(session, event.id, wanted)


async def replan(session: AsyncSession, event: Event, circle: list[Chat], now: datetime) -> None:
    """The event's time or reminders changed: those of the old revision are no longer
    owed, those of the new one are, in the chats that show it."""
    event.revision += 1
    await outbox.withdraw(session, event.id, (Purpose.REMIND, Purpose.PRIVATE_REMINDERS))
    shown = set(await outbox.shown_chats(session, event.id))
    await plan(session, event, [c for c in circle if c.id in shown], now)


async def tell_of_change(session: AsyncSession, event: Event, now: datetime) -> None:
    """Owe every chat that shows the event, and every member who said Going or Maybe
    and asked for private word, the news of its change (`event.edits` counts them)."""
    chats = await outbox.shown_chats(session, event.id)
    wanted = [ChatMessage(c, Purpose.UPDATE, now, edition=event.edits) for c in chats]
    await outbox.add_for_chats(session, event.id, wanted)
    key = f"{event.id}:{event.edits}"
    await tell_members(session, event, Purpose.MEMBER_CHANGE, key, now)


async def tell_of_cancellation(session: AsyncSession, event: Event, now: datetime) -> None:
    """Withdraw what the event still owes; tell the chats that saw it announced, and the
    members who said Going or Maybe and asked for private word."""
    announced = await outbox.was_announced(session, event.id)
    await outbox.withdraw(session, event.id)
    if announced:
        chats = await outbox.shown_chats(session, event.id)
        wanted = [ChatMessage(c, Purpose.CANCEL, now, edition=event.edits) for c in chats]
        await outbox.add_for_chats(session, event.id, wanted)
    await tell_members(session, event, Purpose.MEMBER_CANCEL, str(event.id), now)


async def tell_members(
    session: AsyncSession, event: Event, purpose: Purpose, key: str, now: datetime
) -> None:
    told = await event_store.answered(session, event.id, TOLD)
    wanted = await members.with_private_reminders(session, told)
    await outbox.add_for_members(session, wanted, purpose, key, now, event.id)


async def owe_private_reminders(session: AsyncSession, event: Event, now: datetime) -> None:
    """The moment for private reminders: one to each member going who asked for them."""
    going = await event_store.answered(session, event.id, (Answer.GOING,))
    wanted = await members.with_private_reminders(session, going)
    key = f"{event.id}:{event.revision}"
    await outbox.add_for_members(session, wanted, Purpose.MEMBER_REMIND, key, now, event.id)


async def promoted(
    session: AsyncSession, moved: Iterable[int], event_id: int, now: datetime
) -> bool:
    """Tell members moved from an event's waiting list that they have a place."""
    added = await outbox.add_for_members(
        session, moved, Purpose.PROMOTED, str(event_id), now, event_id
    )
    return bool(added)


async def slot_freed(
    session: AsyncSession, moved: Iterable[int], slot_id: int, now: datetime
) -> bool:
    """Tell members moved from a sign-up slot's waiting list that they have a place."""
    added = await outbox.add_for_members(
        session, moved, Purpose.SLOT, str(slot_id), now, slot_id=slot_id
    )
    return bool(added)


def skip_reason(row: Outbox, event: Event, chat: Chat, now: datetime) -> str | None:
    """Why a chat's message no longer applies when due, if it does not."""
    if event.status != SCHEDULED and row.purpose != Purpose.CANCEL:
        return "event_cancelled"
    if not chat.active:
        return "chat_inactive"
    if now >= event.starts_at:
        return "event_started"
    return None


AFTER_MEETING_DELAY = timedelta(hours=1)
MEETING_LENGTH = timedelta(hours=2)  # when a meeting gives no end


async def after_meeting(session: AsyncSession, event: Event, organiser_ids: list[int]) -> None:
    """Owe the organisers their figures an hour after a meeting with check-in ends:
    once each, whichever of them opened check-in or marked members present."""
    end = event.ends_at or event.checkin_until or event.starts_at + MEETING_LENGTH
    await outbox.add_for_members(
        session,
        organiser_ids,
        Purpose.AFTER_MEETING,
        f"after:{event.id}",
        end + AFTER_MEETING_DELAY,
        event_id=event.id,
    )
