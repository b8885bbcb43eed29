"""The composition root: storage, scheduler, adapters, one event loop, clean stop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot import seeds, voices
from bot.clock import Clock, SystemClock
from bot.commands import TABLE
from bot.config import Settings
from bot.dispatch import Dispatcher
from bot.domain import timeparse
from bot.leadership import Leadership
from bot.live import LiveCards
from bot.live_shared import SharedLiveCards
from bot.messaging import Messengers
from bot.metrics import Metrics
from bot.mirrors import Mirrors
from bot.platforms.console import ConsoleChat, ConsoleMessenger
from bot.scheduler import Scheduler
from bot.services import digests, feeds
from bot.services import members as member_service
from bot.services import privacy as privacy_service
from bot.services import series as series_dates
from bot.services.effects import Tx
from bot.storage import erasures, privacy, series
from bot.storage import feeds as feed_store
from bot.storage.database import Database
from bot.storage.lock import AdvisoryLock, AlreadyRunning, OwnerLock
from bot.storage.pacing import SharedPace
from bot.web import HttpServer

log = logging.getLogger(__name__)
READY = "Muster is serving"  # the start-up's last log line
# How often owed platform copies of events (a full Discord Events list, a failed call)
# are tried again, and those of ended events withdrawn.
MIRROR_CATCH_UP = timedelta(minutes=10)
# The write-ahead log is copied into the file this often, off the writer's path (see
# Database.checkpoint): at a busy moment a few hundred commits, a few megabytes.
CHECKPOINT_EVERY = timedelta(seconds=2)
DIGEST_PLANNING = timedelta(hours=1)  # each group's next digest is owed within this


class App:
    """Everything one running Muster process holds."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        path = settings.sqlite_path()
        self._lock = OwnerLock(path) if path is not None else None
        self.db = Database.from_url(settings.database_url)
        # On PostgreSQL any number of processes share the database and its work.
        self.shared = self.db.engine.dialect.name == "postgresql"
        self.leaderships: list[Leadership] = []
        self.lost = asyncio.Event()  # a role this process held was lost: it must stop
        self.messengers = Messengers()
        self.metrics = Metrics()
        self.db.on_transaction = lambda kind, seconds: self.metrics.transaction.labels(
            kind
        ).observe(seconds)
        self.http = HttpServer(self, settings.http_listen) if settings.http_listen else None
        self._warming: asyncio.Task[None] | None = None
        self.mirrors = Mirrors(self.db, self.messengers, self.clock)
        self.scheduler = Scheduler(
            self.db, self.messengers, self.clock, self.mirrors, self.metrics, shared=self.shared
        )
        self.live = (
            SharedLiveCards(self.db, self.messengers, settings.edit_interval, self.scheduler.worker)
            if self.shared
            else LiveCards(self.db, self.messengers, settings.edit_interval)
        )
        self.dispatcher = Dispatcher(
            self.db,
            self.messengers,
            settings,
            self.clock,
            self.scheduler,
            self.live,
            self.mirrors,
            metrics=self.metrics,
        )

    async def prepare(self) -> None:
        """Own the database (SQLite: a second process stops here), bring its schema up to
        date and load the seeds: all before any platform connects."""
        if self._lock is not None:
            self._lock.acquire()
            self.metrics.locks.labels("owner").set(1)
        # Processes starting together on PostgreSQL take turns: one migrates, and the
        # others find the schema up to date.
        preparing = AdvisoryLock(self.db.engine, "prepare") if self.shared else None
        if preparing is not None:
            await preparing.wait()
        try:
            await self.db.upgrade()
            await self.db.open()
            await self.erase_again()
            await seeds.load(self.db, self.settings.seeds_dir, self.clock)
            async with self.db.write() as session:
                self.dispatcher.identity = feeds.Identity(*await feed_store.identity(session))
        finally:
            if preparing is not None:
                await preparing.release()
        # dateparser loads its data in a thread while the platforms connect.
        self._warming = asyncio.get_running_loop().create_task(asyncio.to_thread(timeparse.warm_up))

    async def plan_digests(self) -> int:
        """Owe each group with a digest its next one (hourly: after one is sent, the
        following week's is owed within the hour)."""
        async with self.db.write() as session:
            made = await digests.plan_all(session, self.clock.now())
        if made:
            await self.scheduler.run_due()  # wakes at the new due time
        return made

    async def calendar_feed(self, token: str) -> feeds.Feed | None:
        """The calendar a subscription URL's token shows (the operator's port serves it)."""
        async with self.db.read() as session:
            return await feeds.render(session, self.dispatcher.identity, token, self.clock.now())

    async def erase_again(self) -> int:
        """Members on the list of the erased who are in the database again (a backup from
        before their erasure was restored) are erased again, before anyone is served."""
        listed = await self.db.keep_erasure_list()
        now = self.clock.now()
        async with self.db.write() as session:
            back = await erasures.members_erased_before(session, listed)
            for member in back:
                await privacy_service.forget(Tx(session, now), member)
            await erasures.remember(session, listed - await erasures.known(session), now)
        if back:
            log.info("erasure: %d members erased again after a restore", len(back))
            await self.db.scrub()
        return len(back)

    async def start(self) -> None:
        await self.dispatcher.voices.load()  # before the first update is taken
        if self.http is not None:  # alive at once; ready once the platforms connect
            await self.http.start()
        for messenger in self.messengers.all():
            await messenger.start()
            await messenger.register_commands(TABLE)
            role = messenger.updates_role
            if self.shared and role is not None:
                leadership = Leadership(
                    self.db.engine, role, messenger.receive, self.lost.set, self.metrics
                )
                self.leaderships.append(leadership)
                await leadership.start()
            else:
                await messenger.receive()
        await self.scheduler.start()
        self.scheduler.every_day(self.apply_retention)
        self.scheduler.every_day(self.extend_series)
        self.scheduler.every_day(self.ask_to_reconfirm)
        self.scheduler.every(MIRROR_CATCH_UP, self.mirrors.catch_up)
        self.scheduler.every(CHECKPOINT_EVERY, self.db.checkpoint)
        # Read before the first update was taken (above): next in TTL seconds.
        every_ttl = timedelta(seconds=voices.TTL)
        self.scheduler.every(every_ttl, self.dispatcher.voices.load, now=False)
        self.scheduler.every(DIGEST_PLANNING, self.plan_digests)
        if self._warming is not None:
            await self._warming
        # What was owed at start has been sent: operators (and tests) can rely on it.
        log.info("%s: ready", READY)

    async def extend_series(self) -> int:
        """Keep repeating events a few weeks ahead, then post what fell due. The rules'
        dates are found in a worker thread first, outside the write transaction."""
        now = self.clock.now()
        async with self.db.read() as session:
            active = await series.active(session)
        dates = await asyncio.to_thread(lambda: {s.id: series.dates_ahead(s, now) for s in active})
        async with self.db.write() as session:
            made = await series_dates.extend_all(session, now, dates)
        if made:
            log.info("series: %d new occurrences", made)
            await self.scheduler.run_due()
        return made

    async def ask_to_reconfirm(self) -> int:
        """Members whose CLP/branch are old are asked, privately, to confirm them."""
        now = self.clock.now()
        async with self.db.write() as session:
            asked = await member_service.ask_to_reconfirm(
                session, now, self.settings.reconfirm_months
            )
        if asked:
            log.info("reconfirm: %d members asked", asked)
            await self.scheduler.run_due()
        return asked

    async def apply_retention(self) -> dict[str, int]:
        """What is older than the retention period becomes anonymous or goes."""
        now = self.clock.now()
        cutoff = now - timedelta(days=self.settings.retention_days)
        async with self.db.write() as session:
            done = await privacy.retain(session, cutoff, now)
        if any(done.values()):
            log.info("retention: %s", ", ".join(f"{n} {what}" for what, n in done.items() if n))
            await self.db.scrub()
        return done

    async def stop(self) -> None:
        """Take no more input, finish what is in hand, then close everything."""
        for messenger in self.messengers.all():
            with contextlib.suppress(Exception):
                await messenger.pause()
        for leadership in self.leaderships:
            with contextlib.suppress(Exception):
                await leadership.stop()
        await self.scheduler.stop()
        if self._warming is not None:
            await asyncio.gather(self._warming, return_exceptions=True)
        await self.live.flush()
        for messenger in self.messengers.all():
            with contextlib.suppress(Exception):
                await messenger.stop()
        if self.http is not None:
            await self.http.stop()
        await self.db.close()
        if self._lock is not None:
            self._lock.release()
            self.metrics.locks.labels("owner").set(0)


async def run(settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    try:
        return await _serve(settings, stdin or sys.stdin, stdout or sys.stdout)
    except AlreadyRunning as exc:
        print(f"muster: {exc}", file=sys.stderr)
        return 1


def add_platforms(app: App, settings: Settings) -> bool:
    """Add an adapter for every platform whose token is set; False when there is none."""
    if settings.telegram_token:
        from bot.platforms.telegram import TelegramMessenger
        from bot.platforms.telegram_webhook import Webhook

        webhook = None
        if settings.telegram_webhook_url and app.http is not None:
            webhook = Webhook(settings.telegram_webhook_url, app.http.add_post)
        app.messengers.add(
            TelegramMessenger(
                settings.telegram_token.get_secret_value(),
                app.dispatcher,
                base_url=settings.telegram_base_url,
                group_rate_per_minute=settings.telegram_group_rate,
                webhook=webhook,
                shared_pace=SharedPace(app.db).reserve if app.shared else None,
            )
        )
    if settings.discord_token:
        from bot.platforms.discord import DiscordMessenger

        app.messengers.add(
            DiscordMessenger(
                settings.discord_token.get_secret_value(),
                app.dispatcher,
                api_base=settings.discord_api_base,
                shards=settings.shards(),
            )
        )
    return bool(app.messengers.all())


def settle_memory() -> None:
    """Put what start-up made out of the cyclic collector's way.

    A full collection walks every object that survived the earlier ones; after start-up
    that is about 150,000 (modules, SQLAlchemy's mappings, the platforms' libraries), and
    one walk took 60 to 90 ms during which nothing was answered: the RSVP benchmark's
    slowest presses. Frozen, they are not walked again. What is made from now on still
    is, and memory freed the ordinary way (most of it) is freed as before.
    """
    gc.collect()
    gc.freeze()


async def _serve(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    app = App(settings)
    await app.prepare()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    console: ConsoleMessenger | None = None
    if not add_platforms(app, settings):
        console = ConsoleMessenger(stdout, Path("data") / "console-files")
        app.messengers.add(console)
    settle_memory()
    try:
        await app.start()
    except Exception as exc:
        log.error("could not start: %s", exc)
        await app.stop()
        return 1
    reader: asyncio.Task[None] | None = None
    if console is not None:
        chat = ConsoleChat(console, settings.console_name, stdin)
        reader = asyncio.create_task(chat.run(app.dispatcher.handle))
        reader.add_done_callback(lambda _: stopping.set())
    lost = asyncio.create_task(app.lost.wait())
    lost.add_done_callback(lambda _: stopping.set())
    await stopping.wait()
    lost.cancel()
    if reader is not None:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
    await app.stop()
    return 1 if app.lost.is_set() else 0
