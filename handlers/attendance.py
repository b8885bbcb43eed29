"""Who said what: names go to organisers privately, never into the group."""

from __future__ import annotations

import csv
import io

from bot.arguments import Args
from bot.context import Context
from bot.domain.rsvp import Answer
from bot.messaging import OutFile
from bot.render import names_block, short_when
from bot.storage import events as event_store
from handlers.lookup import group_event


async def attendees(ctx: Context, args: Args) -> None:
    ctx.group()
    event = await group_event(ctx, args.number("id"))
    people = await event_store.attendees(ctx.session, event.id)
    counts = (await event_store.counts(ctx.session, [event.id]))[event.id]
    by_answer: dict[Answer, list[str]] = {}
    for person in people:
        label = person.name + (f" +{person.guests}" if person.guests else "")
        by_answer.setdefault(person.answer, []).append(label)
    when = short_when(event.starts_at, event.timezone)
    ctx.reply_private(
        f"{event.title} (#{event.id}, {when})\n{counts.line(event.capacity)}\n\n"
        + names_block(by_answer)
    )
    ctx.reply(f"#{event.id}: {counts.line(event.capacity)}")
    await ctx.audit("attendees", f"#{event.id} {event.title}")


async def export(ctx: Context, args: Args) -> None:
    ctx.group()
    event = await group_event(ctx, args.number("id"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["event_id", "event", "name", "answer", "guests", "answered_at"])
    for person in await event_store.attendees(ctx.session, event.id):
        writer.writerow(
            [
                event.id,
                _safe(event.title),
                _safe(person.name),
                person.answer.value,
                person.guests,
                person.updated_at.isoformat(),
            ]
        )
    data = buffer.getvalue().encode("utf-8")
    await ctx.audit("export", f"#{event.id} {event.title}")
    ctx.send_file(OutFile(f"event-{event.id}-rsvps.csv", data, f"RSVPs for {event.title}"))


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas: a name such as "=HYPERLINK(…)" stays text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
