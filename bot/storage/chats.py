"""Groups and their settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.text import one_line
from bot.messaging import ChatRef
from bot.storage import quick
from bot.storage.tables import Chat

# Built once: the press path runs these on every press, and building a query each
# time cost more than SQLite took to run it.
_BY_REF = select(Chat).where(
    Chat.platform == bindparam("platform"), Chat.platform_chat_id == bindparam("key")
)


async def get(session: AsyncSession, ref: ChatRef) -> Chat | None:
    chat: Chat | None = await session.scalar(_BY_REF, {"platform": ref.platform, "key": ref.id})
    return chat


# A press needs only the group's number: read and kept current without an object.
# (`arrival` reads the same columns beside others.)
STATE_COLUMNS = (Chat.id, Chat.title, Chat.active)
_STATE = quick.Statement(
    select(*STATE_COLUMNS).where(
        Chat.platform == bindparam("platform"), Chat.platform_chat_id == bindparam("key")
    )
)
_RETITLE = quick.Statement(
    update(Chat)
    .where(Chat.id == bindparam("chat"))
    .values(title=bindparam("new_title"), active=True)
)


# What a new chat of a server takes from the server's first one.
SETTINGS = (
    "display_name",
    "clp",
    "branch",
    "timezone",
    "reminder_offsets",
    "show_names",
    "organiser_role",
)


async def get_or_create(
    session: AsyncSession,
    ref: ChatRef,
    title: str,
    timezone: str,
    now: datetime,
    space: str = "",
) -> Chat:
    """The chat's row; a new one starts with defaults, or with the settings of the first
    chat of its space (a Discord server's channels share their server's settings)."""
    title = one_line(title)[:200]
    chat = await get(session, ref)
    if chat is None:
        chat = Chat(
            platform=ref.platform,
            platform_chat_id=ref.id,
            title=title,
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
        model = await _first_of_space(session, ref.platform, space)
        for name in SETTINGS if model is not None else ():
            setattr(chat, name, getattr(model, name))
        session.add(chat)
        await session.flush()
    elif title and chat.title != title:
        chat.title = title
    if not chat.active:
        chat.active = True
    return chat


async def touched(
    session: AsyncSession,
    ref: ChatRef,
    title: str,
    timezone: str,
    now: datetime,
    space: str = "",
    found: quick.Found = quick.UNREAD,
) -> int:
    """`get_or_create` for what needs only the chat's number (a press): the same row,
    title and activity, made by `get_or_create` when new, but no object loaded.
    `found`: the chat's `STATE_COLUMNS` if a statement that read more has read them."""
    rows = await quick.of(session)
    if found is quick.UNREAD:
        found = await rows.one(_STATE, platform=ref.platform, key=ref.id)
    if found is None:
        return (await get_or_create(session, ref, title, timezone, now, space)).id
    chat_id, held, active = found
    title = one_line(title)[:200]
    if (title and held != title) or not active:
        await rows.run(_RETITLE, chat=chat_id, new_title=title or held)
    return int(chat_id)


async def _first_of_space(session: AsyncSession, platform: str, space: str) -> Chat | None:
    if not space:
        return None
    found: Chat | None = await session.scalar(
        select(Chat).where(Chat.platform == platform, Chat.space == space).order_by(Chat.id)
    )
    return found


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


async def languages(session: AsyncSession) -> list[tuple[ChatRef, str]]:
    """Every group whose language is not the default, with its setting."""
    rows = await session.execute(
        select(Chat.platform, Chat.platform_chat_id, Chat.language).where(Chat.language != "en")
    )
    return [(ChatRef(platform, key), language) for platform, key, language in rows]
