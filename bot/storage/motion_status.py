"""Where each group's motion stands: a dated history, the latest row being current."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Chat, MotionStatus


async def record(
    session: AsyncSession,
    chat_id: int,
    slug: str,
    status: str,
    note: str,
    member_id: int | None,
    now: datetime,
) -> None:
    session.add(
        MotionStatus(
            chat_id=chat_id, slug=slug, status=status, note=note, recorded_by=member_id, at=now
        )
    )
    await session.flush()


async def current(session: AsyncSession, chat_id: int, slug: str) -> MotionStatus | None:
    found: MotionStatus | None = await session.scalar(
        select(MotionStatus)
        .where(MotionStatus.chat_id == chat_id, MotionStatus.slug == slug)
        .order_by(MotionStatus.at.desc(), MotionStatus.id.desc())
        .limit(1)
    )
    return found


async def tally(session: AsyncSession, slug: str) -> tuple[Counter[str], Counter[str]]:
    """Groups at each status, and distinct CLPs at each status (where groups named one)."""
    latest = (
        select(MotionStatus.chat_id, func.max(MotionStatus.id).label("last"))
        .where(MotionStatus.slug == slug)
        .group_by(MotionStatus.chat_id)
        .subquery()
    )
    rows = await session.execute(
        select(MotionStatus.status, Chat.clp)
        .join(latest, latest.c.last == MotionStatus.id)
        .join(Chat, Chat.id == MotionStatus.chat_id)
    )
    groups: Counter[str] = Counter()
    clps: dict[str, set[str]] = {}
    for status, clp in rows.tuples():
        groups[status] += 1
        if clp:
            clps.setdefault(status, set()).add(clp.strip().lower())
    return groups, Counter({s: len(c) for s, c in clps.items()})


async def history(session: AsyncSession, chat_id: int, slug: str) -> list[MotionStatus]:
    rows = await session.scalars(
        select(MotionStatus)
        .where(MotionStatus.chat_id == chat_id, MotionStatus.slug == slug)
        .order_by(MotionStatus.at, MotionStatus.id)
    )
    return list(rows)
