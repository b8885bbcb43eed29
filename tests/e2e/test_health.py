"""The operator's HTTP port: /healthz, /readyz and /metrics of a running app, over a
real socket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from bot.app import App
from tests.databases import on_postgresql
from tests.fakes.recording import RecordingMessenger
from tests.harness import FakeClock, command, start_app
from tests.metrics import sample


async def get(app: App, path: str) -> tuple[int, Any]:
    assert app.http is not None
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{app.http.port}{path}") as response,
    ):
        body = await (response.json() if path != "/metrics" else response.text())
        return response.status, body


async def test_alive_ready_and_counted(tmp_path: Path, clock: FakeClock) -> None:
    platform = RecordingMessenger()
    app = await start_app(
        tmp_path / "m.db", clock, 0.0, lambda _: platform, http_listen="127.0.0.1:0"
    )
    try:
        assert await get(app, "/healthz") == (200, {"alive": True})
        status, ready = await get(app, "/readyz")
        assert status == 200, ready
        assert ready == {
            "ready": True,
            "database": "ok",
            "platforms": {"test": "connected"},
            "behind_seconds": 0.0,
        }

        await app.dispatcher.handle(
            command("/newevent Rally | Thu 3 Dec 19:30 | Square | remind=1h")
        )
        await app.scheduler.run_due()
        _, text = await get(app, "/metrics")
        assert sample(text, "muster_updates_total", kind="command") == 1
        assert sample(text, "muster_handling_seconds_count", kind="command") == 1
        assert sample(text, "muster_outbox_sent_total", purpose="announce") == 1
        assert sample(text, "muster_outbox_lateness_seconds_count") == 1
        assert sample(text, "muster_transaction_seconds_count", kind="write") >= 1
        # SQLite's one owner; PostgreSQL's processes share the database and hold no lock.
        assert sample(text, "muster_lock_held", lock="owner") == (0 if on_postgresql() else 1)
        assert sample(text, "muster_outbox_due") == 0
        assert "Rally" not in text and "Org" not in text  # counts, never content

        platform.reachable = False  # the platform's updates no longer reach us
        status, ready = await get(app, "/readyz")
        assert (status, ready["ready"], ready["platforms"]) == (503, False, {"test": "down"})
        platform.reachable = True

        # The reminder fell due two minutes ago and the scheduler has not sent it.
        clock.set(clock.now().replace(month=12, day=3, hour=18, minute=32))
        status, ready = await get(app, "/readyz")
        assert (status, ready["behind_seconds"]) == (503, 120.0)
        _, text = await get(app, "/metrics")
        assert sample(text, "muster_outbox_due") == 2  # the group's, and members' private ones
        await app.scheduler.run_due()
        status, ready = await get(app, "/readyz")
        assert (status, ready["behind_seconds"]) == (200, 0.0)
    finally:
        await app.stop()
    assert sample(app.metrics, "muster_lock_held", lock="owner") == 0


def test_a_listen_address_must_be_host_and_port() -> None:
    import pytest
    from pydantic import ValidationError

    from bot.config import Settings

    with pytest.raises(ValidationError, match="host:port"):
        Settings(http_listen="8080x", _env_file=None)  # type: ignore[call-arg]
    assert Settings(http_listen="[::1]:9000", _env_file=None).http_listen == "[::1]:9000"  # type: ignore[call-arg]
