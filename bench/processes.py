"""Several processes on one PostgreSQL database (`--database postgresql` only).

`webhook`: the RSVP burst (2,000 presses, 500 members, 20 events, 16 in flight) posted
by the fake Bot API through a round-robin proxy to 1, 2 and 3 `muster run` processes in
webhook mode: presses per second and the toast's p99 for each.

`takeover`: three processes long-polling; the one polling is killed with SIGKILL, a
command is sent at once, and the time from the kill to its answer is the gap a group
sees. Taken KILLS times; the bound is 10 s.
"""

from __future__ import annotations

import asyncio
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import eventually, percentile, report, strict_telegram
from bench.rsvp_burst import EVENTS, FIRST_CHAT, drive, plan, seeded
from bot.app import READY
from tests.fakes.proxy import RoundRobin
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import ready, spawn_muster, started
from tests.postgres import free_port

KILLS = 5
TAKEOVER_BOUND = 10.0  # seconds from a holder's death to the next update handled
ROLE_TAKEN = "telegram-updates: this process took the role"


async def spawn(tg: FakeTelegram, db: Path, log: Path, **env: str) -> asyncio.subprocess.Process:
    starts = started(log)
    proc = await spawn_muster(
        db,
        log,
        MUSTER_TELEGRAM_TOKEN=tg.token,
        MUSTER_TELEGRAM_BASE_URL=tg.base_url,
        MUSTER_EDIT_INTERVAL="3.0",
        MUSTER_LOG_LEVEL="INFO",
        MUSTER_MEMBER_RATE="0",
        **env,
    )
    await ready(log, starts + 1)
    return proc


async def stop(procs: list[asyncio.subprocess.Process]) -> None:
    for proc in procs:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
    await asyncio.gather(*(p.wait() for p in procs))


async def webhook_burst(processes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        chats = [FIRST_CHAT - i for i in range(EVENTS)]
        db = await seeded(Path(folder), chats)
        tg = await strict_telegram()
        ports = [free_port() for _ in range(processes)]
        proxy = RoundRobin([f"http://127.0.0.1:{p}" for p in ports])
        url = await proxy.start()
        procs = []
        try:
            for n, port in enumerate(ports):
                procs.append(
                    await spawn(
                        tg,
                        db,
                        Path(folder) / f"muster-{n}.log",
                        MUSTER_HTTP_LISTEN=f"127.0.0.1:{port}",
                        MUSTER_TELEGRAM_WEBHOOK_URL=f"{url}/telegram/updates",
                    )
                )
            await eventually(lambda: all(tg.history(c) for c in chats), 60, "the announcements")
            cards = {c: (tg.history(c)[0].message_id, i + 1) for i, c in enumerate(chats)}
            presses, _ = plan(cards)
            began = time.monotonic()
            ids = await drive(tg, presses)
            took = time.monotonic() - began
            latencies = [(tg.toast_times[i] - tg.pushed_at[i]) * 1000 for i in ids]
            return {
                "presses_per_second": len(ids) / took,
                "toast_p50_ms": percentile(latencies, 0.5),
                "toast_p99_ms": percentile(latencies, 0.99),
                "rate_limited_429": float(tg.limited),
            }
        finally:
            await stop(procs)
            await proxy.stop()
            await tg.stop()


async def webhook() -> dict[str, Any]:
    figures: dict[str, float] = {}
    for processes in (1, 2, 3):
        for key, value in (await webhook_burst(processes)).items():
            figures[f"{processes}_processes_{key}"] = value
    return report(
        "RSVP burst by webhook through 1, 2 and 3 processes",
        figures,
        {
            "429s": (sum(v for k, v in figures.items() if k.endswith("429")), "<=", 0.0),
        },
    )


def answered(tg: FakeTelegram, before: int) -> Callable[[], bool]:
    return lambda: len(tg.history(-1001)) > before


def polling(logs: list[Path], procs: list[asyncio.subprocess.Process]) -> int:
    """The process polling now: alive, and it took the role in its present life (each
    life starts once and takes the role at most once)."""
    for n, log in enumerate(logs):
        text = log.read_text(errors="replace")
        if procs[n].returncode is None and text.count(ROLE_TAKEN) == text.count(READY):
            return n
    raise AssertionError("no process polls")


async def takeover() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        tg = FakeTelegram(admins={-1001: {1}})
        await tg.start()
        db = Path(folder) / "muster.db"
        logs = [Path(folder) / f"muster-{n}.log" for n in range(3)]
        procs = [await spawn(tg, db, log, MUSTER_TELEGRAM_GROUP_RATE="10000") for log in logs]
        gaps: list[float] = []
        try:
            for _ in range(KILLS):
                holder = polling(logs, procs)
                killed_at = time.monotonic()
                procs[holder].kill()
                await procs[holder].wait()
                before = len(tg.history(-1001))
                tg.say(-1001, 1, "Olive Organiser", "/events")
                await eventually(answered(tg, before), 60, "an answer")
                gaps.append(time.monotonic() - killed_at)
                procs[holder] = await spawn(
                    tg, db, logs[holder], MUSTER_TELEGRAM_GROUP_RATE="10000"
                )
        finally:
            await stop(procs)
            await tg.stop()
    return report(
        "Polling takeover among three processes",
        {
            "kills": KILLS,
            "gap_p50_s": percentile(gaps, 0.5),
            "gap_worst_s": max(gaps),
        },
        {"worst gap s": (max(gaps), "<=", TAKEOVER_BOUND)},
    )
