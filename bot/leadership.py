"""Exactly one process does a role at a time (takes Telegram's updates by polling, holds
Discord's gateway), and another takes over within seconds when it dies.

Each process tries for the role's advisory lock at start and then every `TRY_EVERY`;
the one that gets it starts the role. The holder checks every `CHECK_EVERY` that its
lock's connection still answers. When it does not, the server may already have handed
the lock to another process, and two processes would take the same updates: so the
holder gives up everything (the process stops, and its supervisor starts it again as
one of those waiting) rather than guess.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import Metrics
from bot.storage.lock import AdvisoryLock

log = logging.getLogger(__name__)
TRY_EVERY = 1.0  # seconds between a waiting process's tries
CHECK_EVERY = 2.0  # seconds between the holder's checks of its lock


class Leadership:
    def __init__(
        self,
        engine: AsyncEngine,
        role: str,
        lead: Callable[[], Awaitable[None]],
        lost: Callable[[], None],
        metrics: Metrics,
    ) -> None:
        self.lock = AdvisoryLock(engine, role)
        self.role = role
        self.lead = lead
        self.lost = lost
        self.metrics = metrics
        self._task: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        return self.lock.held

    async def start(self) -> None:
        """Try once now (so a lone process leads before it says it is ready), then keep
        trying, or checking, in the background."""
        await self._try()
        self._task = asyncio.get_running_loop().create_task(self._keep(), name=self.role)

    async def _try(self) -> None:
        if not await self.lock.try_acquire():
            return
        log.info("%s: this process took the role", self.role)
        self.metrics.locks.labels(self.role).set(1)
        try:
            await self.lead()
        except Exception:
            log.exception("%s: could not start; the role is left to another process", self.role)
            await self.lock.release()
            self.metrics.locks.labels(self.role).set(0)

    async def _keep(self) -> None:
        while True:
            if self.lock.held:
                await asyncio.sleep(CHECK_EVERY)
                if not await self.lock.still_held():
                    self.metrics.locks.labels(self.role).set(0)
                    log.error(
                        "%s: the database no longer answers for the role; stopping", self.role
                    )
                    self.lost()
                    return
            else:
                await asyncio.sleep(TRY_EVERY)
                with contextlib.suppress(Exception):  # the database away: try again later
                    await self._try()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.lock.held:
            await self.lock.release()
            self.metrics.locks.labels(self.role).set(0)
