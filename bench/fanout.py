"""Fan-out: an event announced in one of 200 linked chats reaches all of them. The floor
is what Telegram's limits allow: 200 messages at 30 a second."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import (
    ORGANISER,
    chat_row,
    empty_database,
    eventually,
    insert,
    report,
    start_muster,
    strict_telegram,
)

CHATS = 200
FIRST_CHAT = -4001
GLOBAL_RATE = 30.0


async def main() -> dict[str, object]:
    chats = [FIRST_CHAT - i for i in range(CHATS)]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fanout.db"
        await empty_database(db)
        now = datetime.now(UTC)
        insert(db, "chats", (chat_row(i + 1, str(c), now, circle=1) for i, c in enumerate(chats)))
        tg = await strict_telegram(admins={chats[0]: {ORGANISER}})
        proc, _ = await start_muster(tg, db)
        try:
            began = time.monotonic()
            tg.say(
                chats[0], ORGANISER, "Olive Organiser", "/newevent Rally | tomorrow 18:00 | Square"
            )

            def arrived(chat: int) -> float | None:
                return next((m.at for m in tg.history(chat) if "Rally · #1" in m.visible), None)

            await eventually(lambda: len(tg.sent) >= CHATS, 120, "every chat's card")
            last = max(arrived(c) or 0.0 for c in chats) - began
            first = min(arrived(c) or 0.0 for c in chats) - began
            await asyncio.sleep(1)
            duplicates = sum(
                sum("Rally · #1" in m.visible for m in tg.history(c)) - 1 for c in chats
            )
        finally:
            await proc.stop()
            await tg.stop()
    floor = CHATS / GLOBAL_RATE
    return report(
        f"Fan-out ({CHATS} linked chats)",
        {
            "seconds_until_the_first_chat": first,
            "seconds_until_the_last_chat": last,
            "floor_seconds": floor,
            "ratio_to_floor": last / floor,
            "messages_lost": float(CHATS - sum(1 for c in chats if tg.history(c))),
            "messages_twice": float(duplicates),
            "rate_limited_429": float(tg.limited),
        },
        {
            "ratio to floor": (last / floor, "<=", 1.15),
            "429s caused by us": (float(tg.limited), "<=", 0.0),
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
