"""Who said what and who came: names go to organisers privately, never into the group."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import timedelta

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import Kind
from bot.domain.outbox import Purpose
from bot.domain.rsvp import Answer
from bot.messaging import Button, Card, OutFile
from bot.render import names_block, short_when
from bot.storage import attendance, outbox
from bot.storage import events as event_store
from bot.storage import members as member_store
from bot.storage.tables import Event
from handlers import people
from handlers.lookup import group_event

CHECKIN_EARLY = timedelta(minutes=30)  # the door opens before the start
DEFAULT_LENGTH = timedelta(hours=3)
CHECKIN_EXAMPLE = "/checkin 12 @amy, Ben Ng"


async def attendees(ctx: Context, args: Args) -> None:
    """With an id: who answered and who came. Without: who the group's members are."""
    ctx.group()
    event_id = args.opt_number("id")
    if event_id is None:
        await _members_summary(ctx)
        return
    event = await group_event(ctx, event_id, own=True)
    if args.text("nudge"):
        await _nudge(ctx, event, args.text("nudge"))
        return
    people = await event_store.attendees(ctx.session, event.id)
    counts = (await event_store.counts(ctx.session, [event.id]))[event.id]
    by_answer: dict[Answer, list[str]] = {}
    for person in people:
        label = person.name + (f" +{person.guests}" if person.guests else "")
        by_answer.setdefault(person.answer, []).append(label)
    when = short_when(event.starts_at, event.timezone)
    text = f"{event.title} (#{event.id}, {when})\n{counts.line(event.capacity)}\n\n"
    text += names_block(by_answer)
    if by_answer.get(Answer.WAITING):
        text += "\nWaiting list: " + ", ".join(by_answer[Answer.WAITING])
    came = await attendance.present(ctx.session, event.id)
    if came or event.checkin_until is not None:
        text += "\n\n" + _came_block(people, came)
    ctx.reply_private(text)
    came_text = f" · came {len(came)}" if came else ""
    ctx.reply(f"#{event.id}: {counts.line(event.capacity)}{came_text}")
    await ctx.audit("attendees", f"#{event.id} {event.title}")


def _came_block(people: list[event_store.Attendee], came: dict[int, str]) -> str:
    said_yes = {p.member_id: p.name for p in people if p.answer is Answer.GOING}
    kept = [n for m, n in said_yes.items() if m in came]
    missed = [n for m, n in said_yes.items() if m not in came]
    walked_in = [n for m, n in came.items() if m not in said_yes]
    return "\n".join(
        f"{label} ({len(names)}): " + (", ".join(names) if names else "—")
        for label, names in (
            ("Said yes and came", kept),
            ("Said yes but didn't come", missed),
            ("Came without saying yes", walked_in),
        )
    )


async def _members_summary(ctx: Context) -> None:
    chat = ctx.group()
    everyone = await member_store.of_chat(ctx.session, chat.id)
    months = ctx.settings.reconfirm_months
    stale_before = ctx.now - timedelta(days=30 * months)
    branches = Counter(m.branch.strip() or "(no branch given)" for m in everyone)
    with_facts = [m for m in everyone if m.clp or m.branch]
    unconfirmed = sum(
        1 for m in with_facts if m.facts_confirmed_at is None or m.facts_confirmed_at < stale_before
    )
    lines = [f"Members who have used Muster here: {len(everyone)}", "By branch:"]
    lines += [f"• {name}: {n}" for name, n in sorted(branches.items())] or ["• —"]
    lines.append(f"Facts unconfirmed (over {months} months old): {unconfirmed}")
    lines.append(f"No CLP or branch given: {len(everyone) - len(with_facts)}")
    ctx.reply_private("\n".join(lines))
    await ctx.audit("members", "counts by branch")


async def _nudge(ctx: Context, event: Event, word: str) -> None:
    if word.strip().lower() != "nudge":
        raise UserError(f"“{word[:20]}” is not something /attendees does.", "/attendees 12 nudge")
    if event.status != event_store.SCHEDULED or event.starts_at <= ctx.now:
        raise UserError(f"Event #{event.id} is over or cancelled: there is nobody to nudge.")
    if event.kind == Kind.DEADLINE.value:
        raise UserError(strings.DEADLINE_NO_RSVP.format(id=event.id))
    everyone = await member_store.of_chat(ctx.session, ctx.group().id)
    answered = {p.member_id for p in await event_store.attendees(ctx.session, event.id)}
    quiet = [m.id for m in everyone if m.id not in answered and m.consent_at is not None]
    added = await outbox.add_for_members(
        ctx.session, quiet, Purpose.NUDGE, str(event.id), ctx.now, event.id
    )
    await ctx.audit("nudge", f"#{event.id} {len(added)} members")
    before = len(quiet) - len(added)
    ctx.answer(
        f"Nudged {len(added)} member(s) privately about #{event.id}"
        + (f"; {before} had been nudged before." if before else ".")
        + " Only members who use Muster here and agreed to its privacy notice are asked."
    )
    ctx.wake()


async def export(ctx: Context, args: Args) -> None:
    ctx.group()
    event = await group_event(ctx, args.number("id"), own=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["event_id", "event", "name", "answer", "guests", "answered_at", "came"])
    came = await attendance.present(ctx.session, event.id)
    people = await event_store.attendees(ctx.session, event.id)
    for person in people:
        writer.writerow(
            [
                event.id,
                _safe(event.title),
                _safe(person.name),
                person.answer.value,
                person.guests,
                person.updated_at.isoformat(),
                "yes" if person.member_id in came else "no",
            ]
        )
    answered = {p.member_id for p in people}
    for member_id, name in came.items():
        if member_id not in answered:
            writer.writerow([event.id, _safe(event.title), _safe(name), "", 0, "", "yes"])
    data = buffer.getvalue().encode("utf-8")
    await ctx.audit("export", f"#{event.id} {event.title}")
    ctx.send_file(OutFile(f"event-{event.id}-rsvps.csv", data, f"RSVPs for {event.title}"))


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas: a name such as "=HYPERLINK(…)" stays text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


async def checkin(ctx: Context, args: Args) -> None:
    """Open check-in (an "I'm here" button for the event's duration), or mark members."""
    ctx.group()
    event = await group_event(ctx, args.number("id"), for_update=True, own=True)
    if event.status != event_store.SCHEDULED:
        raise UserError(strings.EVENT_CANCELLED.format(id=event.id))
    if event.kind == Kind.DEADLINE.value:
        raise UserError(f"#{event.id} is a deadline: nobody attends it.")
    until = event.ends_at or event.starts_at + DEFAULT_LENGTH
    if ctx.now >= until:
        raise UserError(f"Event #{event.id} is over: check-in has closed.")
    named = await people.named(ctx, args.text("names"), CHECKIN_EXAMPLE)
    if named:
        marker = await ctx.member()
        marked = []
        for member in named:
            if await attendance.mark(ctx.session, event.id, member.id, marker.id, ctx.now):
                marked.append(member.display_name)
        await ctx.audit("checkin", f"#{event.id} marked {len(marked)}")
        ctx.reply_private(f"Marked present at {event.title}: " + (", ".join(marked) or "—"))
        ctx.answer(f"Marked {len(marked)} present at #{event.id}.")
        return
    event.checkin_until = until
    await ctx.audit("checkin", f"#{event.id} opened")
    text = strings.checkin_open(event.title, short_when(until, event.timezone))
    ctx.reply(Card.text(text).with_buttons((Button(strings.IM_HERE, f"checkin:here:{event.id}"),)))


async def press(ctx: Context, verb: str, ids: list[int]) -> None:
    """`checkin:here:<event>`: the member says they have arrived."""
    if verb != "here" or len(ids) != 1:
        raise UserError(strings.STALE_BUTTON)
    ctx.group()
    event = await group_event(ctx, ids[0])
    until = event.checkin_until
    if until is None or event.status != event_store.SCHEDULED:
        raise UserError(f"Check-in for #{event.id} is not open.")
    if ctx.now < event.starts_at - CHECKIN_EARLY or ctx.now >= until:
        opens = short_when(event.starts_at - CHECKIN_EARLY, event.timezone)
        raise UserError(
            f"Check-in for {event.title} opens at {opens}."
            if ctx.now < event.starts_at
            else f"Check-in for {event.title} has closed."
        )
    member = await ctx.member()
    if await attendance.mark(ctx.session, event.id, member.id, None, ctx.now):
        ctx.toast(f"Welcome to {event.title}! You're checked in.", shrink=event.title)
    else:
        ctx.toast(f"You're already checked in at {event.title}.", shrink=event.title)
