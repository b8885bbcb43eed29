"""One handle on the database for the whole process.

Writes are serialised in-process: SQLite allows one writer at a time, and a transaction
that reads and then writes can otherwise fail instead of waiting. On PostgreSQL the lock
costs little and row locks still guard other processes.

Members' actions commit together (`group_commit`): while one write transaction runs,
the actions that arrive queue up, and the next transaction takes them (up to
GROUP_LIMIT), each failing alone. A burst of button presses then costs one commit (and
one wait for the disk) per group instead of one per press, and each press is still
stored before it is answered. A press needs no savepoint of its own unless it fails
after writing, which is rare: then the transaction is rolled back and the others run
again, each in a savepoint (`quick.unguarded`). Their statements run on the event loop's own
thread (`sqlite_driver.run_on_loop`), sparing each a trip to SQLite's thread. The rows
that say a member was seen in a group, which no press reads back, are written for all
the transaction's presses in one statement (`members.SeenAtCommit`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage import arrival, erasures, members, quick
from bot.storage.engine import (
    ON_LOOP,
    WRITES,
    create_engines,
    open_pool,
    session_factory,
    upgrade,
)

T = TypeVar("T")
# How many queued actions one transaction takes: enough for a burst, few enough that
# the first of them is not kept waiting long for the commit.
GROUP_LIMIT = 16
# PostgreSQL: how many group commits run side by side. Each waits on the server's
# round trips more than on this process, and two cores kept three busy.
LANES = 2
# How often an action that collided with another process's write is run (PostgreSQL).
# A conflict means the other transaction has ended (a unique key is refused once the
# row is committed; a deadlock's other party goes on), so a run again finds the row.
# Three were once used up (two deadlocks and a taken key) by a burst of new groups
# split between processes, before actions took their keys in order.
CONFLICT_RETRIES = 6
# A unique key taken meanwhile, a serialization failure, a deadlock: another process.
CONFLICTS = {"23505", "40001", "40P01"}


@dataclass(eq=False)
class _Lane:
    """One line of group commits: its queue, and the lock its transactions take."""

    lock: asyncio.Lock
    queued: deque[_Queued[Any]] = field(default_factory=deque)
    # The session its last transaction committed with, emptied, for the next one
    # (`Database._lane_writing`).
    session: AsyncSession | None = None


@dataclass(eq=False)
class _Queued(Generic[T]):
    work: Callable[[AsyncSession], Awaitable[T]]
    outcome: asyncio.Future[T]
    plain: bool  # its statements are quick ones (`bot.storage.quick`)
    order: str  # where its transaction runs it: by its key (`Database._run_queued`)
    press: arrival.Key | None  # a press's, read ahead with the others' (`storage.arrival`)


class Database:
    def __init__(self, engine: AsyncEngine, reader: AsyncEngine | None = None) -> None:
        self.engine = engine  # every write, and the reads too when there is no `reader`
        self.reader = reader or engine
        self._sessions = session_factory(engine)
        self._reads = session_factory(self.reader)
        self._write_lock = asyncio.Lock()
        self._shared = engine.dialect.name == "postgresql"  # other processes write too
        # SQLite has one writer: one lane, sharing `write()`'s lock. PostgreSQL locks
        # row by row, so actions commit in LANES lines side by side, each group's always
        # in the same one (`group_commit`'s `key`); the first lane shares `write()`'s
        # lock, as on SQLite.
        lanes = LANES if self._shared else 1
        self._lanes = [_Lane(self._write_lock)] + [_Lane(asyncio.Lock()) for _ in range(lanes - 1)]
        self._checkpointing = False
        quick.watch(engine)  # which actions wrote (`quick.unguarded`)
        # Told how long each write transaction held the database ("write" or "group"):
        # the metrics' transaction time, kept out of this module.
        self.on_transaction: Callable[[str, float], None] = _ignore

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(*create_engines(url))

    async def upgrade(self) -> None:
        await upgrade(self.engine)

    async def open(self) -> None:
        """Open the pools' connections now rather than in the first burst."""
        await open_pool(self.engine)
        if self.reader is not self.engine:
            await open_pool(self.reader)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that commits on success and rolls back on any exception."""
        async with self._write_lock:
            began = time.perf_counter()
            try:
                async with self._sessions() as session, session.begin():
                    await session.connection(execution_options={WRITES: True})
                    yield session
            finally:
                self.on_transaction("write", time.perf_counter() - began)

    @asynccontextmanager
    async def coordinate(self) -> AsyncIterator[AsyncSession]:
        """A short transaction between processes (PostgreSQL: pacing, card edits), outside
        the in-process write lock, so it never queues behind members' actions; the
        server's row locks order it against every other process."""
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _lane_writing(self, lane: _Lane) -> AsyncIterator[AsyncSession]:
        """A group commit's write transaction, its statements on the loop's thread, on
        the lane's own session kept from one transaction to the next: making a session
        and closing it cost about 140 µs of CPU a transaction on
        PostgreSQL, where a burst's group commits take three presses each. Once a
        transaction has committed its session is emptied (no object, nothing the
        transaction kept in `info`) and kept; one that failed, or was interrupted, is
        closed, so the next transaction never inherits a session in an unknown state."""
        session = lane.session if lane.session is not None else self._sessions()
        lane.session = None
        try:
            async with session.begin():
                connection = await session.connection(
                    execution_options={WRITES: True, ON_LOOP: True}
                )
                # Made at once from the connection in hand: asking the session for it
                # again costs a trip into SQLAlchemy's greenlet.
                await quick.of(session, connection)
                yield session
        except BaseException:
            await session.close()
            raise
        session.expunge_all()
        session.info.clear()
        lane.session = session

    async def group_commit(
        self,
        work: Callable[[AsyncSession], Awaitable[T]],
        *,
        plain: bool = False,
        key: Hashable = None,
        press: arrival.Key | None = None,
    ) -> T:
        """Run `work` in a write transaction, possibly shared with other queued work.

        Returns once the transaction holding it has committed. If `work` raises, only
        what it wrote is undone and the exception is raised here; if the commit fails,
        every piece of work in it fails with that error.

        `plain`: the work's statements are quick ones (`bot.storage.quick`), and it
        loads objects only on its rare paths. It runs with no savepoint (`quick.
        unguarded`); if it fails after writing, the transaction is rolled back and the
        rest run again, plain work then in `quick.savepoint`. Should plain work fail
        while writing objects in that second run (SQLAlchemy goes on from a failed flush
        only inside a savepoint of its own), the whole transaction fails, as a failed
        commit does. Work run again must not have told anyone anything yet: it returns
        what is to be said.

        `key`: where the action happens (a group). On PostgreSQL work with one key
        always shares a lane, so a group's actions commit in the order they came (the
        first to press takes the first place) and never wait on each other's row locks
        from another lane; work without a key takes the first lane. Two lanes meet only
        on rows shared between groups (a member new to both at once): a deadlock there
        is broken by the server and the work runs again, as a conflict with another
        process is.

        `press`: the work is a press that reads its arrival (`storage.arrival`): the
        transaction reads its presses' arrivals at its start, in one statement.
        """
        lane = self._lanes[hash(key) % len(self._lanes) if key is not None else 0]
        for attempt in range(CONFLICT_RETRIES):
            try:
                return await self._group_commit(lane, work, plain, key, press)
            except DBAPIError as exc:
                if not self._shared or not _conflict(exc) or attempt == CONFLICT_RETRIES - 1:
                    raise
                # Another process wrote the same row first (a new member's first press in
                # two processes at once): the work runs again and now finds that row.
        raise AssertionError("unreachable")  # pragma: no cover

    async def _group_commit(
        self,
        lane: _Lane,
        work: Callable[[AsyncSession], Awaitable[T]],
        plain: bool,
        key: Hashable,
        press: arrival.Key | None,
    ) -> T:
        outcome: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        queued = _Queued(work, outcome, plain, "" if key is None else str(key), press)
        lane.queued.append(queued)
        try:
            async with lane.lock:
                if not queued.outcome.done():  # not taken by an earlier transaction
                    # A poll's presses come here in one turn of the loop: waiting that
                    # turn out lets them into this transaction, not the first alone.
                    await asyncio.sleep(0)
                    await self._run_queued(lane)
        except BaseException:
            if queued in lane.queued:  # cancelled while waiting: never run it
                lane.queued.remove(queued)
            raise
        return await outcome

    async def _run_queued(self, lane: _Lane) -> None:
        queue = lane.queued
        taken = [queue.popleft() for _ in range(min(GROUP_LIMIT, len(queue)))]
        # In the order of their keys, each key's in the order they came: every process's
        # transactions then take the rows of groups (a new group's, made by its first
        # command) in one order, so two never wait for each other's. Unsorted, two
        # processes each given one of two new groups' first commands deadlocked.
        taken.sort(key=attrgetter("order"))
        done: list[tuple[_Queued[Any], Any]] = []
        committed = False
        began = time.perf_counter()
        try:
            try:
                done = await self._run_together(lane, taken, guarded=False)
            except _Again:
                # One ran without a savepoint and failed after writing: the others run
                # again, each in a savepoint now, so that cannot happen twice.
                done = await self._run_together(
                    lane, [q for q in taken if not q.outcome.done()], guarded=True
                )
            committed = True
        except Exception as exc:  # the transaction itself failed: nothing was stored
            for queued in taken:
                if not queued.outcome.done():
                    queued.outcome.set_exception(exc)
            return
        finally:
            self.on_transaction("group", time.perf_counter() - began)
            if not committed:  # interrupted part-way: nobody waits for ever
                for queued in taken:
                    if not queued.outcome.done():
                        queued.outcome.cancel()
        for queued, result in done:
            queued.outcome.set_result(result)

    async def _run_together(
        self, lane: _Lane, taken: list[_Queued[Any]], *, guarded: bool
    ) -> list[tuple[_Queued[Any], Any]]:
        """One transaction for the actions taken; what each returned, once committed.

        Plain actions run without a savepoint (`quick.unguarded`) unless `guarded`: one
        that fails having written nothing fails alone, and one that fails after writing
        fails, and rolls the transaction back by raising _Again."""
        done: list[tuple[_Queued[Any], Any]] = []
        seen = members.SeenAtCommit()
        async with self._lane_writing(lane) as session:
            seen.attach(session)
            ahead = await arrival.read_ahead(session, (q.press for q in taken))
            for queued in taken:
                ahead.before(queued.press)
                if not queued.plain:
                    # Any other action sees every row written before it (an erasure
                    # deletes a member's rows, and a row written after would outlive it).
                    await seen.write(session)
                mark = seen.mark()
                try:
                    isolated: Callable[[AsyncSession], AbstractAsyncContextManager[Any]]
                    if queued.plain and not guarded:
                        isolated = quick.unguarded
                    else:
                        isolated = quick.savepoint if queued.plain else _nested
                    async with isolated(session):
                        result = await queued.work(session)
                except quick.Tainted as tainted:
                    queued.outcome.set_exception(tainted.__cause__ or tainted)
                    raise _Again from tainted
                except Exception as exc:
                    if not session.is_active:
                        raise  # objects failed to write outside a savepoint of theirs
                    seen.undo(mark)
                    queued.outcome.set_exception(exc)
                else:
                    done.append((queued, result))
                # Each action reads its own rows afresh: some are written by plain
                # statements (`bot.storage.quick`) that the objects held would not see.
                if session.identity_map or session.new:
                    session.expunge_all()
            await seen.write(session)  # should it fail, the transaction fails: all do
        return done

    @asynccontextmanager
    async def read(self, *, on_loop: bool = False) -> AsyncIterator[AsyncSession]:
        """`on_loop`: a read of a few indexed rows, run on the event loop's thread like an
        action's statements. A read never waits for a lock in WAL mode, so only its size
        matters; anything whose size is not known stays in SQLite's thread."""
        async with self._reads() as session:
            if on_loop:
                await session.connection(execution_options={ON_LOOP: True})
            yield session

    def file(self) -> Path | None:
        """The SQLite database file, when there is one."""
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(url.database)

    async def keep_erasure_list(self) -> set[str]:
        """Mirror the list of erased identities into the file beside the database (which
        a restore leaves alone); returns the whole list, from the table and the file."""
        path = self.file()
        async with self.read() as session:
            listed = await erasures.known(session)
        if path is not None:
            listed |= erasures.read_mirror(path)
            erasures.write_mirror(path, listed)
        return listed

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the file, in a reader's thread and without the
        write lock. PASSIVE waits for nobody: what a reader still uses is copied on a
        later turn, and a writer appends meanwhile. Once all is copied, the next write
        starts the log again from its beginning, so it stays small."""
        if self.reader is self.engine or self.file() is None or self._checkpointing:
            return
        self._checkpointing = True
        try:
            async with self.reader.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._checkpointing = False

    async def scrub(self) -> None:
        """After an erasure: fold the write-ahead log into the file and empty it, so the
        old page images that still hold the erased rows are gone (deleted cells in the
        file itself are zeroed by secure_delete)."""
        if self.engine.dialect.name != "sqlite":
            return
        async with self._write_lock, self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        for lane in self._lanes:
            if lane.session is not None:
                await lane.session.close()
                lane.session = None
        await self.engine.dispose()
        if self.reader is not self.engine:
            await self.reader.dispose()


class _Again(Exception):
    """The transaction is rolled back, and its actions not yet failed run again."""


def _nested(session: AsyncSession) -> AbstractAsyncContextManager[Any]:
    return session.begin_nested()


def _ignore(_kind: str, _seconds: float) -> None:
    return None


def _conflict(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in CONFLICTS
