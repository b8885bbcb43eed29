"""Telegram in webhook mode: the real `muster run` process serves the updates the fake
Bot API posts to it, answers each only once handled, refuses a post without the secret,
and loses nothing Telegram holds while it is down."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp

from bot.platforms.telegram_webhook import SECRET_HEADER, secret_for
from tests.databases import query
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, ORGANISER, spawn
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import eventually
from tests.postgres import free_port


async def spawn_webhook(
    tg: FakeTelegram, db: Path, log: Path, port: int
) -> asyncio.subprocess.Process:
    return await spawn(
        tg,
        db,
        log,
        MUSTER_HTTP_LISTEN=f"127.0.0.1:{port}",
        MUSTER_TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/updates",
    )


def answers(db: Path) -> dict[str, str]:
    rows = query(
        db,
        "SELECT m.platform_user_id, r.answer FROM rsvps r JOIN members m ON m.id = r.member_id",
    )
    return {str(user): str(answer) for user, answer in rows}


async def test_updates_by_webhook_each_stored_before_its_200(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    db, log, port = tmp_path / "muster.db", tmp_path / "muster.log", free_port()
    proc = await spawn_webhook(tg, db, log, port)
    try:
        assert tg.webhook_url == f"http://127.0.0.1:{port}/telegram/updates"
        assert tg.webhook_secret == secret_for(tg.token)
        tg.say(GROUP, ORGANISER, "Olive Organiser", "/newevent Rally | tomorrow 19:00 | Square")
        await eventually(lambda: any(m.buttons() for m in tg.history(GROUP)), timeout=30)
        card = next(m for m in tg.history(GROUP) if m.buttons())

        # At the moment the fake hears 200 for a press, the answer is in the database.
        stored_at_200: list[bool] = []

        def delivered(update: dict[str, object]) -> None:
            press = update.get("callback_query")
            if isinstance(press, dict):
                member = str(press["from"]["id"])  # type: ignore[index]
                stored_at_200.append(member in answers(db))

        tg.on_delivered = delivered
        for n in range(10):
            tg.press(GROUP, MEMBER_BASE + n, f"Member {n}", card.message_id, "rsvp:going:1")
        await eventually(lambda: len(stored_at_200) == 10, timeout=30)
        assert all(stored_at_200)
        assert tg.count("getupdates") == 0  # nothing polled: Telegram posts

        # A post without the secret, or with a wrong one, is refused and changes nothing.
        forged = {
            "update_id": 99_999,
            "callback_query": {
                "id": "forged",
                "from": tg.user(MEMBER_BASE + 50, "Mallory"),
                "chat_instance": "ci",
                "data": "rsvp:no:1",
                "message": {
                    "message_id": card.message_id,
                    "date": 0,
                    "chat": tg.chat(GROUP),
                    "text": card.text,
                },
            },
        }
        url = f"http://127.0.0.1:{port}/telegram/updates"
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {SECRET_HEADER: "guess"}, {SECRET_HEADER: secret_for("other")}):
                async with http.post(url, json=forged, headers=headers) as response:
                    assert response.status == 403
        await asyncio.sleep(0.3)
        assert str(MEMBER_BASE + 50) not in answers(db)
        assert not [t for t in tg.toasts if t[0] == "forged"]

        # Down for a while: what members do meanwhile waits at Telegram, and arrives.
        proc.kill()
        await proc.wait()
        tg.press(GROUP, MEMBER_BASE + 20, "Member 20", card.message_id, "rsvp:maybe:1")
        await asyncio.sleep(0.5)
        assert tg.pending_updates == 1 and tg.webhook_answers.get(0, 0) >= 1  # refused
        proc = await spawn_webhook(tg, db, log, port)
        await eventually(lambda: tg.pending_updates == 0, timeout=30)
        await eventually(lambda: answers(db).get(str(MEMBER_BASE + 20)) == "maybe")
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(proc.wait(), 30) == 0
