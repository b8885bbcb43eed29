"""Members' facts kept fresh: who is asked, privately, to confirm them again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.outbox import Purpose
from bot.storage import outbox, reconfirm


async def ask_to_reconfirm(session: AsyncSession, now: datetime, months: int) -> int:
    """Owe a question to members whose CLP or branch is older than `months` and who were
    not asked in the last month (a day's batch at most); returns how many."""
    due = await reconfirm.due(session, now, months)
    for member in due:
        member.facts_asked_at = now
    key = now.strftime("%Y-%m-%d")
    added = await outbox.add_for_members(session, [m.id for m in due], Purpose.RECONFIRM, key, now)
    return len(added)
