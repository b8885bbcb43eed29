"""Model motions: listing, reading one filled in for this group, posting it."""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum

from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import clean_line
from bot.domain.motions import fill, parse_motion_file, parse_slug
from bot.messaging import Card
from bot.render import motion_card, short_when
from bot.storage import events as event_store
from bot.storage import motion_status as motion_statuses
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
        event = await group_event(ctx, event_id, for_update=True, own=True)
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


NEWMOTION_EXAMPLE = "/newmotion bus-routes | Save our buses | This {branch} branch calls on …"
STATUS_EXAMPLE = "/motionstatus mandatory-reselection submitted Sent to the CLP secretary"
MAX_BODY = 10_000


class Status(StrEnum):
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    DEBATED = "debated"
    PASSED = "passed"
    FELL = "fell"
    WITHDRAWN = "withdrawn"


async def newmotion(ctx: Context, args: Args) -> None:
    """A group's own motion, from the line or from an attached text file."""
    chat = ctx.group()
    parts = [p.strip() for p in args.text("details").split("|", 2)]
    slug = parse_slug(parts[0])
    title = parts[1] if len(parts) > 1 else ""
    body = parts[2] if len(parts) > 2 else ""
    source = f"Added by {chat.display_name or chat.title or 'this group'}"
    attached = ctx.inv.attachment
    if not body and attached is not None:
        body, title = _read_attachment(attached.data, title)
    if not title or not body:
        raise UserError("Give a name, a title and the text, separated by |.", NEWMOTION_EXAMPLE)
    if len(body) > MAX_BODY:
        raise UserError(f"The motion is too long (at most {MAX_BODY} characters).")
    title = clean_line(title, 200, "title", NEWMOTION_EXAMPLE)
    body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", body).strip()
    existed = await motion_store.save_own(ctx.session, chat.id, slug, title, body, source, ctx.now)
    await ctx.audit("newmotion", slug)
    found = await _find(ctx, slug)
    card = _filled_card(ctx, found, None)
    lead = "Updated this group's motion:" if existed else "Added this group's motion:"
    ctx.reply(replace(card, blocks=(lead, *card.blocks)))


def _read_attachment(data: bytes, title: str) -> tuple[str, str]:
    if not data.strip():
        raise UserError("The attached file is empty or too large (at most 100 KB of text).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("The attached file must be plain text (UTF-8).") from None
    if text.lstrip().startswith("---"):
        try:
            parsed = parse_motion_file(text)
        except ValueError:
            raise UserError("The attached file's --- header cannot be read.") from None
        return parsed.body, title or parsed.title
    return text.strip(), title


async def motionstatus(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    found = await _find(ctx, args.text("slug"))
    raw = args.text("status").strip().lower()
    try:
        status = Status(raw)
    except ValueError:
        names = ", ".join(s.value for s in Status)
        raise UserError(f"“{raw[:20]}” is not a status: use {names}.", STATUS_EXAMPLE) from None
    note = clean_line(args.text("note"), 300, "note", STATUS_EXAMPLE)
    member = await ctx.member()
    await motion_statuses.record(
        ctx.session, chat.id, found.slug, status.value, note, member.id, ctx.now
    )
    await ctx.audit("motionstatus", f"{found.slug} {status.value}")
    for event in await event_store.upcoming(ctx.session, chat.id, ctx.now, limit=50):
        if event.motion_slug == found.slug:
            ctx.refresh(event.id)
    local = ctx.now.astimezone(ctx.tz)
    who = member.display_name or "an organiser"
    ctx.reply(
        f"{found.title}: {status.value} here ({local.day} {local:%b %Y}, recorded by {who})"
        + (f" — {note}" if note else "")
    )


async def motiontally(ctx: Context, args: Args) -> None:
    found = await _find(ctx, args.text("slug"))
    groups, clps = await motion_statuses.tally(ctx.session, found.slug)
    if not groups:
        ctx.reply(f"{found.title}: no group has recorded a status yet. /motionstatus does.")
        return
    parts = []
    for status in Status:
        n = groups.get(status.value, 0)
        if n:
            clp = f" ({clps[status.value]} CLP{'s' if clps[status.value] != 1 else ''})"
            parts.append(
                f"{status.value} in {n} group{'s' if n != 1 else ''}"
                + (clp if clps.get(status.value) else "")
            )
    lines = [f"{found.title}: " + ", ".join(parts) + "."]
    if ctx.chat is not None:
        mine = await motion_statuses.history(ctx.session, ctx.chat.id, found.slug)
        for row in mine[-5:]:
            local = row.at.astimezone(ctx.tz)
            lines.append(
                f"Here, {local.day} {local:%b %Y}: {row.status}"
                + (f" — {row.note}" if row.note else "")
            )
    ctx.reply("\n".join(lines))
