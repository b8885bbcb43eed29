"""A flaky Telegram (20 % of sends and edits answered 429 or 500): every announcement,
edit and reminder gets through once, late but not lost, and nothing spins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.storage.tables import Outbox
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, InProcess, eventually
from tests.fakes.telegram_api import FakeTelegram
from tests.metrics import sample
from tests.reliability.figures import record

EVENTS = 6


async def pending(world: InProcess) -> int:
    assert world.app is not None
    async with world.app.db.read() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(Outbox)
                .where(Outbox.chat_id.is_not(None), Outbox.status != "sent")
            )
            or 0
        )


async def drain(world: InProcess, until: datetime) -> None:
    """Let time pass in five-minute steps, as the scheduler's retries need it to."""
    assert world.app is not None
    while world.clock.now() < until:
        world.clock.advance(minutes=5)
        await world.app.scheduler.run_due()


async def test_every_delivery_and_edit_arrives_once_despite_faults(
    world: InProcess, tg: FakeTelegram
) -> None:
    assert world.app is not None
    tg.fault_rate = 0.2
    for i in range(EVENTS):
        tg.say(
            GROUP,
            1,
            "Olive Organiser",
            f"/newevent Stall {i} | tomorrow 1{i}:00 | Market | remind=2h",
        )
    await eventually(lambda: tg.count("sendmessage") >= EVENTS, timeout=60)
    await drain(world, world.clock.now() + timedelta(hours=1))
    announced = [m for m in world.group() if "· #" in m.visible and "Reminder" not in m.visible]
    titles = sorted(m.visible.split("\n")[0] for m in announced)
    assert titles == [f"Stall {i}" for i in range(EVENTS)]  # each once
    first = next(m for m in announced if m.visible.startswith("Stall 0"))
    # The six commands are handled side by side: Stall 0 is not necessarily #1.
    [[(_, going), *_]] = first.buttons()
    event_id = going.rsplit(":", 1)[1]
    for n in range(30):
        answer = ("going", "maybe", "no")[n % 3]
        data = f"rsvp:{answer}:{event_id}"
        tg.press(GROUP, MEMBER_BASE + n, f"Member Number{n}", first.message_id, data)
    await eventually(lambda: tg.pending_updates == 0 and len(tg.toasts) >= 25, timeout=60)
    # The edit gets through, despite the faults.
    await eventually(lambda: "Going 10 · Maybe 10 · Can't go 10" in first.visible, timeout=60)
    await world.app.live.idle()
    world.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    await drain(world, datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    reminders = sorted(m.visible.split("\n")[2] for m in world.group() if "Reminder" in m.visible)
    assert reminders == [f"⏰ Reminder: Stall {i} is in 2 hours." for i in range(EVENTS)]
    assert await pending(world) == 0
    sends = tg.count("sendmessage")
    needed = len(world.group())
    assert sends < needed * 3, "retries must not spin"
    assert tg.faults.get(429, 0) > 0 and tg.faults.get(500, 0) > 0
    # The operator sees each 429 on /metrics.
    assert (
        sample(world.app.metrics, "muster_platform_rate_limited_total", platform="telegram")
        == (tg.faults[429])
    )
    record(
        "platform-faults",
        fault_rate=tg.fault_rate,
        faults_429=tg.faults.get(429, 0),
        faults_500=tg.faults.get(500, 0),
        announcements=EVENTS,
        reminders=len(reminders),
        messages_delivered=needed,
        send_calls=sends,
        edits=first.edits,
        lost=0,
        duplicates=0,
    )


async def test_a_chat_the_bot_was_removed_from_is_not_retried(
    world: InProcess, tg: FakeTelegram
) -> None:
    assert world.app is not None
    tg.say(GROUP, 1, "Olive Organiser", "/newevent Stall | tomorrow 10:00 | Market | remind=2h,1h")
    await eventually(lambda: any("Street stall · #1" in m.visible for m in world.group()))
    tg.gone_chats.add(GROUP)  # kicked, and Telegram did not tell us
    world.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    await world.app.scheduler.run_due()
    calls = tg.count("sendmessage")
    await drain(world, datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    assert tg.count("sendmessage") == calls  # the 1h reminder is not even tried
    async with world.app.db.read() as session:
        statuses = sorted(
            (await session.scalars(select(Outbox.status).where(Outbox.purpose == "remind"))).all()
        )
    assert statuses == ["failed", "skipped"]
