"""Organiser actions are recorded with who, when and what, and shown privately."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from tests.harness import Harness, one_line


async def test_organiser_actions_are_audited_and_shown_privately(bot: Harness) -> None:
    await bot.say("/newevent Branch meeting | Thu 3 Dec 19:30 | Hall", name="Olive Organiser")
    bot.clock.set(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    await bot.say("/settings clp=Harborough show_names=no", name="Olive Organiser")
    await bot.say("/export 1", name="Olive Organiser")
    await bot.say("/cancelevent 1 Hall flooded", name="Olive Organiser")
    outs = await bot.say("/audit", name="Olive Organiser")
    [shown] = [o for o in outs if o.kind == "private" and "Recent organiser actions" in o.text]
    lines = shown.text.splitlines()[1:]
    assert lines[0] == "23 Nov 11:00 · Olive Organiser · cancel · #1 Branch meeting: Hall flooded"
    assert lines[1] == "23 Nov 11:00 · Olive Organiser · export · #1 Branch meeting"
    assert lines[2] == "23 Nov 11:00 · Olive Organiser · settings · clp, show_names"
    assert lines[3] == "23 Nov 10:00 · Olive Organiser · create · #1 Branch meeting"
    assert "Only this group's organisers" in one_line(await bot.say("/audit", user="amy"))


async def test_the_audit_holds_ids_not_member_data(bot: Harness) -> None:
    await bot.say("/iam clp=X", user="amy", name="Amy Jones")
    await bot.say("/settings organisers=Amy Jones", name="Olive Organiser")
    async with bot.running.db.read() as session:
        rows = (await session.execute(text("SELECT actor_id, action, detail FROM audit"))).all()
    assert rows == [(2, "settings", "organisers")]
    await bot.say("/forgetme", name="Olive Organiser")
    action = (
        [o for o in bot.messenger.log if o.card and o.card.buttons][-1].card.buttons[0][0].action
    )  # type: ignore[union-attr]
    await bot.press(action, name="Olive Organiser")
    # The erased organiser's action stays, without a name.
    outs = await bot.say("/audit", name="Olive Organiser")
    [shown] = [o for o in outs if "Recent organiser actions" in o.text]
    assert "(erased member) · settings · organisers" in shown.text
    assert "Olive" not in shown.text
