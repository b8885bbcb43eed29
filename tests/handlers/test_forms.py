"""The guided form: /newevent with no arguments asks title, when, where, then confirms."""

from __future__ import annotations

from bot.commands import BY_NAME
from bot.forms import Forms
from bot.messaging import ChatRef, Invocation, UserRef
from tests.harness import GROUP, Harness, one_line


async def plain(bot: Harness, text: str, user: str = "org") -> list:  # type: ignore[type-arg]
    inv = Invocation(
        chat=GROUP,
        user=UserRef("test", user),
        user_name=user.capitalize(),
        chat_title="Test group",
        args=text,
    )
    mark = bot.mark()
    await bot.running.dispatcher.handle(inv)
    await bot.settle()
    return bot.since(mark)


async def test_the_form_creates_the_same_event_as_the_one_line_form(bot: Harness) -> None:
    [ask] = await bot.say("/newevent")
    assert "what is it called?" in ask.text and ask.card is not None and ask.card.expects_reply
    [ask] = await plain(bot, "Branch meeting")
    assert "When is it?" in ask.text
    assert "past" in one_line(await plain(bot, "yesterday 19:00"))  # asked again
    [ask] = await plain(bot, "Thu 3 Dec 7.30pm")
    assert "Where is it?" in ask.text
    [confirm] = await plain(bot, "Library | E2 0HL")  # a | cannot break the line form
    assert "Create “Branch meeting” — Thu 3 Dec 7.30pm — Library / E2 0HL?" in confirm.text
    assert confirm.card is not None
    assert [b.action for b in confirm.card.buttons[0]] == ["form:create:0", "form:cancel:0"]
    outs = await bot.press("form:create:0")
    [announcement] = [o for o in outs if o.kind == "send"]
    assert "Branch meeting · #1" in announcement.text
    assert "Thu 3 Dec 2026, 19:30 (GMT)" in announcement.text
    assert [o.text for o in outs if o.kind == "toast"] == ["Created and announced."]
    assert "no longer valid" in one_line(await bot.press("form:create:0"))


async def test_a_too_long_answer_is_refused_and_asked_again(bot: Harness) -> None:
    await bot.say("/newevent")
    refusal = one_line(await plain(bot, "x" * 201))
    assert refusal.startswith("The Title is too long (at most 200 characters). Example: /newevent")
    [ask] = await plain(bot, "Branch meeting")  # still the first question
    assert "When is it?" in ask.text


async def test_the_form_can_be_cancelled(bot: Harness) -> None:
    await bot.say("/newevent")
    await plain(bot, "Social")
    assert one_line(await bot.say("/cancel")) == "Cancelled: nothing was created."
    assert one_line(await bot.say("/cancel")) == "There is nothing to cancel."
    assert await plain(bot, "Pub") == []  # a plain group message is not for us


async def test_forms_held_at_once_are_bounded_and_the_idlest_go_first(bot: Harness) -> None:
    forms = Forms(most=3)
    for n in range(5):
        forms.start(("test", "group", f"user-{n}"), BY_NAME["newevent"])
    assert [forms.get(("test", "group", f"user-{n}")) is not None for n in range(5)] == [
        False,
        False,
        True,
        True,
        True,
    ]
    # Expired forms make room before any idle one is dropped.
    expiring = Forms(timeout=-1, most=2)
    expiring.start(("test", "group", "a"), BY_NAME["newevent"])
    expiring.timeout = 600
    expiring.start(("test", "group", "b"), BY_NAME["newevent"])
    expiring.start(("test", "group", "c"), BY_NAME["newevent"])
    assert expiring.get(("test", "group", "b")) is not None
    assert expiring.get(("test", "group", "c")) is not None


async def test_the_form_is_for_organisers_and_one_person(bot: Harness) -> None:
    assert "organisers" in one_line(await bot.say("/newevent", user="amy"))
    await bot.say("/newevent")
    assert await plain(bot, "Not mine", user="amy") == []
    other = ChatRef("test", "group-2")
    inv = Invocation(chat=other, user=UserRef("test", "org"), user_name="Org", args="x")
    await bot.running.dispatcher.handle(inv)
    [ask] = await plain(bot, "Mine")
    assert "When is it?" in ask.text


async def test_organiser_commands_in_a_private_chat_point_to_the_group(bot: Harness) -> None:
    assert one_line(await bot.say("/newevent", private=True)) == (
        "Use this command in your group's chat."
    )


async def test_organisers_added_in_settings(bot: Harness) -> None:
    await bot.say("/iam clp=X", user="amy", name="Amy Jones")  # Amy is known now
    [saved] = await bot.say("/settings organisers=Amy Jones")
    assert "organisers = Amy Jones" in saved.text
    outs = await bot.say("/newevent Stall | tomorrow 10:00 | Market", user="amy")
    assert any("Street stall · #1" in o.text for o in outs if o.kind == "send")
    assert "No member of this group answers to “Zed”" in one_line(
        await bot.say("/settings organisers=Zed")
    )
    await bot.say("/settings organisers=none")
    assert "organisers" in one_line(await bot.say("/cancelevent 1", user="amy"))
