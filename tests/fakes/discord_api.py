"""A local Discord: REST v10 routes that discord.py calls, and a gateway websocket.

The real discord.py client logs in, asks GET /gateway/bot, connects to the websocket,
identifies, receives READY and GUILD_CREATE, heartbeats, and receives
INTERACTION_CREATE for slash commands, button presses and modal submits, which it
answers over REST (interaction callbacks, follow-up webhooks, channel messages).
What discord.py insists on is honoured: JSON answers typed exactly `application/json`,
`attachment_size_limit`, `version`, `application_id` and `token` in interactions.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes import limits

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 910000000000000001
CHANNEL_ID = 920000000000000001
OTHER_CHANNEL_ID = 920000000000000002
ORGANISER_ROLE_ID = 930000000000000001
MANAGE_GUILD = 1 << 5
MANAGE_EVENTS = 1 << 33
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view, send, use commands
EPOCH_MS = 1420070400000


def snowflake(counter: Iterator[int]) -> str:
    return str(((int(time.time() * 1000) - EPOCH_MS) << 22) + next(counter) % 4096)


@dataclass
class Sent:
    """A message as members see it: content, embeds, buttons, and who it pings."""

    id: str
    channel_id: str
    content: str
    embeds: list[dict[str, Any]]
    components: list[dict[str, Any]]
    allowed_mentions: dict[str, Any] | None
    flags: int = 0
    files: list[tuple[str, bytes]] = field(default_factory=list)
    edits: int = 0
    edited_at: list[float] = field(default_factory=list)  # monotonic, as each edit arrived
    interaction_token: str | None = None
    # The interaction's own response: members see who used the command above it.
    response: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def text(self) -> str:
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            parts += [embed.get("title", ""), embed.get("description", "")]
        return "\n\n".join(p for p in parts if p)

    def buttons(self) -> list[tuple[str, str]]:
        return [
            (c.get("label", ""), c.get("custom_id", ""))
            for row in self.components
            for c in row.get("components", [])
        ]

    def pings_nobody(self) -> bool:
        mentions = self.allowed_mentions
        return (
            mentions is not None
            and mentions.get("parse") == []
            and not mentions.get("users")
            and not mentions.get("roles")
            and not mentions.get("replied_user")
        )


@dataclass
class FakeDiscord:
    token: str = "MTAxMDEwMTAx.fake-discord-token.never-logged"
    dms_closed: set[str] = field(default_factory=set)
    messages: list[Sent] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    command_puts: int = 0
    callbacks: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    scheduled_events: dict[str, dict[str, Any]] = field(default_factory=dict)
    events_refused: int = 0  # creations refused by the guild's cap of 100
    deferred_flags: dict[str, int] = field(default_factory=dict)  # token → flags
    fail_scheduled_events: int = 0  # the next N creations fail (503: not retried)
    violations: list[str] = field(default_factory=list)  # requests refused by a limit
    calls: list[tuple[str, str]] = field(default_factory=list)
    can_manage_events: bool = True
    nonces: dict[str, Sent] = field(default_factory=dict)
    stall_after_store: bool = False
    rate_limit_next: int = 0  # answer the next N messages posted with 429, as Discord does
    nonce_hits: int = 0
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sequence: int = 0
    _runner: web.AppRunner | None = None
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    identifies: int = 0
    resumes: int = 0
    # Each IDENTIFY's shard ([id, count], None when unsharded): the guild's events go only
    # to the shard that owns it ((guild id >> 22) % count), as Discord routes them.
    shards: list[tuple[int, int] | None] = field(default_factory=list)
    port: int = 0
    uploads: dict[str, bytes] = field(default_factory=dict)  # attachment id → content
    pressed_at: dict[str, float] = field(default_factory=dict)  # press token → sent
    answered_at: dict[str, float] = field(default_factory=dict)  # token → first message
    on_answer: Callable[[str], None] | None = None  # the benchmarks' closed loop

    # --- running ---------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        app.router.add_get("/attachments/{id}/{name}", self._attachment)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.api_base

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def stop(self) -> None:
        self._released.set()
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def drop_connection(self) -> None:
        """The network blinks: the client must reconnect and resume."""
        for ws in list(self._sockets):
            await ws.close(code=4000)

    # --- what members do -------------------------------------------------------------

    @staticmethod
    def user(user_id: str, name: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": name.lower().replace(" ", ""),
            "discriminator": "0",
            "global_name": name,
            "avatar": None,
        }

    def _member(
        self, user_id: str, name: str, organiser: bool, roles: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        perms = MEMBER_PERMISSIONS | (MANAGE_EVENTS if organiser else 0)
        return {
            "user": self.user(user_id, name),
            "roles": list(roles),
            "flags": 0,
            "nick": None,
            "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "permissions": str(perms),
        }

    def _interaction(
        self,
        kind: int,
        user_id: str,
        name: str,
        organiser: bool,
        data: dict[str, Any],
        channel_id: str = str(CHANNEL_ID),
        message: dict[str, Any] | None = None,
        dm: bool = False,
        roles: tuple[str, ...] = (),
        locale: str = "en-GB",
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": snowflake(self._ids),
            "application_id": str(APP_ID),
            "type": kind,
            "token": f"itoken-{next(self._ids)}",
            "version": 1,
            "data": data,
            "attachment_size_limit": 8 * 1024 * 1024,
            "locale": locale,  # the member's app's language
            "app_permissions": str((1 << 53) - 1 if self.can_manage_events else MEMBER_PERMISSIONS),
            "entitlements": [],
            "authorizing_integration_owners": {},
        }
        if dm:
            payload["channel"] = {"id": channel_id, "type": 1}
            payload["channel_id"] = channel_id
            payload["user"] = self.user(user_id, name)
            payload["context"] = 1
        else:
            payload["guild_id"] = str(GUILD_ID)
            payload["channel"] = {
                "id": channel_id,
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "branch",
                "position": 0,
                "permission_overwrites": [],
            }
            payload["channel_id"] = channel_id
            payload["member"] = self._member(user_id, name, organiser, roles)
            payload["guild_locale"] = "en-GB"
            payload["context"] = 0
        if message is not None:
            payload["message"] = message
        return payload

    async def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: str = "1001",
        user_name: str = "Olive Organiser",
        organiser: bool = True,
        channel: str = str(CHANNEL_ID),
        dm: bool = False,
        roles: tuple[str, ...] = (),
        file: tuple[str, bytes] | None = None,
        locale: str = "en-GB",
    ) -> str:
        """A member uses a slash command (with a file, when given); returns the token."""
        data: dict[str, Any] = {
            "id": snowflake(self._ids),
            "name": name,
            "type": 1,
            "options": [
                {"name": k, "type": 4 if isinstance(v, int) else 3, "value": v}
                for k, v in (options or {}).items()
            ],
        }
        if file is not None:
            upload = snowflake(self._ids)
            self.uploads[upload] = file[1]
            data["options"].append({"name": "file", "type": 11, "value": upload})
            url = f"http://127.0.0.1:{self.port}/attachments/{upload}/{file[0]}"
            data["resolved"] = {
                "attachments": {
                    upload: {
                        "id": upload,
                        "filename": file[0],
                        "size": len(file[1]),
                        "url": url,
                        "proxy_url": url,
                        "content_type": "text/plain",
                    }
                }
            }
        payload = self._interaction(
            2, user, user_name, organiser, data, channel, dm=dm, roles=roles, locale=locale
        )
        await self._dispatch("INTERACTION_CREATE", payload)
        return str(payload["token"])

    async def autocomplete(self, name: str, option: str, typed: str, **kw: Any) -> str:
        data = {
            "id": snowflake(self._ids),
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 4, "value": typed, "focused": True}],
        }
        payload = self._interaction(4, kw.get("user", "1001"), "Olive", True, data)
        await self._dispatch("INTERACTION_CREATE", payload)
        return str(payload["token"])

    async def press(
        self,
        message: Sent,
        custom_id: str,
        *,
        user: str,
        user_name: str,
        organiser: bool = False,
        locale: str = "en-GB",
    ) -> str:
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(
            3,
            user,
            user_name,
            organiser,
            data,
            message.channel_id,
            message=self._message_json(message),
            locale=locale,
        )
        self.pressed_at[str(payload["token"])] = time.monotonic()
        await self._dispatch("INTERACTION_CREATE", payload)
        return str(payload["token"])

    async def submit_modal(
        self, custom_id: str, values: dict[str, str], *, user: str = "1001", organiser: bool = True
    ) -> str:
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
            for k, v in values.items()
        ]
        payload = self._interaction(
            5, user, "Olive Organiser", organiser, {"custom_id": custom_id, "components": rows}
        )
        await self._dispatch("INTERACTION_CREATE", payload)
        return str(payload["token"])

    async def _attachment(self, request: web.Request) -> web.Response:
        body = self.uploads.get(request.match_info["id"])
        return web.Response(status=404) if body is None else web.Response(body=body)

    def posted_by_someone(self, channel: str, content: str) -> Sent:
        """A message already in a channel, as if another bot had posted it."""
        return self._store(channel, {"content": content}, [])

    # --- what tests read -------------------------------------------------------------

    def in_channel(self, channel: str = str(CHANNEL_ID)) -> list[Sent]:
        return [m for m in self.messages if m.channel_id == channel and not m.ephemeral]

    def answers(self, token: str) -> list[Sent]:
        """What one interaction's user saw: its responses and follow-ups."""
        return [m for m in self.messages if m.interaction_token == token]

    def callback_types(self, token: str) -> list[int]:
        return [body.get("type", 0) for t, body in self.callbacks if t == token]

    # --- gateway ---------------------------------------------------------------------

    async def _dispatch(self, event: str, data: dict[str, Any]) -> None:
        await asyncio.wait_for(self.identified.wait(), 30)
        self._sequence += 1
        frame = json.dumps({"op": 0, "t": event, "s": self._sequence, "d": data})
        for ws in list(self._sockets):
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_str(frame)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    self.identifies += 1
                    given = (frame.get("d") or {}).get("shard")
                    shard = (int(given[0]), int(given[1])) if given else None
                    self.shards.append(shard)
                    await self._ready(ws, shard)
                elif op == 6:
                    self.resumes += 1
                    self._sockets.append(ws)
                    self._sequence += 1
                    await ws.send_str(
                        json.dumps({"op": 0, "t": "RESUMED", "s": self._sequence, "d": {}})
                    )
                    self.identified.set()
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
            if not self._sockets:
                self.identified.clear()
        return ws

    async def _ready(self, ws: web.WebSocketResponse, shard: tuple[int, int] | None) -> None:
        owns = shard is None or (GUILD_ID >> 22) % shard[1] == shard[0]
        self._sequence += 1
        me = {
            **self.user(str(BOT_ID), "Muster"),
            "bot": True,
            "verified": True,
            "flags": 0,
            "mfa_enabled": False,
        }
        await ws.send_str(
            json.dumps(
                {
                    "op": 0,
                    "t": "READY",
                    "s": self._sequence,
                    "d": {
                        "v": 10,
                        "user": me,
                        "guilds": [{"id": str(GUILD_ID), "unavailable": True}] if owns else [],
                        "session_id": "session-1",
                        "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                        "application": {"id": str(APP_ID), "flags": 0},
                        "shard": list(shard or (0, 1)),
                    },
                }
            )
        )
        if not owns:
            return  # a shard with no server of ours: it hears nothing more
        self._sequence += 1
        guild = {
            "id": str(GUILD_ID),
            "name": "Branch",
            "icon": None,
            "owner_id": "1",
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "premium_tier": 0,
            "preferred_locale": "en-GB",
            "nsfw_level": 0,
            "member_count": 2,
            "roles": [
                {
                    "id": str(GUILD_ID),
                    "name": "@everyone",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": str(ORGANISER_ROLE_ID),
                    "name": "Organisers",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
            ],
            "emojis": [],
            "stickers": [],
            "members": [{**self._member(str(BOT_ID), "Muster", True), "user": me}],
            "channels": [
                {
                    "id": str(CHANNEL_ID),
                    "type": 0,
                    "name": "branch",
                    "position": 0,
                    "permission_overwrites": [],
                    "guild_id": str(GUILD_ID),
                },
                {
                    "id": str(OTHER_CHANNEL_ID),
                    "type": 0,
                    "name": "ward-3",
                    "position": 1,
                    "permission_overwrites": [],
                    "guild_id": str(GUILD_ID),
                },
            ],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "large": False,
            "unavailable": False,
            "joined_at": "2025-01-01T00:00:00+00:00",
        }
        await ws.send_str(
            json.dumps({"op": 0, "t": "GUILD_CREATE", "s": self._sequence, "d": guild})
        )
        self._sockets.append(ws)
        self.identified.set()

    # --- REST ------------------------------------------------------------------------

    @staticmethod
    def _json(body: Any, status: int = 200) -> web.Response:
        # discord.py reads JSON only when the type is exactly application/json.
        return web.Response(
            body=json.dumps(body).encode(), status=status, content_type="application/json"
        )

    def _rate_limited(self) -> web.Response:
        """Discord's 429: the wait in the body, and Cloudflare's Via header, without which
        discord.py takes it for a ban instead."""
        response = self._json(
            {"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
            429,
        )
        response.headers.update({"Via": "1.1 google", "Retry-After": "1"})
        return response

    def _error(self, status: int, code: int, message: str) -> web.Response:
        return self._json({"code": code, "message": message}, status)

    def _refused(self, where: str, broken: list[str]) -> web.Response | None:
        """Discord's answer to a body that breaks a published limit, or None."""
        if not broken:
            return None
        self.violations.extend(f"{where}: {b}" for b in broken)
        return self._error(400, 50035, f"Invalid Form Body: {broken[0]}")

    async def _body(self, request: web.Request) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        if request.content_type == "multipart/form-data":
            payload: dict[str, Any] = {}
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                elif part.filename:
                    files.append((part.filename, await part.read()))  # type: ignore[union-attr]
            return payload, files
        if request.can_read_body:
            return await request.json(), []
        return {}, []

    def _message_json(self, m: Sent) -> dict[str, Any]:
        return {
            "id": m.id,
            "channel_id": m.channel_id,
            "type": 0,
            "content": m.content,
            "author": {**self.user(str(BOT_ID), "Muster"), "bot": True},
            "embeds": m.embeds,
            "components": m.components,
            "attachments": [
                {
                    "id": "1",
                    "filename": n,
                    "size": len(d),
                    "url": "http://x",
                    "proxy_url": "http://x",
                }
                for n, d in m.files
            ],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2026-11-23T10:00:00+00:00",
            "edited_timestamp": None,
            "flags": m.flags,
        }

    def _store(
        self,
        channel_id: str,
        body: dict[str, Any],
        files: list[tuple[str, bytes]],
        token: str | None = None,
    ) -> Sent:
        sent = Sent(
            id=snowflake(self._ids),
            channel_id=channel_id,
            content=body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            allowed_mentions=body.get("allowed_mentions"),
            flags=int(body.get("flags") or 0),
            files=files,
            interaction_token=token,
        )
        if len(sent.content) > 2000:
            raise ValueError("content over 2000 characters")
        self.messages.append(sent)
        return sent

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        self.calls.append((request.method, path))
        if request.headers.get("Authorization") not in (
            f"Bot {self.token}",
            None,
        ) and not path.startswith(("interactions/", "webhooks/")):
            return self._error(401, 0, "401: Unauthorized")
        parts = path.split("/")
        method = request.method
        if path == "users/@me" and method == "GET":
            return self._json(
                {
                    **self.user(str(BOT_ID), "Muster"),
                    "bot": True,
                    "verified": True,
                    "flags": 0,
                    "mfa_enabled": False,
                }
            )
        if path == "oauth2/applications/@me":
            return self._json(
                {
                    "id": str(APP_ID),
                    "name": "Muster",
                    "description": "",
                    "icon": None,
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": self.user("1", "Owner"),
                    "verify_key": "00",
                    "flags": 0,
                    "team": None,
                    "summary": "",
                    "interactions_endpoint_url": None,
                }
            )
        if path == "gateway/bot":
            return self._json(
                {
                    "url": f"ws://127.0.0.1:{self.port}/gateway",
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if parts[:1] == ["applications"] and parts[2:] == ["commands"]:
            if method == "GET":
                return self._json(self.commands)
            body, _ = await self._body(request)
            if refused := self._refused("commands", limits.discord_commands(body)):
                return refused
            self.command_puts += 1
            self.commands = [
                {
                    **c,
                    "id": snowflake(self._ids),
                    "application_id": str(APP_ID),
                    "version": "1",
                    "type": c.get("type", 1),
                }
                for c in body
            ]
            return self._json(self.commands)
        if parts[0] == "interactions" and parts[-1] == "callback":
            token = parts[2]
            body, files = await self._body(request)
            if refused := self._refused("interaction callback", limits.discord_callback(body)):
                return refused
            self.callbacks.append((token, body))
            kind = body.get("type")
            data = body.get("data") or {}
            if kind == 5:  # deferred: the response to come is public or ephemeral
                self.deferred_flags[token] = int(data.get("flags") or 0)
            if kind == 4:
                self._store(str(CHANNEL_ID), data, files, token)
                self._answered(token)
            return self._json(
                {
                    "interaction": {
                        "id": parts[1],
                        "type": 2,
                        "response_message_loading": kind == 5,
                        "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
                    },
                    "resource": {"type": kind},
                }
            )
        if parts[0] == "webhooks":
            token = parts[2]
            if method == "POST":
                body, files = await self._body(request)
                if refused := self._refused("follow-up", limits.discord_message(body)):
                    return refused
                sent = self._store(str(CHANNEL_ID), body, files, token)
                self._answered(token)
                return self._json(self._message_json(sent))
            if parts[-1] == "@original":
                original = next((m for m in self.messages if m.interaction_token == token), None)
                if method == "DELETE":
                    if original is not None:
                        self.messages.remove(original)
                    return web.Response(status=204)
                body, files = await self._body(request)
                if refused := self._refused("original response", limits.discord_message(body)):
                    return refused
                if original is None:
                    flags = self.deferred_flags.get(token, 64)
                    original = self._store(str(CHANNEL_ID), {**body, "flags": flags}, files, token)
                    original.response = True
                else:
                    original.content = body.get("content") or original.content
                    original.embeds = body.get("embeds", original.embeds)
                    original.edits += 1
                return self._json(self._message_json(original))
        if parts[0] == "channels" and len(parts) >= 3 and parts[2] == "messages":
            channel_id = parts[1]
            if method == "POST":
                if channel_id.startswith("7") and channel_id[1:] in self.dms_closed:
                    return self._error(403, 50007, "Cannot send messages to this user")
                body, files = await self._body(request)
                if refused := self._refused("message", limits.discord_message(body)):
                    return refused
                if self.rate_limit_next:
                    self.rate_limit_next -= 1
                    return self._rate_limited()
                nonce = body.get("nonce") if body.get("enforce_nonce") else None
                if nonce is not None and nonce in self.nonces:
                    self.nonce_hits += 1
                    return self._json(self._message_json(self.nonces[nonce]))
                sent = self._store(channel_id, body, files)
                if nonce is not None:
                    self.nonces[nonce] = sent
                if self.stall_after_store:
                    await self._released.wait()  # stored, but the answer never comes
                    return self._error(503, 0, "gone")
                return self._json(self._message_json(sent))
            if method == "PATCH":
                body, _ = await self._body(request)
                if refused := self._refused("message edit", limits.discord_message(body)):
                    return refused
                found = next((m for m in self.messages if m.id == parts[3]), None)
                if found is None:
                    return self._error(404, 10008, "Unknown Message")
                found.content = body.get("content", found.content) or ""
                found.embeds = body.get("embeds", found.embeds)
                found.components = body.get("components", found.components)
                found.edits += 1
                found.edited_at.append(time.monotonic())
                return self._json(self._message_json(found))
        if path == "users/@me/channels" and method == "POST":
            body, _ = await self._body(request)
            recipient = str(body["recipient_id"])
            return self._json(
                {
                    "id": f"7{recipient}",
                    "type": 1,
                    "last_message_id": None,
                    "recipients": [self.user(recipient, "Member")],
                }
            )
        if parts[0] == "guilds" and len(parts) >= 3 and parts[2] == "scheduled-events":
            if not self.can_manage_events:
                return self._error(403, 50013, "Missing Permissions")
            body, _ = await self._body(request) if method != "DELETE" else ({}, [])
            if method in ("POST", "PATCH"):
                check = limits.discord_scheduled_event(body, partial=method == "PATCH")
                if refused := self._refused("scheduled event", check):
                    return refused
            if method == "POST" and self.fail_scheduled_events:
                self.fail_scheduled_events -= 1
                return self._error(503, 0, "503: Service Unavailable")
            if method == "POST":
                live = [e for e in self.scheduled_events.values() if e.get("status", 1) in (1, 2)]
                if len(live) >= limits.DISCORD_EVENTS_PER_GUILD:
                    self.events_refused += 1
                    return self._error(
                        400,
                        limits.DISCORD_MAX_EVENTS_CODE,
                        "Maximum number of uncompleted guild scheduled events reached (100)",
                    )
                event_id = snowflake(self._ids)
                self.scheduled_events[event_id] = body
                return self._json(self._scheduled(event_id, body))
            if method == "PATCH":
                self.scheduled_events[parts[3]].update(body)
                return self._json(self._scheduled(parts[3], self.scheduled_events[parts[3]]))
            if method == "DELETE":
                self.scheduled_events.pop(parts[3], None)
                return web.Response(status=204)
        return self._error(404, 0, f"404: Not Found ({method} {path})")

    def _answered(self, token: str) -> None:
        """The member who acted sees a message: the moment their press was answered."""
        if token in self.answered_at:
            return
        self.answered_at[token] = time.monotonic()
        if self.on_answer is not None:
            self.on_answer(token)

    def _scheduled(self, event_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": event_id,
            "guild_id": str(GUILD_ID),
            "channel_id": None,
            "creator_id": str(BOT_ID),
            "name": body.get("name", ""),
            "description": body.get("description"),
            "scheduled_start_time": body.get("scheduled_start_time"),
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": 2,
            "status": body.get("status", 1),
            "entity_type": 3,
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "user_count": 0,
            "image": None,
        }
