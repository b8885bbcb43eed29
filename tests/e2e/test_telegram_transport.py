"""The Telegram adapter's HTTP transport (aiohttp under python-telegram-bot), against a
local server: what it sends, and how a slow or absent server reaches the bot's code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import BodyPartReader, web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.platforms.telegram_http import AiohttpRequest


class Server:
    def __init__(self) -> None:
        self.received: list[tuple[str, str, dict[str, Any]]] = []
        self.delay = 0.0
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        fields: dict[str, Any] = {}
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                assert isinstance(part, BodyPartReader)
                fields[part.name or ""] = (part.filename, await part.read())
        else:
            fields = dict(await request.post())
        self.received.append((request.method, request.headers["User-Agent"], fields))
        await asyncio.sleep(self.delay)
        return web.json_response({"ok": True, "result": True})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot/{method}", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    def url(self, method: str) -> str:
        return f"http://127.0.0.1:{self.port}/bot/{method}"


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    s = Server()
    await s.start()
    try:
        yield s
    finally:
        assert s.runner is not None
        await s.runner.cleanup()


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    r = AiohttpRequest()
    await r.initialize()
    try:
        yield r
    finally:
        await r.shutdown()


def data(**params: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


async def test_parameters_go_as_a_form_with_json_values(
    server: Server, request_: AiohttpRequest
) -> None:
    result = await request_.post(
        server.url("answerCallbackQuery"), data(callback_query_id="7", text="Going", cache_time=0)
    )
    assert result is True
    [(method, agent, fields)] = server.received
    assert method == "POST" and agent.startswith("python-telegram-bot")
    assert fields == {"callback_query_id": "7", "text": "Going", "cache_time": "0"}


async def test_a_file_goes_as_multipart_beside_the_other_parameters(
    server: Server, request_: AiohttpRequest
) -> None:
    upload = InputFile(b"BEGIN:VCALENDAR\r\n", filename="muster-events.ics")
    await request_.post(server.url("sendDocument"), data(chat_id=-1001, document=upload))
    [(_, _, fields)] = server.received
    assert fields["chat_id"] == (None, b"-1001")
    [(filename, content)] = [v for k, v in fields.items() if k != "chat_id"]
    assert (filename, content) == ("muster-events.ics", b"BEGIN:VCALENDAR\r\n")


async def test_a_server_that_does_not_answer_in_time_is_a_timeout(
    server: Server, request_: AiohttpRequest
) -> None:
    server.delay = 2.0
    with pytest.raises(TimedOut):
        await request_.post(server.url("getMe"), read_timeout=0.2)


async def test_a_server_that_is_not_there_is_a_network_error(
    server: Server, request_: AiohttpRequest
) -> None:
    url = server.url("getMe")
    assert server.runner is not None
    await server.runner.cleanup()
    with pytest.raises(NetworkError) as raised:
        await request_.post(url)
    assert not isinstance(raised.value, TimedOut)
    assert str(raised.value).startswith("aiohttp.")


async def test_a_proxy_named_in_the_environment_is_used(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{server.port}")
    transport = AiohttpRequest()
    await transport.initialize()
    try:
        # Nothing resolves telegram.invalid: only the proxy can have answered.
        assert await transport.post("http://telegram.invalid/bot/getMe") is True
        monkeypatch.setenv("no_proxy", "telegram.invalid")
        assert await transport.post("http://telegram.invalid/bot/getMe") is True  # as first seen
    finally:
        await transport.shutdown()
    assert len(server.received) == 2
    monkeypatch.setenv("no_proxy", "telegram.invalid")
    fresh = AiohttpRequest()
    await fresh.initialize()
    try:
        with pytest.raises(NetworkError):
            await fresh.post("http://telegram.invalid/bot/getMe")
    finally:
        await fresh.shutdown()
    assert len(server.received) == 2


async def test_a_request_before_initialize_or_after_shutdown_is_refused(server: Server) -> None:
    # python-telegram-bot reports any other failure of a transport as a NetworkError.
    transport = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await transport.post(server.url("getMe"))
    await transport.initialize()
    assert await transport.post(server.url("getMe")) is True
    await transport.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):
        await transport.post(server.url("getMe"))
    assert len(server.received) == 1
