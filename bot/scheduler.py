"""Sends what the outbox holds (announcements, reminders, private messages), each once.

The database is the source of truth; APScheduler only wakes the process at the next
due instant. A message is claimed in one transaction (pending → sending), sent, and
recorded in another (sending → sent, with the message id). A process that dies between
claim and record leaves the row in `sending`; the next start makes it pending again, so
a reminder is never lost, and the window in which one could be posted twice is the few
milliseconds between the platform's answer and our commit.

When several processes share a database (PostgreSQL), a claim is held under a lease
that its process renews while it lives; one that dies leaves its claims to expire, and
any other takes them over. Each process also looks for due work every few seconds, so
what one process wrote and did not live to send is sent by another.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession

from bot import week_ahead
from bot.cards import chat_message_card, member_message_card
from bot.clock import Clock
from bot.domain.outbox import MAX_ATTEMPTS, Purpose, Status, backoff
from bot.messaging import CannotReachPrivately, Card, ChatGone, ChatRef, Messengers, UserRef
from bot.metrics import Metrics
from bot.mirrors import Mirrors
from bot.services import delivery, digests
from bot.storage import outbox
from bot.storage.chats import ref_of
from bot.storage.database import Database
from bot.storage.members import ref_of as member_ref
from bot.storage.tables import Chat, Event, Member, Outbox

log = logging.getLogger(__name__)
SIDE_BY_SIDE = 16  # chats sent to at once
POLL = 0.05  # while sending, how often to look for what has fallen due meanwhile
MEMBERS = "members"  # the queue of members' private messages
WAKE_JOB = "muster-wake"
# A claim holds this long unless renewed; a live process renews its claims far more
# often, and a dead one's are taken over once it has passed.
LEASE = timedelta(seconds=10)
KEEP_EVERY = timedelta(seconds=2)  # renewing, taking over, looking for due work


def worker_name() -> str:
    """This process, as its claims name it: readable by an operator, never reused."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"


class Scheduler:
    def __init__(
        self,
        db: Database,
        messengers: Messengers,
        clock: Clock,
        mirrors: Mirrors | None = None,
        metrics: Metrics | None = None,
        shared: bool = False,
    ) -> None:
        self.db = db
        self.shared = shared
        self.worker = worker_name()
        self.metrics = metrics or Metrics()
        self.mirrors = mirrors
        self.messengers = messengers
        self.clock = clock
        self._aps: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[object]] = set()
        self.sent = 0

    async def start(self) -> None:
        async with self.db.write() as session:
            if self.shared:
                released = await outbox.take_over(session, datetime.now(UTC))
            else:
                released = await outbox.release_interrupted(session)
        if released:
            log.info("%d interrupted messages will be sent again", released)
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._aps.start()
        await self.run_due()
        if self.shared:
            self.every(KEEP_EVERY, self.keep)

    def claimant(self) -> outbox.Claimant:
        # Leases run on the real clock (a test's clock may stand anywhere).
        return outbox.Claimant(self.worker, datetime.now(UTC) + LEASE, self.shared)

    async def keep(self) -> int:
        """Renew this process's claims, take over those of processes that died, and send
        what is due that no process is sending; returns how many were taken over. Only
        where processes share the database, so outside the in-process write lock."""
        async with self.db.coordinate() as session:
            await outbox.renew(session, self.worker, datetime.now(UTC) + LEASE)
            taken = await outbox.take_over(session, datetime.now(UTC))
        if taken:
            log.info("%d messages of a process that stopped answering taken over", taken)
        if self._lock.locked():
            return taken  # the run in hand looks again by itself
        async with self.db.read() as session:
            due = await outbox.count_due(
                session, self.clock.now(), list(self.messengers.by_platform)
            )
        if due:
            await self.run_due()
        return taken

    def every_day(self, job: Callable[[], Coroutine[Any, Any, object]]) -> None:
        """A housekeeping job: run now, then once a day, as a task this scheduler owns (so
        stopping waits for it instead of closing the database under it)."""
        self.every(timedelta(days=1), job)

    def every(
        self,
        interval: timedelta,
        job: Callable[[], Coroutine[Any, Any, object]],
        *,
        now: bool = True,
    ) -> None:
        """A housekeeping job: run now (unless the caller just ran it), then every
        `interval`, as a task this scheduler owns."""
        assert self._aps is not None, "start the scheduler first"

        async def spawn() -> None:
            task: asyncio.Task[object] = asyncio.get_running_loop().create_task(job())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        self._aps.add_job(
            spawn,
            IntervalTrigger(seconds=interval.total_seconds()),
            next_run_time=datetime.now(UTC) + (timedelta(0) if now else interval),
            id=f"every-{getattr(job, '__name__', 'job')}",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        async with self._lock:  # let the send in hand finish
            pass
        if self.shared:
            # What this process had claimed and not sent is owed at once, not after
            # its lease.
            async with self.db.write() as session:
                await outbox.release_interrupted(session, self.worker)

    async def run_due(self) -> int:
        """Send everything due, including what falls due meanwhile, then sleep until the
        next due instant.

        Chats are served side by side (a few at a time), each chat's messages in order,
        so the platform's pacing is the limit rather than the time each send takes; a
        chat waiting for its turn holds up no other chat.
        """
        async with self._lock:
            platforms = list(self.messengers.by_platform)
            sent = await _Run(self, platforms).until_done()
            await self._schedule_wake(platforms)
        self.sent += sent
        return sent

    async def _schedule_wake(self, platforms: list[str]) -> None:
        if self._aps is None:
            return
        async with self.db.read() as session:
            when = await outbox.next_due(session, platforms)
        if when is None:
            if self._aps.get_job(WAKE_JOB):
                self._aps.remove_job(WAKE_JOB)
            return
        # The wait is measured on our clock and slept on the real one, so a test clock
        # set in the past or future never makes the process spin or sleep for days.
        wait = max(0.0, (when - self.clock.now()).total_seconds())
        self._aps.add_job(
            self._wake,
            DateTrigger(run_date=datetime.now(UTC) + timedelta(seconds=wait)),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
        )

    async def _wake(self) -> None:
        """APScheduler's job: start a run and return at once (a run reschedules itself)."""
        task = asyncio.get_running_loop().create_task(self.run_due())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, row_id: int, chat_id: int | None = None) -> int:
        """One owed message, once: claimed, sent, recorded; a chat's or a member's."""
        now = self.clock.now()
        mine = self.worker
        async with self.db.write() as session:
            row = await outbox.claim(session, row_id, now, self.claimant(), chat_id)
            if row is None:
                return 0
            prepared = await self._prepare(session, row, now)
            if prepared is None:
                return 0
            target, card, attempts = prepared
            purpose, event_id, chat_id = row.purpose, row.event_id, row.chat_id
            due_at = row.due_at
        messenger = self.messengers.for_platform(target.platform)
        message_id: str | None = None
        try:
            if isinstance(target, ChatRef):
                message_id = (await messenger.send(target, card, key=f"muster-d{row_id}")).id
            else:
                await messenger.send_private(target, card)
        except ChatGone:
            self.metrics.outbox_failed.labels(purpose).inc()
            async with self.db.write() as session:
                await outbox.finish(session, row_id, Status.FAILED, now, worker=mine)
                gone = await session.get(Chat, chat_id) if chat_id is not None else None
                if gone is not None:
                    gone.active = False
            log.warning("message %d: chat is gone; it will not be retried", row_id)
            return 0
        except CannotReachPrivately:
            # The member never opened a private chat with us: nothing to retry.
            self.metrics.outbox_failed.labels(purpose).inc()
            async with self.db.write() as session:
                await outbox.finish(session, row_id, Status.FAILED, now, worker=mine)
            return 0
        except Exception as exc:
            self.metrics.outbox_failed.labels(purpose).inc()
            async with self.db.write() as session:
                if attempts >= MAX_ATTEMPTS:
                    await outbox.finish(session, row_id, Status.FAILED, now, worker=mine)
                else:
                    await outbox.retry_later(session, row_id, now + backoff(attempts), mine)
            log.warning("message %d failed (%s), attempt %d", row_id, type(exc).__name__, attempts)
            return 0
        sent_at = self.clock.now()
        async with self.db.write() as session:
            held = await outbox.finish(
                session, row_id, Status.SENT, sent_at, message_id, worker=mine
            )
        if not held:
            log.warning("message %d was sent after its claim ran out: it may be sent twice", row_id)
        self.metrics.outbox_sent.labels(purpose).inc()
        self.metrics.lateness.observe(max(0.0, (sent_at - due_at).total_seconds()))
        if purpose == Purpose.ANNOUNCE and self.mirrors is not None and event_id is not None:
            await self.mirrors.sync(event_id, only_chat=chat_id)
        return 1

    async def _digest(
        self, session: AsyncSession, row: Outbox, now: datetime
    ) -> tuple[ChatRef | UserRef, Card, int] | None:
        """The week ahead, unless the group left or changed its digest since it was owed
        (the next is planned by the hourly planner)."""
        chat = await session.get(Chat, row.chat_id)
        if chat is None or not chat.active or chat.digest != digests.setting_of(row.key):
            await _skip(session, row, now, "digest_changed")
            return None
        platform = self.messengers.for_platform(chat.platform)
        card = await week_ahead.card(session, chat, now, platform.max_text, platform.measure)
        return ref_of(chat), card, row.attempts

    async def _prepare(
        self, session: AsyncSession, row: Outbox, now: datetime
    ) -> tuple[ChatRef | UserRef, Card, int] | None:
        """Where a claimed message goes and what it says; None (and recorded so) when it
        no longer applies, or when it is a moment that sends nothing itself."""
        if row.chat_id is None:
            member = await session.get(Member, row.member_id)
            card = await member_message_card(session, row, member, now) if member else None
            if member is None or card is None:
                await outbox.finish(session, row.id, Status.SKIPPED, now)
                return None
            return member_ref(member), card, row.attempts
        if row.purpose == Purpose.DIGEST:
            return await self._digest(session, row, now)
        event = await session.get(Event, row.event_id)
        chat = await session.get(Chat, row.chat_id)
        assert event is not None and chat is not None
        skip = delivery.skip_reason(row, event, chat, now)
        if skip:
            await _skip(session, row, now, skip)
            return None
        if row.purpose == Purpose.PRIVATE_REMINDERS:
            await delivery.owe_private_reminders(session, event, now)
            await outbox.finish(session, row.id, Status.SENT, now)
            return None
        platform = self.messengers.for_platform(chat.platform)
        card = await chat_message_card(
            session, row, event, chat, platform.max_text, platform.measure
        )
        return ref_of(chat), card, row.attempts


async def _skip(session: AsyncSession, row: Outbox, now: datetime, why: str) -> None:
    await outbox.finish(session, row.id, Status.SKIPPED, now)
    log.info("message %d skipped: %s", row.id, why)


class _Run:
    """One pass of the scheduler: keeps asking what is due and hands it to per-chat
    workers (members' private messages have one worker of their own) until nothing is left."""

    def __init__(self, scheduler: Scheduler, platforms: list[str]) -> None:
        self.scheduler = scheduler
        self.platforms = platforms
        self.gate = asyncio.Semaphore(SIDE_BY_SIDE)
        self.queued: set[int] = set()
        self.queues: dict[int | str, deque[int]] = {}
        self.workers: dict[int | str, asyncio.Task[int]] = {}
        self.sent = 0

    async def until_done(self) -> int:
        try:
            while True:
                # Which workers were busy is read before asking what is due: one that
                # finishes meanwhile may have made more due (private reminders).
                running = {t for t in self.workers.values() if not t.done()}
                fresh = await self._take_due()
                if not fresh and not running:
                    break
                running = {t for t in self.workers.values() if not t.done()}
                if running:
                    await asyncio.wait(running, timeout=POLL, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            # Stopped (or failed): the workers stop with the run, mid-send if need be,
            # exactly as a process that dies would; the ledger makes that safe.
            for task in self.workers.values():
                task.cancel()
            await asyncio.gather(*self.workers.values(), return_exceptions=True)
            raise
        for task in self.workers.values():
            self.sent += task.result()
        return self.sent

    async def _take_due(self) -> int:
        now = self.scheduler.clock.now()
        async with self.scheduler.db.read() as session:
            due = await outbox.due(session, now, self.platforms)
        fresh = 0
        for row_id, chat_id in due:
            if row_id in self.queued:
                continue
            self.queued.add(row_id)
            queue: int | str = MEMBERS if chat_id is None else chat_id
            self.queues.setdefault(queue, deque()).append(row_id)
            fresh += 1
            worker = self.workers.get(queue)
            if worker is None or worker.done():
                if worker is not None:
                    self.sent += worker.result()
                self.workers[queue] = asyncio.get_running_loop().create_task(self._work(queue))
        return fresh

    async def _work(self, queue: int | str) -> int:
        """Send one queue's messages in order, taking a turn at the gate for each, so a
        chat with many due waits its turn behind the others instead of keeping its
        place: chats take turns, round robin."""
        sent = 0
        items = self.queues[queue]
        while items:
            item_id = items.popleft()
            async with self.gate:
                sent += await self.scheduler._send(
                    item_id, None if queue == MEMBERS else int(queue)
                )
        return sent
