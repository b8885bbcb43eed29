"""Creating, listing, showing and cancelling events."""

from __future__ import annotations

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import NEWEVENT_EXAMPLE, clean_line, parse_new_event
from bot.render import event_card, event_line
from bot.storage import deliveries
from bot.storage import events as event_store
from bot.storage import motions as motion_store
from bot.views import event_views, public_view
from handlers.lookup import group_event


async def newevent(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    draft = parse_new_event(args.text("details"), ctx.tz, ctx.now)
    if (
        draft.motion_slug
        and await motion_store.find(ctx.session, chat.id, draft.motion_slug) is None
    ):
        raise UserError(
            f"There is no motion “{draft.motion_slug[:60]}”. See /motions.", NEWEVENT_EXAMPLE
        )
    member = await ctx.member()
    event = await event_store.create(ctx.session, chat, draft, member.id, ctx.now)
    await deliveries.plan(ctx.session, event, chat, ctx.now)
    await ctx.audit("create", f"#{event.id} {event.title}")
    ctx.wake()


async def events(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    found = await event_store.upcoming(ctx.session, chat.id, ctx.now)
    if not found:
        ctx.reply(strings.NO_EVENTS)
        return
    views = await event_views(ctx.session, found)
    lines = [event_line(v, ctx.now) for v in views]
    ctx.reply("\n".join(["Upcoming events:", *lines, "", "Details and buttons: /event <id>"]))


async def event(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    found = await group_event(ctx, args.number("id"))
    ctx.reply(event_card(await public_view(ctx.session, found, chat)))


async def cancelevent(ctx: Context, args: Args) -> None:
    ctx.group()
    found = await group_event(ctx, args.number("id"), for_update=True)
    if found.status == event_store.CANCELLED:
        raise UserError(strings.EVENT_CANCELLED.format(id=found.id))
    if found.starts_at <= ctx.now:
        raise UserError(strings.EVENT_IS_PAST.format(id=found.id))
    reason = clean_line(args.text("reason"), 300, "reason", "/cancelevent 12 Venue closed")
    found.status = event_store.CANCELLED
    found.cancel_reason = reason
    await deliveries.cancel_pending(ctx.session, found.id)
    going = [
        a
        for a in await event_store.attendees(ctx.session, found.id)
        if a.answer.value in ("going", "maybe")
    ]
    text = f"❌ Cancelled: {found.title} (#{found.id})" + (f" — {reason}" if reason else "")
    if going:
        text += f"\n{len(going)} people who said Going or Maybe, please take note."
    ctx.reply(text)
    await ctx.audit("cancel", f"#{found.id} {found.title}" + (f": {reason}" if reason else ""))
    ctx.details_changed(found.id)
