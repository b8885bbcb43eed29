"""Who said what and who came: names go to organisers privately, never into the group."""

from __future__ import annotations

import csv
import io

from bot import results, strings
from bot.actions import CheckInPress
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.rsvp import Answer
from bot.domain.text import spreadsheet_safe
from bot.messaging import Button, Card, OutFile
from bot.render import names_block, short_when
from bot.results import Result
from bot.services import attendance
from bot.services.attendance import Report
from bot.strings import attendance as words
from bot.strings import examples
from handlers import people

CHECKIN_EXAMPLE = examples.CHECKIN


async def attendees(ctx: Context, args: Args) -> Result:
    """With an id: who answered and who came. Without: who the group's members are."""
    chat = ctx.require_group()
    event_id = args.opt_number("id")
    if event_id is None:
        with ctx.privately():
            return await _branches(ctx)
    if args.text("nudge"):
        word = args.text("nudge")
        if word.strip().lower() != "nudge":
            raise UserError(words.NOT_A_VERB.format(word=word[:20]), "/attendees 12 nudge")
        done = await attendance.nudge(ctx.tx, chat, ctx, event_id)
        if done.asked_before:
            text = words.NUDGED_BEFORE.format(done.asked, id=event_id, before=done.asked_before)
        else:
            text = words.NUDGED.format(done.asked, id=event_id)
        return results.answer(text, done.effects)
    found = await attendance.report(ctx.tx, chat, ctx, event_id, "attendees")
    event, counts = found.event, found.counts
    by_answer: dict[Answer, list[str]] = {}
    for person in found.people:
        label = person.name + (f" +{person.guests}" if person.guests else "")
        by_answer.setdefault(person.answer, []).append(label)
    with ctx.privately():  # the names go to the organiser alone, in their language
        when = short_when(event.starts_at, event.timezone)
        head = words.HEAD.format(title=event.title, id=event.id, when=when)
        text = f"{head}\n{counts.line(event.capacity)}\n\n" + names_block(by_answer)
        if by_answer.get(Answer.WAITING):
            waiting = ", ".join(by_answer[Answer.WAITING])
            text += "\n" + words.WAITING_LIST.format(names=waiting)
        if found.came or event.checkin_until is not None:
            text += "\n\n" + _came_block(found)
    line = counts.line(event.capacity)
    public = (
        words.COUNTS_LINE_CAME.format(id=event.id, counts=line, came=len(found.came))
        if found.came
        else words.COUNTS_LINE.format(id=event.id, counts=line)
    )
    return results.private(text) + results.here(public)


def _came_block(found: Report) -> str:
    said_yes = {p.member_id: p.name for p in found.people if p.answer is Answer.GOING}
    kept = [n for m, n in said_yes.items() if m in found.came]
    missed = [n for m, n in said_yes.items() if m not in found.came]
    walked_in = [n for m, n in found.came.items() if m not in said_yes]
    return "\n".join(
        sentence.format(n=len(names), names=", ".join(names) if names else "—")
        for sentence, names in (
            (words.SAID_YES_CAME, kept),
            (words.SAID_YES_MISSED, missed),
            (words.CAME_UNASKED, walked_in),
        )
    )


async def _branches(ctx: Context) -> Result:
    months = ctx.settings.reconfirm_months
    found = await attendance.branches(ctx.tx, ctx.require_group(), ctx, months)
    lines = [words.MEMBERS_HERE.format(n=found.members), words.BY_BRANCH.format()]
    lines += [f"• {name or words.NO_BRANCH}: {n}" for name, n in found.by_branch] or ["• —"]
    lines.append(words.UNCONFIRMED.format(months=months, n=found.unconfirmed))
    lines.append(words.NO_FACTS.format(n=found.without_facts))
    return results.private("\n".join(lines))


async def export(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    found = await attendance.report(ctx.tx, chat, ctx, args.number("id"), "export")
    event = found.event
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with ctx.privately():  # the file is theirs: its headings in their language
        writer.writerow([heading.format() for heading in words.CSV_HEADINGS])
    for person in found.people:
        writer.writerow(
            [
                event.id,
                spreadsheet_safe(event.title),
                spreadsheet_safe(person.name),
                person.answer.value,
                person.guests,
                person.updated_at.isoformat(),
                "yes" if person.member_id in found.came else "no",
            ]
        )
    answered = {p.member_id for p in found.people}
    for member_id, name in found.came.items():
        if member_id not in answered:
            writer.writerow(
                [event.id, spreadsheet_safe(event.title), spreadsheet_safe(name), "", 0, "", "yes"]
            )
    data = buffer.getvalue().encode("utf-8")
    caption = words.RSVPS_FOR.format(title=event.title)
    return results.file(OutFile(f"event-{event.id}-rsvps.csv", data, caption))


async def checkin(ctx: Context, args: Args) -> Result:
    """Open check-in (an "I'm here" button for the event's duration), or mark members."""
    chat = ctx.require_group()
    event_id = args.number("id")
    named = await people.named(ctx, args.text("names"), CHECKIN_EXAMPLE)
    if named:
        event, marked = await attendance.mark(ctx.tx, chat, ctx, event_id, named)
        names = ", ".join(marked) or "—"
        with ctx.privately():
            marked_privately = words.MARKED_PRIVATE.format(title=event.title, names=names)
        return results.private(marked_privately) + results.answer(
            words.MARKED.format(len(marked), id=event.id)
        )
    event, until = await attendance.open_checkin(ctx.tx, chat, ctx, event_id)
    text = strings.CHECKIN_OPEN.format(title=event.title, until=short_when(until, event.timezone))
    button = Button(str(strings.IM_HERE), CheckInPress(event.id).pack())
    return results.here(Card.text(text).with_buttons((button,)))


async def press(ctx: Context, action: CheckInPress) -> Result:
    """The member says they have arrived."""
    chat = ctx.require_group()
    member = await ctx.member_or_create()
    event, fresh = await attendance.check_in(ctx.tx, chat, member, action.event_id)
    sentence = words.WELCOME if fresh else words.ALREADY_IN
    return results.toast(sentence.format(title=event.title), shrink=event.title)
