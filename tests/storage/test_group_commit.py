"""Actions that commit together: one transaction for a queue of them, a savepoint each,
and each one's fate its own, on a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import ChatRef
from bot.storage import chats
from bot.storage.database import LANES, Database
from bot.storage.tables import Chat, Event
from tests.storage.tracing import Ran, trace

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def make_chat(session: AsyncSession, name: str) -> Chat:
    return await chats.get_or_create(session, ChatRef("test", name), name, "Europe/London", NOW)


def adds(name: str, fails: bool = False):  # type: ignore[no-untyped-def]
    async def work(session: AsyncSession) -> str:
        await make_chat(session, name)
        if fails:
            raise ValueError(name)
        return name

    return work


async def names(db: Database) -> set[str]:
    async with db.read() as session:
        return set(await session.scalars(select(Chat.platform_chat_id)))


async def queued_together(db: Database, *works: Any) -> list[object]:
    """The actions' outcomes, when they arrived while another writer held the database,
    so that one transaction took them all."""
    async with db.write():
        tasks = [asyncio.create_task(db.group_commit(work)) for work in works]
        await asyncio.sleep(0.05)
    return await asyncio.gather(*tasks, return_exceptions=True)


def count_commits(db: Database) -> list[int]:
    commits: list[int] = []
    event.listen(db.engine.sync_engine, "commit", lambda _conn: commits.append(1))
    return commits


async def test_queued_actions_share_one_commit_and_a_failing_one_is_undone_alone(
    db: Database,
) -> None:
    commits = count_commits(db)
    async with db.write():  # something else is writing: the actions queue meanwhile
        tasks = [
            asyncio.create_task(db.group_commit(adds(f"c{i}", fails=i == 2))) for i in range(5)
        ]
        await asyncio.sleep(0.05)
        assert not any(t.done() for t in tasks)  # nothing is answered before its commit
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert outcomes[:2] == ["c0", "c1"] and outcomes[3:] == ["c3", "c4"]
    assert isinstance(outcomes[2], ValueError)
    assert await names(db) == {"c0", "c1", "c3", "c4"}
    assert len(commits) == 2  # the other writer's, and one for all five actions


async def test_actions_that_come_in_one_turn_of_the_loop_share_one_commit(
    db: Database,
) -> None:
    """A poll's presses come to the group commit together: the first to come does not
    take a transaction alone, with nothing else writing meanwhile."""
    commits = count_commits(db)
    tasks = [asyncio.create_task(db.group_commit(adds(f"c{i}"))) for i in range(5)]
    assert await asyncio.gather(*tasks) == [f"c{i}" for i in range(5)]
    assert len(commits) == 1


async def test_an_action_alone_commits_at_once(db: Database) -> None:
    assert await db.group_commit(adds("solo")) == "solo"
    assert await names(db) == {"solo"}


# PostgreSQL checks a rule at commit when it is deferred; its foreign keys are not, so
# the test defers a rule of its own that refuses every event.
REFUSE_AT_COMMIT = (
    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = '23000'; END $$",
    "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON events"
    " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse()",
)


async def test_a_failed_commit_fails_every_action_in_it_and_stores_none(db: Database) -> None:
    postgresql = db.engine.dialect.name == "postgresql"
    chat_id = 999  # none such: SQLite finds out at commit
    if postgresql:
        async with db.write() as session:
            for statement in REFUSE_AT_COMMIT:
                await session.execute(text(statement))
            chat_id = (await make_chat(session, "kept")).id

    async def breaks_a_rule_found_at_commit(session: AsyncSession) -> None:
        if not postgresql:
            await session.execute(text("PRAGMA defer_foreign_keys=ON"))
        session.add(
            Event(
                chat_id=chat_id,
                title="Nowhere",
                kind="meeting",
                starts_at=NOW,
                timezone="Europe/London",
                reminder_offsets="1d",
                created_at=NOW,
            )
        )
        await session.flush()

    outcomes = await queued_together(db, adds("a"), breaks_a_rule_found_at_commit, adds("b"))
    assert all(isinstance(o, IntegrityError) for o in outcomes), outcomes
    assert await names(db) == ({"kept"} if postgresql else set())
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 0


async def test_an_action_given_up_while_queued_never_runs(db: Database) -> None:
    ran: list[str] = []

    def noting(name: str):  # type: ignore[no-untyped-def]
        async def work(session: AsyncSession) -> None:
            ran.append(name)
            await adds(name)(session)

        return work

    async with db.write():
        gone = asyncio.create_task(db.group_commit(noting("gone")))
        kept = asyncio.create_task(db.group_commit(noting("kept")))
        await asyncio.sleep(0.05)
        gone.cancel()
        await asyncio.sleep(0)
    await kept
    assert gone.cancelled()
    assert ran == ["kept"]
    assert await names(db) == {"kept"}


@pytest.mark.sqlite_only
async def test_writes_count_their_rows_and_inserts_know_their_ids(db: Database) -> None:
    """The driver brings back each statement's rows, row count and new id in one trip."""
    async with db.write() as session:
        for name in ("x", "y", "z"):
            await make_chat(session, name)
        ids = list(await session.scalars(select(Chat.id).order_by(Chat.id)))
        assert ids == [1, 2, 3]
        changed = await session.execute(
            text("UPDATE chats SET title = 'T' WHERE platform_chat_id IN ('x', 'y')")
        )
        assert changed.rowcount == 2  # type: ignore[attr-defined]
        inserted = await session.execute(
            text(
                "INSERT INTO chats (platform, platform_chat_id, title, display_name, timezone,"
                " reminder_offsets, show_names, active, space, organiser_role, clp, branch,"
                " created_at, circle) VALUES ('test', 'w', 'w', 'w', 'UTC', '', false, true, '', '',"
                " '', '', '2026-11-23 10:00:00', NULL)"
            )
        )
        assert inserted.lastrowid == 4  # type: ignore[attr-defined]


async def test_a_row_changed_by_a_failed_action_reads_as_stored_in_the_next_one(
    db: Database,
) -> None:
    """The failed action's change is undone, and the next action in the same transaction
    sees the stored row, not the half-made change (nor an unloaded one it cannot read)."""
    await db.group_commit(adds("c"))

    async def renames_then_fails(session: AsyncSession) -> None:
        found = await chats.get(session, ChatRef("test", "c"))
        assert found is not None
        found.title = "Half-made"
        await session.flush()
        raise ValueError("refused")

    async def reads_title(session: AsyncSession) -> str:
        found = await chats.get(session, ChatRef("test", "c"))
        assert found is not None
        found.display_name = "Renamed"
        return found.title

    async with db.write():
        failing = asyncio.create_task(db.group_commit(renames_then_fails))
        reading = asyncio.create_task(db.group_commit(reads_title))
        await asyncio.sleep(0.05)
    with pytest.raises(ValueError):
        await failing
    assert await reading == "c"
    async with db.read() as session:
        row = (await session.execute(select(Chat.title, Chat.display_name))).one()
    assert tuple(row) == ("c", "Renamed")


def words(ran: list[Ran]) -> list[tuple[str, bool]]:
    """Each statement's first word, and whether it ran on the event loop's thread."""
    return [(r.word, r.on_loop) for r in ran]


@pytest.mark.sqlite_only
async def test_an_actions_statements_run_on_the_loop_and_what_waits_runs_in_the_thread(
    db: Database,
) -> None:
    ran = await trace(db)
    await db.group_commit(adds("pressed"))
    statements = words(ran)
    begin, commit = statements.index(("BEGIN", False)), statements.index(("COMMIT", False))
    inside = statements[begin + 1 : commit]
    assert {word for word, _ in inside} >= {"SAVEPOINT", "SELECT", "INSERT", "RELEASE"}
    assert all(on_loop for _, on_loop in inside), inside

    ran.clear()  # a transaction of any other size stays in SQLite's thread
    async with db.write() as session:
        await make_chat(session, "scheduled")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Chat)) == 2
    statements = words(ran)
    assert {"BEGIN", "INSERT", "SELECT", "COMMIT"} <= {word for word, _ in statements}
    assert not any(on_loop for _, on_loop in statements), statements


async def test_an_action_may_use_its_connection_directly_on_the_loop(db: Database) -> None:
    """SQLAlchemy's async connection refuses a statement that awaited nothing: one run on
    the loop still awaits."""

    async def counts_by_connection(session: AsyncSession) -> int:
        connection = await session.connection()
        return int((await connection.execute(text("SELECT count(*) FROM chats"))).scalar_one())

    await db.group_commit(adds("x"))
    assert await db.group_commit(counts_by_connection) == 1


@pytest.mark.sqlite_only
async def test_a_small_read_asked_for_on_the_loop_runs_there(db: Database) -> None:
    await db.group_commit(adds("a"))
    ran = await trace(db)
    async with db.read(on_loop=True) as session:
        assert await session.scalar(select(func.count()).select_from(Chat)) == 1
    async with db.read() as session:  # any other read: in SQLite's thread
        assert await session.scalar(select(Chat.platform_chat_id)) == "a"
    selects = [on_loop for word, on_loop in words(ran) if word == "SELECT"]
    assert selects == [True, False]


async def test_a_statement_refused_on_the_loop_undoes_its_action_alone(db: Database) -> None:
    await db.group_commit(adds("taken"))

    async def duplicate(session: AsyncSession) -> None:
        await session.execute(
            text(
                "INSERT INTO chats (platform, platform_chat_id, title, display_name, timezone,"
                " reminder_offsets, show_names, active, space, organiser_role, clp, branch,"
                " created_at, circle) SELECT platform, platform_chat_id, 'x', 'x', timezone,"
                " '', false, true, '', '', '', '', created_at, NULL FROM chats"
            )
        )

    outcomes = await queued_together(db, adds("before"), duplicate, adds("after"))
    assert outcomes[0] == "before" and outcomes[2] == "after"
    assert isinstance(outcomes[1], IntegrityError)
    assert await names(db) == {"taken", "before", "after"}


@pytest.mark.postgresql_only
async def test_on_postgresql_another_groups_actions_commit_beside_a_busy_lane(
    db: Database,
) -> None:
    """The first lane is held by another writer; an action keyed to another lane commits
    meanwhile, and one keyed to the held lane waits for it."""
    lanes = LANES
    assert lanes > 1
    busy = next(k for k in range(100) if hash(f"m{k}") % lanes == 0)
    free = next(k for k in range(100) if hash(f"m{k}") % lanes != 0)
    async with db.write():
        waiting = asyncio.create_task(db.group_commit(adds("waits"), key=f"m{busy}"))
        assert await asyncio.wait_for(db.group_commit(adds("beside"), key=f"m{free}"), 5)
        await asyncio.sleep(0.05)
        assert not waiting.done()
    assert await waiting == "waits"
    assert await names(db) == {"beside", "waits"}


def another_process(db: Database) -> Database:
    """A second pool on the same database, as another process has."""
    return Database.from_url(db.engine.url.render_as_string(hide_password=False))


def refused(db: Database) -> list[str]:
    """The error code of every statement the database refuses from now on."""
    codes: list[str] = []

    def record(context: Any) -> None:
        codes.append(getattr(context.sqlalchemy_exception.orig, "sqlstate", "?"))

    event.listen(db.engine.sync_engine, "handle_error", record)
    return codes


async def blocked_on_a_lock(db: Database) -> None:
    """Until some transaction waits for another's row lock (a unique key being taken)."""
    for _ in range(500):
        async with db.read() as session:
            if await session.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("nothing waited for a lock")


@pytest.mark.postgresql_only
@pytest.mark.parametrize("plain", [False, True], ids=["objects", "plain"])
async def test_a_group_made_by_two_processes_at_once_is_one_group(
    db: Database, plain: bool
) -> None:
    """Two processes see a new group's first two commands at once: both find no row and
    insert one; the second waits on the first's unique key, is refused when it commits,
    and its action runs again and finds that row."""
    other = another_process(db)
    first_inserted, release = asyncio.Event(), asyncio.Event()
    ref = ChatRef("test", "race")

    async def first(session: AsyncSession) -> int:
        chat = await make_chat(session, "race")
        first_inserted.set()
        await release.wait()  # its transaction open, the row not yet committed
        return chat.id

    async def second(session: AsyncSession) -> int:
        return await chats.touched(session, ref, "race", "Europe/London", NOW)

    try:
        codes = refused(other)
        holding = asyncio.create_task(db.group_commit(first, key=ref))
        await first_inserted.wait()
        waiting = asyncio.create_task(other.group_commit(second, plain=plain, key=ref))
        await blocked_on_a_lock(db)
        release.set()
        made = await holding
        assert await asyncio.wait_for(waiting, 10) == made
        assert codes == ["23505"]  # refused once, then found
        assert await names(db) == {"race"}
    finally:
        await other.close()


@pytest.mark.postgresql_only
async def test_two_processes_making_the_same_new_groups_never_deadlock(db: Database) -> None:
    """Each process's transaction holds the first commands of two new groups, which came
    to them in opposite orders: both take the groups in one order, so one waits for the
    other and runs again. In the order they came, each waited for the other until the
    server broke the deadlock (a second later, by its deadlock_timeout)."""
    other = another_process(db)
    lane = [f"g{k}" for k in range(100) if hash(ChatRef("test", f"g{k}")) % LANES == 0]
    one, two = (ChatRef("test", name) for name in lane[:2])
    try:
        codes = refused(db), refused(other)
        async with db.write(), other.write():  # each process's first lane held meanwhile
            tasks = [
                asyncio.create_task(process.group_commit(adds(ref.id), key=ref))
                for process, ref in ((db, one), (other, two), (db, two), (other, one))
            ]
            await asyncio.sleep(0.05)
        assert await asyncio.wait_for(asyncio.gather(*tasks), 30) == [
            one.id,
            two.id,
            two.id,
            one.id,
        ]
        assert await names(db) == {one.id, two.id}
        # The one that waited is refused the row it waited on, then finds the other.
        assert codes[0] + codes[1] == ["23505"]
    finally:
        await other.close()
