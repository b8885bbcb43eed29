"""Reminder lateness: 2,000 reminders fall due within one minute across 500 chats.

Telegram's limits make some lateness unavoidable (2,000 messages at 30 a second take
67 s), so each reminder is measured against the rate-limited ideal: the earliest moment
it could arrive, in due order, if every limit were used to the full (30 in any second
overall, 1 a second per chat, 20 a minute per group).
"""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import (
    chat_row,
    delivery_row,
    empty_database,
    event_row,
    eventually,
    insert,
    percentile,
    report,
    start_muster,
    strict_telegram,
)

REMINDERS = 2_000
CHATS = 500
SPREAD = 60.0  # seconds over which they fall due
LEAD = 20.0  # seconds from seeding to the first due instant: start-up fits in it
FIRST_CHAT = -5001


def ideal(dues: list[tuple[float, int]]) -> list[float]:
    """The earliest arrivals a perfect sender could achieve under the limits: at every
    instant it sends the earliest-due message whose chat and group allow it, while the
    overall window (30 in any second) has room. Returned in the order given."""
    order = sorted(range(len(dues)), key=lambda k: dues[k][0])
    out = [0.0] * len(dues)
    chat_ready: dict[int, float] = {}
    group_sent: dict[int, deque[float]] = {}
    window: deque[float] = deque()
    waiting: list[int] = []
    nxt = 0
    t = dues[order[0]][0] if dues else 0.0

    def ready(k: int) -> float:
        chat = dues[k][1]
        at = chat_ready.get(chat, -1e9)
        sent = group_sent.get(chat)
        if sent is not None and len(sent) >= 20:
            at = max(at, sent[-20] + 60.0)
        return at

    while nxt < len(order) or waiting:
        while nxt < len(order) and dues[order[nxt]][0] <= t:
            waiting.append(order[nxt])
            nxt += 1
        while window and window[0] <= t - 1.0:
            window.popleft()
        eligible = [k for k in waiting if ready(k) <= t]
        if eligible and len(window) < 30:
            k = min(eligible, key=lambda k: dues[k][0])
            waiting.remove(k)
            out[k] = t
            window.append(t)
            chat = dues[k][1]
            chat_ready[chat] = t + 1.0
            group_sent.setdefault(chat, deque()).append(t)
            continue
        events = [dues[order[nxt]][0]] if nxt < len(order) else []
        events += [ready(k) for k in waiting if ready(k) > t]
        if eligible and len(window) >= 30:
            events.append(window[0] + 1.0)
        t = min(events) if events else t
    return out


async def main() -> dict[str, object]:
    rng = random.Random(3)
    chats = [FIRST_CHAT - i for i in range(CHATS)]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "reminders.db"
        await empty_database(db)
        now = datetime.now(UTC)
        mono_now = time.monotonic()
        first_due = now + timedelta(seconds=LEAD)
        insert(db, "chats", (chat_row(i + 1, str(c), now) for i, c in enumerate(chats)))
        plan = []  # (event id, chat index, due)
        for event_id in range(1, REMINDERS + 1):
            chat_index = (event_id - 1) % CHATS
            due = first_due + timedelta(seconds=rng.uniform(0, SPREAD))
            plan.append((event_id, chat_index, due))
        insert(
            db,
            "events",
            (
                event_row(e, c + 1, d + timedelta(hours=1), now, reminder_offsets="60m")
                for e, c, d in plan
            ),
        )
        rows = []
        for e, c, d in plan:
            rows.append(delivery_row(2 * e - 1, e, c + 1, "announce", now, "sent", 0, "1"))
            rows.append(delivery_row(2 * e, e, c + 1, "remind", d, offset=60))
        insert(db, "outbox", rows)
        tg = await strict_telegram()
        proc, _ = await start_muster(tg, db)
        try:
            await eventually(
                lambda: len(tg.sent) >= REMINDERS, LEAD + SPREAD + 120, "the reminders"
            )
            await asyncio.sleep(1)
        finally:
            await proc.stop()
            await tg.stop()
    seen: dict[int, float] = {}
    for message in tg.sent:
        found = re.search(r"Reminder: Meeting (\d+) is", message.visible)
        if found:
            seen.setdefault(int(found.group(1)), message.at)
    twice = sum(1 for m in tg.sent if "Reminder" in m.visible) - len(seen)

    def mono(due: datetime) -> float:
        return mono_now + (due - now).total_seconds()

    order = sorted(plan, key=lambda p: p[2])
    best = ideal([(mono(d), chats[c]) for _, c, d in order])
    lateness = [seen[e] - b for (e, _, _), b in zip(order, best, strict=True) if e in seen]
    after_due = [seen[e] - mono(d) for e, _, d in order if e in seen]
    import sys

    if "-v" in sys.argv:
        from collections import Counter as _C

        t0 = min(m.at for m in tg.sent)
        per = _C(int(m.at - t0) for m in tg.sent)
        print("per second:", [per[i] for i in range(max(per) + 1)])
        for k in range(0, len(order), 100):
            e, _, d = order[k]
            since, best_k, ours = mono(d) - mono(order[0][2]), best[k] - mono(d), seen[e] - mono(d)
            print(f"#{k} due+{since:5.1f}s ideal+{best_k:5.2f} ours+{ours:5.2f}")
    return report(
        f"Reminder lateness ({REMINDERS:,} due within a minute across {CHATS} chats)",
        {
            "lateness_vs_ideal_p50_s": percentile(lateness, 0.5),
            "lateness_vs_ideal_p99_s": percentile(lateness, 0.99),
            "lateness_vs_ideal_max_s": max(lateness),
            "after_due_p50_s": percentile(after_due, 0.5),
            "after_due_p99_s": percentile(after_due, 0.99),
            "ideal_last_after_first_due_s": max(best) - mono(order[0][2]),
            "reminders_lost": float(REMINDERS - len(seen)),
            "reminders_twice": float(twice),
            "rate_limited_429": float(tg.limited),
            "rate_limited_by": dict(tg.limited_by),
        },
        {
            "p99 lateness vs ideal s": (percentile(lateness, 0.99), "<=", 1.0),
            "lost": (float(REMINDERS - len(seen)), "<=", 0.0),
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
