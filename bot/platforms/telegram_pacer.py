"""Sending within Telegram's published limits, so that Telegram never has to say 429.

Telegram asks bots to stay under about 30 messages a second overall, one a second in a
chat, and 20 a minute in a group. python-telegram-bot's AIORateLimiter enforces these as
leaky buckets, which allow a full second's (or minute's) worth at once on top of the
steady rate; a server that counts over a sliding window answers that with 429, and the
wait it imposes costs more than the burst saved.

Here the windows are counted the way a server would see them, without guessing at
network delays: a message counts from the moment it is sent until a second (or a
minute) after Telegram answered it. Telegram received it somewhere in between, so no
window on Telegram's side can hold more than the limit, and the pace is as close to the
limit as the round trip allows. Replies to button presses and edits are not messages
and are not paced (edits are coalesced by the live cards).

When several processes send for one bot, each message also reserves its moment with
the others (`shared`, through the database) as the last wait before it goes: the
overall pace and each chat's spacing are then kept across processes, with a margin for
the network's jitter, since no process knows when another's message arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.messaging import Limit, Reserve

log = logging.getLogger(__name__)
# Every window here is measured on this clock, never the event loop's: uvloop's reads
# whole milliseconds, taken once per turn of the loop, and a window closed a
# millisecond early is a message Telegram may count in the wrong second.
_now = time.monotonic
EARLY_WAKES = 3  # a timer early by a rounding is early by under a millisecond
JSON = bool | dict[str, Any] | list[dict[str, Any]]
GROUP_PERIOD = 60.0
UNLIMITED = 10_000
# Spacing kept across processes, over the limits' own: a message may leave a busy
# process later than its reserved moment and arrive bunched with others' on time.
SHARED_MARGIN = 1.1
OVERALL_MARGIN = 1.2  # overall: 25 a second for Telegram's 30
GROUP_BURST = 5  # a group's messages that may go at the chat's own spacing
# Seconds past its reserved moment that a message may still leave (shared pacing). Any
# second on Telegram's side then holds at most the messages reserved in 1 + LATE
# seconds (28 of the 30 allowed), and a chat's stay a second apart (its margin's 0.1 s,
# less LATE), so long as the message is not held up further on its way.
LATE = 0.08
RESERVE_TRIES = 3


class _Sending:
    """One message in the overall window: in flight until `answered_at` is set."""

    __slots__ = ("answered_at",)

    def __init__(self) -> None:
        self.answered_at: float | None = None


# What a message is, as the adapter says with `rate_limit_args`: in a chat, scheduled
# announcements and reminders go before answers to commands.
SCHEDULED = 0
ANSWER = 1


class _Turns:
    """One message at a time in a chat, the most urgent waiting first (then in order)."""

    def __init__(self) -> None:
        self.busy = False
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    async def take(self, priority: int) -> None:
        if not self.busy and not self._waiting:
            self.busy = True
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._seq), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give_back()  # handed the turn while being cancelled: pass it on
            raise

    def give_back(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)  # the turn passes straight on: still busy
                return
        self.busy = False

    @property
    def idle(self) -> bool:
        return not self.busy and not self._waiting


class Pacer(BaseRateLimiter[int]):
    def __init__(
        self,
        per_second: float = 30,
        chat_interval: float = 1.0,
        group_per_minute: float = 20,
        max_retries: int = 5,
        on_rate_limited: Callable[[], None] | None = None,
        shared: Reserve | None = None,
    ) -> None:
        self.on_rate_limited = on_rate_limited
        self.shared = shared
        self.per_second = int(per_second)
        self._overall_limit = {"telegram": Limit(OVERALL_MARGIN / self.per_second)}
        self.chat_interval = chat_interval
        self.group_limit = int(group_per_minute)
        self.max_retries = max_retries
        self._overall: deque[_Sending] = deque()
        self._waiting: deque[asyncio.Future[_Sending]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._chat_answered: dict[int | str, float] = {}
        self._group_answered: dict[int | str, deque[float]] = {}
        self._turns: dict[int | str, _Turns] = {}

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        chat = data.get("chat_id")
        key = _chat_key(chat) if endpoint.startswith("send") and chat is not None else None
        # One message at a time per chat: its spacing is counted from the last answer.
        turns = self._turns.setdefault(key, _Turns()) if key is not None else None
        if turns is not None:
            await turns.take(ANSWER if rate_limit_args is None else rate_limit_args)
        try:
            for attempt in range(self.max_retries + 1):
                try:
                    if key is None:
                        return await callback(*args, **kwargs)
                    return await self._paced(key, callback, args, kwargs)
                except RetryAfter as exc:
                    if attempt == self.max_retries:
                        raise
                    await self._back_off(exc)
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            if turns is not None:
                turns.give_back()
                if turns.idle and key is not None:
                    del self._turns[key]  # a chat's turns are kept only while in use

    async def _paced(
        self,
        chat: int | str,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> JSON:
        await self._wait_for_chat(chat)
        if self.shared is not None:
            await self._reserve_shared(self.shared, chat)
            sending = _Sending()  # the overall pace is the shared one
        else:
            sending = await self._enter_overall()
        try:
            return await callback(*args, **kwargs)
        finally:
            self._answered(chat, sending)

    async def _reserve_shared(self, shared: Reserve, chat: int | str) -> None:
        """Wait for a moment reserved with the other processes. A message that would
        leave more than LATE after its moment (this process was busy) would arrive
        bunched with the next ones, which the others send on time: it reserves a new
        moment instead, up to RESERVE_TRIES times, then goes."""
        for _ in range(RESERVE_TRIES):
            wait = await shared(self._spacings(chat), self._overall_limit)
            moment = _now() + wait  # as told: the reservation's answer took some
            await _sleep_until(moment)
            if _now() - moment <= LATE:
                return

    def _spacings(self, chat: int | str) -> dict[str, Limit]:
        """How far apart messages go in this chat, across processes. A group's minute
        allows GROUP_BURST at the chat's own spacing, then an even pace, so that no
        minute holds more than the limit: a rate T with a burst of B lets at most
        B + 60/T through in any 60 s."""
        # A private chat's id is its member's: the shared table holds a hash of it.
        key = f"telegram:{hashlib.blake2b(str(chat).encode(), digest_size=8).hexdigest()}"
        limits = {key: Limit(self.chat_interval * SHARED_MARGIN)}
        if _is_group(chat) and GROUP_BURST < self.group_limit < UNLIMITED:
            even = GROUP_PERIOD / (self.group_limit - GROUP_BURST) * SHARED_MARGIN
            limits[f"{key}:minute"] = Limit(even, GROUP_BURST - 1)
        return limits

    async def _back_off(self, exc: RetryAfter) -> None:
        if self.on_rate_limited is not None:
            self.on_rate_limited()
        delay = exc.retry_after
        seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
        log.warning("Telegram asked to wait %.1f s", seconds)
        await asyncio.sleep(seconds + 0.1)

    async def _wait_for_chat(self, chat: int | str) -> None:
        at = self._chat_answered.get(chat, -1e9) + self.chat_interval
        if _is_group(chat) and self.group_limit < UNLIMITED:
            answered = self._group_answered.setdefault(chat, deque())
            while answered and answered[0] <= _now() - GROUP_PERIOD:
                answered.popleft()
            if len(answered) >= self.group_limit:
                at = max(at, answered[-self.group_limit] + GROUP_PERIOD)
        await _sleep_until(at)

    async def _enter_overall(self) -> _Sending:
        """Wait, first come first served, until fewer than the limit were in flight or
        answered within the last second; then count this message in."""
        loop = asyncio.get_running_loop()
        if not self._waiting and self._has_room(_now()):
            return self._take()
        ticket: asyncio.Future[_Sending] = loop.create_future()
        self._waiting.append(ticket)
        self._grant()
        try:
            return await ticket
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():
                ticket.result().answered_at = _now()  # granted but never sent
            raise

    def _has_room(self, now: float) -> bool:
        while self._overall and _expired(self._overall[0], now):
            self._overall.popleft()
        return sum(1 for s in self._overall if not _expired(s, now)) < self.per_second

    def _take(self) -> _Sending:
        sending = _Sending()
        self._overall.append(sending)
        return sending

    def _grant(self) -> None:
        """Let waiting messages in, in the order they came, while there is room; if
        some must still wait, look again when the oldest answer leaves the window."""
        now = _now()
        while self._waiting and self._has_room(now):
            ticket = self._waiting.popleft()
            if not ticket.done():
                ticket.set_result(self._take())
        if self._waiting and self._timer is None:
            frees = [
                s.answered_at + 1.0
                for s in self._overall
                if s.answered_at is not None and not _expired(s, now)
            ]
            if frees:
                # Woken early (the loop's timers may round), it looks again and waits on.
                self._timer = asyncio.get_running_loop().call_later(
                    max(0.0, min(frees) - now), self._on_timer
                )

    def _on_timer(self) -> None:
        self._timer = None
        self._grant()

    def _answered(self, chat: int | str, sending: _Sending) -> None:
        now = _now()
        sending.answered_at = now
        self._chat_answered[chat] = now
        if _is_group(chat) and self.group_limit < UNLIMITED:
            self._group_answered.setdefault(chat, deque()).append(now)
        self._grant()


async def _sleep_until(at: float) -> None:
    """Until `_now()` has reached `at`: a timer that fires early (an event loop may keep
    its timers in whole milliseconds) is waited on again, for what is left of it."""
    for _ in range(EARLY_WAKES + 1):
        wait = at - _now()
        if wait <= 0:
            return
        await asyncio.sleep(wait)


def _expired(sending: _Sending, now: float) -> bool:
    return sending.answered_at is not None and sending.answered_at <= now - 1.0


def _is_group(chat: int | str) -> bool:
    return isinstance(chat, str) or chat < 0


def _chat_key(chat: object) -> int | str:
    with contextlib.suppress(TypeError, ValueError):
        return int(chat)  # type: ignore[call-overload, no-any-return]
    return str(chat)
