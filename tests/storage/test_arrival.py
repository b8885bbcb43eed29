"""What a press reads in one statement (`storage.arrival`): each part found by its own
key, a missing part read as nothing without hiding the others, on both databases; and a
group commit's presses read ahead together, each given what it would have read."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rsvp import Answer
from bot.messaging import ChatRef, UserRef
from bot.storage import chats, events, members
from bot.storage.arrival import Arrival, Key, arrive, read_ahead
from bot.storage.database import Database
from bot.storage.tables import Event, Member, Rsvp
from tests.storage.tracing import trace

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
GROUP, OTHER = ChatRef("test", "g"), ChatRef("test", "other")
ALICE, BOB = UserRef("test", "alice"), UserRef("test", "bob")


async def an_event(db: Database, chat: ChatRef) -> int:
    async with db.write() as session:
        row = await chats.get_or_create(session, chat, chat.id, "Europe/London", NOW)
        event = Event(
            chat_id=row.id,
            title=f"Meeting of {chat.id}",
            kind="meeting",
            starts_at=NOW + timedelta(days=2),
            timezone="Europe/London",
            reminder_offsets="1d",
            created_at=NOW,
        )
        session.add(event)
        await session.flush()
        return event.id


async def arrival(db: Database, chat: ChatRef, user: UserRef, event_id: int) -> Arrival:
    async with db.write() as session:
        return await arrive(session, chat, user, event_id)


async def answers(db: Database, user: UserRef, chat: ChatRef, event_id: int, said: Answer) -> int:
    async with db.write() as session:
        chat_id = await chats.touched(session, chat, chat.id, "UTC", NOW)
        member = await members.acting(session, user, user.id, NOW)
        await members.seen(session, chat_id, member.id, NOW)
        await events.set_rsvp(session, event_id, member.id, said, 0, NOW, new=True)
        return member.id


async def test_a_first_press_reads_the_group_and_the_event_without_a_member(db: Database) -> None:
    event_id = await an_event(db, GROUP)
    found = await arrival(db, GROUP, ALICE, event_id)
    assert found.member is None and found.seen_at is None
    assert found.chat is not None and found.chat[1:] == ("g", True)
    assert found.event is not None
    assert found.event[0] == event_id and found.event[1] == found.chat[0]
    assert found.event[-2:] == (None, None)  # no answer


async def test_a_member_reads_their_own_answer_and_when_they_were_seen(db: Database) -> None:
    event_id = await an_event(db, GROUP)
    alice = await answers(db, ALICE, GROUP, event_id, Answer.MAYBE)
    await answers(db, BOB, GROUP, event_id, Answer.GOING)
    found = await arrival(db, GROUP, ALICE, event_id)
    assert found.member is not None and found.member[0] == alice
    assert found.event is not None and found.event[-2:] == ("maybe", 0)
    assert found.seen_on(NOW.date()) and not found.seen_on(NOW.date() + timedelta(days=1))
    assert found.chat is not None
    async with db.write() as session:
        event = await events.answerable(session, event_id, found.chat[0], alice, found=found.event)
    assert event is not None and event.given == (Answer.MAYBE, 0)


async def test_seen_in_another_group_is_not_seen_here(db: Database) -> None:
    event_id = await an_event(db, GROUP)
    await an_event(db, OTHER)
    await answers(db, ALICE, OTHER, event_id, Answer.GOING)
    found = await arrival(db, GROUP, ALICE, event_id)
    assert found.member is not None and found.seen_at is None


async def test_another_groups_event_is_read_but_not_answerable_here(db: Database) -> None:
    theirs = await an_event(db, OTHER)
    await an_event(db, GROUP)
    found = await arrival(db, GROUP, ALICE, theirs)
    assert found.chat is not None and found.event is not None
    async with db.write() as session:
        assert await events.answerable(session, theirs, found.chat[0], 0, found=found.event) is None


async def test_a_missing_event_hides_nothing_else(db: Database) -> None:
    event_id = await an_event(db, GROUP)
    await answers(db, ALICE, GROUP, event_id, Answer.GOING)
    found = await arrival(db, GROUP, ALICE, event_id + 100)
    assert found.event is None and found.event_id == event_id + 100
    assert found.chat is not None and found.member is not None and found.seen_at is not None


async def test_an_unknown_group_reads_as_nothing_but_the_member_is_read(db: Database) -> None:
    event_id = await an_event(db, GROUP)
    await answers(db, ALICE, GROUP, event_id, Answer.GOING)
    found = await arrival(db, ChatRef("test", "new"), ALICE, event_id)
    assert found.chat is None and found.seen_at is None
    assert found.member is not None and found.event is not None


# --- a group commit's presses, read ahead ------------------------------------------------

CAROL = UserRef("test", "carol")


async def test_arrivals_read_ahead_are_those_each_press_would_read(db: Database) -> None:
    ours, theirs = await an_event(db, GROUP), await an_event(db, OTHER)
    await answers(db, ALICE, GROUP, ours, Answer.MAYBE)
    await answers(db, BOB, OTHER, theirs, Answer.GOING)
    keys = [
        (GROUP, ALICE, ours),  # answered, seen here
        (GROUP, BOB, ours),  # known, never seen here
        (GROUP, CAROL, ours),  # never seen anywhere
        (OTHER, ALICE, theirs),
        (GROUP, ALICE, theirs),  # another group's event
        (ChatRef("test", "new"), BOB, ours),  # a group not yet known
        (GROUP, BOB, ours + 100),  # no such event
    ]
    async with db.write() as session:
        ahead = await read_ahead(session, [*keys, None, keys[0]])  # None: not a press
        read = [ahead.take(key) for key in keys]
    one_by_one = [await arrival(db, *key) for key in keys]
    assert read == one_by_one
    assert one_by_one[0].event is not None and one_by_one[0].event[-2:] == ("maybe", 0)
    assert one_by_one[2].member is None and one_by_one[5].chat is None


async def test_a_press_alone_is_not_read_ahead(db: Database) -> None:
    event_id = await an_event(db, GROUP)
    async with db.write() as session:
        ahead = await read_ahead(session, [(GROUP, ALICE, event_id), None])
        assert ahead.take((GROUP, ALICE, event_id)) is None  # it reads as it would have


def presses(chat: ChatRef, user: UserRef, event_id: int, said: Answer):  # type: ignore[no-untyped-def]
    """A press's work, as the dispatcher's: its arrival, then its answer; returns the
    answer it found."""

    async def work(session: AsyncSession) -> tuple[str | None, int | None]:
        found = await arrive(session, chat, user, event_id)
        chat_id = await chats.touched(session, chat, chat.id, "UTC", NOW, found=found.chat)
        member = await members.acting(session, user, user.id, NOW, found=found.member)
        answerable = await events.answerable(
            session, event_id, chat_id, member.id, found=found.event
        )
        assert answerable is not None
        before = answerable.given
        await events.set_rsvp(session, event_id, member.id, said, 0, NOW, new=before is None)
        return (before[0].value, before[1]) if before else (None, None)

    return work


async def together(db: Database, *works: tuple[Any, Key | None]) -> list[object]:
    """The works' outcomes when one transaction took them all, in this order. None ran
    again: on PostgreSQL a work that met a row it did not expect (a member made twice)
    is run again in a transaction of its own, as after another process's write."""
    commits: list[int] = []
    event.listen(db.engine.sync_engine, "commit", lambda _conn: commits.append(1))
    async with db.write():  # another writer: the works queue meanwhile
        tasks = [
            asyncio.create_task(db.group_commit(work, plain=True, press=press))
            for work, press in works
        ]
        await asyncio.sleep(0.05)
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert len(commits) == 2  # the other writer's, and one for all the works
    return outcomes


async def stored(db: Database, event_id: int) -> dict[str, str]:
    async with db.read() as session:
        rows = await session.execute(
            select(Member.platform_user_id, Rsvp.answer)
            .join(Rsvp, Rsvp.member_id == Member.id)
            .where(Rsvp.event_id == event_id)
        )
        return {user: answer for user, answer in rows}


async def test_a_members_second_press_in_one_commit_reads_what_the_first_wrote(
    db: Database,
) -> None:
    event_id = await an_event(db, GROUP)
    key_a, key_b = (GROUP, ALICE, event_id), (GROUP, BOB, event_id)
    outcomes = await together(
        db,
        (presses(GROUP, ALICE, event_id, Answer.GOING), key_a),  # her first: she is made
        (presses(GROUP, BOB, event_id, Answer.MAYBE), key_b),
        (presses(GROUP, ALICE, event_id, Answer.NO), key_a),
    )
    assert outcomes == [(None, None), (None, None), ("going", 0)]
    assert await stored(db, event_id) == {"alice": "no", "bob": "maybe"}


async def test_a_new_members_presses_on_two_events_in_one_commit_make_them_once(
    db: Database,
) -> None:
    ours, theirs = await an_event(db, GROUP), await an_event(db, OTHER)
    outcomes = await together(
        db,
        (presses(GROUP, CAROL, ours, Answer.GOING), (GROUP, CAROL, ours)),
        (presses(OTHER, CAROL, theirs, Answer.MAYBE), (OTHER, CAROL, theirs)),
    )
    assert outcomes == [(None, None), (None, None)]
    assert await stored(db, ours) == {"carol": "going"}
    assert await stored(db, theirs) == {"carol": "maybe"}
    async with db.read() as session:
        assert len((await session.scalars(select(Member.id))).all()) == 1


async def test_a_press_after_another_action_in_one_commit_reads_afresh(db: Database) -> None:
    event_id = await an_event(db, GROUP)

    async def organiser_records_alice(session: AsyncSession) -> None:
        member = await members.acting(session, ALICE, "alice", NOW)
        await events.set_rsvp(session, event_id, member.id, Answer.MAYBE, 0, NOW, new=True)

    outcomes = await together(
        db,
        (presses(GROUP, BOB, event_id, Answer.GOING), (GROUP, BOB, event_id)),
        (organiser_records_alice, None),  # not a press: it may write anything
        (presses(GROUP, ALICE, event_id, Answer.GOING), (GROUP, ALICE, event_id)),
    )
    assert outcomes == [(None, None), None, ("maybe", 0)]
    assert await stored(db, event_id) == {"alice": "going", "bob": "going"}


@pytest.mark.sqlite_only
async def test_a_commits_presses_read_their_arrivals_in_one_statement(db: Database) -> None:
    """SQLite traced: the ahead's one statement, and none of a press's own."""
    event_id = await an_event(db, GROUP)
    ran = await trace(db)
    users = [UserRef("test", f"m{i}") for i in range(6)]
    outcomes = await together(
        db, *((presses(GROUP, u, event_id, Answer.GOING), (GROUP, u, event_id)) for u in users)
    )
    assert outcomes == [(None, None)] * 6
    arrivals = [r.sql for r in ran if "rsvps.answer" in r.sql and "here" in r.sql]
    assert len(arrivals) == 1 and arrivals[0].count("UNION ALL") == 5, arrivals
    assert len(await stored(db, event_id)) == 6
