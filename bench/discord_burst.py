"""RSVP burst on Discord: the Telegram burst's 2,000 presses from 500 members on 20
events (one per channel), as button interactions over the gateway, to the real `muster`
process and, in the same run, to a bare discord.py client that only answers them.

The issue's targets are set against python-telegram-bot; on Discord these are figures
beside their own yardstick. Discord's fake enforces no rate limits (Discord publishes
them per route, in headers, rather than as fixed numbers), so the card edits are
counted and spaced here but nothing is refused.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    Process,
    eventually,
    report,
)
from bench.rsvp_burst import EVENTS, ROUNDS, WINDOW, combined, plan, seeded
from tests.fakes.discord_api import CHANNEL_ID, FakeDiscord, Sent
from tests.harness import spawn_muster

CHANNELS = [CHANNEL_ID + 1_000 + i for i in range(EVENTS)]


async def drive(
    dc: FakeDiscord, presses: list[tuple[int, int, int, str]], cards: dict[int, Sent]
) -> list[str]:
    """Send the presses with WINDOW in flight; returns their tokens in order."""
    tokens: list[str] = []
    done = asyncio.Event()
    sending: set[asyncio.Task[None]] = set()
    sent = 0

    async def press(index: int) -> None:
        channel, user, _, custom_id = presses[index]
        token = await dc.press(cards[channel], custom_id, user=str(user), user_name=f"M{user}")
        tokens[index] = token

    def push() -> None:
        nonlocal sent
        tokens.append("")
        task = asyncio.create_task(press(sent))
        sending.add(task)
        task.add_done_callback(sending.discard)
        sent += 1

    def on_answer(_: str) -> None:
        if sent < len(presses):
            push()
        if len(dc.answered_at) >= len(presses):
            done.set()

    dc.answered_at.clear()
    dc.on_answer = on_answer
    for _ in range(min(WINDOW, len(presses))):
        push()
    await asyncio.wait_for(done.wait(), 300)
    dc.on_answer = None
    await asyncio.gather(*sending)
    return tokens


def latencies(dc: FakeDiscord, tokens: list[str]) -> list[float]:
    return [(dc.answered_at[t] - dc.pressed_at[t]) * 1000 for t in tokens]


async def muster_run(folder: Path) -> dict[str, Any]:
    db = await seeded(folder, CHANNELS, platform="discord")
    dc = FakeDiscord()
    await dc.start()
    log = db.with_suffix(".log")
    proc = Process(
        await spawn_muster(
            db,
            log,
            MUSTER_DISCORD_TOKEN=dc.token,
            MUSTER_DISCORD_API_BASE=dc.api_base,
            MUSTER_EDIT_INTERVAL="3.0",
            MUSTER_LOG_LEVEL="WARNING",
            MUSTER_MEMBER_RATE="0",
        ),
        log,
    )
    try:
        await asyncio.wait_for(dc.identified.wait(), 60)
        await eventually(
            lambda: all(dc.in_channel(str(c)) for c in CHANNELS), 60, "the announcements"
        )
        cards = {c: dc.in_channel(str(c))[0] for c in CHANNELS}
        presses, expected = plan({c: (0, i + 1) for i, c in enumerate(CHANNELS)})
        began = time.monotonic()
        tokens = await drive(dc, presses, cards)
        took = time.monotonic() - began
        last_answer = max(dc.answered_at[t] for t in tokens)

        def exact() -> bool:
            return all(expected[c] in cards[c].text for c in CHANNELS)

        await eventually(exact, 60, "exact counts on every card")
        exact_at = max((cards[c].edited_at or [0.0])[-1] for c in CHANNELS)
        gaps = [
            b - a
            for c in CHANNELS
            for a, b in zip(cards[c].edited_at, cards[c].edited_at[1:], strict=False)
        ]
        return {
            "presses_per_second": len(tokens) / took,
            "latencies_ms": latencies(dc, tokens),
            "edits": float(sum(cards[c].edits for c in CHANNELS)),
            "min_seconds_between_edits_of_a_card": min(gaps) if gaps else float("inf"),
            "exact_counts_after_last_press_s": max(0.0, exact_at - last_answer),
        }
    finally:
        await proc.stop()
        await dc.stop()


async def bare_run() -> dict[str, Any]:
    dc = FakeDiscord()
    await dc.start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bare_discord", dc.token, dc.api_base, cwd=ROOT
    )
    try:
        await asyncio.wait_for(dc.identified.wait(), 60)
        await asyncio.sleep(0.5)  # READY handled
        cards = {c: dc.posted_by_someone(str(c), "card") for c in CHANNELS}
        presses, _ = plan({c: (0, i + 1) for i, c in enumerate(CHANNELS)})
        began = time.monotonic()
        tokens = await drive(dc, presses, cards)
        took = time.monotonic() - began
        return {"presses_per_second": len(tokens) / took, "latencies_ms": latencies(dc, tokens)}
    finally:
        proc.terminate()
        await proc.wait()
        await dc.stop()


async def main() -> dict[str, object]:
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "ours": []}
    for _ in range(ROUNDS):
        runs["bare"].append(await bare_run())
        with tempfile.TemporaryDirectory() as folder:
            runs["ours"].append(await muster_run(Path(folder)))
    bare, ours = combined(runs["bare"], "answer"), combined(runs["ours"], "answer")
    ratio = ours["presses_per_second"] / bare["presses_per_second"]
    figures = {
        **{f"muster_{k}": v for k, v in ours.items()},
        **{f"bare_discord_py_{k}": v for k, v in bare.items()},
        "throughput_ratio": ratio,
        "window_in_flight": WINDOW,
        "rounds": ROUNDS,
    }
    return report(
        "RSVP burst on Discord (2,000 presses, 500 members, 20 events)",
        figures,
        {
            # The Telegram burst's rules, applied to Discord's cards as figures of merit.
            "seconds between edits of a card": (
                ours["min_seconds_between_edits_of_a_card"],
                ">=",
                3.0,
            ),
            "exact counts after last answer s": (
                ours["exact_counts_after_last_press_s"],
                "<=",
                5.0,
            ),
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
