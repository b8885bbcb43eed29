"""The privacy notice, consent, a copy of the data, erasure, and who may do what."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text

from bot.storage.tables import Member, Rsvp
from tests.harness import Harness, one_line


async def test_start_in_private_shows_the_notice_and_consent_is_recorded(bot: Harness) -> None:
    outs = await bot.say("/start", user="amy", private=True)
    texts = [o.text for o in outs]
    assert any("Privacy: Muster keeps only what its features need" in t for t in texts)
    notice = [o for o in outs if o.card is not None and o.card.buttons]
    assert notice[-1].card is not None
    assert notice[-1].card.buttons[0][0].action == "privacy:consent:0"
    toast = one_line(await bot.press("privacy:consent:0", user="amy"))
    assert toast.startswith("Thank you: your consent is recorded (23 Nov 2026 10:00 UTC)")
    async with bot.running.db.read() as session:
        member = (await session.scalars(select(Member))).one()
        assert member.consent_at == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
        assert member.notice_shown_at is not None


async def test_the_notice_comes_once(bot: Harness) -> None:
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    await bot.press("rsvp:going:1", user="amy")
    first = [o for o in await bot.say("/my", user="amy") if o.kind == "private"]
    second = [o for o in await bot.say("/my", user="amy") if o.kind == "private"]
    assert first[0].text.startswith("Privacy:") and len(first) == 2
    assert len(second) == 1 and not second[0].text.startswith("Privacy:")


async def test_mydata_is_a_file_of_everything_held(bot: Harness) -> None:
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    await bot.say("/newsignup Stall | slots=Morning:2")
    await bot.say("/iam clp=Harborough branch=Lutterworth", user="amy", name="Amy Jones")
    await bot.say("/rsvp 1 maybe +1", user="amy", name="Amy Jones")
    await bot.say("/signup 1 1", user="amy", name="Amy Jones")
    outs = await bot.say("/mydata", user="amy")
    [file] = [o for o in outs if o.kind == "file"]
    assert file.file is not None and file.file.name.endswith(".json")
    data = json.loads(file.file.data)
    assert data["member"]["display_name"] == "Amy Jones"
    assert data["member"]["clp"] == "Harborough"
    assert data["rsvps"][0]["answer"] == "maybe" and data["rsvps"][0]["guests"] == 1
    assert data["signups"] == [{"sheet_id": 1, "sheet": "Stall", "slot": "Morning"}]
    assert data["member"]["privacy_notice_shown_at"]


async def test_forgetme_asks_then_erases_leaving_past_counts(bot: Harness) -> None:
    await bot.say("/newevent Past meeting | tomorrow 19:00 | Hall")
    await bot.say("/newevent Future meeting | Thu 3 Dec 19:30 | Hall")
    await bot.say("/newsignup Stall")
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    await bot.press("rsvp:going:2", user="amy", name="Amy Jones")
    await bot.say("/signup 1", user="amy", name="Amy Jones")
    outs = await bot.say("/forgetme", user="amy")
    ask = [o for o in outs if o.kind == "private" and o.card and o.card.buttons]
    action = ask[-1].card.buttons[0][0].action  # type: ignore[union-attr]
    assert action.startswith("privacy:forget:")
    assert one_line(await bot.press(action, user="mallory")) == "That button is no longer valid."
    bot.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # meeting 1 is now past
    assert one_line(await bot.press(action, user="amy")).startswith("Done: everything")
    async with bot.running.db.read() as session:
        assert [m.platform_user_id for m in await session.scalars(select(Member))] == ["org"]
        rsvps = (await session.scalars(select(Rsvp))).all()
        assert [(r.event_id, r.member_id) for r in rsvps] == [(1, None)]
        rows = []
        for table in ("members", "rsvps", "signups", "events"):
            rows += (await session.execute(text(f"SELECT * FROM {table}"))).all()
        dump = "\n".join(str(row) for row in rows)
    assert "Amy" not in dump and "'amy'" not in dump
    [listing] = await bot.say("/events")
    assert "Future meeting · 0 going" in listing.text


async def test_someone_else_cannot_press_your_erase_button(bot: Harness) -> None:
    await bot.say("/iam clp=X", user="amy")
    await bot.say("/iam clp=Y", user="ben")
    outs = await bot.say("/forgetme", user="amy")
    action = [o for o in outs if o.card and o.card.buttons][-1].card.buttons[0][0].action  # type: ignore[union-attr]
    assert one_line(await bot.press(action, user="ben")) == "That button is no longer valid."
    async with bot.running.db.read() as session:
        assert len((await session.scalars(select(Member))).all()) == 2


async def test_a_member_who_cannot_be_reached_privately_is_told_how(bot: Harness) -> None:
    bot.messenger.unreachable.add("amy")
    outs = await bot.say("/my", user="amy")
    assert [o.kind for o in outs] == ["answer"]
    assert "open a private chat with me" in outs[0].text


async def test_organiser_commands_refuse_members(bot: Harness) -> None:
    for line in (
        "/newevent X | tomorrow 19:00 | Hall",
        "/cancelevent 1",
        "/attendees 1",
        "/export 1",
        "/postmotion mandatory-reselection",
        "/newsignup X",
        "/settings clp=X",
    ):
        assert one_line(await bot.say(line, user="amy")) == (
            "Only this group's organisers can do that."
        ), line


async def test_answers_to_old_events_become_anonymous_counts(bot: Harness) -> None:
    await bot.say("/newevent Old meeting | tomorrow 19:00 | Hall")
    await bot.say("/newevent Next year | 2027-11-30 19:00 | Hall")
    for user in ("amy", "ben", "cat"):
        await bot.press("rsvp:going:1", user=user)
        await bot.press("rsvp:maybe:2", user=user)
    assert not any((await bot.running.apply_retention()).values())  # nothing is old yet
    bot.clock.set(datetime(2027, 11, 25, 12, 0, tzinfo=UTC))  # a year and a day later
    assert (await bot.running.apply_retention())["answers"] == 3
    async with bot.running.db.read() as session:
        rows = (
            await session.execute(
                text("SELECT event_id, member_id IS NULL, answer FROM rsvps ORDER BY id")
            )
        ).all()
    assert sorted(rows) == [(1, 1, "going")] * 3 + [(2, 0, "maybe")] * 3
    outs = await bot.say("/attendees 2")
    assert any("Maybe (3)" in o.text for o in outs)
