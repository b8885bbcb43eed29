"""Paced presses after a burst: the tail a member feels as a button that sometimes hangs.

A 2,000-press burst first (as `rsvp_burst`), then PACED presses sent one every
INTERVAL seconds, each from a member pressing for the first time, spread over the 20
cards so a card is being edited every edit interval while they arrive. The phase runs
long enough for SQLite's write-ahead log to be checkpointed several times; how many
times is read from the log's own header (its checkpoint sequence number, bytes 12–15,
which rises each time the log starts again from its beginning).

The same load goes, in the same run, to the bare python-telegram-bot application on
the same fake, so each figure has its yardstick beside it.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import bare_app, eventually, on_postgresql, percentile, report
from bench.rsvp_burst import EVENTS, FIRST_CHAT, announced, drive, plan
from tests.fakes.telegram_api import FakeTelegram

PACED = 600
INTERVAL = 0.05
FIRST_TIME_MEMBER = 50_000  # ids no burst member has


def wal_generation(db: Path) -> int | None:
    """The write-ahead log's checkpoint sequence number (None while there is no log)."""
    try:
        with (db.parent / (db.name + "-wal")).open("rb") as wal:
            header = wal.read(16)
    except FileNotFoundError:
        return None
    return int.from_bytes(header[12:16], "big") if len(header) == 16 else None


async def paced(tg: FakeTelegram, cards: dict[int, tuple[int, int]]) -> list[float]:
    """PACED presses, one every INTERVAL, each from a new member; their press → answer
    times in milliseconds, in the order sent."""
    chats = list(cards)
    ids = []
    began = time.monotonic()
    for n in range(PACED):
        chat = chats[n % len(chats)]
        message, event = cards[chat]
        answer = ("going", "maybe", "no")[n % 3]
        user = FIRST_TIME_MEMBER + n
        ids.append(tg.press(chat, user, f"Member {user}", message, f"rsvp:{answer}:{event}"))
        # Paced by the clock, not by the answers: a slow answer does not slow the load.
        await asyncio.sleep(max(0.0, began + (n + 1) * INTERVAL - time.monotonic()))
    await eventually(lambda: all(i in tg.toast_times for i in ids), 60, "every paced answer")
    return [(tg.toast_times[i] - tg.pushed_at[i]) * 1000 for i in ids]


async def muster_run(folder: Path) -> dict[str, Any]:
    async with announced(folder) as (tg, db, cards, _):
        chats = list(cards)
        presses, _ = plan(cards)
        await drive(tg, presses)
        before = wal_generation(db)
        edits_before = sum(tg.history(c)[0].edits for c in chats)
        latencies = await paced(tg, cards)
        after = wal_generation(db)
        return {
            "latencies_ms": latencies,
            "wal_restarts": float((after or 0) - (before or 0)),
            "card_edits": float(sum(tg.history(c)[0].edits for c in chats) - edits_before),
        }


async def bare_run() -> dict[str, Any]:
    tg = FakeTelegram()
    await tg.start()
    async with bare_app(tg, "httpx"):
        cards = {FIRST_CHAT - i: (1, i + 1) for i in range(EVENTS)}
        presses, _ = plan(cards)
        await drive(tg, presses)
        latencies = await paced(tg, cards)
    await tg.stop()
    return {"latencies_ms": latencies}


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "worst_ms": max(latencies),
    }


async def main() -> dict[str, object]:
    bare = await bare_run()
    with tempfile.TemporaryDirectory() as folder:
        ours = await muster_run(Path(folder))
    mine, theirs = summary(ours["latencies_ms"]), summary(bare["latencies_ms"])
    worst = sorted(ours["latencies_ms"], reverse=True)[:5]
    figures: dict[str, Any] = {
        **{f"muster_{k}": v for k, v in mine.items()},
        **{f"bare_ptb_{k}": v for k, v in theirs.items()},
        "muster_five_slowest_ms": ", ".join(f"{x:.0f}" for x in worst),
        **({} if on_postgresql() else {"wal_restarts_while_paced": ours["wal_restarts"]}),
        "card_edits_while_paced": ours["card_edits"],
        "presses": PACED,
        "interval_s": INTERVAL,
    }
    return report(
        f"Paced presses after a burst ({PACED} first-time members, one every 50 ms)",
        figures,
        {
            "paced p99 ms": (mine["p99_ms"], "<=", 30.0),
            "paced worst ms": (mine["worst_ms"], "<=", 100.0),
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
