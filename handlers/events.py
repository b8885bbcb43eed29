"""Creating, listing, showing, changing and cancelling events."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import calendar_file, strings
from bot.arguments import Args
from bot.cards import event_views, public_view
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import (
    DEADLINE_TIME,
    EDIT_EXAMPLE,
    NEWEVENT_EXAMPLE,
    EventEdit,
    Kind,
    clean_line,
    parse_edit,
    parse_new_event,
)
from bot.domain.reminders import format_offsets
from bot.domain.rsvp import Answer
from bot.domain.text import one_line
from bot.domain.timeparse import parse_end, parse_when
from bot.messaging import OutFile
from bot.render import event_card, event_line
from bot.services import delivery, waiting
from bot.services import series as series_dates
from bot.storage import events as event_store
from bot.storage import links
from bot.storage import motions as motion_store
from bot.storage import series as series_store
from bot.storage.tables import Event, Series
from handlers.lookup import group_event

TOLD = (Answer.GOING, Answer.MAYBE)


def prepare_new(args: Args, tz: ZoneInfo, now: datetime) -> object:
    """Read the event before the transaction: a repeat rule's dates are found here, off
    the event loop, and remembered for the handler (`recurrence.walls`)."""
    return parse_new_event(args.text("details"), tz, now)


async def newevent(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    draft = parse_new_event(args.text("details"), ctx.tz, ctx.now)
    await _check_motion(ctx, draft.motion_slug, NEWEVENT_EXAMPLE)
    upcoming = await event_store.count_upcoming(ctx.session, chat.id, ctx.now)
    if upcoming >= series_store.UPCOMING_QUOTA:
        raise UserError(strings.QUOTA_FULL.format(quota=series_store.UPCOMING_QUOTA))
    member = await ctx.member()
    if draft.repeat is not None:
        series = await series_store.create(ctx.session, chat, draft, member.id, ctx.now)
        made = await series_dates.extend(ctx.session, series, ctx.now)
        first = f"#{made[0].id}" if made else "none yet"
        await ctx.audit("create", f"series {series.id} from {first} {series.title}")
        if upcoming + len(made) >= series_store.UPCOMING_QUOTA:
            # The quota stopped the series short: its later dates come as earlier pass.
            ctx.answer(strings.quota_reached(len(made), series_store.UPCOMING_QUOTA))
    else:
        event = await event_store.create(ctx.session, chat, draft, member.id, ctx.now)
        await delivery.plan(ctx.session, event, await links.circle_of(ctx.session, chat), ctx.now)
        await ctx.audit("create", f"#{event.id} {event.title}")
    ctx.wake()


async def _check_motion(ctx: Context, slug: str | None, example: str) -> None:
    chat = ctx.group()
    if slug and await motion_store.find(ctx.session, chat.id, slug) is None:
        raise UserError(f"There is no motion “{slug[:60]}”. See /motions.", example)


PAGE = 15  # events one answer lists


async def events(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    page = args.opt_number("page") or 1
    total = await event_store.count_shown(ctx.session, chat.id, ctx.now)
    if not total:
        ctx.reply(strings.NO_EVENTS)
        return
    pages = -(-total // PAGE)
    if page > pages:
        raise UserError(strings.NO_SUCH_PAGE.format(pages=pages), "/events 1")
    found = await event_store.upcoming(ctx.session, chat.id, ctx.now, PAGE, (page - 1) * PAGE)
    views = await event_views(ctx.session, found)
    lines = [event_line(v, ctx.now) for v in views]
    first = (page - 1) * PAGE + 1
    head = (
        "Upcoming events:"
        if pages == 1
        else strings.events_page(first, first + len(found) - 1, total)
    )
    foot = ["", "Details and buttons: /event <id>"]
    if page < pages:
        more = total - (first + len(found) - 1)
        foot.append(strings.more_events(more, page + 1))
    ctx.reply("\n".join([head, *lines, *foot]))


async def event(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    found = await group_event(ctx, args.number("id"))
    ctx.reply(event_card(await public_view(ctx.session, found, chat)))


async def _changeable(ctx: Context, event_id: int) -> Event:
    """This group's own event, still ahead and not cancelled: what may be changed."""
    ctx.group()
    found = await group_event(ctx, event_id, for_update=True, own=True)
    if found.status == event_store.CANCELLED:
        raise UserError(strings.EVENT_CANCELLED.format(id=found.id))
    if found.starts_at <= ctx.now:
        raise UserError(strings.EVENT_IS_PAST.format(id=found.id))
    return found


async def editevent(ctx: Context, args: Args) -> None:
    found = await _changeable(ctx, args.number("id"))
    edit = parse_edit(args.text("changes"))
    motion = edit.motion_slug if "motion_slug" in edit.given else None
    await _check_motion(ctx, motion, "/editevent 12 motion=mandatory-reselection")
    old_start, old_place = found.starts_at, found.location
    _apply(found, edit, ctx)
    changed: list[str] = []
    if found.starts_at != old_start:
        changed.append("time")
    if found.location != old_place:
        changed.append("place")
    if found.starts_at != old_start or "offsets" in edit.given:
        # Reminders of the old time are no longer owed; those of the new one are.
        chats = await links.circle_of(ctx.session, ctx.group())
        await delivery.replan(ctx.session, found, chats, ctx.now)
    if changed:
        found.edits += 1
        found.change_note = " and ".join(changed)
        await delivery.tell_of_change(ctx.session, found, ctx.now)
        ctx.wake()
    if "capacity" in edit.given:
        await _promote(ctx, found)
    stopped = 0
    if "repeat" in edit.given:
        stopped = await _end_series(ctx, found)
    summary = ", ".join(sorted(edit.given))
    await ctx.audit("edit", f"#{found.id} {summary}")
    text = f"Updated #{found.id} ({summary})."
    if stopped:
        text += f" The series ends here: {stopped} later date(s) cancelled."
    ctx.answer(text)
    ctx.details_changed(found.id)


def _apply(event: Event, edit: EventEdit, ctx: Context) -> None:
    given = edit.given
    if "kind" in given:
        event.kind = edit.kind.value
    deadline = event.kind == Kind.DEADLINE.value
    if "title" in given:
        event.title = edit.title
    if "when" in given:
        new_start = parse_when(
            edit.when, ctx.tz, ctx.now, date_only_time=DEADLINE_TIME if deadline else None
        )
        if event.ends_at is not None and "ends" not in given:
            event.ends_at = new_start + (event.ends_at - event.starts_at)
        event.starts_at = new_start
    if "ends" in given:
        event.ends_at = None if edit.ends is None else parse_end(edit.ends, event.starts_at, ctx.tz)
    if "location" in given:
        if not edit.location and not deadline:
            raise UserError("Say where it is (or “online”).", EDIT_EXAMPLE)
        event.location = edit.location
    if "capacity" in given:
        event.capacity = edit.capacity
    if "offsets" in given:
        event.reminder_offsets = format_offsets(edit.offsets)
    if "description" in given:
        event.description = edit.description
    if "motion_slug" in given:
        event.motion_slug = edit.motion_slug
    if deadline:
        event.capacity = None


async def _promote(ctx: Context, event: Event) -> None:
    if await waiting.fill_event(ctx.session, event, ctx.now):
        ctx.wake()
    ctx.refresh(event.id)


async def _end_series(ctx: Context, event: Event) -> int:
    series = await ctx.session.get(Series, event.series_id) if event.series_id else None
    if series is None:
        raise UserError(f"Event #{event.id} does not repeat.", "/editevent 12 repeat=none")
    later = await series_store.stop_after(ctx.session, series, event)
    for other in later:
        await _cancel(ctx, other, "the series has ended")
    return len(later)


async def cancelevent(ctx: Context, args: Args) -> None:
    found = await _changeable(ctx, args.number("id"))
    reason = clean_line(args.text("reason"), 300, "reason", "/cancelevent 12 Venue closed")
    await _cancel(ctx, found, reason)
    await ctx.audit("cancel", f"#{found.id} {found.title}" + (f": {reason}" if reason else ""))
    ctx.answer(f"Cancelled #{found.id}; the chats that showed it are being told.")


async def _cancel(ctx: Context, event: Event, reason: str) -> None:
    """Cancel, tell every chat that showed it (if it was announced there yet), and the
    members who said Going or Maybe and asked for private messages."""
    event.status = event_store.CANCELLED
    event.cancel_reason = reason
    event.edits += 1
    await delivery.tell_of_cancellation(ctx.session, event, ctx.now)
    ctx.wake()
    ctx.details_changed(event.id)


async def calendar(ctx: Context, args: Args) -> None:
    """The group's upcoming events as an .ics file, sent to the member who asked."""
    chat = ctx.group()
    found = await event_store.calendar(ctx.session, chat.id, ctx.now)
    series_ids = {e.series_id for e in found if e.series_id is not None}
    series = {s.id: s for s in [await ctx.session.get(Series, i) for i in series_ids] if s}
    name = one_line(chat.display_name or chat.title) or "Muster"
    data = calendar_file.build(name, found, series, ctx.now)
    live = sum(1 for e in found if e.status == event_store.SCHEDULED and e.starts_at > ctx.now)
    ctx.send_file(OutFile("muster-events.ics", data, f"{name}: {live} upcoming event(s)"))
