"""The delivery ledger: every announcement and reminder a chat is owed, once each.

The scheduler reads this table, never APScheduler's memory, so a restart or a crash
cannot lose or repeat a reminder that was recorded as sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reminders import parse_offsets
from bot.storage.tables import Chat, Delivery, Event

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"
CANCELLED = "cancelled"
FAILED = "failed"

UNLINKED = "unlinked"  # posted in a chat that has since been unlinked: no longer shown

ANNOUNCE = "announce"
REMIND = "remind"
UPDATE = "update"  # the time or place changed
CANCEL = "cancel"
PRIVATE = "private"  # the moment to send opted-in members their private reminder
SHOWN = (PENDING, SENDING, SENT)


async def plan(
    session: AsyncSession,
    event: Event,
    chats: list[Chat],
    now: datetime,
    announce_at: datetime | None = None,
) -> None:
    """Write the announcement and the reminders still ahead, for each chat that shows it.

    Reminders whose moment has already passed are not written (a meeting created two
    hours ahead gets no "in 7 days" reminder), nor those before the announcement of a
    later occurrence of a series. Reminders belong to the event's current revision: a
    meeting that moves owes its reminders again.
    """
    tz = ZoneInfo(event.timezone)
    announce_due = max(now, announce_at or now)
    offsets = parse_offsets(event.reminder_offsets)
    reminders = [(o.minutes, o.due(event.starts_at, tz)) for o in offsets]
    wanted: dict[int, list[tuple[str, int, int, datetime]]] = {}
    for chat in chats:
        mine = wanted.setdefault(chat.id, [(ANNOUNCE, 0, 0, announce_due)])
        mine += [(REMIND, m, event.revision, due) for m, due in reminders if due > announce_due]
        if chat.id == event.chat_id and reminders and reminders[-1][1] > now:
            # Private reminders go with the nearest offset, once, from the home chat.
            mine.append((PRIVATE, reminders[-1][0], event.revision, reminders[-1][1]))
    await _add_missing(session, event.id, wanted)


async def notify(session: AsyncSession, event: Event, purpose: str, now: datetime) -> int:
    """Owe every chat showing the event a notice of its change or cancellation."""
    chats = await shown_chats(session, event.id)
    await _add_missing(session, event.id, {c: [(purpose, 0, event.edits, now)] for c in chats})
    return len(chats)


async def _add_missing(
    session: AsyncSession, event_id: int, wanted: dict[int, list[tuple[str, int, int, datetime]]]
) -> None:
    """Write the deliveries (per chat) that the event does not have yet, in one go: an
    event announced in 200 linked chats must not cost 200 round trips."""
    rows = await session.execute(
        select(
            Delivery.chat_id, Delivery.purpose, Delivery.offset_minutes, Delivery.revision
        ).where(Delivery.event_id == event_id)
    )
    existing = {(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows}
    new = [
        {
            "event_id": event_id,
            "chat_id": chat_id,
            "purpose": purpose,
            "offset_minutes": minutes,
            "revision": revision,
            "due_at": due,
            "status": PENDING,
            "attempts": 0,
        }
        for chat_id, items in wanted.items()
        for purpose, minutes, revision, due in items
        if (chat_id, purpose, minutes, revision) not in existing
    ]
    if new:
        await session.execute(insert(Delivery), new)


async def shown_chats(session: AsyncSession, event_id: int) -> list[int]:
    """The chats an event is announced (or to be announced) in."""
    rows = await session.scalars(
        select(Delivery.chat_id)
        .where(
            Delivery.event_id == event_id,
            Delivery.purpose == ANNOUNCE,
            Delivery.status.in_(SHOWN),
        )
        .order_by(Delivery.id)
    )
    return list(rows)


async def cancel_pending(
    session: AsyncSession, event_id: int, purposes: tuple[str, ...] | None = None
) -> int:
    query = update(Delivery).where(
        Delivery.event_id == event_id, Delivery.status.in_((PENDING, SENDING))
    )
    if purposes is not None:
        query = query.where(Delivery.purpose.in_(purposes))
    result = await session.execute(query.values(status=CANCELLED))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_interrupted(session: AsyncSession) -> int:
    """Deliveries claimed by a process that died are owed again."""
    result = await session.execute(
        update(Delivery).where(Delivery.status == SENDING).values(status=PENDING)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# How many of one chat's due messages one look takes: a chat with hundreds due (a group
# that made 200 events) must not fill the batch and keep every other chat waiting.
PER_CHAT = 4


async def due_ids(
    session: AsyncSession, now: datetime, platforms: list[str], limit: int = 400
) -> list[tuple[int, int]]:
    """(delivery, chat) of what is due: the earliest few of each chat, round robin
    (every chat's first before any chat's second), earliest first within a round."""
    turn = (
        func.row_number()
        .over(partition_by=Delivery.chat_id, order_by=(Delivery.due_at, Delivery.id))
        .label("turn")
    )
    due = (
        select(Delivery.id, Delivery.chat_id, Delivery.due_at, turn)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(Delivery.status == PENDING, Chat.platform.in_(platforms))
        .where(Delivery.due_at <= now)
        .subquery()
    )
    rows = await session.execute(
        select(due.c.id, due.c.chat_id)
        .where(due.c.turn <= PER_CHAT)
        .order_by(due.c.turn, due.c.due_at, due.c.id)
        .limit(limit)
    )
    return [(int(r[0]), int(r[1])) for r in rows]


async def next_due(session: AsyncSession, platforms: list[str]) -> datetime | None:
    query = (
        select(func.min(Delivery.due_at))
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(Delivery.status == PENDING, Chat.platform.in_(platforms))
    )
    value = await session.scalar(query)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value


async def claim(session: AsyncSession, delivery_id: int, now: datetime) -> bool:
    """Mark a pending delivery as being sent; False when another run got it first."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == PENDING)
        .values(status=SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
    )
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def finish(
    session: AsyncSession, delivery_id: int, status: str, now: datetime, message_id: str | None
) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=status, sent_at=now, message_id=message_id)
    )


async def retry_later(session: AsyncSession, delivery_id: int, due: datetime) -> None:
    await session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(status=PENDING, due_at=due)
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2 ** min(attempts, 8)))


# Built once: every live card's refresh reads it.
_POSTED = (
    select(Delivery, Chat)
    .join(Chat, Chat.id == Delivery.chat_id)
    .where(
        Delivery.event_id == bindparam("event"),
        Delivery.status == SENT,
        Delivery.message_id.is_not(None),
        Delivery.purpose.in_((ANNOUNCE, REMIND)),
    )
    .order_by(Delivery.sent_at, Delivery.id)
)


async def posted(session: AsyncSession, event_id: int) -> list[tuple[Delivery, Chat]]:
    """Messages showing the event's live card: each chat's announcement and latest reminder."""
    rows = await session.execute(_POSTED, {"event": event_id})
    latest: dict[tuple[int, str], tuple[Delivery, Chat]] = {}
    for delivery, chat in rows.tuples():
        latest[(chat.id, delivery.purpose)] = (delivery, chat)
    return list(latest.values())


async def was_announced(session: AsyncSession, event_id: int) -> bool:
    found = await session.scalar(
        select(Delivery.id).where(
            Delivery.event_id == event_id, Delivery.purpose == ANNOUNCE, Delivery.status == SENT
        )
    )
    return found is not None
