"""Linked chats: groups on either platform that share their events and RSVPs.

Linked chats form a circle (a shared number on each chat); linking two chats merges
their circles. A link is made with a one-time code, valid for ten minutes, that an
organiser of one chat asks for and an organiser of the other enters.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import outbox
from bot.storage.tables import Chat, Event, LinkCode

CODE_LIFE = timedelta(minutes=10)
# Guessing a code: at most this many wrong tries per chat in the window, each audited.
MAX_WRONG_TRIES = 5
TRIES_MINUTES = 10
TRIES_WINDOW = timedelta(minutes=TRIES_MINUTES)
FAILED = "link-failed"  # the audit action of a wrong try
CODE_LENGTH = 8
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and retyped


async def circle_of(session: AsyncSession, chat: Chat) -> list[Chat]:
    """The chat and the active chats linked with it, the chat first."""
    if chat.circle is None:
        return [chat]
    others = await session.scalars(
        select(Chat)
        .where(Chat.circle == chat.circle, Chat.id != chat.id, Chat.active.is_(True))
        .order_by(Chat.id)
    )
    return [chat, *others]


async def drop_spent_codes(session: AsyncSession, now: datetime) -> int:
    """Codes that were used or have expired are of no use to anyone: delete them."""
    result = await session.execute(
        delete(LinkCode).where(LinkCode.used.is_(True) | (LinkCode.expires_at <= now))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def new_code(session: AsyncSession, chat: Chat, now: datetime) -> str:
    await drop_spent_codes(session, now)
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    session.add(LinkCode(code=code, chat_id=chat.id, expires_at=now + CODE_LIFE, used=False))
    await session.flush()
    return code


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()[:16]


async def redeem(session: AsyncSession, code: str, chat: Chat, now: datetime) -> Chat | None:
    """Use a code in `chat`: the chat that asked for it, now linked; None if the code is
    unknown, used or expired. A code is spent by its first use, even a refused one."""
    found: LinkCode | None = await session.scalar(
        select(LinkCode).where(LinkCode.code == normalise(code)).with_for_update()
    )
    if found is None or found.used or found.expires_at <= now:
        return None
    found.used = True
    other = await session.get(Chat, found.chat_id)
    if other is None or other.id == chat.id:
        return None
    circle = other.circle or chat.circle or min(other.id, chat.id)
    for old in {other.circle, chat.circle} - {None, circle}:
        await session.execute(update(Chat).where(Chat.circle == old).values(circle=circle))
    other.circle = chat.circle = circle
    await session.flush()
    return other


async def unlink(session: AsyncSession, chat: Chat) -> list[Chat]:
    """Take a chat out of its circle. Events of the others stop showing here and this
    chat's stop showing there; posted cards stay as they are. Returns who it left."""
    if chat.circle is None:
        return []
    circle = chat.circle
    others = list(
        await session.scalars(select(Chat).where(Chat.circle == circle, Chat.id != chat.id))
    )
    chat.circle = None
    remaining = list(await session.scalars(select(Chat).where(Chat.circle == circle)))
    if len(remaining) == 1:
        remaining[0].circle = None
    mine = select(Event.id).where(Event.chat_id == chat.id)
    other_ids = [c.id for c in others]
    await outbox.unlink(session, chat.id, mine, other_ids)
    await session.flush()
    return others
