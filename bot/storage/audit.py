"""The record of organiser actions in a group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.tables import AuditEntry, Member


@dataclass(frozen=True)
class Line:
    at: datetime
    actor: str | None  # None: the member was erased
    action: str
    detail: str


async def record(
    session: AsyncSession,
    chat_id: int,
    actor_id: int | None,
    action: str,
    detail: str,
    now: datetime,
) -> None:
    session.add(
        AuditEntry(chat_id=chat_id, actor_id=actor_id, action=action, detail=detail[:300], at=now)
    )


async def count(session: AsyncSession, chat_id: int, action: str, since: datetime) -> int:
    """How many times this action was recorded in the chat since then."""
    found = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.chat_id == chat_id, AuditEntry.action == action, AuditEntry.at >= since)
    )
    return int(found or 0)


async def recent(session: AsyncSession, chat_id: int, limit: int = 30) -> list[Line]:
    """Newest first; the actor is named from the members table at reading time, so an
    erased member's past actions show without a name."""
    rows = await session.execute(
        select(AuditEntry, Member.display_name)
        .outerjoin(Member, Member.id == AuditEntry.actor_id)
        .where(AuditEntry.chat_id == chat_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [Line(a.at, name, a.action, a.detail) for a, name in rows.tuples()]
