"""Sending within Telegram's published limits, smoothly, so Telegram never has to say 429.

Telegram asks bots to stay under about 30 messages a second overall, one a second in a
chat, and 20 a minute in a group. python-telegram-bot's AIORateLimiter enforces these as
leaky buckets, which allow a full second's (or minute's) worth at once on top of the
steady rate; a server that counts over a sliding window answers that with 429, and the
wait it imposes costs more than the burst saved. Here every message reserves its own
slot before it is sent, so that no window ever holds more than the limit: 30 in any
second (plus a few milliseconds of margin for the network), one per chat per 1.05 s, 20
per group in any minute. Replies to button presses and edits are not messages and are
not paced (edits are coalesced by the live cards).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
JSON = bool | dict[str, Any] | list[dict[str, Any]]
GROUP_PERIOD = 60.0


class Pacer(BaseRateLimiter[int]):
    def __init__(
        self,
        per_second: float = 30,
        chat_interval: float = 1.05,
        group_per_minute: float = 20,
        max_retries: int = 5,
        margin: float = 0.01,
    ) -> None:
        self.per_second = max(1, int(per_second))
        self.window = 1.0 + margin
        self.chat_interval = chat_interval
        self.group_limit = max(1, int(group_per_minute))
        self.group_period = GROUP_PERIOD + 0.5 if group_per_minute < 10_000 else 0.0
        self.max_retries = max_retries
        self._sent: deque[float] = deque()
        self._chat_last: dict[int | str, float] = {}
        self._locks: dict[int | str, asyncio.Lock] = {}
        self._group_sent: dict[int | str, deque[float]] = {}
        self.waited = 0.0  # seconds spent waiting for slots, for the benchmarks

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
        if endpoint.startswith("send") and chat is not None:
            await self._wait_for_slot(_chat_key(chat))
        for attempt in range(self.max_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                delay = exc.retry_after
                seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
                log.warning("Telegram asked to wait %.1f s", seconds)
                await asyncio.sleep(seconds + 0.1)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _wait_for_slot(self, chat: int | str) -> None:
        """Wait for this chat's turn, then for a place in the overall window.

        Messages to one chat queue behind each other (a lock per chat), so a chat's
        spacing is measured from the moment the previous message really went. Overall
        slots are reserved without awaiting, in time order, so concurrent senders in
        different chats never share one.
        """
        loop = asyncio.get_running_loop()
        lock = self._locks.setdefault(chat, asyncio.Lock())
        async with lock:
            at = loop.time()
            if chat in self._chat_last:
                at = max(at, self._chat_last[chat] + self.chat_interval)
            group = self._group_sent.setdefault(chat, deque()) if _is_group(chat) else None
            if group is not None and self.group_period:
                while group and group[0] <= at - self.group_period:
                    group.popleft()
                if len(group) >= self.group_limit:
                    at = max(at, group[-self.group_limit] + self.group_period)
            await self._until(at)
            at = self._overall(loop.time())
            await self._until(at)
            self._chat_last[chat] = at
            if group is not None and self.group_period:
                group.append(at)

    async def _until(self, at: float) -> None:
        wait = at - asyncio.get_running_loop().time()
        if wait > 0:
            self.waited += wait
            await asyncio.sleep(wait)

    def _overall(self, at: float) -> float:
        """The first instant at or after `at` with room in the overall window; reserved.
        Reservations only grow, so the window is a sorted queue."""
        while self._sent and self._sent[0] <= at - self.window:
            self._sent.popleft()
        if len(self._sent) >= self.per_second:
            at = max(at, self._sent[-self.per_second] + self.window)
        self._sent.append(at)
        return at


def _is_group(chat: int | str) -> bool:
    return isinstance(chat, str) or chat < 0


def _chat_key(chat: object) -> int | str:
    with contextlib.suppress(TypeError, ValueError):
        return int(chat)  # type: ignore[call-overload, no-any-return]
    return str(chat)
