"""Organisers a group added itself, beyond the platform's own administrators."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import UserError
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


async def resolve(session: AsyncSession, platform: str, wanted: str, example: str) -> Member:
    """A member by platform id or by a display name that only one member has."""
    text = wanted.strip()
    found = list(
        await session.scalars(
            select(Member).where(
                Member.platform == platform,
                (Member.platform_user_id == text)
                | (func.lower(Member.display_name) == text.lower()),
            )
        )
    )
    if not found:
        raise UserError(
            f"I don't know “{text[:40]}” yet: they must use the bot once first.", example
        )
    if len(found) > 1:
        raise UserError(f"More than one member is called “{text[:40]}”: give their id.", example)
    return found[0]


async def replace(session: AsyncSession, chat_id: int, members: list[Member]) -> None:
    await session.execute(delete(ChatOrganiser).where(ChatOrganiser.chat_id == chat_id))
    for member in {m.id: m for m in members}.values():
        session.add(ChatOrganiser(chat_id=chat_id, member_id=member.id))
    await session.flush()
