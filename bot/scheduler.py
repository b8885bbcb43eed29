"""Posts announcements and reminders from the delivery ledger, each exactly once.

The database is the source of truth; APScheduler only wakes the process at the next
due instant. A delivery is claimed in one transaction (pending → sending), sent, and
recorded in another (sending → sent, with the message id). A process that dies between
claim and record leaves the row in `sending`; the next start makes it pending again, so
a reminder is never lost, and the window in which one could be posted twice is the few
milliseconds between the platform's answer and our commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.domain.rsvp import Answer
from bot.messaging import CannotReachPrivately, ChatGone, Messengers
from bot.mirrors import Mirrors
from bot.storage import deliveries as ledger
from bot.storage import events as event_store
from bot.storage import notices
from bot.storage.chats import ref_of
from bot.storage.database import Database
from bot.storage.members import ref_of as member_ref
from bot.storage.tables import Chat, Delivery, Event, Member, Notice
from bot.views import delivery_card, notice_card

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
SIDE_BY_SIDE = 16  # chats sent to at once
POLL = 0.05  # while sending, how often to look for what has fallen due meanwhile
NOTICES = "notices"  # the queue of private messages
WAKE_JOB = "muster-wake"


class Scheduler:
    def __init__(
        self, db: Database, messengers: Messengers, clock: Clock, mirrors: Mirrors | None = None
    ) -> None:
        self.db = db
        self.mirrors = mirrors
        self.messengers = messengers
        self.clock = clock
        self._aps: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[object]] = set()
        self.sent = 0

    async def start(self) -> None:
        async with self.db.write() as session:
            released = await ledger.release_interrupted(session)
            released += await notices.release_interrupted(session)
        if released:
            log.info("%d interrupted deliveries will be sent again", released)
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._aps.start()
        await self.run_due()

    def every_day(self, job: Callable[[], Coroutine[Any, Any, object]]) -> None:
        """A housekeeping job: run now, then once a day, as a task this scheduler owns (so
        stopping waits for it instead of closing the database under it)."""
        self.every(timedelta(days=1), job)

    def every(self, interval: timedelta, job: Callable[[], Coroutine[Any, Any, object]]) -> None:
        """A housekeeping job: run now, then every `interval`, as a task this scheduler
        owns."""
        assert self._aps is not None, "start the scheduler first"

        async def spawn() -> None:
            task: asyncio.Task[object] = asyncio.get_running_loop().create_task(job())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        self._aps.add_job(
            spawn,
            IntervalTrigger(seconds=interval.total_seconds()),
            next_run_time=datetime.now(UTC),
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
            dues = [
                await ledger.next_due(session, platforms),
                await notices.next_due(session, platforms),
            ]
        known = [d if d.tzinfo else d.replace(tzinfo=UTC) for d in dues if d is not None]
        when = min(known) if known else None
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

    async def _deliver(self, delivery_id: int) -> int:
        now = self.clock.now()
        async with self.db.write() as session:
            if not await ledger.claim(session, delivery_id, now):
                return 0
            delivery = await session.get(Delivery, delivery_id)
            assert delivery is not None
            event = await session.get(Event, delivery.event_id)
            chat = await session.get(Chat, delivery.chat_id)
            assert event is not None and chat is not None
            skip = _skip_reason(delivery, event, chat, now)
            if skip:
                await ledger.finish(session, delivery_id, ledger.SKIPPED, now, None)
                log.info("delivery %d skipped: %s", delivery_id, skip)
                return 0
            if delivery.purpose == ledger.PRIVATE:
                # The moment for private reminders: owe one to each member going who
                # asked for them (the private ledger sends them, once each).
                going = await event_store.answered(session, event.id, (Answer.GOING,))
                wanted = await notices.opted_in(session, going)
                key = f"{event.id}:{event.revision}"
                await notices.owe(session, wanted, notices.REMIND, key, now, event.id)
                await ledger.finish(session, delivery_id, ledger.SENT, now, None)
                return 0
            platform = self.messengers.for_platform(chat.platform)
            card = await delivery_card(
                session, delivery, event, chat, platform.max_text, platform.measure
            )
            attempts, chat_id, target = delivery.attempts, chat.id, ref_of(chat)
            purpose, event_id = delivery.purpose, event.id
        messenger = self.messengers.for_platform(target.platform)
        try:
            ref = await messenger.send(target, card, key=f"muster-d{delivery_id}")
        except ChatGone:
            async with self.db.write() as session:
                await ledger.finish(session, delivery_id, ledger.FAILED, now, None)
                gone = await session.get(Chat, chat_id)
                if gone is not None:
                    gone.active = False
            log.warning("delivery %d: chat is gone; it will not be retried", delivery_id)
            return 0
        except Exception as exc:
            async with self.db.write() as session:
                if attempts >= MAX_ATTEMPTS:
                    await ledger.finish(session, delivery_id, ledger.FAILED, now, None)
                else:
                    await ledger.retry_later(session, delivery_id, now + ledger.backoff(attempts))
            log.warning(
                "delivery %d failed (%s), attempt %d", delivery_id, type(exc).__name__, attempts
            )
            return 0
        async with self.db.write() as session:
            await ledger.finish(session, delivery_id, ledger.SENT, self.clock.now(), ref.id)
        if purpose == ledger.ANNOUNCE and self.mirrors is not None:
            await self.mirrors.sync(event_id, only_chat=chat_id)
        return 1

    async def _send_notice(self, notice_id: int) -> int:
        """One private message, once: claimed, sent, recorded, like a delivery."""
        now = self.clock.now()
        async with self.db.write() as session:
            if not await notices.claim(session, notice_id):
                return 0
            notice = await session.get(Notice, notice_id)
            assert notice is not None
            member = await session.get(Member, notice.member_id)
            card = await notice_card(session, notice, member, now) if member else None
            if member is None or card is None:
                await notices.finish(session, notice_id, notices.SKIPPED, now)
                return 0
            target, attempts = member_ref(member), notice.attempts
        messenger = self.messengers.for_platform(target.platform)
        try:
            await messenger.send_private(target, card)
        except CannotReachPrivately:
            # The member never opened a private chat with us: nothing to retry.
            async with self.db.write() as session:
                await notices.finish(session, notice_id, notices.FAILED, now)
            return 0
        except Exception as exc:
            async with self.db.write() as session:
                if attempts >= MAX_ATTEMPTS:
                    await notices.finish(session, notice_id, notices.FAILED, now)
                else:
                    await notices.retry_later(session, notice_id, now + ledger.backoff(attempts))
            log.warning("notice %d failed (%s), try %d", notice_id, type(exc).__name__, attempts)
            return 0
        async with self.db.write() as session:
            await notices.finish(session, notice_id, notices.SENT, self.clock.now())
        return 1


def _skip_reason(delivery: Delivery, event: Event, chat: Chat, now: datetime) -> str | None:
    if event.status != event_store.SCHEDULED and delivery.purpose != ledger.CANCEL:
        return "event cancelled"
    if not chat.active:
        return "chat inactive"
    if now >= event.starts_at:
        return "event already started"
    return None


class _Run:
    """One pass of the scheduler: keeps asking what is due and hands it to per-chat
    workers (private notices have one worker of their own) until nothing is left."""

    def __init__(self, scheduler: Scheduler, platforms: list[str]) -> None:
        self.scheduler = scheduler
        self.platforms = platforms
        self.gate = asyncio.Semaphore(SIDE_BY_SIDE)
        self.queued: set[tuple[str, int]] = set()
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
            batch = await ledger.due_ids(session, now, self.platforms)
            private = await notices.due_ids(session, now, self.platforms)
        items = [(d, c) for d, c in batch] + [(n, NOTICES) for n in private]
        fresh = 0
        for item_id, queue in items:
            key = ("notice" if queue == NOTICES else "delivery", item_id)
            if key in self.queued:
                continue
            self.queued.add(key)
            self.queues.setdefault(queue, deque()).append(item_id)
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
                if queue == NOTICES:
                    sent += await self.scheduler._send_notice(item_id)
                else:
                    sent += await self.scheduler._deliver(item_id)
        return sent
