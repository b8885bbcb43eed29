"""Run every benchmark in turn: `python3 dev.py bench` (or `python -m bench`).

Each starts the real `muster` process against a local fake Bot API that enforces
Telegram's limits (or, for `discord`, the local fake Discord), prints its figures and
its targets, and appends them to build/bench/results.jsonl. Under ten minutes on two
cores.
"""

from __future__ import annotations

import asyncio
import sys
import time

from bench import discord_burst, fanout, paced, reminders, rsvp_burst, scale
from bench.common import machine

SUITES = {
    "rsvp": rsvp_burst.main,
    "paced": paced.main,
    "discord": discord_burst.main,
    "fanout": fanout.main,
    "reminders": reminders.main,
    "scale": scale.main,
}


def main(names: list[str]) -> int:
    chosen = names or list(SUITES)
    unknown = [n for n in chosen if n not in SUITES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    print(f"Machine: {machine()}")
    began = time.monotonic()
    for name in chosen:
        asyncio.run(SUITES[name]())
    print(f"\nAll done in {time.monotonic() - began:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
