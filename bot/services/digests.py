"""The week ahead, posted on the day and time a group chose (`/settings digest=mon 09:00`).

Each group with a digest owes its next one as an outbox row keyed by the local date and
the setting, so it is sent exactly once, by one process, across restarts; the planner
runs hourly and after a change of the setting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.digest import next_digest
from bot.storage import digests
from bot.storage.tables import Chat


def key_of(setting: str, due: datetime) -> str:
    return f"{due.date().isoformat()} {setting}"


def setting_of(key: str) -> str:
    return key.split(" ", 1)[1] if " " in key else ""


async def plan(session: AsyncSession, chat: Chat, now: datetime) -> bool:
    """Owe the group its next digest (if it has one); True when one was added."""
    if not chat.digest or not chat.active:
        return False
    due = next_digest(chat.digest, chat.timezone, now)
    try:
        async with session.begin_nested():
            return await digests.owe(session, chat.id, key_of(chat.digest, due), due)
    except IntegrityError:  # another process owed it first
        return False


async def replan(session: AsyncSession, chat: Chat, now: datetime) -> None:
    """The setting changed: the old one's digest is withdrawn, the new one's owed."""
    await digests.withdraw(session, chat.id)
    await plan(session, chat, now)


async def plan_all(session: AsyncSession, now: datetime) -> int:
    return sum(
        [await plan(session, chat, now) for chat in await digests.chats_with_digest(session)]
    )
