"""Live counts on posted cards, edited at most once per interval per event.

A burst of a hundred presses must cost a handful of edits, not a hundred: the first
press after a quiet spell is shown at once, later ones are folded into one edit at the
end of the interval, and that edit reads the counts fresh from the database, so the
final card is exact.
"""

from __future__ import annotations

import asyncio
import logging
import time

from bot.cards import chat_message_card
from bot.messaging import Card, MessageRef, Messengers
from bot.storage import events as event_store
from bot.storage import outbox
from bot.storage.chats import ref_of
from bot.storage.database import Database

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
TIMER_SLACK = 0.005  # seconds


class LiveCards:
    def __init__(self, db: Database, messengers: Messengers, interval: float) -> None:
        self.db = db
        self.messengers = messengers
        self.interval = interval
        self._last: dict[int, float] = {}
        self._waiting: dict[int, asyncio.Task[None]] = {}
        self._editing: dict[int, asyncio.Task[None]] = {}
        self._running: set[asyncio.Task[None]] = set()
        self.edits = 0
        # Cards' database work takes turns, one card at a time (their edits on the
        # platform do not). The first presses of a burst touch every card at once, and
        # so does each interval after: twenty cards' transactions together had opened
        # connections beyond PostgreSQL's pool, and their reads queued on the loop
        # ahead of the presses.
        self._database_turn = asyncio.Lock()

    def touch(self, event_id: int) -> None:
        if event_id in self._waiting:
            return  # an edit is already on its way and will read the latest counts
        task = asyncio.create_task(self._later(event_id, self._editing.get(event_id)))
        self._waiting[event_id] = task
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _later(self, event_id: int, editing: asyncio.Task[None] | None) -> None:
        try:
            if editing is not None:
                # An edit of this card is being made: the interval counts from its end.
                await asyncio.wait({editing})
            mine = await self._turn(event_id)
        finally:
            # Presses from now on need a new edit: this one may already have read counts.
            self._waiting.pop(event_id, None)
        if not mine:
            return
        this = asyncio.current_task()
        assert this is not None
        self._editing[event_id] = this
        try:
            await self._attempts(event_id)
        finally:
            if self._editing.get(event_id) is this:
                del self._editing[event_id]
            await self._edited(event_id)

    async def _turn(self, event_id: int) -> bool:
        """Wait until the card may be edited again; False when another process will."""
        delay = self._last.get(event_id, -1e9) + self.interval - time.monotonic()
        if delay > 0:
            # The loop may fire a timer a millisecond early: wait the interval in full.
            await asyncio.sleep(delay + TIMER_SLACK)
        return True

    async def _edited(self, event_id: int) -> None:
        """The edit in hand is made (or given up): the next interval counts from now."""

    async def _attempts(self, event_id: int) -> None:
        for attempt in range(MAX_ATTEMPTS):
            self._last[event_id] = time.monotonic()
            if await self.refresh(event_id):
                # Measured from when the edit was made, so edits a platform sees are
                # an interval apart however long this one took.
                self._last[event_id] = time.monotonic()
                return
            # The platform refused or failed: try again later, reading fresh counts.
            await asyncio.sleep(min(60.0, max(self.interval, 0.5) * 2**attempt))
        log.warning("live card for event %s: gave up after %d attempts", event_id, MAX_ATTEMPTS)

    async def refresh(self, event_id: int) -> bool:
        """Edit every card that shows this event to its current state; False on failure."""
        try:
            # One event's counts and the messages that show it: small, and read on the
            # loop, since twenty cards at once made twenty trips to SQLite's thread.
            async with self._database_turn, self.db.read(on_loop=True) as session:
                event = await event_store.get(session, event_id)
                if event is None:
                    return True
                edits: list[tuple[MessageRef, Card]] = []
                for message, chat in await outbox.posted(session, event_id):
                    if chat.platform not in self.messengers or message.message_id is None:
                        continue
                    platform = self.messengers.for_platform(chat.platform)
                    card = await chat_message_card(
                        session, message, event, chat, platform.max_text, platform.measure
                    )
                    edits.append((MessageRef(ref_of(chat), message.message_id), card))
            for ref, card in edits:
                await self.messengers.for_platform(ref.chat.platform).edit(ref, card)
                self.edits += 1
        except Exception as exc:  # a failed edit must never break a press
            log.warning("live card edit for event %s failed: %s", event_id, type(exc).__name__)
            return False
        return True

    async def idle(self) -> None:
        """Wait until every scheduled edit has been made."""
        while self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def flush(self) -> None:
        """Send the edits still waiting (on shutdown): finish the work in hand."""
        waiting = list(self._waiting)
        running = list(self._running)  # coalescing waits and retries alike
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        for event_id in waiting:
            await self.refresh(event_id)
