"""Motions, sign-up sheets and settings through the dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.harness import Harness, one_line


async def test_motions_are_listed_and_filled_for_the_group(bot: Harness) -> None:
    [listing] = await bot.say("/motions", user="amy")
    assert "Mandatory reselection of Labour MPs — /motion mandatory-reselection" in listing.text
    [blank] = await bot.say("/motion mandatory-reselection", user="amy")
    assert blank.text.count("[name of your branch] welcomes the 2017") == 1
    assert "We call on the [name of your CLP] CLP" in blank.text
    await bot.say("/settings branch=Market Harborough clp=Harborough")
    [filled] = await bot.say("/motion mandatory-reselection", user="amy")
    assert "Market Harborough welcomes the 2017 General Election results" in filled.text
    assert "We call on the Harborough CLP to support a rule change" in filled.text
    assert "Source: Model motion published" in filled.text


async def test_a_long_motion_is_split_to_the_platforms_limit(bot: Harness) -> None:
    bot.messenger.max_text = 500
    outs = await bot.say("/motion mandatory-reselection")
    assert len(outs) > 1
    assert all(len(o.text) <= 500 for o in outs)
    joined = " ".join(o.text for o in outs)
    assert "welcomes the 2017" in joined and "before each general election" in joined


async def test_postmotion_attaches_to_a_meeting(bot: Harness) -> None:
    await bot.say("/newevent CLP meeting | Thu 3 Dec 19:30 | Hall")
    outs = await bot.say("/postmotion mandatory-reselection 1")
    posted = [o for o in outs if o.kind == "reply"]
    assert posted[0].text.startswith("Mandatory reselection of Labour MPs\n\nFor CLP meeting (#1")
    edits = [o for o in outs if o.kind == "edit"]
    assert "📜 Motion: Mandatory reselection of Labour MPs" in edits[-1].text
    assert "{date}" not in posted[0].text


async def test_unknown_motion(bot: Harness) -> None:
    assert "no motion “nope”" in one_line(await bot.say("/motion nope"))
    assert "no motion" in one_line(
        await bot.say("/newevent M | tomorrow 19:00 | Hall | motion=nope")
    )


async def test_signup_sheet_with_slots_and_capacity(bot: Harness) -> None:
    [sheet] = await bot.say(
        "/newsignup Saturday stall | slots=Sat 10-12:1, Sat 12-2:2 | deadline=Fri 18:00"
    )
    assert "1. Sat 10-12 — 1 of 1 places left" in sheet.text
    assert "Sign up by Fri 27 Nov 18:00." in sheet.text
    assert sheet.card is not None
    assert [b.action for row in sheet.card.buttons for b in row] == [
        "signup:join:1:1",
        "signup:join:1:2",
    ]
    assert one_line(await bot.say("/signup 1 1", user="amy")) == (
        "You're down for Saturday stall (Sat 10-12). Withdraw with /unsignup 1."
    )
    full = one_line(await bot.say("/signup 1 1", user="ben"))
    assert full.startswith("Saturday stall (Sat 10-12) is full. Still open: 2. Sat 12-2")
    assert "Example: /signup 1 1 wait" in full
    assert "You're down" in one_line(await bot.press("signup:join:1:2", user="ben"))
    assert "already down" in one_line(await bot.say("/signup 1 sat 12", user="ben"))
    assert "Which slot?" in one_line(await bot.say("/signup 1", user="cat"))
    [listing] = await bot.say("/signups", user="cat")
    assert "#1 Saturday stall — Sat 10-12: full, Sat 12-2: 1 of 2 places left" in listing.text
    assert "no longer down" in one_line(await bot.say("/unsignup 1", user="amy"))
    assert "weren't signed up" in one_line(await bot.say("/unsignup 1", user="amy"))
    bot.clock.set(datetime(2026, 11, 27, 18, 1, tzinfo=UTC))
    assert "have closed" in one_line(await bot.say("/signup 1 1", user="dan"))


async def test_a_sheet_without_slots_is_one_list(bot: Harness) -> None:
    await bot.say("/newsignup Tell me more about the campaign")
    assert "You're down for Tell me more" in one_line(await bot.say("/signup 1", user="amy"))
    [listing] = await bot.say("/signups")
    assert "1 signed up" in listing.text


async def test_settings_are_validated_before_any_is_applied(bot: Harness) -> None:
    assert "Unknown timezone" in one_line(
        await bot.say("/settings clp=Leicester timezone=Mars/Olympus")
    )
    [shown] = await bot.say("/settings")
    assert "clp = —" in shown.text and "timezone = Europe/London" in shown.text
    [saved] = await bot.say("/settings timezone=America/New_York remind=2d,1h show_names=yes")
    assert "timezone = America/New_York" in saved.text and "remind = 2d,1h" in saved.text
    assert "show_names = yes" in saved.text
    assert one_line(await bot.say("/settings clp=Mine", user="amy")) == (
        "Only this group's organisers can do that."
    )


async def test_new_events_read_times_in_the_groups_timezone(bot: Harness) -> None:
    await bot.say("/settings timezone=America/New_York")
    outs = await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    assert "Thu 3 Dec 2026, 19:30 (EST)" in outs[0].text


async def test_iam_and_whoami_are_private(bot: Harness) -> None:
    outs = await bot.say("/iam clp=Harborough branch=Market Harborough", user="amy")
    private = [o for o in outs if o.kind == "private"]
    assert private[0].text.startswith("Privacy:")  # first private word: the notice
    assert "CLP: Harborough · Branch: Market Harborough. Saved" in private[-1].text
    assert [o.text for o in outs if o.kind == "answer"] == ["I've sent that to you privately."]
    outs = await bot.say("/whoami", user="amy")
    private = [o for o in outs if o.kind == "private"]
    assert len(private) == 1 and "confirmed 23 Nov 2026" in private[0].text
    assert "“Harborough” is not key=value." in one_line(
        await bot.say("/iam Harborough", user="amy")
    )


async def test_my_lists_plans_privately(bot: Harness) -> None:
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    await bot.say("/newsignup Stall | slots=Morning:2")
    await bot.say("/rsvp 1 yes +1", user="amy")
    await bot.say("/signup 1 1", user="amy")
    outs = await bot.say("/my", user="amy")
    [plans] = [o for o in outs if o.kind == "private" and "Your plans" in o.text]
    assert "#1 Thu 3 Dec 19:30 · Meeting — Going +1" in plans.text
    assert "Sign-up #1 Stall (Morning)" in plans.text
