"""The private ledger: each message owed to one member, once, by its key.

A member's private reminder, the news that a meeting they said yes to has moved, a
nudge, a place from the waiting list, a question about their facts: all are rows here,
sent by the scheduler like the group deliveries and never twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Member, Notice

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"

REMIND = "remind"
CHANGE = "change"
CANCEL = "cancel"
NUDGE = "nudge"
PROMOTED = "promoted"
RECONFIRM = "reconfirm"
SLOT = "slot"  # a place on a sign-up slot came free


async def owe(
    session: AsyncSession,
    member_ids: list[int],
    purpose: str,
    key: str,
    now: datetime,
    event_id: int | None = None,
) -> list[int]:
    """Write a notice for each member who is not owed (or sent) this one yet."""
    if not member_ids:
        return []
    had = set(
        await session.scalars(
            select(Notice.member_id).where(
                Notice.member_id.in_(member_ids), Notice.purpose == purpose, Notice.key == key
            )
        )
    )
    added = [m for m in dict.fromkeys(member_ids) if m not in had]
    for member_id in added:
        session.add(
            Notice(
                member_id=member_id,
                event_id=event_id,
                purpose=purpose,
                key=key,
                due_at=now,
                status=PENDING,
                attempts=0,
            )
        )
    await session.flush()
    return added


async def opted_in(session: AsyncSession, member_ids: list[int]) -> list[int]:
    """Those of these members who asked for private reminders."""
    if not member_ids:
        return []
    rows = await session.scalars(
        select(Member.id).where(Member.id.in_(member_ids), Member.private_reminders.is_(True))
    )
    return list(rows)


# How many notices of one event (or of none) one look takes: a nudge to 500 members
# must not hold up another member's word that a place came free.
PER_EVENT = 4


async def due_ids(session: AsyncSession, now: datetime, platforms: list[str]) -> list[int]:
    """What is due, round robin over the events the notices are about."""
    turn = (
        func.row_number()
        .over(
            partition_by=func.coalesce(Notice.event_id, 0),
            order_by=(Notice.due_at, Notice.id),
        )
        .label("turn")
    )
    due = (
        select(Notice.id, Notice.due_at, turn)
        .join(Member, Member.id == Notice.member_id)
        .where(Notice.status == PENDING, Notice.due_at <= now, Member.platform.in_(platforms))
        .subquery()
    )
    rows = await session.scalars(
        select(due.c.id)
        .where(due.c.turn <= PER_EVENT)
        .order_by(due.c.turn, due.c.due_at, due.c.id)
        .limit(100)
    )
    return list(rows)


async def next_due(session: AsyncSession, platforms: list[str]) -> datetime | None:
    value: datetime | None = await session.scalar(
        select(func.min(Notice.due_at))
        .join(Member, Member.id == Notice.member_id)
        .where(Notice.status == PENDING, Member.platform.in_(platforms))
    )
    return value


async def claim(session: AsyncSession, notice_id: int) -> bool:
    result = await session.execute(
        update(Notice)
        .where(Notice.id == notice_id, Notice.status == PENDING)
        .values(status=SENDING, attempts=Notice.attempts + 1)
    )
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def finish(session: AsyncSession, notice_id: int, status: str, now: datetime) -> None:
    await session.execute(
        update(Notice).where(Notice.id == notice_id).values(status=status, sent_at=now)
    )


async def retry_later(session: AsyncSession, notice_id: int, due: datetime) -> None:
    await session.execute(
        update(Notice).where(Notice.id == notice_id).values(status=PENDING, due_at=due)
    )


async def release_interrupted(session: AsyncSession) -> int:
    result = await session.execute(
        update(Notice).where(Notice.status == SENDING).values(status=PENDING)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
