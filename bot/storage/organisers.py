"""Organisers a group added itself, beyond the platform's own administrators."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import UserRef
from bot.storage.tables import ChatOrganiser, Member


async def is_added(session: AsyncSession, chat_id: int, user: UserRef) -> bool:
    found = await session.scalar(
        select(ChatOrganiser.id)
        .join(Member, Member.id == ChatOrganiser.member_id)
        .where(
            ChatOrganiser.chat_id == chat_id,
            Member.platform == user.platform,
            Member.platform_user_id == user.id,
        )
    )
    return found is not None


async def names(session: AsyncSession, chat_id: int) -> list[str]:
    rows = await session.scalars(
        select(Member.display_name)
        .join(ChatOrganiser, ChatOrganiser.member_id == Member.id)
        .where(ChatOrganiser.chat_id == chat_id)
        .order_by(Member.display_name)
    )
    return list(rows)


async def replace(session: AsyncSession, chat_id: int, members: list[Member]) -> None:
    await session.execute(delete(ChatOrganiser).where(ChatOrganiser.chat_id == chat_id))
    for member in {m.id: m for m in members}.values():
        session.add(ChatOrganiser(chat_id=chat_id, member_id=member.id))
    await session.flush()


async def added_ids(session: AsyncSession, chat_id: int) -> list[int]:
    """The members added as organisers of a group (its admins are the platform's)."""
    rows = await session.scalars(
        select(ChatOrganiser.member_id).where(ChatOrganiser.chat_id == chat_id).limit(100)
    )
    return list(rows)
