"""A member's journey in Welsh and in Polish on both platforms, through the real
python-telegram-bot and discord.py clients: the group's card, the toast of a press,
the reminder, the privacy notice, /help, and the commands as each platform lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from tests.e2e.discord_world import DiscordWorld
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, InProcess, eventually
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram

REMINDER_DUE = datetime(2026, 11, 26, 17, 30, tzinfo=UTC)  # two hours before


@dataclass(frozen=True)
class Journey:
    code: str
    # What the member's app says its language is: Telegram and Discord have no Welsh,
    # so a Welsh speaker's says English; a Polish speaker's says Polish.
    telegram_app: str
    discord_app: str
    new: str
    card: str
    when: str
    buttons: tuple[str, str, str]
    toast: str
    reminder: str
    counts: str
    privacy: str
    consent: str
    help_intro: str
    events_summary: str


WELSH = Journey(
    code="cy",
    telegram_app="en",
    discord_app="en-GB",
    new="Cyfarfod cangen | Iau 26 Tach 19:30 | Llyfrgell Caerffili | remind=2h",
    card="Cyfarfod cangen · #1",
    when="Iau 26 Tach 2026, 19:30 (GMT)",
    buttons=("Yn dod", "Efallai", "Methu dod"),
    toast="Rydych chi'n dod i Cyfarfod cangen.",
    reminder="⏰ Nodyn atgoffa: mae Cyfarfod cangen ymhen 2 awr.",
    counts="Yn dod 1 · Efallai 0 · Methu dod 0",
    privacy="Preifatrwydd: dim ond yr hyn sydd ei angen",
    consent="Rydw i'n cytuno",
    help_intro="Mae Muster yn cadw calendr y grŵp hwn",
    events_summary="Digwyddiadau i ddod gyda rhif, dyddiad a chyfrifon",
)
POLISH = Journey(
    code="pl",
    telegram_app="pl",
    discord_app="pl",
    new="Zebranie koła | czw. 26 lis 19:30 | Biblioteka | remind=2h",
    card="Zebranie koła · #1",
    when="czw., 26 lis 2026, 19:30 (GMT)",
    buttons=("Będę", "Może", "Nie mogę"),
    toast="Będziesz na: Zebranie koła.",
    reminder="⏰ Przypomnienie: Zebranie koła za 2 godziny.",
    counts="Będzie 1 · Może 0 · Nie może 0",
    privacy="Prywatność: Muster przechowuje tylko",
    consent="Zgadzam się",
    help_intro="Muster prowadzi kalendarz tej grupy",
    events_summary="Nadchodzące wydarzenia z numerem, datą i liczbą odpowiedzi",
)
JOURNEYS = pytest.mark.parametrize("journey", [WELSH, POLISH], ids=["cy", "pl"])


@JOURNEYS
async def test_a_members_journey_on_telegram(
    journey: Journey, world: InProcess, tg: FakeTelegram
) -> None:
    member, app = MEMBER_BASE + 1, journey.telegram_app
    # Telegram lists the commands in the language of the member's app.
    listed = {
        c["command"]: c["description"] for c in tg.localised_commands[("default", journey.code)]
    }
    assert listed["events"] == journey.events_summary
    await world.say(f"/settings language={journey.code}")
    outs = await world.say("/newevent " + journey.new)
    [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    assert journey.card in card.visible and journey.when in card.visible
    assert [label for label, _ in card.buttons()[0]] == list(journey.buttons)
    tg.press(GROUP, member, "Amy Jones", card.message_id, "rsvp:going:1", language=app)
    await eventually(lambda: len(tg.toasts) == 1)
    assert tg.toasts[0][1] == journey.toast
    assert world.app is not None
    world.clock.set(REMINDER_DUE)
    await world.app.scheduler.run_due()
    [reminder] = [m for m in world.group() if "⏰" in m.visible]
    assert journey.reminder in reminder.visible and journey.counts in reminder.visible
    # Privately: the member's own language (a Welsh speaker says so once).
    await world.say(f"/settings language={journey.code}", user=member, chat=member, language=app)
    await world.say("/start", user=member, chat=member, language=app)
    private = tg.history(member)
    assert any(m.visible.startswith(journey.privacy) for m in private)
    assert private[-1].buttons() == [[(journey.consent, "privacy:consent:0")]]
    [help_card] = await world.say("/help", user=member, language=app)
    assert journey.help_intro in help_card.visible
    assert f"/events [page] — {journey.events_summary}" in help_card.visible


@JOURNEYS
async def test_a_members_journey_on_discord(
    journey: Journey, discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    member, app = "6001", journey.discord_app
    events = next(c for c in dc.commands if c["name"] == "events")
    if journey.code == "pl":  # Discord has Polish; it has no Welsh
        assert events["description_localizations"] == {"pl": journey.events_summary}
    await discord_world.run("settings", changes=f"language={journey.code}")
    await discord_world.run("newevent", details=journey.new)
    [card] = [m for m in discord_world.channel() if m.buttons()]
    assert journey.card in card.text and journey.when in card.text
    assert [label for label, _ in card.buttons()] == list(journey.buttons)
    token = await dc.press(card, "rsvp:going:1", user=member, user_name="Amy Jones", locale=app)
    await eventually(lambda: dc.answers(token))
    [toast] = dc.answers(token)
    assert toast.ephemeral and toast.text == journey.toast
    assert discord_world.app is not None
    discord_world.clock.set(REMINDER_DUE)
    await discord_world.app.scheduler.run_due()
    await eventually(lambda: any("⏰" in m.text for m in discord_world.channel()))
    [reminder] = [m for m in discord_world.channel() if "⏰" in m.text]
    assert journey.reminder in reminder.text and journey.counts in reminder.text
    private = dict(user=member, user_name="Amy Jones", organiser=False, dm=True, locale=app)
    await discord_world.run("settings", changes=f"language={journey.code}", **private)
    outs = await discord_world.run("start", **private)
    assert any(m.text.startswith(journey.privacy) for m in outs)
    assert any(m.buttons() == [(journey.consent, "privacy:consent:0")] for m in outs)
    outs = await discord_world.run(
        "help", user=member, user_name="Amy", organiser=False, locale=app
    )
    assert any(journey.help_intro in m.text for m in outs)


async def test_a_polish_member_in_an_english_discord_server_is_answered_in_polish(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details="Branch meeting | Thu 26 Nov 19:30 | Library")
    [card] = [m for m in discord_world.channel() if m.buttons()]
    assert [label for label, _ in card.buttons()] == ["Going", "Maybe", "Can't go"]
    # Only they see the answer: in their language. The server reads English.
    outs = await discord_world.run(
        "rsvp", id=1, answer="yes", user="6002", user_name="Ola", organiser=False, locale="pl"
    )
    assert [m.text for m in outs if m.ephemeral] == ["Będziesz na: Branch meeting."]
    outs = await discord_world.run(
        "events", user="6002", user_name="Ola", organiser=False, locale="pl"
    )
    assert any(m.text.startswith("Upcoming events:") and not m.ephemeral for m in outs)
