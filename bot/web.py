"""The operator's HTTP port (MUSTER_HTTP_LISTEN): liveness, readiness and metrics, and
the routes platform adapters add to it (Telegram's webhook).

`/healthz` answers while the event loop turns: a process that cannot answer it is to be
restarted. `/readyz` says whether this process should be sent work: the database
answers, every platform's updates reach it, and nothing owed has waited longer than
BEHIND for the scheduler. `/metrics` is Prometheus's text format. None of them shows a
member, a chat or a message: only counts and states.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Protocol

from aiohttp import web

from bot.clock import Clock
from bot.config import parse_listen
from bot.messaging import Messengers
from bot.metrics import CONTENT_TYPE, Metrics
from bot.services.feeds import FEED_PATH, Feed
from bot.storage import outbox
from bot.storage.database import Database

log = logging.getLogger(__name__)
# Owed messages older than this mean the scheduler is behind (or stuck): not ready.
BEHIND = timedelta(seconds=60)
# A readiness probe that waits longer than this for the database calls it unreachable.
DATABASE_TIMEOUT = 2.0
FEEDS_REMEMBERED = 10_000


@dataclass
class Readiness:
    database: bool
    platforms: dict[str, bool]
    behind_seconds: float | None  # how late the oldest owed message is; None: unknown

    @property
    def ready(self) -> bool:
        behind = self.behind_seconds
        return (
            self.database
            and all(self.platforms.values())
            and behind is not None
            and behind <= BEHIND.total_seconds()
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "database": "ok" if self.database else "unreachable",
            "platforms": {p: "connected" if up else "down" for p, up in self.platforms.items()},
            "behind_seconds": self.behind_seconds,
        }


# A route a platform adapter serves on this port (Telegram's webhook): the request's
# headers and body in, the HTTP status to answer with out.
Route = Callable[[Mapping[str, str], bytes], Awaitable[int]]


class Served(Protocol):
    """What the port reports on: the App, seen from here."""

    db: Database
    clock: Clock
    messengers: Messengers
    metrics: Metrics

    async def calendar_feed(self, token: str) -> Feed | None: ...


def _current(request: web.Request, etag: str, modified: datetime) -> bool:
    """Whether the client's copy is this one (If-None-Match wins over If-Modified-Since)."""
    match = request.headers.get("If-None-Match")
    if match is not None:
        return any(
            tag.strip().strip('"').removeprefix("W/").strip('"') == etag for tag in match.split(",")
        )
    since = request.headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since) >= modified
    except (TypeError, ValueError):
        return False


class HttpServer:
    def __init__(self, app: Served, listen: str) -> None:
        self.app = app
        self.host, self.port = parse_listen(listen)
        self.web = web.Application()
        self.web.router.add_get("/healthz", self._healthz)
        self.web.router.add_get("/readyz", self._readyz)
        self.web.router.add_get("/metrics", self._metrics)
        self.web.router.add_get(FEED_PATH + "{token}.ics", self._feed)
        self._runner: web.AppRunner | None = None
        # When each feed's content was first served as it is now (Last-Modified).
        self._changed: OrderedDict[str, tuple[str, datetime]] = OrderedDict()

    def add_post(self, path: str, route: Route) -> None:
        """Serve POSTs to `path` (before `start`: the routes are fixed then)."""

        async def serve(request: web.Request) -> web.Response:
            status = await route(request.headers, await request.read())
            return web.Response(status=status)

        self.web.router.add_post(path, serve)

    async def start(self) -> None:
        self._runner = web.AppRunner(self.web, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server: Any = site._server  # aiohttp's asyncio server: the port chosen for 0
        if server is not None and server.sockets:
            self.port = int(server.sockets[0].getsockname()[1])
        log.info("http: serving health and metrics on port %d", self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"alive": True})

    async def _readyz(self, _request: web.Request) -> web.Response:
        state = await self.readiness()
        return web.json_response(state.as_json(), status=200 if state.ready else 503)

    async def _metrics(self, _request: web.Request) -> web.Response:
        await self._count_due()
        body = self.app.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    async def _feed(self, request: web.Request) -> web.Response:
        """A calendar subscription: 404 for any token that is not one (nothing said of
        why), 304 when the application's copy is current."""
        token = request.match_info["token"]
        feed = await self.app.calendar_feed(token)
        if feed is None:
            return web.Response(status=404)
        modified = self._modified(token, feed.etag)
        headers = {
            "ETag": f'"{feed.etag}"',
            "Last-Modified": format_datetime(modified, usegmt=True),
            "Cache-Control": "private, max-age=300",
        }
        if _current(request, feed.etag, modified):
            return web.Response(status=304, headers=headers)
        return web.Response(
            body=feed.body, content_type="text/calendar", charset="utf-8", headers=headers
        )

    def _modified(self, token: str, etag: str) -> datetime:
        seen = self._changed.get(token)
        if seen is None or seen[0] != etag:
            seen = (etag, datetime.now(UTC).replace(microsecond=0))
        self._changed[token] = seen
        self._changed.move_to_end(token)
        while len(self._changed) > FEEDS_REMEMBERED:
            self._changed.popitem(last=False)
        return seen[1]

    async def readiness(self) -> Readiness:
        platforms = {m.platform: m.connected() for m in self.app.messengers.all()}
        try:
            behind = await asyncio.wait_for(self._behind(), DATABASE_TIMEOUT)
        except Exception as exc:  # unreachable, or too slow to count as reachable
            log.warning("readiness: the database did not answer (%s)", type(exc).__name__)
            return Readiness(False, platforms, None)
        return Readiness(True, platforms, behind)

    async def _behind(self) -> float:
        async with self.app.db.read() as session:  # its answer shows the database's
            oldest = await outbox.oldest_due(
                session, self.app.clock.now(), list(self.app.messengers.by_platform)
            )
        if oldest is None:
            return 0.0
        return max(0.0, (self.app.clock.now() - oldest).total_seconds())

    async def _count_due(self) -> None:
        try:
            async with self.app.db.read() as session:
                due = await outbox.count_due(
                    session, self.app.clock.now(), list(self.app.messengers.by_platform)
                )
        except Exception as exc:
            log.warning("metrics: could not count what is due (%s)", type(exc).__name__)
            return
        self.app.metrics.outbox_due.set(due)
