"""What a press reads in one statement (`storage.arrival`): each part found by its own
key, a missing part read as nothing without hiding the others, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.rsvp import Answer
from bot.messaging import ChatRef, UserRef
from bot.storage import chats, events, members
from bot.storage.arrival import Arrival, arrive
from bot.storage.database import Database
from bot.storage.tables import Event

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
