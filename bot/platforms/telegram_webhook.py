"""Telegram's webhook: updates posted to us instead of fetched, each answered only once
handled.

Telegram takes a 200 as "delivered" and never sends that update again, so the answer
waits until what the update changed is stored (a press's answer is committed); its
replies then go out after the 200, at the pace Telegram allows, which a busy moment may
make longer than Telegram waits for an answer. A process that dies before storing never
answers, and Telegram posts the update again. A request without
the secret Telegram was given in setWebhook is refused before its body is read as an
update: anyone can post to a public URL.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.messaging import HANDLED
from bot.web import Route

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header's name)


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts (the public URL), and how to serve a path on our port."""

    url: str
    serve: Callable[[str, Route], None]


def secret_for(token: str) -> str:
    """The secret Telegram sends with each update. Made from the bot's token, so every
    process of one bot knows it with no further setting, and no one without the token
    can make it; 64 characters of Telegram's allowed alphabet."""
    return hmac.new(token.encode(), b"muster telegram webhook", hashlib.sha256).hexdigest()


class Receiver:
    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], secret: str) -> None:
        self.app = app
        self.secret = secret.encode()
        self.accepting = False
        self._in_hand: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    async def receive(self, headers: Mapping[str, str], body: bytes) -> int:
        given = headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("telegram webhook: a request without the right secret was refused")
            return 403
        if not self.accepting:
            return 503  # stopping: Telegram posts it again, to us or another process
        try:
            update = Update.de_json(json.loads(body), self.app.bot)
        except Exception as exc:  # not an update: nothing to hand on
            log.warning("telegram webhook: unreadable update (%s)", type(exc).__name__)
            return 400
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        token = HANDLED.set(stored)
        try:  # the handling runs in a task of its own, which inherits `stored`
            task = asyncio.get_running_loop().create_task(self.app.process_update(update))
        finally:
            HANDLED.reset(token)
        self._in_hand.add(task)
        self._idle.clear()
        task.add_done_callback(self._done)
        await asyncio.wait({task, stored}, return_when=asyncio.FIRST_COMPLETED)
        if task.done() and task.exception() is not None:
            log.warning(
                "telegram webhook: update not handled (%s)", type(task.exception()).__name__
            )
            return 500  # Telegram will try again
        return 200

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_hand.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: reported above, or after the 200 in the log
        if not self._in_hand:
            self._idle.set()

    async def drain(self) -> None:
        """Take no more updates and wait for those in hand."""
        self.accepting = False
        await self._idle.wait()
