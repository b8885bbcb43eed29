"""Keeping members' facts fresh: who is due to be asked to confirm them again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import Member

MONTH = timedelta(days=30)
BATCH = 500  # a day's questions, at most: the rest are asked on the following days


async def due(session: AsyncSession, now: datetime, months: int) -> list[Member]:
    """Members who gave a CLP or branch last confirmed over `months` ago (or never), and
    who were not asked in the last month: a day's batch at most."""
    stale = now - MONTH * months
    due = list(
        await session.scalars(
            select(Member)
            .where(
                or_(Member.clp != "", Member.branch != ""),
                or_(Member.facts_confirmed_at.is_(None), Member.facts_confirmed_at < stale),
                or_(Member.facts_asked_at.is_(None), Member.facts_asked_at < now - MONTH),
            )
            .order_by(Member.id)
            .limit(BATCH)
        )
    )
    return due
