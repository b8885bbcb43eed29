"""Members and the groups they are seen in, on a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import UserError
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


async def presses_together(db: Database, *works: Any) -> list[object]:
    """Press-like actions (plain) queued while another writer held the database, so that
    one transaction takes them all; their outcomes."""
    async with db.write():
        tasks = [asyncio.create_task(db.group_commit(work, plain=plain)) for work, plain in works]
        await asyncio.sleep(0.05)
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_presses_in_one_commit_write_their_groups_rows_at_its_end(db: Database) -> None:
    async with db.write() as session:
        here = await chats.get_or_create(session, ChatRef("test", "a"), "A", "Europe/London", NOW)
        there = await chats.get_or_create(session, ChatRef("test", "b"), "B", "Europe/London", NOW)
        amy = await members.get_or_create(session, UserRef("test", "1"), "Amy", NOW)
        bob = await members.get_or_create(session, UserRef("test", "2"), "Bob", NOW)
    later = NOW + timedelta(minutes=1)
    held_back: list[int] = []

    def press(chat_id: int, member_id: int, at: datetime, fails: bool = False) -> Any:
        async def work(session: AsyncSession) -> int:
            await members.seen_at_commit(session, chat_id, member_id, at)
            # Nothing a press reads holds it: written once, with the others'.
            held_back.append(len(await rows_in(session)))
            if fails:
                raise UserError("refused")  # having written nothing: fails alone
            return member_id

        return work, True

    outcomes = await presses_together(
        db,
        press(here.id, amy.id, NOW),
        press(there.id, bob.id, NOW, fails=True),
        press(here.id, amy.id, later),  # the same member again: the later time is kept
        press(here.id, bob.id, NOW),
    )
    assert outcomes[0] == amy.id and outcomes[2] == amy.id and outcomes[3] == bob.id
    assert isinstance(outcomes[1], UserError)
    assert held_back == [0, 0, 0, 0]
    assert await rows(db) == [(here.id, amy.id, later), (here.id, bob.id, NOW)]


async def test_an_action_after_presses_in_one_commit_sees_their_rows(db: Database) -> None:
    """An erasure after a press of the same member's, in one transaction: the press's
    row is written before the erasure runs, so the erasure deletes it with the rest."""
    async with db.write() as session:
        here = await chats.get_or_create(session, ChatRef("test", "a"), "A", "Europe/London", NOW)
        amy = await members.get_or_create(session, UserRef("test", "1"), "Amy", NOW)

    async def press(session: AsyncSession) -> None:
        await members.seen_at_commit(session, here.id, amy.id, NOW)

    async def forget(session: AsyncSession) -> int:
        found = len(await rows_in(session))
        await session.execute(delete(ChatMember).where(ChatMember.member_id == amy.id))
        return found

    outcomes = await presses_together(db, (press, True), (forget, False))
    assert outcomes == [None, 1]
    assert await rows(db) == []


async def test_outside_a_group_commit_a_row_is_written_at_once(db: Database) -> None:
    async with db.write() as session:
        here = await chats.get_or_create(session, ChatRef("test", "a"), "A", "Europe/London", NOW)
        amy = await members.get_or_create(session, UserRef("test", "1"), "Amy", NOW)
        await members.seen_at_commit(session, here.id, amy.id, NOW)
        assert len(await rows_in(session)) == 1
    assert await rows(db) == [(here.id, amy.id, NOW)]


async def rows_in(session: AsyncSession) -> list[object]:
    return list(await session.scalars(select(ChatMember.id)))
