"""A small round-robin load balancer for webhook posts, as an operator puts in front of
several `muster run` processes: each post goes to the next process, and to the one
after when a process does not answer (killed, or starting), so Telegram's post waits
only when every process is down."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


@dataclass
class RoundRobin:
    backends: list[str]  # base URLs, e.g. http://127.0.0.1:8001
    port: int = 0
    answered_by: dict[str, int] = field(default_factory=dict)  # backend → posts answered
    _turn: itertools.count[int] = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None
    _http: aiohttp.ClientSession | None = None

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        headers = {k: request.headers[k] for k in FORWARDED if k in request.headers}
        first = next(self._turn)
        for n in range(len(self.backends)):
            backend = self.backends[(first + n) % len(self.backends)]
            try:
                async with self._http.post(
                    backend + request.path, data=body, headers=headers
                ) as answer:
                    self.answered_by[backend] = self.answered_by.get(backend, 0) + 1
                    return web.Response(status=answer.status, body=await answer.read())
            except (aiohttp.ClientConnectionError, TimeoutError):
                continue  # down or dying: the next one
        return web.Response(status=502)
