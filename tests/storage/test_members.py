"""Members and the groups they are seen in, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.messaging import ChatRef, UserRef
from bot.storage import chats, members
from bot.storage.database import Database
from bot.storage.tables import ChatMember

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def rows(db: Database) -> list[tuple[int, int, datetime]]:
    async with db.read() as session:
        found = await session.execute(
            select(ChatMember.chat_id, ChatMember.member_id, ChatMember.seen_at).order_by(
                ChatMember.chat_id
            )
        )
        return [tuple(row) for row in found]  # type: ignore[misc]


async def test_a_member_is_seen_once_per_group_and_the_date_moves_on(db: Database) -> None:
    async with db.write() as session:
        here = await chats.get_or_create(session, ChatRef("test", "a"), "A", "Europe/London", NOW)
        there = await chats.get_or_create(session, ChatRef("test", "b"), "B", "Europe/London", NOW)
        amy = await members.get_or_create(session, UserRef("test", "1"), "Amy", NOW)
        await members.seen(session, here.id, amy.id, NOW)
    assert await rows(db) == [(here.id, amy.id, NOW)]
    later = NOW + timedelta(days=3)
    async with db.write() as session:
        await members.seen(session, here.id, amy.id, later)
        await members.seen(session, there.id, amy.id, NOW)
    assert await rows(db) == [(here.id, amy.id, later), (there.id, amy.id, NOW)]


async def test_being_seen_is_undone_with_the_action_that_failed(db: Database) -> None:
    async with db.write() as session:
        here = await chats.get_or_create(session, ChatRef("test", "a"), "A", "Europe/London", NOW)
        amy = await members.get_or_create(session, UserRef("test", "1"), "Amy", NOW)

    async def fails(session):  # type: ignore[no-untyped-def]
        await members.seen(session, here.id, amy.id, NOW)
        raise ValueError("refused")

    with pytest.raises(ValueError):
        await db.group_commit(fails)
    assert await rows(db) == []
