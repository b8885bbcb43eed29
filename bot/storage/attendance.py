"""Who came: check-ins by members and marks by organisers, apart from the RSVPs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Attendance, Event, Member


async def mark(
    session: AsyncSession, event_id: int, member_id: int, by: int | None, now: datetime
) -> bool:
    """Record that a member came; False when already recorded."""
    found = await session.scalar(
        select(Attendance.id).where(
            Attendance.event_id == event_id, Attendance.member_id == member_id
        )
    )
    if found is not None:
        return False
    session.add(Attendance(event_id=event_id, member_id=member_id, marked_by=by, at=now))
    await session.flush()
    return True


async def present(session: AsyncSession, event_id: int) -> dict[int, str]:
    """Member id → name of those who came."""
    rows = await session.execute(
        select(Member.id, Member.display_name)
        .join(Attendance, Attendance.member_id == Member.id)
        .where(Attendance.event_id == event_id)
        .order_by(Attendance.at, Attendance.id)
    )
    return {int(r[0]): r[1] for r in rows}


async def earlier_attenders(
    session: AsyncSession, chat_id: int, before: datetime, member_ids: list[int]
) -> set[int]:
    """Which of these members came to one of the group's events before `before`."""
    if not member_ids:
        return set()
    rows = await session.scalars(
        select(Attendance.member_id)
        .join(Event, Event.id == Attendance.event_id)
        .where(
            Event.chat_id == chat_id,
            Event.starts_at < before,
            Attendance.member_id.in_(member_ids),
        )
        .distinct()
    )
    return {int(m) for m in rows if m is not None}
