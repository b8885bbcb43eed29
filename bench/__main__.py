"""Run every benchmark in turn: `python3 dev.py bench` (or `python -m bench`).

`--database postgresql` runs the press benchmarks on a throwaway PostgreSQL cluster, and
those of several processes sharing it (`webhook`, `takeover`).

Each starts the real `muster` process against a local fake Bot API that enforces
Telegram's limits (or, for `discord`, the local fake Discord), prints its figures and
its targets, and appends them to build/bench/results.jsonl. Under ten minutes on two
cores.
"""

from __future__ import annotations

import asyncio
import sys
import time

from bench import discord_burst, fanout, paced, processes, reminders, rsvp_burst, scale
from bench.common import machine
from tests import databases

SUITES = {
    "rsvp": rsvp_burst.main,
    "paced": paced.main,
    "discord": discord_burst.main,
    "fanout": fanout.main,
    "reminders": reminders.main,
    "scale": scale.main,
    "webhook": processes.webhook,
    "takeover": processes.takeover,
}


# What runs on PostgreSQL too (`--database postgresql`): the presses, measured beside
# SQLite's own figures from a run without the option.
ON_POSTGRESQL = ("rsvp", "paced", "scale", "webhook", "takeover")
# What needs PostgreSQL: several processes sharing one database.
ONLY_ON_POSTGRESQL = ("webhook", "takeover")


def main(argv: list[str]) -> int:
    names = list(argv)
    if "--database" in names:
        at = names.index("--database")
        choice = names[at + 1] if at + 1 < len(names) else ""
        del names[at : at + 2]
        try:
            databases.use(choice)
        except ValueError as exc:
            print(exc)
            return 2
    if databases.on_postgresql():
        databases.durable = True  # fsync on, as SQLite's synchronous=FULL is
        names = names or list(ON_POSTGRESQL)
        if not set(names) <= set(ON_POSTGRESQL):
            print(f"on PostgreSQL, choose from {', '.join(ON_POSTGRESQL)}")
            return 2
    chosen = names or [n for n in SUITES if n not in ONLY_ON_POSTGRESQL]
    if not databases.on_postgresql() and set(chosen) & set(ONLY_ON_POSTGRESQL):
        print("several processes share a PostgreSQL database: add --database postgresql")
        return 2
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
