"""Live cards edited at most once per interval across every process on the database.

Presses of one card reach several processes (a webhook behind a load balancer): each
process coalescing on its own would edit the card once per interval each. So the card's
next edit is owed by one process at a time, recorded in `card_edits`: a press that finds
the edit owed by anyone leaves it to them (their edit reads the counts after clearing
the debt, so it shows this press), and one that finds nothing owed takes the debt on. A
process that dies owing an edit leaves a debt that falls due and is taken over by the
next press after `ABANDONED` seconds.
"""

from __future__ import annotations

import asyncio
import enum
import math

from sqlalchemy import text

from bot.live import TIMER_SLACK, LiveCards
from bot.messaging import Messengers
from bot.storage.database import Database

ABANDONED = 10.0  # seconds past its moment after which an owed edit is taken over
EDITING = 10.0  # seconds an edit under way holds its card, at most
LOOK = 0.25  # seconds: the shortest wait between two looks at a card held by another
# Instants are the database's clock, in seconds since the epoch, which every process shares.
_ADD = text(
    "INSERT INTO card_edits (event_id, edited_at) VALUES (:event, 0) ON CONFLICT DO NOTHING"
)
_OWE = text(
    "UPDATE card_edits SET owed_at = greatest(edited_at + :interval,"
    " extract(epoch FROM clock_timestamp())), holder = :me WHERE event_id = :event"
    " AND (owed_at IS NULL OR owed_at < extract(epoch FROM clock_timestamp()) - :abandoned)"
    " RETURNING owed_at - extract(epoch FROM clock_timestamp())"
)
_LOOK = text(
    "SELECT holder, edited_at + :interval - extract(epoch FROM clock_timestamp())"
    " FROM card_edits WHERE event_id = :event FOR UPDATE"
)
# An edit under way holds the card as if made EDITING from now: the platform counts it
# when it arrives, which may be well after it was taken, so the interval counts from its
# answer (`_DONE`). A process that dies meanwhile holds the card that long.
_TAKE = text(
    "UPDATE card_edits SET owed_at = NULL, holder = NULL,"
    " edited_at = extract(epoch FROM clock_timestamp()) + :editing WHERE event_id = :event"
)
_DONE = text(
    "UPDATE card_edits SET edited_at = extract(epoch FROM clock_timestamp())"
    " WHERE event_id = :event"
)


class _Turn(enum.Enum):
    GO = "go"
    LOST = "lost"


class SharedLiveCards(LiveCards):
    def __init__(self, db: Database, messengers: Messengers, interval: float, worker: str) -> None:
        super().__init__(db, messengers, interval)
        self.worker = worker

    async def _turn(self, event_id: int) -> bool:
        params = {
            "event": event_id,
            "interval": self.interval,
            "me": self.worker,
            "editing": EDITING,
        }
        async with self._database_turn, self.db.coordinate() as session:
            await session.execute(_ADD, params)
            wait = await session.scalar(_OWE, {**params, "abandoned": ABANDONED})
        if wait is None:
            return False  # another process owes the next edit, and will read this press
        # Looked at again at least each interval: an edit under way elsewhere ends with
        # its answer, long before EDITING is over.
        step = max(self.interval, LOOK)
        for _ in range(math.ceil((EDITING + self.interval) / step) + 1):
            await asyncio.sleep(min(max(0.0, float(wait)), step) + TIMER_SLACK)
            turn = await self._take(params)
            if isinstance(turn, _Turn):
                return turn is _Turn.GO
            wait = turn
        return False  # held past EDITING: the debt falls to a later press (ABANDONED)

    async def _take(self, params: dict[str, object]) -> _Turn | float:
        """Clear the debt and go, once an interval has passed since the card's last edit
        by anyone; or how much longer to wait; or LOST when another process took it."""
        async with self._database_turn, self.db.coordinate() as session:
            row = (await session.execute(_LOOK, params)).first()
            if row is None or row[0] != self.worker:
                return _Turn.LOST
            if float(row[1]) > 0:
                return float(row[1])
            await session.execute(_TAKE, params)
        return _Turn.GO

    async def _edited(self, event_id: int) -> None:
        async with self._database_turn, self.db.coordinate() as session:
            await session.execute(_DONE, {"event": event_id})
