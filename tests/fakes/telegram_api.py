"""A local Telegram Bot API server, speaking the real HTTP shape over loopback.

python-telegram-bot talks to it exactly as to api.telegram.org: `POST /bot<token>/<method>`
with form or multipart bodies, `getUpdates` long polling with an offset (updates below
the last offset are forgotten, as Telegram does). Tests play members and organisers by
queueing updates, and read what the bot did from the chats' message histories.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import math
import random
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes import limits

BOT_ID = 777000111
GLOBAL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
BOT_USERNAME = "muster_test_bot"
JSON_KEYS = {
    "reply_markup",
    "commands",
    "scope",
    "allowed_updates",
    "entities",
    "link_preview_options",
    "reply_parameters",
}
INT_KEYS = {"offset", "limit", "timeout", "message_id", "user_id", "cache_time"}


@dataclass
class Message:
    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    edits: int = 0
    document: tuple[str, bytes] | None = None
    at: float = field(default_factory=time.monotonic)  # when it arrived
    edited_at: list[float] = field(default_factory=list)

    @property
    def visible(self) -> str:
        """What a member sees: the text with its HTML entities parsed."""
        if self.parse_mode != "HTML":
            return self.text
        return html.unescape(re.sub(r"<[^>]+>", "", self.text))

    def buttons(self) -> list[list[tuple[str, str]]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(b["text"], b.get("callback_data", "")) for b in row] for row in rows]


@dataclass
class FakeTelegram:
    token: str = "123456:TEST-token-never-logged"
    admins: dict[int, set[int]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)  # users who never started the bot
    gone_chats: set[int] = field(default_factory=set)  # chats the bot was removed from
    rate_limit_next: int = 0  # answer the next N sends with 429
    fault_rate: float = 0.0  # answer this share of sends and edits with 429 or 500
    faults: dict[int, int] = field(default_factory=dict)  # status → how many injected
    seed: int = 7
    messages: dict[int, list[Message]] = field(default_factory=dict)
    sent: list[Message] = field(default_factory=list)  # every message, in order
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    toasts: list[tuple[str, str]] = field(default_factory=list)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    localised_commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))
    _callback_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    files: dict[str, bytes] = field(default_factory=dict)  # file_id → content
    violations: list[str] = field(default_factory=list)  # requests refused by a limit
    # Telegram's published limits, counted over sliding windows, answered with 429.
    enforce_limits: bool = False
    limited: int = 0  # sends refused by the limits
    limited_by: dict[str, int] = field(default_factory=dict)  # which limit refused
    toast_times: dict[str, float] = field(default_factory=dict)  # callback id → answered
    pushed_at: dict[str, float] = field(default_factory=dict)  # callback id → pushed
    on_toast: Callable[[str], None] | None = None  # told of each answered press
    _recent: deque[float] = field(default_factory=deque)
    _chat_last: dict[int, float] = field(default_factory=dict)
    _group_recent: dict[int, deque[float]] = field(default_factory=dict)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    port: int = 0
    # Webhook mode (setWebhook): updates are posted to the URL, each until answered 200,
    # with up to `max_connections` in flight, as Telegram does.
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_answers: dict[int, int] = field(default_factory=dict)  # status → how many
    on_delivered: Callable[[dict[str, Any]], None] | None = None  # told at each 200
    _delivering: asyncio.Task[None] | None = None
    _in_flight: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    # --- running -------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.base_url

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        await self._stop_delivering()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what members do ------------------------------------------------------------

    @staticmethod
    def user(user_id: int, name: str, language: str | None = None) -> dict[str, Any]:
        first, _, last = name.partition(" ")
        out: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first}
        if last:
            out["last_name"] = last
        if language:  # the IETF tag of the member's app, as Telegram sends it
            out["language_code"] = language
        return out

    @staticmethod
    def chat(chat_id: int, title: str = "Branch chat") -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Member"}
        return {
            "id": chat_id,
            "type": "supergroup" if chat_id < -(10**12) else "group",
            "title": title,
        }

    def _push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update["update_id"] = update_id
        self._updates.append(update)
        self._new_update.set()
        return update_id

    def say(
        self,
        chat_id: int,
        user_id: int,
        name: str,
        text: str,
        sender_chat: dict[str, Any] | None = None,
        reply_to: int | None = None,
        username: str | None = None,
        text_mentions: dict[str, tuple[int, str]] | None = None,
        reply_to_member: tuple[int, str] | None = None,
        forwarded_from: tuple[int, str] | None = None,
        language: str | None = None,
    ) -> int:
        """A member's message. As Telegram does, every "@handle" in the text becomes a
        `mention` entity, and `text_mentions` (text → (user id, name)) become
        `text_mention` entities carrying the user, as a client makes for a member who has
        no username."""
        sender = self.user(user_id, name, language)
        if username:
            sender["username"] = username
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": sender,
            "text": text,
        }
        entities: list[dict[str, Any]] = []
        if text.startswith("/"):
            length = len(text.split()[0])
            entities.append({"type": "bot_command", "offset": 0, "length": length})
        for found in re.finditer(r"(?<![\w/])@\w{1,64}", text):
            entities.append(
                {"type": "mention", "offset": limits.utf16(text[: found.start()]),
                 "length": limits.utf16(found.group())}
            )  # fmt: skip
        for shown, (mentioned, mentioned_name) in (text_mentions or {}).items():
            at = text.index(shown)
            entities.append(
                {"type": "text_mention", "offset": limits.utf16(text[:at]), "length": limits.utf16(shown),
                 "user": self.user(mentioned, mentioned_name)}
            )  # fmt: skip
        if entities:
            message["entities"] = sorted(entities, key=lambda e: e["offset"])
        if forwarded_from is not None:
            message["forward_origin"] = {
                "type": "user",
                "date": int(time.time()) - 60,
                "sender_user": self.user(*forwarded_from),
            }
        if reply_to_member is not None:
            message["reply_to_message"] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()) - 30,
                "chat": self.chat(chat_id),
                "from": self.user(*reply_to_member),
                "text": "Happy to help on the stall",
            }
        if sender_chat is not None:
            message["sender_chat"] = sender_chat
        if reply_to is not None:
            original = self.find(chat_id, reply_to)
            message["reply_to_message"] = {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": self.chat(chat_id),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Muster"},
                "text": original.text if original else "",
            }
        return self._push({"message": message})

    def send_document(
        self, chat_id: int, user_id: int, name: str, caption: str, filename: str, data: bytes
    ) -> int:
        """A member sends a file with a command as its caption."""
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = data
        length = len(caption.split()[0]) if caption.startswith("/") else 0
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": self.user(user_id, name),
            "caption": caption,
            "caption_entities": [{"type": "bot_command", "offset": 0, "length": length}],
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id + "u",
                "file_name": filename,
                "mime_type": "text/plain",
                "file_size": len(data),
            },
        }
        return self._push({"message": message})

    def press(
        self,
        chat_id: int,
        user_id: int,
        name: str,
        message_id: int,
        data: str,
        language: str | None = None,
    ) -> str:
        callback_id = str(next(self._callback_ids))
        self.pushed_at[callback_id] = time.monotonic()
        original = self.find(chat_id, message_id)
        self._push(
            {
                "callback_query": {
                    "id": callback_id,
                    "from": self.user(user_id, name, language),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": self.chat(chat_id),
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Muster"},
                        "text": original.text if original else "",
                    },
                }
            }
        )
        return callback_id

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        self._push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": self.chat(old_chat_id),
                    "migrate_to_chat_id": new_chat_id,
                }
            }
        )

    def membership(self, chat_id: int, by_user: int, status: str) -> None:
        """The bot was added to (status 'member') or removed from ('left') a group."""
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Muster"}
        old, new = ("left", status) if status != "left" else ("member", "left")
        self._push(
            {
                "my_chat_member": {
                    "chat": self.chat(chat_id),
                    "from": self.user(by_user, "Organiser"),
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": bot},
                    "new_chat_member": {"status": new, "user": bot},
                }
            }
        )

    def promote(self, chat_id: int, user_id: int) -> None:
        """An admin makes a member an administrator; Telegram tells the bot."""
        self.admins.setdefault(chat_id, set()).add(user_id)
        user = self.user(user_id, f"User {user_id}")
        self._push(
            {
                "chat_member": {
                    "chat": self.chat(chat_id),
                    "from": self.user(1, "Owner"),
                    "date": int(time.time()),
                    "old_chat_member": {"status": "member", "user": user},
                    "new_chat_member": self._member(chat_id, user_id),
                }
            }
        )

    # --- what tests read ------------------------------------------------------------

    def history(self, chat_id: int) -> list[Message]:
        return self.messages.get(chat_id, [])

    def find(self, chat_id: int, message_id: int) -> Message | None:
        return next((m for m in self.history(chat_id) if m.message_id == message_id), None)

    def count(self, method: str) -> int:
        return sum(1 for name, _ in self.calls if name == method)

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    # --- the Bot API ----------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"].lower()
        params = await self._params(request)
        self.calls.append((method, params))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(404, f"Not Found: method {method} is not faked")
        broken = limits.telegram(method, params)
        if broken:  # as Telegram would: refused whole, with the first rule broken
            self.violations.extend(f"{method}: {b}" for b in broken)
            return self._error(400, f"Bad Request: {broken[0]}")
        try:
            result = await handler(params)
        except _ApiError as exc:
            return self._error(exc.code, exc.description, exc.retry_after)
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            for key, value in form.items():
                if hasattr(value, "file"):
                    params[key] = (value.filename, value.file.read())
                else:
                    params[key] = _value(key, str(value))
        elif request.can_read_body:
            params = await request.json()
        return params

    @staticmethod
    def _error(code: int, description: str, retry_after: int | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=code)

    async def _m_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = str(p["file_id"])
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id + "u",
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}.txt",
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].removeprefix("documents/").removesuffix(".txt")
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    async def _m_getme(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Muster",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_deletewebhook(self, p: dict[str, Any]) -> bool:
        await self._stop_delivering()
        self.webhook_url = self.webhook_secret = ""
        return True

    async def _m_setwebhook(self, p: dict[str, Any]) -> bool:
        await self._stop_delivering()
        self.webhook_url = str(p["url"])
        self.webhook_secret = str(p.get("secret_token") or "")
        connections = int(p.get("max_connections") or 40)
        self._delivering = asyncio.get_running_loop().create_task(self._deliver(connections))
        return True

    async def _stop_delivering(self) -> None:
        if self._delivering is not None:
            self._delivering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivering
            self._delivering = None

    async def _deliver(self, connections: int) -> None:
        """Post each update until it is answered 200: oldest first, several at once."""
        slots = asyncio.Semaphore(connections)
        tasks: set[asyncio.Task[None]] = set()
        async with aiohttp.ClientSession() as http:
            try:
                while True:
                    waiting = [u for u in self._updates if u["update_id"] not in self._in_flight]
                    if not waiting:
                        self._new_update.clear()
                        await self._new_update.wait()
                        continue
                    for update in waiting:
                        await slots.acquire()
                        if update["update_id"] in self._in_flight:
                            slots.release()
                            continue
                        self._in_flight.add(update["update_id"])
                        task = asyncio.get_running_loop().create_task(
                            self._post(http, update, slots)
                        )
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                self._in_flight.clear()

    async def _post(
        self, http: aiohttp.ClientSession, update: dict[str, Any], slots: asyncio.Semaphore
    ) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}
        status = 0
        try:
            async with http.post(self.webhook_url, json=update, headers=headers) as response:
                status = response.status
        except aiohttp.ClientError:
            status = 0  # unreachable: tried again, as Telegram does
        finally:
            self.webhook_answers[status] = self.webhook_answers.get(status, 0) + 1
            if status == 200:
                self._updates = [u for u in self._updates if u is not update]
                if self.on_delivered is not None:
                    self.on_delivered(update)
            else:
                await asyncio.sleep(0.1)  # Telegram waits longer; a test need not
            self._in_flight.discard(update["update_id"])
            slots.release()
            self._new_update.set()

    async def _m_setmycommands(self, p: dict[str, Any]) -> bool:
        scope = (p.get("scope") or {"type": "default"})["type"]
        language = p.get("language_code") or ""
        if language:  # the list shown to members whose app is in that language
            self.localised_commands[(scope, language)] = p["commands"]
        else:
            self.commands[scope] = p["commands"]
        return True

    async def _m_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(p.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(p.get("timeout") or 0)
        if not self._updates and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), min(timeout, 2.0))
        limit = int(p.get("limit") or 100)
        return self._updates[:limit]

    def _maybe_fail(self) -> None:
        """A flaky Telegram: refuse before doing anything, as a real 429 or 500 does."""
        if self.fault_rate and self._random.random() < self.fault_rate:
            status = 429 if self._random.random() < 0.5 else 500
            self.faults[status] = self.faults.get(status, 0) + 1
            if status == 429:
                raise _ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            raise _ApiError(500, "Internal Server Error")

    def _check_send(self, chat_id: int) -> None:
        self._maybe_fail()
        if self.rate_limit_next:
            self.rate_limit_next -= 1
            raise _ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        if chat_id in self.gone_chats:
            raise _ApiError(403, "Forbidden: bot was kicked from the group chat")
        if chat_id > 0 and chat_id in self.blocked:
            raise _ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if self.enforce_limits:
            self._check_limits(chat_id)

    def _check_limits(self, chat_id: int) -> None:
        """30 messages in any second overall, 1 a second per chat, 20 a minute per group."""
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        group = self._group_recent.setdefault(chat_id, deque())
        while group and group[0] <= now - 60.0:
            group.popleft()
        waits = {
            "overall": self._recent[0] + 1.0 - now
            if len(self._recent) >= GLOBAL_PER_SECOND
            else 0.0,
            "chat": self._chat_last.get(chat_id, -1e9) + 1.0 - now,
            "group": group[0] + 60.0 - now
            if chat_id < 0 and len(group) >= GROUP_PER_MINUTE
            else 0.0,
        }
        wait = max(waits.values())
        if wait > 0:
            self.limited += 1
            which = max(waits, key=lambda k: waits[k])
            self.limited_by[which] = self.limited_by.get(which, 0) + 1
            raise _ApiError(
                429, f"Too Many Requests: retry after {math.ceil(wait)}", math.ceil(wait)
            )
        self._recent.append(now)
        self._chat_last[chat_id] = now
        if chat_id < 0:
            group.append(now)

    def _message_json(self, m: Message) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": self.chat(m.chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Muster"},
            "text": m.text,
        }
        if m.reply_markup and "inline_keyboard" in m.reply_markup:
            out["reply_markup"] = m.reply_markup
        if m.document is not None:
            out.pop("text")
            out["document"] = {
                "file_id": f"f{m.message_id}",
                "file_unique_id": "u",
                "file_name": m.document[0],
                "file_size": len(m.document[1]),
            }
        return out

    async def _m_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        self._check_send(chat_id)
        text = p["text"]
        _check_html(text, p.get("parse_mode"))
        message = Message(
            chat_id, next(self._message_ids), text, p.get("parse_mode"), p.get("reply_markup")
        )
        self._store(message)
        return self._message_json(message)

    def _store(self, message: Message) -> None:
        self.messages.setdefault(message.chat_id, []).append(message)
        self.sent.append(message)

    async def _m_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        self._maybe_fail()
        message = self.find(chat_id, int(p["message_id"]))
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        markup = p.get("reply_markup")
        if message.text == p["text"] and message.reply_markup == markup:
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message"
                " content and reply markup are exactly the same",
            )
        _check_html(p["text"], p.get("parse_mode"))
        message.text, message.reply_markup = p["text"], markup
        message.edits += 1
        message.edited_at.append(time.monotonic())
        return self._message_json(message)

    async def _m_answercallbackquery(self, p: dict[str, Any]) -> bool:
        self.toasts.append((str(p["callback_query_id"]), p.get("text", "")))
        self.toast_times[str(p["callback_query_id"])] = time.monotonic()
        if self.on_toast is not None:
            self.on_toast(str(p["callback_query_id"]))
        return True

    async def _m_senddocument(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        self._check_send(chat_id)
        name, data = p["document"]
        message = Message(
            chat_id,
            next(self._message_ids),
            p.get("caption", ""),
            None,
            None,
            document=(name, data),
        )
        self._store(message)
        return self._message_json(message)

    def _member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        user = self.user(user_id, f"User {user_id}")
        if user_id in self.admins.get(chat_id, set()):
            flags = dict.fromkeys(
                (
                    "can_be_edited",
                    "is_anonymous",
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                ),
                False,
            )
            flags["can_manage_chat"] = True
            return {"status": "administrator", "user": user, **flags}
        return {"status": "member", "user": user}

    async def _m_getchatadministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat_id = int(p["chat_id"])
        return [self._member(chat_id, uid) for uid in sorted(self.admins.get(chat_id, set()))]

    async def _m_getchatmember(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._member(int(p["chat_id"]), int(p["user_id"]))


class _ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def _value(key: str, raw: str) -> Any:
    if key in JSON_KEYS:
        return json.loads(raw)
    if key in INT_KEYS:
        return int(raw)
    return raw


def _check_html(text: str, parse_mode: str | None) -> None:
    """Telegram refuses HTML with unknown or unbalanced tags: so does the fake."""
    if parse_mode != "HTML":
        return
    allowed = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-zA-Z-]+)[^>]*>", text):
        if name not in allowed:
            raise _ApiError(400, f"Bad Request: can't parse entities: unsupported tag {name}")
        if closing:
            if not stack or stack.pop() != name:
                raise _ApiError(400, "Bad Request: can't parse entities: unmatched end tag")
        else:
            stack.append(name)
    if stack:
        raise _ApiError(400, "Bad Request: can't parse entities: unclosed tag")
