"""Scale: a database of 10,000 chats, 100,000 events and 1,000,000 RSVPs.

Figures: start-up until the first update is answered, resident memory after start and
after a burst standing for an hour of traffic, and the time /events and /attendees take
(from the update reaching the fake Bot API to the answer reaching it).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from bench.common import (
    ORGANISER,
    chat_row,
    delivery_row,
    empty_database,
    event_row,
    eventually,
    insert,
    onto_chosen_database,
    percentile,
    report,
    stamp,
    start_muster,
    strict_telegram,
)
from tests.fakes.telegram_api import FakeTelegram, Message

CHATS = 10_000
EVENTS_PER_CHAT = 10
MEMBERS = 100_000
RSVPS_PER_EVENT = 10
QUERIES = 200
TRAFFIC_PRESSES = 3_000  # an hour of a busy deployment, sent as fast as it is taken
BUSY_CHATS = 300
ANSWERS = ("going", "maybe", "no")


def chat_id(index: int) -> int:
    return -10_000_000 - index


def seed(db: Path, now: datetime) -> None:
    rng = random.Random(5)
    insert(db, "chats", (chat_row(i, str(chat_id(i)), now) for i in range(1, CHATS + 1)))
    insert(
        db,
        "members",
        (
            {
                "id": m,
                "platform": "telegram",
                "platform_user_id": str(100_000_000 + m),
                "display_name": f"Member {m}",
                "clp": "",
                "branch": f"Ward {m % 40}",
                "facts_confirmed_at": stamp(now),
                "notice_shown_at": None,
                "consent_at": stamp(now),
                "facts_asked_at": None,
                "private_reminders": 0,
                "created_at": stamp(now),
            }
            for m in range(1, MEMBERS + 1)
        ),
    )
    events: list[tuple[int, int, datetime]] = []
    for c in range(1, CHATS + 1):
        for _ in range(EVENTS_PER_CHAT):
            start = now + timedelta(days=rng.uniform(-300, 60))
            events.append((len(events) + 1, c, start))
    insert(db, "events", (event_row(e, c, s, now) for e, c, s in events))
    insert(
        db,
        "outbox",
        (
            delivery_row(e, e, c, "announce", s - timedelta(days=7), "sent", 0, str(10**7 + e))
            for e, c, s in events
        ),
    )

    def rsvps() -> Iterator[dict[str, object]]:
        n = 0
        for e, _, s in events:
            for j in range(RSVPS_PER_EVENT):
                n += 1
                yield {
                    "id": n,
                    "event_id": e,
                    "member_id": (e * 7919 + j * 104_729) % MEMBERS + 1,
                    "answer": ANSWERS[(e + j) % 3],
                    "guests": 0,
                    "updated_at": stamp(s - timedelta(days=1)),
                }

    insert(db, "rsvps", rsvps())


async def ask(tg: FakeTelegram, chat: int, user: int, text: str) -> float:
    """Send a command; seconds until the first answer reached the fake."""
    before = len(tg.sent)
    began = time.monotonic()
    tg.say(chat, user, "Olive Organiser" if user == ORGANISER else "Member", text)
    await eventually(lambda: len(tg.sent) > before, 30, text)
    return tg.sent[before].at - began


def attendees_chat(busy: list[int], i: int) -> int:
    """The group where the i-th organiser asks /attendees."""
    return busy[(i + 7) % len(busy)]


def answered_at_least(tg: FakeTelegram, count: int) -> bool:
    return len(tg.toasts) >= count


async def traffic(tg: FakeTelegram, busy: list[int], rng: random.Random, done: int) -> None:
    """An hour's presses, sent as fast as they are answered (a few dozen in flight)."""
    for i in range(TRAFFIC_PRESSES):
        c = busy[i % len(busy)]
        e = (c - 1) * EVENTS_PER_CHAT + rng.randrange(EVENTS_PER_CHAT) + 1
        user = 200_000_000 + rng.randrange(5_000)
        tg.press(chat_id(c), user, "Member", 10**7 + e, f"rsvp:{rng.choice(ANSWERS)}:{e}")
        if i % 50 == 49:
            answered = done + i - 20
            await eventually(partial(answered_at_least, tg, answered), 60, "presses answered")
    total = done + TRAFFIC_PRESSES
    await eventually(lambda: len(tg.toasts) >= total, 120, "presses answered")
    await asyncio.sleep(8)  # the coalesced edits


async def main() -> dict[str, object]:
    rng = random.Random(9)
    busy = [rng.randrange(1, CHATS + 1) for _ in range(BUSY_CHATS)]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "scale.db"
        await empty_database(db)
        now = datetime.now(UTC)
        began = time.monotonic()
        seed(db, now)
        await onto_chosen_database(db)  # on PostgreSQL: moved there by `muster db copy`
        seeded = time.monotonic() - began
        # Organisers 1…QUERIES: each /attendees answers in its own organiser's private
        # chat, which (like any chat) takes one message a second. Each is an
        # administrator of the group it asks in, as in life a group has a few.
        admins: dict[int, set[int]] = {}
        for i in range(QUERIES):
            admins.setdefault(chat_id(attendees_chat(busy, i)), set()).add(ORGANISER + i)
        tg = await strict_telegram(admins=admins)
        # The cards of the busy chats exist, so presses there edit real messages.
        for c in busy:
            for k in range(EVENTS_PER_CHAT):
                e = (c - 1) * EVENTS_PER_CHAT + k + 1
                tg.messages.setdefault(chat_id(c), []).append(
                    Message(chat_id(c), 10**7 + e, f"Meeting {e}", "HTML", None)
                )
        spawned = time.monotonic()
        proc, _ = await start_muster(tg, db, edit_interval=3.0)
        try:
            first = await ask(tg, chat_id(busy[0]), 5_000_001, "/events")
            startup = time.monotonic() - spawned
            await asyncio.sleep(2)
            rss_start = proc.rss_mb()
            events_times, attendees_times = [], []
            for i in range(QUERIES):
                chat = busy[i % len(busy)]
                events_times.append(await ask(tg, chat_id(chat), 5_000_002 + i, "/events"))
            for i in range(QUERIES):
                c = attendees_chat(busy, i)
                e = (c - 1) * EVENTS_PER_CHAT + i % EVENTS_PER_CHAT + 1
                attendees_times.append(await ask(tg, chat_id(c), ORGANISER + i, f"/attendees {e}"))
            rss_warm = proc.rss_mb()
            await traffic(tg, busy, rng, 0)
            rss_after = proc.rss_mb()
            await traffic(tg, busy, rng, TRAFFIC_PRESSES)
            rss_again = proc.rss_mb()
        finally:
            await proc.stop()
            await tg.stop()
    growth = (rss_after - rss_start) / rss_start
    figures = {
        "seed_seconds": seeded,
        "startup_to_first_answer_s": startup,
        "first_answer_latency_s": first,
        "rss_after_start_mb": rss_start,
        "rss_after_queries_mb": rss_warm,
        "rss_after_traffic_mb": rss_after,
        "rss_growth": growth,
        "rss_after_a_second_hour_mb": rss_again,
        "rss_growth_after_warm_up": (rss_after - rss_warm) / rss_warm,
        "rss_growth_second_hour": (rss_again - rss_after) / rss_after,
        "events_p50_ms": percentile(events_times, 0.5) * 1000,
        "events_p99_ms": percentile(events_times, 0.99) * 1000,
        "attendees_p50_ms": percentile(attendees_times, 0.5) * 1000,
        "attendees_p99_ms": percentile(attendees_times, 0.99) * 1000,
    }
    return report(
        "Scale (10,000 chats, 100,000 events, 1,000,000 RSVPs)",
        figures,
        {
            "start-up s": (startup, "<=", 3.0),
            "RSS MB": (max(rss_start, rss_after), "<=", 200.0),
            "RSS growth": (growth, "<=", 0.10),
            "/events p99 ms": (figures["events_p99_ms"], "<=", 20.0),
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
