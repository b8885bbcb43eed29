"""Three `muster run` processes share one PostgreSQL database behind a round-robin proxy,
Telegram posting its updates by webhook and the fake Bot API enforcing Telegram's
limits: 1,000 presses and 2,000 reminders across 200 groups while a random process is
killed with SIGKILL every few seconds and started again.

Afterwards: every press that was answered is stored; every reminder was posted, and
none twice except a copy Telegram accepted in the moment before a kill (the window
between Telegram's answer and our record, which the Bot API gives no key to close:
counted and reported); Telegram never had to answer 429; no card was edited more often
than once per interval.
"""

from __future__ import annotations

import asyncio
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.databases import query
from tests.e2e.processes import track
from tests.e2e.telegram_world import ORGANISER
from tests.fakes.proxy import RoundRobin
from tests.fakes.telegram_api import FakeTelegram, Message
from tests.harness import eventually, ready, spawn_muster, started
from tests.postgres import free_port
from tests.reliability.figures import record

pytestmark = pytest.mark.postgresql_only

PROCESSES = 3
GROUPS = 200
EVENTS_PER_GROUP = 2
OFFSETS = "1d,2d,3d,4d,5d"  # five reminders an event: 2,000 in all
PRESSES = 1000
MEMBERS = 300
KILLS = 20
INTERVAL = 1.0  # MUSTER_EDIT_INTERVAL: a card is edited at most once a second
# How long before a kill Telegram may have accepted a message that is then sent again:
# the send's answer and its record, on two cores that three processes, PostgreSQL and
# the fakes keep busy.
WINDOW = 5.0
# A kill is stamped just before the signal; what the process had sent the moment before
# is handled by the fake (on this loop) on its next turns, stamped after the kill.
LAG = 0.5
EDIT_TOLERANCE = 0.05  # seconds: the fake stamps an edit when it handles it
ANSWERS = ("going", "maybe", "no")
ACKS = ("You're going", "You might go", "You can't go", "You had already")


def group(n: int) -> int:
    return -3000 - n


class Processes:
    """The three processes, each on its own port behind the proxy, started again after
    each kill."""

    def __init__(self, tg: FakeTelegram, db: Path, logs: list[Path], ports: list[int], url: str):
        self.tg, self.db, self.logs, self.ports, self.url = tg, db, logs, ports, url
        self.procs: list[asyncio.subprocess.Process] = []

    async def spawn(self, n: int) -> asyncio.subprocess.Process:
        return track(
            await spawn_muster(
                self.db,
                self.logs[n],
                MUSTER_TELEGRAM_TOKEN=self.tg.token,
                MUSTER_TELEGRAM_BASE_URL=self.tg.base_url,
                MUSTER_EDIT_INTERVAL=str(INTERVAL),
                MUSTER_HTTP_LISTEN=f"127.0.0.1:{self.ports[n]}",
                MUSTER_TELEGRAM_WEBHOOK_URL=f"{self.url}/telegram/updates",
                MUSTER_LOG_LEVEL="INFO",
            )
        )

    async def start_all(self) -> None:
        for n in range(PROCESSES):
            starts = started(self.logs[n])
            self.procs.append(await self.spawn(n))
            await ready(self.logs[n], starts + 1)

    async def stop_all(self) -> list[int | None]:
        for proc in self.procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        return [await asyncio.wait_for(p.wait(), 60) for p in self.procs]


async def test_three_processes_share_the_work_through_twenty_kills(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    chance = random.Random(20261205)
    tg.enforce_limits = True
    for n in range(GROUPS):
        tg.admins[group(n)] = {ORGANISER}
    ports = [free_port() for _ in range(PROCESSES)]
    proxy = RoundRobin([f"http://127.0.0.1:{p}" for p in ports])
    url = await proxy.start()
    db = tmp_path / "muster.db"
    processes = Processes(
        tg, db, [tmp_path / f"muster-{n}.log" for n in range(PROCESSES)], ports, url
    )
    try:
        await processes.start_all()
        for n in range(GROUPS):
            for e in range(EVENTS_PER_GROUP):
                tg.say(
                    group(n),
                    ORGANISER,
                    "Olive Organiser",
                    f"/newevent Stall {n}-{e} | in 6 days | Market | remind={OFFSETS}",
                )
        await eventually(lambda: len(cards(tg)) == GROUPS * EVENTS_PER_GROUP, timeout=240)
        by_event = cards(tg)
        start = time.time()
        # Every reminder falls due within the next minute, in order of its id.
        due = query(
            db,
            "UPDATE outbox SET due_at = now() + make_interval(secs => 5 + (id % 60))"
            " WHERE purpose = 'remind' RETURNING id",
        )
        assert len(due) == GROUPS * EVENTS_PER_GROUP * 5

        presses: list[tuple[int, int, str, str]] = []  # member, event, answer, callback

        async def press_all() -> None:
            for _ in range(PRESSES):
                member = 50_000 + chance.randrange(MEMBERS)
                event = chance.choice(sorted(by_event))
                answer = chance.choice(ANSWERS)
                card = by_event[event]
                callback = tg.press(
                    card.chat_id, member, f"Member {member}", card.message_id,
                    f"rsvp:{answer}:{event}",
                )  # fmt: skip
                presses.append((member, event, answer, callback))
                await asyncio.sleep(0.05)

        pressing = asyncio.create_task(press_all())
        kills: list[float] = []
        try:
            while len(kills) < KILLS or not pressing.done():
                # A kill at a random moment: this wait is the test's chaos, not a guess.
                await asyncio.sleep(chance.uniform(1.0, 4.0))
                n = chance.randrange(PROCESSES)
                kills.append(time.monotonic())
                processes.procs[n].kill()
                await processes.procs[n].wait()
                processes.procs[n] = await processes.spawn(n)  # killed again while starting
            await pressing
            # The survivors post what is owed and take every press Telegram holds.
            await every_second_until(lambda: statuses(db) == {"sent"}, timeout=300)
            await eventually(lambda: not tg._updates, timeout=120)
            await asyncio.sleep(3 * INTERVAL)  # the last edits
        finally:
            pressing.cancel()
            codes = await processes.stop_all()
        assert codes == [0] * PROCESSES
    finally:
        await proxy.stop()

    acked = {c for c, text in tg.toasts if text.startswith(ACKS)}
    stored = {
        (int(user), int(event)): str(answer)
        for user, event, answer in query(
            db,
            "SELECT m.platform_user_id, r.event_id, r.answer FROM rsvps r"
            " JOIN members m ON m.id = r.member_id",
        )
    }
    lost = 0
    for member, event, _answer, callback in presses:
        if callback not in acked:
            continue
        mine = [p for p in presses if p[0] == member and p[1] == event]
        last_acked = max(i for i, p in enumerate(mine) if p[3] in acked)
        if stored.get((member, event)) not in {p[2] for p in mine[last_acked:]}:
            lost += 1
    assert acked and lost == 0

    recorded = {
        (int(chat), str(message))
        for chat, message in query(
            db,
            "SELECT c.platform_chat_id, o.message_id FROM outbox o JOIN chats c"
            " ON c.id = o.chat_id WHERE o.purpose = 'remind'",
        )
    }
    posted = [m for m in tg.sent if "Reminder" in m.visible]
    again = [m for m in posted if (m.chat_id, str(m.message_id)) not in recorded]
    assert len(posted) - len(again) == len(due)  # every reminder, each recorded once
    before_kill = [
        min((k - m.at for k in kills if k >= m.at - LAG), default=-LAG - 1) for m in again
    ]
    # A second copy only of what was accepted in the moment before a kill.
    assert all(-LAG <= s <= WINDOW for s in before_kill), [
        # which copy, how long before the next kill, and how long after the last one
        (
            m.chat_id,
            m.message_id,
            round(s, 3),
            round(min(m.at - k for k in [-1e9, *kills] if k <= m.at), 3),
        )
        for m, s in zip(again, before_kill, strict=True)
        if not -LAG <= s <= WINDOW
    ]

    assert tg.limited == 0, tg.limited_by
    gaps = [
        later - earlier
        for m in tg.sent
        for earlier, later in zip(m.edited_at, m.edited_at[1:], strict=False)
    ]
    assert gaps and min(gaps) >= INTERVAL - EDIT_TOLERANCE
    record(
        "shared-work",
        processes=PROCESSES,
        kills=len(kills),
        seconds=round(time.time() - start),
        presses_sent=len(presses),
        presses_acknowledged=len([p for p in presses if p[3] in acked]),
        acknowledged_lost=lost,
        reminders_due=len(due),
        reminders_posted=len(posted) - len(again),
        reminders_posted_twice=len(again),
        longest_accepted_before_kill=round(max(before_kill, default=0.0), 2),
        rate_limited=tg.limited,
        edits=sum(m.edits for m in tg.sent),
        shortest_edit_gap=round(min(gaps), 3),
        posts_by_process=sorted(proxy.answered_by.values()),
    )


def cards(tg: FakeTelegram) -> dict[int, Message]:
    """Each event's announcement card, by event id (read from its buttons)."""
    found: dict[int, Message] = {}
    for m in tg.sent:
        buttons = m.buttons()
        if buttons and "Reminder" not in m.visible:
            found.setdefault(int(buttons[0][0][1].split(":")[2]), m)
    return found


async def every_second_until(check: Callable[[], bool], timeout: float) -> None:
    """For a check that reads the database: it blocks the loop the fakes run on."""
    for _ in range(int(timeout)):
        if check():
            return
        await asyncio.sleep(1.0)
    raise AssertionError("timed out waiting for the bot")


def statuses(db: Path) -> set[str]:
    return {str(r[0]) for r in query(db, "SELECT status FROM outbox WHERE purpose = 'remind'")}
