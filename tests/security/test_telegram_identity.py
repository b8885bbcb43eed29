"""On the real python-telegram-bot client: members named by @username, by a mention
that carries the user, or by replying to them; forwarded commands never run; the start
link the bot hands out is answered with the welcome."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.storage.tables import ChatOrganiser, Member
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, ORGANISER, InProcess, eventually
from tests.fakes.telegram_api import FakeTelegram

AMY, BEN, EVE = MEMBER_BASE + 1, MEMBER_BASE + 2, MEMBER_BASE + 3


async def organisers(world: InProcess) -> list[str]:
    assert world.app is not None
    async with world.app.db.read() as session:
        rows = await session.scalars(
            select(Member.platform_user_id).join(
                ChatOrganiser, ChatOrganiser.member_id == Member.id
            )
        )
        return sorted(rows)


async def test_organisers_by_username_mention_and_reply(world: InProcess, tg: FakeTelegram) -> None:
    # Amy (with a username) and Ben (without one) have used Muster in the group.
    await world.say("/iam branch=Bow", user=AMY, name="Amy Jones", username="AmyJ")
    await world.say("/iam branch=Bow", user=BEN, name="Ben Ng")
    outs = await world.say(
        "/settings organisers=@amyj, Ben Ng",
        text_mentions={"Ben Ng": (BEN, "Ben Ng")},
    )
    assert any("organisers = Amy Jones, Ben Ng" in m.visible for m in outs)
    assert await organisers(world) == [str(AMY), str(BEN)]
    # Replying to Eve's message names her, though she never used Muster.
    outs = await world.say("/settings organisers=@amyj", reply_to_member=(EVE, "Eve Stall"))
    assert any("organisers = Amy Jones, Eve Stall" in m.visible for m in outs)
    assert await organisers(world) == [str(AMY), str(EVE)]


async def test_a_copied_display_name_does_not_make_an_organiser(
    world: InProcess, tg: FakeTelegram
) -> None:
    await world.say("/iam branch=Bow", user=AMY, name="Amy Jones")
    await world.say("/iam branch=Bow", user=EVE, name="Amy Jones")  # copied the name
    outs = await world.say("/settings organisers=Amy Jones")
    assert "More than one member here is called “Amy Jones”" in outs[-1].visible
    assert await organisers(world) == []


async def test_a_forwarded_command_is_never_run(world: InProcess, tg: FakeTelegram) -> None:
    # An organiser forwards a member's message that reads like a command.
    before = len(tg.sent)
    tg.say(
        GROUP,
        ORGANISER,
        "Olive Organiser",
        "/newevent Fake rally | tomorrow 10:00 | Town square",
        forwarded_from=(EVE, "Eve Stall"),
    )
    outs = await world.say("/events")
    assert len(tg.sent) == before + 1, [m.visible for m in tg.sent[before:]]
    assert "Fake rally" not in outs[0].visible


async def test_the_start_link_is_answered_with_the_welcome(
    world: InProcess, tg: FakeTelegram
) -> None:
    outs = await world.say("/start hello", user=AMY, name="Amy", chat=AMY)
    texts = " ".join(m.visible for m in outs)
    assert "Muster keeps this group's calendar" in texts
    assert "Privacy: Muster keeps only what its features need" in texts
    await asyncio.sleep(0)
    await eventually(lambda: any(m.buttons() for m in tg.history(AMY)))
