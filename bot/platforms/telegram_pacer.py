"""Sending within Telegram's published limits, smoothly, so Telegram never has to say 429.

Telegram asks bots to stay under about 30 messages a second overall, one a second in a
chat, and 20 a minute in a group. python-telegram-bot's AIORateLimiter enforces these as
leaky buckets, which allow a burst of a full second's (or minute's) worth at once; a
server that counts over a sliding window answers such a burst with 429 and the retry
costs more than the burst saved. Here every message gets its own slot, spaced by the
limits, reserved before it is sent: a fan-out to 200 chats goes out at an even pace and
a group never sees a 21st message within a minute. Replies to button presses and edits
are not messages and are not paced (edits are coalesced by the live cards).
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
        per_second: float = 28.0,
        chat_interval: float = 1.05,
        group_per_minute: float = 20,
        max_retries: int = 5,
    ) -> None:
        self.gap = 1.0 / per_second
        self.chat_interval = chat_interval
        self.group_limit = max(1, int(group_per_minute))
        self.group_period = GROUP_PERIOD + 0.5 if group_per_minute < 10_000 else 0.0
        self.max_retries = max_retries
        self._next = 0.0
        self._chat_next: dict[int | str, float] = {}
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
        """Reserve the earliest instant this message may go, then sleep until it.

        Reserving happens without awaiting, so concurrent senders get distinct slots.
        """
        loop = asyncio.get_running_loop()
        now = loop.time()
        at = max(now, self._next, self._chat_next.get(chat, 0.0))
        is_group = isinstance(chat, str) or chat < 0
        if is_group and self.group_period:
            sent = self._group_sent.setdefault(chat, deque())
            while sent and sent[0] <= at - self.group_period:
                sent.popleft()
            if len(sent) >= self.group_limit:
                at = max(at, sent[-self.group_limit] + self.group_period)
            sent.append(at)
        self._next = at + self.gap
        self._chat_next[chat] = at + self.chat_interval
        if at > now:
            self.waited += at - now
            await asyncio.sleep(at - now)


def _chat_key(chat: object) -> int | str:
    with contextlib.suppress(TypeError, ValueError):
        return int(chat)  # type: ignore[call-overload, no-any-return]
    return str(chat)
