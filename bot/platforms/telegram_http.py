"""python-telegram-bot's HTTP requests made with aiohttp instead of httpx.

Every button press costs one answerCallbackQuery, and polling one getUpdates per batch;
through httpx (python-telegram-bot's default) such a call cost about 1.1 ms of the event
loop's time with a burst in flight, against about 0.15 ms through aiohttp on the same
loopback (docs/benchmarks.md). aiohttp is already here for discord.py.
python-telegram-bot documents `BaseRequest` as the place to plug in another library.

What the default does is kept: the same timeouts (a write timeout has no counterpart in
aiohttp, so it bounds the whole request instead), proxies from the environment
(HTTPS_PROXY, NO_PROXY…), and Telegram's errors as python-telegram-bot's `TimedOut` and
`NetworkError`. The proxy is looked up once per host: aiohttp's own `trust_env` looks it
up, and reads ~/.netrc, in a thread for every request.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, RequestData

# python-telegram-bot's own defaults for HTTPXRequest.
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
MEDIA_WRITE_TIMEOUT = 20.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0

Builder = TypeVar("Builder", bound=ApplicationBuilder[Any, Any, Any, Any, Any, Any])


def on_aiohttp(
    builder: Builder, before_poll: Callable[[], Awaitable[None]] | None = None
) -> Builder:
    """An application's calls and its polling both through aiohttp: a pool for the
    calls, one connection for the one getUpdates at a time (python-telegram-bot's own
    sizes). `before_poll` is awaited before each getUpdates is sent."""
    return builder.request(AiohttpRequest()).get_updates_request(
        AiohttpRequest(connection_pool_size=1, before=before_poll)
    )


class AiohttpRequest(BaseRequest):
    __slots__ = ("_before", "_pool_size", "_proxies", "_session")

    def __init__(
        self,
        connection_pool_size: int = 256,
        before: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._before = before
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size)
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        if self._before is not None:
            await self._before()
        files = request_data.multipart_data if request_data else None
        body: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            body = request_data.json_parameters
            if files:
                form = aiohttp.FormData()
                for name, value in body.items():
                    form.add_field(name, value)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                body = form
        timeout = _timeout(
            _value(read_timeout, READ_TIMEOUT),
            _value(write_timeout, MEDIA_WRITE_TIMEOUT if files else WRITE_TIMEOUT),
            _value(connect_timeout, CONNECT_TIMEOUT),
            _value(pool_timeout, POOL_TIMEOUT),
        )
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
                proxy=self._proxy_for(url),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for this URL's host, as httpx would use."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxy = urllib.request.getproxies().get(parts.scheme)
            if proxy and urllib.request.proxy_bypass(key[1]):
                proxy = None
            self._proxies[key] = proxy or None
        return self._proxies[key]


def _value(given: ODVInput[float], default: float) -> float | None:
    return default if isinstance(given, DefaultValue) else given


def _timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp's `connect` covers waiting for a pooled connection and making one."""
    waiting = None if connect is None or pool is None else connect + pool
    whole = None if waiting is None or read is None or write is None else waiting + write + read
    return aiohttp.ClientTimeout(total=whole, connect=waiting, sock_connect=connect, sock_read=read)
