"""The pacer's windows hold on either event loop `muster run` may use.

`muster run` runs on uvloop, whose clock reads whole milliseconds once per turn of the
loop and whose timers fire in whole milliseconds. The pacer measures its windows with
`time.monotonic()` and waits again when a timer fires early; here each loop sends the
same messages, answered at once (no round trip to hide an early window), each stamped
on that clock as it goes."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import uvloop

from bot.platforms.telegram_pacer import ANSWER, Pacer

Runner = Callable[[Coroutine[Any, Any, list[tuple[int, float]]]], list[tuple[int, float]]]
PER_SECOND = 10
CHATS = 12  # each given three messages: 36 in all, three and a half seconds' worth


async def send_all() -> list[tuple[int, float]]:
    """Every message's chat and when it went, as Telegram would receive it."""
    pacer = Pacer(per_second=PER_SECOND, chat_interval=0.3, group_per_minute=10_000)
    sent: list[tuple[int, float]] = []

    async def send(chat: int) -> dict[str, Any]:
        sent.append((chat, time.monotonic()))
        await asyncio.sleep(0)  # answered at once: no round trip hides the clock
        return {"ok": True}

    async def one(chat: int) -> None:
        await pacer.process_request(send, (chat,), {}, "sendMessage", {"chat_id": chat}, ANSWER)

    await asyncio.gather(*(one(chat) for chat in list(range(1, CHATS + 1)) * 3))
    return sent


@pytest.mark.parametrize("run", [asyncio.run, uvloop.run], ids=["asyncio", "uvloop"])
def test_no_window_holds_more_than_the_limit(run: Runner) -> None:
    sent = run(send_all())
    assert len(sent) == CHATS * 3
    times = sorted(at for _, at in sent)
    # Counted from sending until a second after the answer: the message PER_SECOND
    # later goes a full second after this one went, never a millisecond less.
    assert all(b - a >= 1.0 for a, b in zip(times, times[PER_SECOND:], strict=False))
    for _, group in itertools.groupby(sorted(sent), key=lambda s: s[0]):
        ats = [at for _, at in group]
        assert all(b - a >= 0.3 for a, b in itertools.pairwise(ats))
