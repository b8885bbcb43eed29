"""The week's digest rows in the outbox: one a group a week, whatever writes it twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.outbox import Purpose, Status
from bot.storage.tables import Chat, Outbox


async def chats_with_digest(session: AsyncSession) -> list[Chat]:
    rows = await session.scalars(
        select(Chat).where(Chat.digest != "", Chat.active.is_(True)).order_by(Chat.id).limit(10_000)
    )
    return list(rows)


async def owe(session: AsyncSession, chat_id: int, key: str, due: datetime) -> bool:
    """Owe the chat this digest unless it is owed or was sent; True when it was added.
    The unique index (chat, purpose, key) keeps two processes from adding it twice."""
    had: Outbox | None = await session.scalar(
        select(Outbox).where(
            Outbox.chat_id == chat_id, Outbox.purpose == Purpose.DIGEST, Outbox.key == key
        )
    )
    if had is not None:
        if had.status != Status.CANCELLED:
            return False
        had.status, had.due_at = Status.PENDING, due  # withdrawn, and wanted again
        return True
    session.add(
        Outbox(
            chat_id=chat_id,
            purpose=Purpose.DIGEST,
            key=key,
            due_at=due,
            status=Status.PENDING,
            attempts=0,
        )
    )
    await session.flush()
    return True


async def withdraw(session: AsyncSession, chat_id: int) -> None:
    """The group changed its digest: what it owed under the old setting is not sent."""
    await session.execute(
        update(Outbox)
        .where(
            Outbox.chat_id == chat_id,
            Outbox.purpose == Purpose.DIGEST,
            Outbox.status == Status.PENDING,
        )
        .values(status=Status.CANCELLED)
    )
