"""Members and organisers on Telegram: the real python-telegram-bot client inside Muster,
talking HTTP to a local Bot API server."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime

from bot.platforms.telegram import TelegramMessenger
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, ORGANISER, InProcess, eventually
from tests.fakes.telegram_api import FakeTelegram

NEW = "/newevent Branch meeting | Thu 3 Dec 7.30pm | Bethnal Green Library, E2 0HL"


async def announce(world: InProcess, line: str = NEW) -> int:
    outs = await world.say(line)
    [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    return card.message_id


async def test_commands_are_registered_from_the_table(world: InProcess, tg: FakeTelegram) -> None:
    members = {c["command"] for c in tg.commands["default"]}
    organisers = {c["command"] for c in tg.commands["all_chat_administrators"]}
    assert {"events", "rsvp", "my", "forgetme"} <= members
    assert "newevent" not in members and "editevent" not in members
    assert {"editevent", "checkin", "link", "motionstatus"} <= organisers
    assert {"newevent", "attendees", "export", "settings"} <= organisers


async def test_one_line_event_is_announced_with_buttons(world: InProcess, tg: FakeTelegram) -> None:
    message_id = await announce(world)
    card = tg.find(GROUP, message_id)
    assert card is not None and card.parse_mode == "HTML"
    assert card.text.startswith("<b>Branch meeting</b>\n\nBranch meeting · #1")
    assert "Thu 3 Dec 2026, 19:30 (GMT)" in card.visible
    assert "E2 0HL" in card.visible and "openstreetmap.org" in card.visible
    assert card.buttons() == [
        [("Going", "rsvp:going:1"), ("Maybe", "rsvp:maybe:1"), ("Can't go", "rsvp:no:1")]
    ]


async def test_a_burst_of_presses_ends_with_exact_counts_and_few_edits(
    world: InProcess, tg: FakeTelegram
) -> None:
    message_id = await announce(world)
    answers = ["going"] * 30 + ["maybe"] * 5 + ["no"] * 3
    for i, answer in enumerate(answers):
        tg.press(GROUP, MEMBER_BASE + i, f"Member Number{i}", message_id, f"rsvp:{answer}:1")
    tg.press(GROUP, MEMBER_BASE, "Member Number0", message_id, "rsvp:going:1")  # twice
    await eventually(lambda: len(tg.toasts) == len(answers) + 1)
    card = tg.find(GROUP, message_id)
    assert card is not None
    # The coalesced edits end with the final counts.
    await eventually(lambda: "Going 30 · Maybe 5 · Can't go 3" in card.visible)
    await world.settle()
    assert card.edits <= 6, card.edits
    assert "You're going to Branch meeting." in [t for _, t in tg.toasts]
    assert "You had already answered that for Branch meeting." in [t for _, t in tg.toasts]
    assert all("Member" not in m.visible for m in world.group())


async def test_attendees_go_privately_and_export_is_a_csv(
    world: InProcess, tg: FakeTelegram
) -> None:
    message_id = await announce(world)
    tg.press(GROUP, 201, "Amy Jones", message_id, "rsvp:going:1")
    tg.press(GROUP, 202, "Ben Ng", message_id, "rsvp:maybe:1")
    await eventually(lambda: len(tg.toasts) == 2)
    outs = await world.say("/attendees 1")
    private = tg.history(ORGANISER)
    assert any("Going (1): Amy Jones" in m.visible for m in private)
    assert [m.visible for m in outs if m.chat_id == GROUP] == ["#1: Going 1 · Maybe 1 · Can't go 0"]
    assert all("Amy" not in m.visible for m in world.group())
    await world.say("/export 1")
    [doc] = [m for m in tg.history(ORGANISER) if m.document]
    assert doc.document is not None
    rows = list(csv.reader(io.StringIO(doc.document[1].decode())))
    assert [r[2:4] for r in rows[1:]] == [["Amy Jones", "going"], ["Ben Ng", "maybe"]]
    assert any(m.visible == "I've sent that to you privately." for m in world.group())


async def test_members_are_refused_organiser_commands(world: InProcess) -> None:
    outs = await world.say(NEW, user=MEMBER_BASE, name="Amy")
    assert [m.visible for m in outs] == ["Only this group's organisers can do that."]


async def test_an_anonymous_administrator_is_an_organiser(world: InProcess) -> None:
    outs = await world.say(
        "/newevent Rally | tomorrow 18:00 | Square",
        user=1087968824,
        name="Group",
        sender_chat={"id": GROUP, "type": "group", "title": "Branch chat"},
    )
    assert any("Rally · #1" in m.visible for m in outs)


async def test_user_text_is_escaped_never_markup(world: InProcess, tg: FakeTelegram) -> None:
    message_id = await announce(
        world, "/newevent <b>@everyone</b> | tomorrow 19:00 | <i>Hall</i> & co"
    )
    card = tg.find(GROUP, message_id)
    assert card is not None
    assert "<b>&lt;b&gt;@everyone&lt;/b&gt;</b>" in card.text
    assert "&lt;i&gt;Hall&lt;/i&gt; &amp; co" in card.text
    assert card.visible.startswith("<b>@everyone</b>")


async def test_bad_input_gets_one_line_through_telegram(world: InProcess) -> None:
    for line, expect in [
        ("/rsvp", "Which event? Give its number: /events lists them."),
        ("/rsvp 1 perhaps-not", "is not an answer"),
        ("/event 99", "There is no event #99"),
        ("/rsvp 1 yes +99", "Guests are written +1 to +10"),
        ("/events " + "x" * 1001, "too long"),
        ("/newevent M | when pigs fly | Hall", "can't read"),
    ]:
        outs = await world.say(line)
        assert len(outs) == 1 and "\n" not in outs[0].visible and expect in outs[0].visible, line


async def test_a_reminder_is_posted_at_its_offset_with_counts(
    world: InProcess, tg: FakeTelegram
) -> None:
    message_id = await announce(world, "/newevent Stall | tomorrow 10:00 | Market | remind=2h")
    tg.press(GROUP, 301, "Amy", message_id, "rsvp:going:1")
    await eventually(lambda: len(tg.toasts) == 1)
    assert world.app is not None
    world.clock.set(datetime(2026, 11, 24, 7, 59, tzinfo=UTC))
    await world.app.scheduler.run_due()
    assert not any("Reminder" in m.visible for m in world.group())
    world.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    await world.app.scheduler.run_due()
    [reminder] = [m for m in world.group() if "Reminder" in m.visible]
    assert "⏰ Reminder: Stall is in 2 hours." in reminder.visible
    assert "Going 1 · Maybe 0 · Can't go 0" in reminder.visible
    assert reminder.buttons()[0][0] == ("Going", "rsvp:going:1")


async def test_blocked_member_gets_a_start_link_once(world: InProcess, tg: FakeTelegram) -> None:
    tg.blocked.add(MEMBER_BASE)
    outs = await world.say("/mydata", user=MEMBER_BASE, name="Amy")
    assert len(outs) == 1
    assert "https://t.me/muster_test_bot?start=hello" in outs[0].visible
    tg.blocked.discard(MEMBER_BASE)
    await world.say("/iam clp=Harborough", user=MEMBER_BASE, name="Amy")
    outs = await world.say("/mydata", user=MEMBER_BASE, name="Amy")
    assert any(m.document for m in tg.history(MEMBER_BASE))


async def test_private_chat_start_shows_the_notice(world: InProcess, tg: FakeTelegram) -> None:
    await world.say("/start", user=MEMBER_BASE, name="Amy", chat=MEMBER_BASE)
    texts = [m.visible for m in tg.history(MEMBER_BASE)]
    assert any("Privacy: Muster keeps only" in t for t in texts)
    consent = [m for m in tg.history(MEMBER_BASE) if m.buttons()]
    assert consent[-1].buttons() == [[("I agree", "privacy:consent:0")]]


async def test_the_guided_form_over_replies(world: InProcess, tg: FakeTelegram) -> None:
    [ask] = await world.say("/newevent")
    assert ask.reply_markup == {"force_reply": True, "selective": True}
    [ask] = await world.say("Branch social", reply_to=ask.message_id)
    [ask] = await world.say("tomorrow 19:00", reply_to=ask.message_id)
    [confirm] = await world.say("The Crown", reply_to=ask.message_id)
    assert confirm.buttons()[0][0] == ("Create", "form:create:0")
    tg.press(GROUP, ORGANISER, "Olive Organiser", confirm.message_id, "form:create:0")
    await eventually(
        lambda: any("Branch social" in m.visible and m.buttons() for m in world.group())
    )


async def test_long_texts_are_split_on_paragraphs(world: InProcess, tg: FakeTelegram) -> None:
    from bot.messaging import Card, ChatRef

    assert world.app is not None
    telegram = world.app.messengers.for_platform("telegram")
    paragraphs = tuple(f"Paragraph {i}. " + "word " * 150 for i in range(12))
    await telegram.send(ChatRef("telegram", str(GROUP)), Card(blocks=paragraphs))
    sent = world.group()
    assert len(sent) >= 2 and all(len(m.visible) <= 4096 for m in sent)
    assert all(m.visible.startswith("Paragraph") for m in sent)


async def test_flood_control_delays_but_loses_nothing(world: InProcess, tg: FakeTelegram) -> None:
    tg.rate_limit_next = 2
    await world.say("/newevent Rally | tomorrow 18:00 | Square")
    await eventually(lambda: any("Rally · #1" in m.visible for m in world.group()))
    assert tg.rate_limit_next == 0  # both 429s were answered, and waited out
    assert len([m for m in world.group() if "Rally · #1" in m.visible]) == 1


async def test_upgrade_to_supergroup_keeps_everything(world: InProcess, tg: FakeTelegram) -> None:
    await announce(world)
    await world.say("/settings clp=Harborough")
    new_id = -1009999999999
    tg.admins[new_id] = {ORGANISER}
    tg.migrate(GROUP, new_id)
    await asyncio.sleep(0.3)
    outs = await world.say("/events", chat=new_id)
    assert "#1 Thu 3 Dec 19:30 · Branch meeting" in outs[0].visible
    outs = await world.say("/settings", chat=new_id)
    assert "clp = Harborough" in outs[0].visible


async def test_added_says_hello_and_removed_stops_posting(
    world: InProcess, tg: FakeTelegram
) -> None:
    tg.membership(-2002, ORGANISER, "member")
    await eventually(lambda: any("Hello! I'm Muster" in m.visible for m in tg.history(-2002)))
    await announce(world, "/newevent Stall | tomorrow 10:00 | Market | remind=2h")
    tg.membership(GROUP, ORGANISER, "left")
    await asyncio.sleep(0.3)
    assert world.app is not None
    world.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    before = len(world.group())
    await world.app.scheduler.run_due()
    assert len(world.group()) == before


async def test_a_new_administrator_is_recognised_at_once(
    world: InProcess, tg: FakeTelegram
) -> None:
    refused = await world.say("/settings", user=MEMBER_BASE, name="Amy")
    assert refused[0].visible == "Only this group's organisers can do that."
    tg.promote(GROUP, MEMBER_BASE)
    await asyncio.sleep(0.3)
    outs = await world.say("/settings", user=MEMBER_BASE, name="Amy")
    assert outs[0].visible.startswith("Settings of this group:")


async def test_administrators_are_cached_a_while_and_expired_chats_dropped(
    world: InProcess, tg: FakeTelegram
) -> None:
    assert world.app is not None
    messenger = world.app.messengers.for_platform("telegram")
    assert isinstance(messenger, TelegramMessenger)
    now = [0.0]
    messenger.admins.clock = lambda: now[0]  # the cache's own clock, moved by hand
    other = GROUP - 1
    tg.admins[other] = {ORGANISER}
    await world.say("/settings")
    await world.say("/settings")
    assert tg.count("getchatadministrators") == 1
    now[0] += 61.0  # a minute later
    outs = await world.say("/settings", chat=other)
    assert outs[0].visible.startswith("Settings of this group:")
    assert tg.count("getchatadministrators") == 2
    # The first group's list expired and nobody asked since: it is no longer held.
    assert messenger.admins.chats() == {other}
    await world.say("/settings")
    assert tg.count("getchatadministrators") == 3


SCRIPT = [
    ("/newevent Meeting | Thu 3 Dec 19:30 | Hall", "Meeting · #1"),
    ("/newsignup Stall | slots=Morning:2", "Sign-up sheet · #1"),
    ("/start", "Muster keeps this group's calendar"),
    ("/help", "For organisers:"),
    ("/events", "#1 Thu 3 Dec 19:30 · Meeting"),
    ("/event 1", "Going 0 · Maybe 0 · Can't go 0"),
    ("/rsvp 1 yes +1", "You're going to Meeting (+1)."),
    ("/my", "#1 Thu 3 Dec 19:30 · Meeting — Going +1"),
    ("/motions", "/motion mandatory-reselection"),
    ("/motion mandatory-reselection", "welcomes the 2017 General Election"),
    ("/postmotion mandatory-reselection 1", "For Meeting (#1"),
    ("/signups", "#1 Stall — Morning: 2 of 2 places left"),
    ("/signup 1 1", "You're down for Stall (Morning)."),
    ("/unsignup 1", "You're no longer down for Stall."),
    ("/iam clp=Harborough branch=Lutterworth", "CLP: Harborough · Branch: Lutterworth."),
    ("/whoami", "CLP: Harborough · Branch: Lutterworth"),
    ("/settings branch=Lutterworth", "branch = Lutterworth"),
    ("/attendees 1", "Going (1): Olive Organiser +1"),
    ("/export 1", "RSVPs for Meeting"),
    ("/mydata", "Everything Muster holds about you."),
    ("/forgetme", "This erases everything Muster holds about you"),
    ("/calendar", "muster-events.ics"),
    ("/editevent 1 where=Room 2", "Updated #1 (location)."),
    ("/checkin 1", "Check-in is open for Meeting"),
    ("/newmotion buses | Save our buses | {branch} backs the buses.", "Lutterworth backs"),
    ("/motionstatus buses submitted", "Save our buses: submitted here"),
    ("/motiontally buses", "submitted in 1 group"),
    ("/link", "Link code:"),
    ("/unlink", "not linked"),
    ("/cancelevent 1 Hall flooded", "❌ Cancelled: Meeting (#1) — Hall flooded"),
]


async def test_every_command_answers_in_the_group(world: InProcess, tg: FakeTelegram) -> None:
    for line, expect in SCRIPT:
        before = len(tg.sent)
        await world.say(line)

        def shown(before: int = before) -> list[str]:
            outs = tg.sent[before:]
            return [m.visible for m in outs] + [m.document[0] for m in outs if m.document]

        # Some answers (a cancellation's notice) go through the outbox after the reply.
        try:
            await eventually(lambda e=expect: any(e in t for t in shown()), timeout=5)
        except AssertionError:
            raise AssertionError((line, shown())) from None


async def test_member_commands_answer_in_a_private_chat(world: InProcess, tg: FakeTelegram) -> None:
    await world.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    for line, expect in [
        ("/help", "For everyone:"),
        ("/motions", "/motion mandatory-reselection"),
        ("/motion mandatory-reselection", "[name of your branch] welcomes"),
        ("/iam clp=Harborough", "CLP: Harborough"),
        ("/whoami", "CLP: Harborough"),
        ("/my", "You have no upcoming RSVPs"),
        ("/mydata", "Everything Muster holds about you."),
        ("/forgetme", "This erases everything"),
        ("/events", "Use this command in your group's chat."),
        ("/newevent X | tomorrow 19:00 | Hall", "Use this command in your group's chat."),
    ]:
        outs = await world.say(line, user=MEMBER_BASE, name="Amy", chat=MEMBER_BASE)
        assert all(m.chat_id == MEMBER_BASE for m in outs)
        texts = [m.visible for m in outs] + [m.document[0] for m in outs if m.document]
        assert any(expect in t for t in texts), (line, texts)
