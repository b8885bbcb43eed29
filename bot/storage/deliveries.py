"""The delivery ledger: every announcement and reminder a chat is owed, once each.

The scheduler reads this table, never APScheduler's memory, so a restart or a crash
cannot lose or repeat a reminder that was recorded as sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reminders import parse_offsets
from bot.storage.tables import Chat, Delivery, Event

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"
CANCELLED = "cancelled"
FAILED = "failed"

ANNOUNCE = "announce"
REMIND = "remind"


async def plan(session: AsyncSession, event: Event, chat: Chat, now: datetime) -> None:
    """Write the announcement and the reminders still ahead for one chat.

    Reminders whose moment has already passed at creation are not written: a meeting
    created two hours ahead gets no "in 7 days" reminder.
    """
    tz = ZoneInfo(event.timezone)
    wanted = [(ANNOUNCE, 0, now)]
    for offset in parse_offsets(event.reminder_offsets):
        due = offset.due(event.starts_at, tz)
        if due > now:
            wanted.append((REMIND, offset.minutes, due))
    existing = {
        (d.purpose, d.offset_minutes)
        for d in await session.scalars(
            select(Delivery).where(Delivery.event_id == event.id, Delivery.chat_id == chat.id)
        )
    }
    for purpose, minutes, due in wanted:
        if (purpose, minutes) not in existing:
            session.add(
                Delivery(
                    event_id=event.id,
                    chat_id=chat.id,
                    purpose=purpose,
                    offset_minutes=minutes,
                    due_at=due,
                    status=PENDING,
                    attempts=0,
                )
            )
    await session.flush()


async def cancel_pending(session: AsyncSession, event_id: int) -> int:
    result = await session.execute(
        update(Delivery)
        .where(Delivery.event_id == event_id, Delivery.status.in_((PENDING, SENDING)))
        .values(status=CANCELLED)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_interrupted(session: AsyncSession) -> int:
    """Deliveries claimed by a process that died are owed again."""
    result = await session.execute(
        update(Delivery).where(Delivery.status == SENDING).values(status=PENDING)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def due_ids(
    session: AsyncSession, now: datetime, platforms: list[str], limit: int = 100
) -> list[int]:
    rows = await session.scalars(
        select(Delivery.id)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(Delivery.status == PENDING, Chat.platform.in_(platforms))
        .where(Delivery.due_at <= now)
        .order_by(Delivery.due_at, Delivery.id)
        .limit(limit)
    )
    return list(rows)


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


async def posted(session: AsyncSession, event_id: int) -> list[tuple[Delivery, Chat]]:
    """Messages showing the event's live card: each chat's announcement and latest reminder."""
    rows = await session.execute(
        select(Delivery, Chat)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(
            Delivery.event_id == event_id, Delivery.status == SENT, Delivery.message_id.is_not(None)
        )
        .order_by(Delivery.sent_at, Delivery.id)
    )
    latest: dict[tuple[int, str], tuple[Delivery, Chat]] = {}
    for delivery, chat in rows.tuples():
        latest[(chat.id, delivery.purpose)] = (delivery, chat)
    return list(latest.values())
