"""Sends paced across processes: each reservation takes the next free moment under its
keys, so two processes sending to one chat are kept its spacing apart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.messaging import Limit
from bot.platforms.telegram_pacer import LATE, Pacer
from bot.storage.database import Database
from bot.storage.pacing import SharedPace
from tests import databases
from tests.databases import query

pytestmark = pytest.mark.postgresql_only


def moments(db_path: Path, key: str) -> float:
    [(next_free,)] = query(db_path, "SELECT next_at FROM pacing WHERE key = :key", key=key)
    return float(next_free)


async def test_two_processes_sending_to_one_chat_are_its_spacing_apart(tmp_path: Path) -> None:
    db_path = tmp_path / "pace.db"
    url = await databases.migrated(db_path)
    first, second = Database.from_url(url), Database.from_url(url)
    try:
        pace_a, pace_b = SharedPace(first), SharedPace(second)  # two processes' handles
        chat, overall = {"telegram:chat": Limit(0.2)}, {"telegram": Limit(0.01)}
        await pace_a.reserve(chat, overall)
        began = moments(db_path, "telegram:chat") - 0.2  # the first message's moment
        await asyncio.gather(*(p.reserve(chat, overall) for p in (pace_b, pace_a, pace_b)))
        # Four messages, each given a moment of its own a spacing after the last.
        assert moments(db_path, "telegram:chat") - began >= 4 * 0.2
        # Waiting for its chat held nothing in the overall pace: it moved once a message.
        assert moments(db_path, "telegram") - began < 4 * 0.2
    finally:
        await first.close()
        await second.close()


async def test_a_burst_goes_at_once_then_the_even_pace(tmp_path: Path) -> None:
    db = Database.from_url(await databases.migrated(tmp_path / "pace.db"))
    try:
        pace = SharedPace(db)
        minute = {"group:minute": Limit(1.0, burst=2)}
        waits = [await pace.reserve({}, minute) for _ in range(5)]
        # Three at once (one and a burst of two), then one a second.
        assert [round(w) for w in waits] == [0, 0, 0, 1, 2]
    finally:
        await db.close()


async def test_a_private_chat_is_not_named_in_the_shared_table(tmp_path: Path) -> None:
    db_path = tmp_path / "pace.db"
    db = Database.from_url(await databases.migrated(db_path))
    try:
        pacer = Pacer(shared=SharedPace(db).reserve)
        await SharedPace(db).reserve(pacer._spacings(424242), {})
        keys = [str(k) for (k,) in query(db_path, "SELECT key FROM pacing")]
        assert len(keys) == 1 and "424242" not in keys[0]
        assert len(pacer._spacings(-1001)) == 2  # a group: the chat and its minute
    finally:
        await db.close()


async def test_a_message_that_misses_its_moment_reserves_another(tmp_path: Path) -> None:
    """The process is busy when a message's moment comes: sent then, it would arrive
    bunched with messages other processes send on time, so it takes a new moment."""
    db = Database.from_url(await databases.migrated(tmp_path / "pace.db"))
    try:
        pace = SharedPace(db)
        reserved: list[float] = []

        async def reserve(chat: dict[str, Limit], overall: dict[str, Limit]) -> float:
            reserved.append(wait := await pace.reserve(chat, overall))
            return wait

        pacer = Pacer(shared=reserve)
        sent: list[bool] = []

        async def send() -> bool:
            sent.append(True)
            return True

        # Another process's message goes now and holds the overall pace for 0.3 s.
        await pace.reserve({}, {"telegram": Limit(0.3)})
        data = {"chat_id": 7}
        sending = asyncio.create_task(
            pacer.process_request(send, (), {}, "sendMessage", data, None)
        )
        await asyncio.sleep(0.05)  # reserved, and waiting for its moment
        assert len(reserved) == 1 and reserved[0] > LATE and not sent
        time.sleep(0.5)  # the process is busy past that moment  # noqa: ASYNC251
        await sending
        assert len(reserved) == 2 and sent == [True]  # a new moment, then sent
    finally:
        await db.close()
