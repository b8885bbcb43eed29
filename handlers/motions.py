"""Model motions: listing, reading one filled in for this group, posting it."""

from __future__ import annotations

from dataclasses import replace

from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.motions import fill, parse_slug
from bot.messaging import Card
from bot.render import motion_card, short_when
from bot.storage import motions as motion_store
from bot.storage.tables import Event, Motion
from handlers.lookup import group_event


async def motions(ctx: Context, args: Args) -> None:
    found = await motion_store.visible(ctx.session, ctx.chat.id if ctx.chat else None)
    if not found:
        ctx.reply("No motions yet.")
        return
    lines = [f"• {m.title} — /motion {m.slug}" for m in found]
    ctx.reply("Model motions:\n" + "\n".join(lines))


async def motion(ctx: Context, args: Args) -> None:
    found = await _find(ctx, args.text("slug"))
    ctx.reply(_filled_card(ctx, found, None))


async def postmotion(ctx: Context, args: Args) -> None:
    ctx.group()
    found = await _find(ctx, args.text("slug"))
    event: Event | None = None
    event_id = args.opt_number("event")
    if event_id is not None:
        event = await group_event(ctx, event_id, for_update=True)
        if event.starts_at <= ctx.now:
            raise UserError(f"Event #{event.id} has already started.")
        event.motion_slug = found.slug
        ctx.refresh(event.id)
    await ctx.audit("postmotion", found.slug + (f" for #{event.id}" if event else ""))
    card = _filled_card(ctx, found, event)
    if event is not None:
        when = short_when(event.starts_at, event.timezone)
        card = replace(card, blocks=(f"For {event.title} (#{event.id}, {when}):", *card.blocks))
    ctx.reply(card)


async def _find(ctx: Context, raw: str) -> Motion:
    slug = parse_slug(raw)
    found = await motion_store.find(ctx.session, ctx.chat.id if ctx.chat else None, slug)
    if found is None:
        raise UserError(
            f"There is no motion “{slug}”. See /motions.", "/motion mandatory-reselection"
        )
    return found


def _filled_card(ctx: Context, found: Motion, event: Event | None) -> Card:
    chat = ctx.chat
    values: dict[str, str] = {}
    if chat is not None:
        values = {"branch": chat.branch, "clp": chat.clp, "group": chat.display_name or chat.title}
    if event is not None:
        local = event.starts_at.astimezone(ctx.tz)
        values["date"] = f"{local.day} {local:%B %Y}"
    return motion_card(found.title, fill(found.body, values), found.slug, found.source)
