"""Events and answers, as organisers and members see them."""

from __future__ import annotations

import csv
import io

from tests.harness import Harness, one_line

NEW = "/newevent Branch meeting | Thu 3 Dec 7.30pm | Bethnal Green Library, E2 0HL"


async def create(bot: Harness, line: str = NEW) -> int:
    outs = await bot.say(line)
    sends = [o for o in outs if o.kind == "send"]
    assert len(sends) == 1, [o.text for o in outs]
    first = sends[0].text
    return int(first.split("· #")[1].split()[0])


async def test_the_announcement_shows_everything_with_buttons(bot: Harness) -> None:
    outs = await bot.say(
        NEW + " | capacity=30 | desc=Agenda: motions | motion=mandatory-reselection"
    )
    [announcement] = [o for o in outs if o.kind == "send"]
    card = announcement.card
    assert card is not None and card.title == "Branch meeting"
    text = card.plain()
    assert "Branch meeting · #1" in text  # kind guessed from the title
    assert "Thu 3 Dec 2026, 19:30 (GMT)" in text
    assert "📍 Bethnal Green Library, E2 0HL" in text
    assert "https://www.openstreetmap.org/search?query=E2%200HL" in text
    assert "Agenda: motions" in text
    assert "Motion: Mandatory reselection of Labour MPs" in text
    assert "Going 0/30 · Maybe 0 · Can't go 0" in text
    assert [[b.label for b in row] for row in card.buttons] == [["Going", "Maybe", "Can't go"]]
    assert [b.action for b in card.buttons[0]] == ["rsvp:going:1", "rsvp:maybe:1", "rsvp:no:1"]


async def test_events_lists_ids_dates_and_counts(bot: Harness) -> None:
    await create(bot)
    await create(bot, "/newevent Rally for the NHS | tomorrow 18:00 | Town Hall")
    await bot.press("rsvp:going:2", user="amy")
    [listing] = await bot.say("/events", user="amy")
    lines = listing.text.splitlines()
    assert lines[1] == "#2 Tue 24 Nov 18:00 · Rally for the NHS · 1 going, 0 maybe"
    assert lines[2] == "#1 Thu 3 Dec 19:30 · Branch meeting · 0 going, 0 maybe"


async def test_deadlines_count_down_and_take_no_answers(bot: Harness) -> None:
    outs = await bot.say("/newevent CLP nominations close | 26 Nov")
    [card] = [o for o in outs if o.kind == "send"]
    assert card.card is not None and card.card.buttons == ()
    [listing] = await bot.say("/events")
    assert "CLP nominations close · closes in 3 days" in listing.text
    assert "is a deadline" in one_line(await bot.say("/rsvp 1 yes", user="amy"))


async def test_press_records_and_counts_follow_by_edit(bot: Harness) -> None:
    await create(bot)
    outs = await bot.press("rsvp:going:1", user="amy", name="Amy")
    toasts = [o for o in outs if o.kind == "toast"]
    assert [t.text for t in toasts] == ["You're going to Branch meeting."]
    edits = [o for o in outs if o.kind == "edit"]
    assert edits and "Going 1 · Maybe 0 · Can't go 0" in edits[-1].text
    assert "Amy" not in edits[-1].text  # counts only in the group


async def test_repeated_answer_changes_nothing_and_another_changes_it(bot: Harness) -> None:
    await create(bot)
    await bot.press("rsvp:going:1", user="amy")
    again = await bot.press("rsvp:going:1", user="amy")
    assert [o.text for o in again] == ["You had already answered that for Branch meeting."]
    outs = await bot.press("rsvp:no:1", user="amy")
    assert "Going 0 · Maybe 0 · Can't go 1" in [o for o in outs if o.kind == "edit"][-1].text


async def test_guests_count_and_capacity_holds(bot: Harness) -> None:
    await create(bot, NEW + " | capacity=3")
    answer = await bot.say("/rsvp 1 yes +1", user="amy")
    assert answer[0].kind == "answer" and "(+1)" in answer[0].text
    await bot.press("rsvp:going:1", user="ben")
    [full] = [o.text for o in await bot.press("rsvp:going:1", user="cat") if o.kind == "toast"]
    assert full.startswith("You're number 1 on the waiting list for Branch meeting.")
    assert "is full" in one_line(await bot.say("/rsvp 1 yes +2", user="ben"))
    await bot.press("rsvp:maybe:1", user="cat")  # a maybe is always welcome
    await bot.press("rsvp:no:1", user="amy")  # a place frees…
    await bot.press("rsvp:going:1", user="cat")  # …and can be taken
    [listing] = await bot.say("/events")
    assert "2/3 going" in listing.text


async def test_a_press_keeps_the_members_guests(bot: Harness) -> None:
    await create(bot)
    await bot.say("/rsvp 1 maybe +2", user="amy")
    outs = await bot.press("rsvp:going:1", user="amy")
    assert "(+2)" in outs[0].text


async def test_names_stay_private_unless_the_group_shows_them(bot: Harness) -> None:
    await create(bot)
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    [card] = await bot.say("/event 1", user="ben")
    assert "Amy" not in card.text and "Going 1" in card.text
    await bot.say("/settings show_names=yes")
    [card] = await bot.say("/event 1", user="ben")
    assert "Going (1): Amy Jones" in card.text


async def test_attendees_go_privately_with_counts_in_the_group(bot: Harness) -> None:
    await create(bot)
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    await bot.say("/rsvp 1 maybe +1", user="ben", name="Ben Ng")
    await bot.press("rsvp:no:1", user="cat", name="Cat Roe")
    outs = await bot.say("/attendees 1")
    private = [o for o in outs if o.kind == "private"]
    group = [o for o in outs if o.kind in ("reply", "send")]
    assert "Going (1): Amy Jones" in private[-1].text
    assert "Maybe (1): Ben Ng +1" in private[-1].text
    assert "Can't go (1): Cat Roe" in private[-1].text
    assert [o.text for o in group] == ["#1: Going 1 · Maybe 2 · Can't go 1"]
    assert one_line(await bot.say("/attendees 1", user="amy")) == (
        "Only this group's organisers can do that."
    )


async def test_export_is_a_csv_with_one_row_per_answer(bot: Harness) -> None:
    await create(bot)
    await bot.press("rsvp:going:1", user="amy", name='=HYPERLINK("x")')
    await bot.press("rsvp:maybe:1", user="ben", name="Ben")
    outs = await bot.say("/export 1")
    [file] = [o for o in outs if o.kind == "file"]
    assert file.file is not None and file.target.id == "org"
    rows = list(csv.reader(io.StringIO(file.file.data.decode())))
    assert rows[0] == ["event_id", "event", "name", "answer", "guests", "answered_at", "came"]
    assert [r[2:4] for r in rows[1:]] == [['\'=HYPERLINK("x")', "going"], ["Ben", "maybe"]]
    assert [o.text for o in outs if o.kind == "answer"] == ["I've sent that to you privately."]


async def test_cancel_posts_in_the_group_and_freezes_the_card(bot: Harness) -> None:
    await create(bot)
    await bot.press("rsvp:going:1", user="amy")
    outs = await bot.say("/cancelevent 1 Venue flooded")
    texts = [o.text for o in outs]
    assert any("❌ Cancelled: Branch meeting (#1) — Venue flooded" in t for t in texts)
    edit = [o for o in outs if o.kind == "edit"][-1]
    assert "CANCELLED: Venue flooded" in edit.text and edit.card and edit.card.buttons == ()
    assert "was cancelled" in one_line(await bot.press("rsvp:going:1", user="ben"))
    [listing] = await bot.say("/events")
    assert "No upcoming events" in listing.text


async def test_another_groups_event_is_invisible(bot: Harness) -> None:
    from bot.messaging import ChatRef

    await create(bot)
    other = ChatRef("test", "group-2")
    assert "no event #1" in one_line(await bot.say("/event 1", chat=other))
    assert "no event #1" in one_line(await bot.press("rsvp:going:1", user="amy", chat=other))


async def test_user_text_is_never_markup(bot: Harness) -> None:
    outs = await bot.say("/newevent <b>@everyone</b> | tomorrow 19:00 | <i>Hall</i>")
    [card] = [o for o in outs if o.kind == "send"]
    assert card.card is not None and card.card.title == "<b>@everyone</b>"
    assert "📍 <i>Hall</i>" in card.text
