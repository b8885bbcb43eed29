"""Statements on the driver's own connection (`bot.storage.quick`): what they write reads
back through the ORM unchanged and the other way round, a failure is SQLAlchemy's kind
and undoes one action alone, and actions that commit together never see each other's
stale objects. On SQLite inside a group commit they take the short way; elsewhere the
same statements run through SQLAlchemy, and the same assertions hold."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rsvp import Answer
from bot.messaging import ChatRef, UserRef
from bot.storage import chats, events, members, quick
from bot.storage.database import Database
from bot.storage.tables import Chat, Event, Member, Rsvp

NOW = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
ALICE = UserRef("test", "alice")


async def a_chat_and_event(db: Database) -> tuple[int, int]:
    async with db.write() as session:
        chat = await chats.get_or_create(session, ChatRef("test", "g"), "G", "Europe/London", NOW)
        event = Event(
            chat_id=chat.id,
            title="Branch meeting",
            kind="meeting",
            starts_at=NOW + timedelta(days=2),
            timezone="Europe/London",
            reminder_offsets="1d",
            capacity=12,
            created_at=NOW,
        )
        session.add(event)
        await session.flush()
        return chat.id, event.id


async def groups(db: Database, *names: str) -> None:
    """Groups of these names (each titled by its name), one action each."""
    for name in names:
        await db.group_commit(lambda s, n=name: chats.touched(s, ChatRef("test", n), n, "UTC", NOW))


def a_chat(**given: Any) -> quick.Statement:
    """A quick INSERT of a chat keyed by the bound `key`, made at the bound `now`, with
    `given` fixed in the statement (or bound) for the rest of its columns."""
    return quick.Statement(
        insert(Chat).values(
            platform="test",
            platform_chat_id=bindparam("key"),
            display_name="",
            reminder_offsets="1d",
            active=True,
            created_at=bindparam("now", type_=Chat.__table__.c.created_at.type),
            **given,
        )
    )


async def short_way(session: AsyncSession) -> bool:
    """Whether this session's quick statements run on the driver's own connection."""
    return await (await quick.of(session)).way() is not None


async def test_values_written_quickly_read_back_through_the_orm_and_back(db: Database) -> None:
    chat_id, event_id = await a_chat_and_event(db)

    async def answer(session: AsyncSession) -> tuple[bool, events.Answerable | None]:
        member = await members.acting(session, ALICE, "Alice", NOW, "Al", "cy")
        await events.set_rsvp(session, event_id, member.id, Answer.MAYBE, 2, NOW, new=True)
        found = await events.answerable(session, event_id, chat_id, member.id)
        return await short_way(session), found

    took_short_way, found = await db.group_commit(answer)
    assert took_short_way  # a group commit's, on either database
    assert found == events.Answerable(
        event_id,
        chat_id,
        "Branch meeting",
        "meeting",
        "scheduled",
        NOW + timedelta(days=2),
        12,
        given=(Answer.MAYBE, 2),
    )
    assert found.starts_at.tzinfo is not None  # aware, as the ORM gives it
    async with db.read() as session:
        member = await members.get(session, ALICE)
        assert member is not None
        assert (member.display_name, member.handle, member.platform_language) == (
            "Alice",
            "al",
            "cy",
        )
        assert member.created_at == NOW and member.private_reminders is False
        rsvp = await session.scalar(select(Rsvp))
        assert rsvp is not None
        assert (rsvp.answer, rsvp.guests, rsvp.updated_at) == ("maybe", 2, NOW)

    later = NOW + timedelta(hours=1)

    async def change(session: AsyncSession) -> tuple[Answer, int] | None:
        member = await members.acting(session, ALICE, "Alice B", later)  # no language said
        await events.set_rsvp(session, event_id, member.id, Answer.GOING, 0, later, new=False)
        found = await events.answerable(session, event_id, chat_id, member.id)
        return None if found is None else found.given

    assert await db.group_commit(change) == (Answer.GOING, 0)
    async with db.read() as session:
        member = await members.get(session, ALICE)
        rsvp = await session.scalar(select(Rsvp))
    assert member is not None and rsvp is not None
    # The language the app last said is kept; the handle, no longer given, is let go.
    assert (member.display_name, member.handle, member.platform_language) == ("Alice B", "", "cy")
    assert (rsvp.answer, rsvp.updated_at) == ("going", later)


async def test_the_long_way_writes_what_the_short_way_reads(db: Database) -> None:
    """A SQLite transaction in aiosqlite's thread takes SQLAlchemy Core (PostgreSQL's
    takes asyncpg's connection as ever); what it writes, a group commit reads."""
    chat_id, event_id = await a_chat_and_event(db)
    async with db.write() as session:
        assert await short_way(session) is (db.engine.dialect.name == "postgresql")
        member = await members.acting(session, ALICE, "Alice", NOW)
        await events.set_rsvp(session, event_id, member.id, Answer.NO, 0, NOW, new=True)

    async def reads(session: AsyncSession) -> tuple[Answer, int] | None:
        found = await events.answerable(session, event_id, chat_id, member.id)
        return None if found is None else found.given

    assert await db.group_commit(reads) == (Answer.NO, 0)


async def test_another_groups_event_is_not_answerable(db: Database) -> None:
    _, event_id = await a_chat_and_event(db)

    async def elsewhere(session: AsyncSession) -> events.Answerable | None:
        other = await chats.touched(session, ChatRef("test", "other"), "Other", "UTC", NOW)
        return await events.answerable(session, event_id, other, 1)

    assert await db.group_commit(elsewhere) is None


async def test_a_handle_is_taken_from_whoever_held_it(db: Database) -> None:
    async def both(session: AsyncSession) -> None:
        await members.acting(session, ALICE, "Alice", NOW, "organiser")
        await members.acting(session, UserRef("test", "bob"), "Bob", NOW, "Organiser")

    await db.group_commit(both)
    async with db.read() as session:
        held = dict((await session.execute(select(Member.platform_user_id, Member.handle))).all())
    assert held == {"alice": "", "bob": "organiser"}


async def test_a_quick_failure_is_sqlalchemys_kind_and_undoes_its_action_alone(
    db: Database,
) -> None:
    chat_id, event_id = await a_chat_and_event(db)

    async def answers_twice(session: AsyncSession) -> None:
        member = await members.acting(session, ALICE, "Alice", NOW)
        await events.set_rsvp(session, event_id, member.id, Answer.GOING, 0, NOW, new=True)
        await events.set_rsvp(session, event_id, member.id, Answer.NO, 0, NOW, new=True)

    async def retitles(session: AsyncSession) -> int:
        return await chats.touched(session, ChatRef("test", "g"), "Renamed", "UTC", NOW)

    async with db.write():  # the two queue and commit together
        failing = asyncio.create_task(db.group_commit(answers_twice))
        kept = asyncio.create_task(db.group_commit(retitles))
        await asyncio.sleep(0.05)
    with pytest.raises(IntegrityError):
        await failing
    assert await kept == chat_id
    async with db.read() as session:
        assert await members.get(session, ALICE) is None  # made in the failed action: gone
        assert await session.scalar(select(Rsvp.id)) is None
        assert await session.scalar(select(Chat.title)) == "Renamed"


async def test_an_action_reads_afresh_what_an_earlier_one_wrote_quickly(db: Database) -> None:
    """Objects one action loaded are not the next one's stale copies: a quick write in
    between is seen by a later action's ORM read."""
    await a_chat_and_event(db)

    async def loads(session: AsyncSession) -> str:
        chat = await chats.get(session, ChatRef("test", "g"))
        assert chat is not None
        return chat.title

    async def retitles(session: AsyncSession) -> int:
        return await chats.touched(session, ChatRef("test", "g"), "Renamed", "UTC", NOW)

    async with db.write():
        tasks = [asyncio.create_task(db.group_commit(w)) for w in (loads, retitles, loads)]
        await asyncio.sleep(0.05)
    assert (await asyncio.gather(*tasks))[::2] == ["G", "Renamed"]


async def test_a_quick_read_sees_the_sessions_unwritten_changes(db: Database) -> None:
    """As SQLAlchemy's autoflush would: an object changed but not yet flushed is written
    before a quick statement reads."""
    chat_id, event_id = await a_chat_and_event(db)

    async def moves_then_reads(session: AsyncSession) -> events.Answerable | None:
        event = await events.get(session, event_id)
        assert event is not None
        event.title = "Moved"
        return await events.answerable(session, event_id, chat_id, 1)

    found = await db.group_commit(moves_then_reads)
    assert found is not None and found.title == "Moved"


async def test_an_in_list_is_refused_when_compiled(db: Database) -> None:
    """An IN list's places vary with its length: it cannot be compiled once."""
    statement = quick.Statement(select(Chat.id).where(Chat.id.in_([1, 2])))
    with pytest.raises(ValueError, match="IN list"):
        statement.compiled(db.engine.dialect)


async def test_a_value_named_as_its_column_is_refused_when_compiled(db: Database) -> None:
    """SQLAlchemy would take it for the column's own value when it runs the statement."""
    statement = quick.Statement(
        update(Chat).where(Chat.title == bindparam("title")).values(active=True)
    )
    with pytest.raises(ValueError, match="named as columns"):
        statement.compiled(db.engine.dialect)


async def test_values_fixed_in_a_statement_are_sent_with_it(db: Database) -> None:
    statement = a_chat(title="Fixed", timezone="UTC", show_names=True)

    async def adds(session: AsyncSession) -> int:
        return await (await quick.of(session)).run(statement, key="f", now=NOW)

    assert await db.group_commit(adds) == 1
    async with db.read() as session:
        row = (await session.execute(select(Chat.title, Chat.show_names, Chat.created_at))).one()
    assert tuple(row) == ("Fixed", True, NOW)


@pytest.mark.parametrize("plain", [False, True], ids=["session savepoints", "quick savepoints"])
async def test_a_later_action_that_fails_is_undone_alone_too(db: Database, plain: bool) -> None:
    """Each action's quick statements land in its own savepoint, not only the first's:
    the session's, or SQLite's own for plain work (`quick.savepoint`)."""
    await groups(db, "a", "b", "c")

    def retitles(name: str, fails: bool = False):  # type: ignore[no-untyped-def]
        async def work(session: AsyncSession) -> int:
            made = await chats.touched(session, ChatRef("test", name), "New", "UTC", NOW)
            if fails:
                raise ValueError(name)
            return made

        return work

    async with db.write():
        tasks = [
            asyncio.create_task(db.group_commit(retitles(name, fails=name == "b"), plain=plain))
            for name in ("a", "b", "c")
        ]
        await asyncio.sleep(0.05)
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert isinstance(outcomes[1], ValueError)
    async with db.read() as session:
        titles = dict((await session.execute(select(Chat.platform_chat_id, Chat.title))).all())
    assert titles == {"a": "New", "b": "b", "c": "New"}


def counted(calls: list[str], name: str, *, fails: str = ""):  # type: ignore[no-untyped-def]
    """Plain work on chat `name`: retitles it, after failing first if `fails` says so
    ("before" writing, "after" writing, or "statement": a write the database refuses)."""

    async def work(session: AsyncSession) -> int:
        calls.append(name)
        if fails == "before":
            raise ValueError(name)
        made = await chats.touched(session, ChatRef("test", name), "New", "UTC", NOW)
        if fails == "after":
            raise ValueError(name)
        if fails == "statement":  # a chat with no time zone
            await (await quick.of(session)).run(_NO_ZONE, key=name + "2", zone=None, now=NOW)
        return made

    return work


# Not a unique key's clash: on PostgreSQL that is taken for another process's write,
# and the work is run again (`Database.group_commit`).
_NO_ZONE = a_chat(title="Again", timezone=bindparam("zone"), show_names=False)


async def together(db: Database, *works, plain: bool = True) -> list[object]:  # type: ignore[no-untyped-def]
    """The works queued while the lane is held, so that one transaction takes them all."""
    async with db.write():
        tasks = [asyncio.create_task(db.group_commit(w, plain=plain)) for w in works]
        await asyncio.sleep(0.05)
    return list(await asyncio.gather(*tasks, return_exceptions=True))


async def titles(db: Database) -> dict[str, str]:
    async with db.read() as session:
        return dict((await session.execute(select(Chat.platform_chat_id, Chat.title))).all())


async def test_plain_work_refused_before_writing_fails_alone_and_nothing_runs_twice(
    db: Database,
) -> None:
    """No savepoint is needed for work that wrote nothing (`quick.unguarded`)."""
    await groups(db, "a", "b", "c")
    calls: list[str] = []
    outcomes = await together(
        db, counted(calls, "a"), counted(calls, "b", fails="before"), counted(calls, "c")
    )
    assert isinstance(outcomes[1], ValueError) and outcomes[0] != outcomes[2]
    assert calls == ["a", "b", "c"]
    assert await titles(db) == {"a": "New", "b": "b", "c": "New"}


@pytest.mark.parametrize("fails", ["after", "statement"])
async def test_plain_work_that_fails_having_written_is_undone_and_the_rest_run_again(
    db: Database, fails: str
) -> None:
    """Without a savepoint, only rolling the transaction back undoes what it wrote (and
    on PostgreSQL a refused statement stops the transaction): the others run again, each
    in a savepoint, and commit; it alone fails, with its own error."""
    await groups(db, "a", "b", "c")
    calls: list[str] = []
    outcomes = await together(
        db, counted(calls, "a"), counted(calls, "b", fails=fails), counted(calls, "c")
    )
    assert isinstance(outcomes[1], ValueError if fails == "after" else IntegrityError)
    assert isinstance(outcomes[0], int) and isinstance(outcomes[2], int)
    assert calls == ["a", "b", "a", "c"]
    assert await titles(db) == {"a": "New", "b": "b", "c": "New"}


async def test_a_lanes_session_kept_between_transactions_starts_each_afresh(
    db: Database,
) -> None:
    """A lane keeps its session from one transaction to the next: each transaction's
    statements still land in it alone (on PostgreSQL the pool hands each transaction
    its next connection), and what a failed action wrote is undone every time."""
    await db.open()  # every connection of the pool made, so that they take turns
    await groups(db, "a", "b")
    for turn in range(4):
        calls: list[str] = []
        # A statement sent on another connection than the transaction's would wait on
        # that transaction's row locks for ever.
        outcomes = await asyncio.wait_for(
            together(
                db, counted(calls, "a"), counted(calls, "b", fails="after"), counted(calls, "a")
            ),
            30,
        )
        assert isinstance(outcomes[1], ValueError), turn
        assert calls == ["a", "b", "a", "a"], turn
        assert await titles(db) == {"a": "New", "b": "b"}, turn


async def test_plain_work_that_fails_writing_objects_fails_alone(db: Database) -> None:
    """A failed flush stops SQLAlchemy's transaction: it is rolled back, and the rest run
    again."""
    await db.group_commit(lambda s: chats.touched(s, ChatRef("test", "a"), "A", "UTC", NOW))

    async def breaks_a_rule(session: AsyncSession) -> None:
        session.add(Chat(platform="test", platform_chat_id="b", timezone=None, created_at=NOW))
        await session.flush()

    calls: list[str] = []
    outcomes = await together(db, counted(calls, "a"), breaks_a_rule, counted(calls, "a"))
    assert isinstance(outcomes[1], IntegrityError)
    assert outcomes[0] == outcomes[2]
    assert await titles(db) == {"a": "New"}


async def test_plain_work_that_fails_after_writing_objects_is_undone(db: Database) -> None:
    """A write through SQLAlchemy, not a quick statement, is seen too (`quick.watch`,
    marking the connection the transaction holds): the work that made it and then
    failed is undone, and the others run again."""
    await groups(db, "a")

    async def writes_then_fails(session: AsyncSession) -> None:
        session.add(Chat(platform="test", platform_chat_id="b", timezone="UTC", created_at=NOW))
        await session.flush()
        raise ValueError("after the flush")

    calls: list[str] = []
    outcomes = await together(db, counted(calls, "a"), writes_then_fails, counted(calls, "a"))
    assert isinstance(outcomes[1], ValueError)
    assert calls == ["a", "a", "a"]  # the first ran again, in a savepoint
    assert await titles(db) == {"a": "New"}


async def test_once_run_again_a_failed_flush_fails_the_whole_transaction(db: Database) -> None:
    """Run again, plain work has savepoints of the short way's, not the session's, and
    SQLAlchemy goes on from a failed flush only inside one of its own: the transaction
    fails, as a failed commit does. Nothing is stored, every action told."""
    await groups(db, "a", "b")

    async def breaks_a_rule(session: AsyncSession) -> None:
        session.add(Chat(platform="test", platform_chat_id="c", timezone=None, created_at=NOW))
        await session.flush()

    calls: list[str] = []
    outcomes = await together(
        db,
        counted(calls, "a"),
        counted(calls, "b", fails="after"),
        breaks_a_rule,
        counted(calls, "a"),
    )
    assert calls == ["a", "b", "a"]  # run again: the first, then the failed flush stops all
    assert isinstance(outcomes[1], ValueError)
    assert all(isinstance(outcomes[i], IntegrityError) for i in (0, 2, 3)), outcomes
    assert await titles(db) == {"a": "a", "b": "b"}
