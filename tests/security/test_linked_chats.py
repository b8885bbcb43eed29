"""Linked chats keep each group's privacy and rights: names show only where both the
event's own group and the showing chat allow them, and an organiser of one chat
changes only that chat's own events."""

from __future__ import annotations

from bot.messaging import ChatRef
from tests.harness import GROUP, Harness, one_line

OTHER = ChatRef("test", "group-2")


async def link(bot: Harness) -> None:
    [code_out] = [o for o in await bot.say("/link") if "Link code" in o.text]
    code = code_out.text.split("Link code: ")[1].split()[0]
    assert "Linked." in (await bot.say(f"/link {code}", chat=OTHER))[0].text


async def test_names_show_only_where_both_groups_allow_them(bot: Harness) -> None:
    await link(bot)
    await bot.say("/settings show_names=yes", chat=OTHER)  # this group hides names
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")  # #1, this group's own
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    shown_here = (await bot.say("/event 1"))[0].text
    shown_there = (await bot.say("/event 1", chat=OTHER))[0].text
    assert "Amy Jones" not in shown_here and "Amy Jones" not in shown_there
    assert "Going 1" in shown_there
    # An event of the group that shows names shows them there, and not here.
    await bot.say("/newevent Social | Fri 4 Dec 19:30 | Pub", chat=OTHER)  # #2
    await bot.press("rsvp:going:2", user="ben", name="Ben Ng", chat=OTHER)
    assert "Ben Ng" in (await bot.say("/event 2", chat=OTHER))[0].text
    assert "Ben Ng" not in (await bot.say("/event 2"))[0].text
    await bot.say("/settings show_names=yes")
    assert "Amy Jones" in (await bot.say("/event 1", chat=OTHER))[0].text  # both allow now


async def test_a_motion_is_attached_only_to_the_chats_own_events(bot: Harness) -> None:
    await link(bot)
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")  # #1, GROUP's own
    refusal = one_line(await bot.say("/postmotion mandatory-reselection 1", chat=OTHER))
    assert "comes from a linked chat" in refusal
    card = (await bot.say("/event 1", chat=GROUP))[0].text
    assert "mandatory-reselection" not in card.lower()
