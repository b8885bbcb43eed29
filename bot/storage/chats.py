"""Groups and their settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import ChatRef
from bot.storage.tables import Chat


async def get(session: AsyncSession, ref: ChatRef) -> Chat | None:
    chat: Chat | None = await session.scalar(
        select(Chat).where(Chat.platform == ref.platform, Chat.platform_chat_id == ref.id)
    )
    return chat


async def get_or_create(
    session: AsyncSession,
    ref: ChatRef,
    title: str,
    timezone: str,
    now: datetime,
    space: str = "",
) -> Chat:
    chat = await get(session, ref)
    if chat is None:
        chat = await _first_of_space(session, ref.platform, space)
        if chat is not None:
            chat = _copy_settings(chat, ref, title, now)
            session.add(chat)
            await session.flush()
            return chat
        chat = Chat(
            platform=ref.platform,
            platform_chat_id=ref.id,
            title=title[:200],
            display_name=title[:100],
            timezone=timezone,
            reminder_offsets="7d,1d,2h",
            show_names=False,
            active=True,
            space=space,
            organiser_role="",
            clp="",
            branch="",
            created_at=now,
        )
        session.add(chat)
        await session.flush()
    elif title and chat.title != title[:200]:
        chat.title = title[:200]
    if not chat.active:
        chat.active = True
    return chat


async def _first_of_space(session: AsyncSession, platform: str, space: str) -> Chat | None:
    if not space:
        return None
    found: Chat | None = await session.scalar(
        select(Chat).where(Chat.platform == platform, Chat.space == space).order_by(Chat.id)
    )
    return found


def _copy_settings(model: Chat, ref: ChatRef, title: str, now: datetime) -> Chat:
    """A new channel of a server starts with the settings of the server's first one."""
    return Chat(
        platform=ref.platform,
        platform_chat_id=ref.id,
        title=title[:200],
        display_name=model.display_name,
        clp=model.clp,
        branch=model.branch,
        timezone=model.timezone,
        reminder_offsets=model.reminder_offsets,
        show_names=model.show_names,
        active=True,
        space=model.space,
        organiser_role=model.organiser_role,
        created_at=now,
    )


def ref_of(chat: Chat) -> ChatRef:
    return ChatRef(chat.platform, chat.platform_chat_id)


async def move(session: AsyncSession, old: ChatRef, new: ChatRef) -> None:
    """Give a group its new platform id, merging into a row the new id may already have."""
    found = await get(session, old)
    if found is None:
        return
    existing = await get(session, new)
    if existing is not None:
        # Something was said in the new chat before the move arrived: keep the old row,
        # which holds the events and settings, and drop the empty newcomer.
        await session.delete(existing)
        await session.flush()
    found.platform_chat_id = new.id
