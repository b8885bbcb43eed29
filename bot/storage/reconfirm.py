"""Keeping members' facts fresh: who is due to be asked to confirm them again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import notices
from bot.storage.tables import Member

MONTH = timedelta(days=30)
BATCH = 500  # a day's questions, at most: the rest are asked on the following days


async def ask(session: AsyncSession, now: datetime, months: int) -> int:
    """Owe a question to members who gave a CLP or branch that was last confirmed over
    `months` ago (or never), and who were not asked in the last month."""
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
    for member in due:
        member.facts_asked_at = now
    key = now.strftime("%Y-%m-%d")
    added = await notices.owe(session, [m.id for m in due], notices.RECONFIRM, key, now)
    return len(added)
