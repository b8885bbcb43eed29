"""Model motions: listing, reading one filled in for this group, posting it, and where
it stands."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial

from bot import charts, i18n, results
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import MAX_TITLE, clean_line
from bot.domain.motions import MAX_NOTE, Status, fill, parse_motion_file, parse_slug
from bot.messaging import Card, OutFile
from bot.render import motion_card, short_when
from bot.results import Result
from bot.services import motions
from bot.storage.tables import Event, Motion
from bot.strings import examples
from bot.strings import input as fields
from bot.strings import motions as words
from bot.strings import stats as stat_words

NEWMOTION_EXAMPLE = examples.NEWMOTION
STATUS_EXAMPLE = examples.MOTIONSTATUS
MAX_BODY = 10_000


async def list_motions(ctx: Context, args: Args) -> Result:
    found = await motions.visible(ctx.tx, ctx.chat)
    if not found:
        return results.here(str(words.NO_MOTIONS))
    lines = [words.MOTION_LINE.format(title=m.title, slug=m.slug) for m in found]
    return results.here("\n".join([str(words.MOTIONS), *lines]))


async def motion(ctx: Context, args: Args) -> Result:
    found = await motions.find(ctx.tx, ctx.chat, args.text("slug"))
    return results.here(await _filled_card(ctx, found, None))


async def postmotion(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    done = await motions.post(ctx.tx, chat, ctx, args.text("slug"), args.opt_number("event"))
    card = await _filled_card(ctx, done.motion, done.event)
    if done.event is not None:
        event = done.event
        when = short_when(event.starts_at, event.timezone)
        lead = words.FOR_EVENT.format(title=event.title, id=event.id, when=when)
        card = replace(card, blocks=(lead, *card.blocks))
    return results.here(card, done.effects)


async def _filled_card(ctx: Context, found: Motion, event: Event | None) -> Card:
    """The motion in the language its readers are spoken to in, its blanks filled from
    the group's settings (and the meeting's date)."""
    text = await motions.text_of(ctx.tx, found, i18n.language())
    chat = ctx.chat
    values: dict[str, str] = {}
    if chat is not None:
        values = {"branch": chat.branch, "clp": chat.clp, "group": chat.display_name or chat.title}
    if event is not None:
        local = event.starts_at.astimezone(ctx.tz)
        values["date"] = i18n.date_time(local, "long_date")
    card = motion_card(text.title, fill(text.body, values), text.slug, text.source)
    if text.untranslated:
        return replace(card, blocks=(words.IN_ENGLISH.format(), *card.blocks))
    return card


async def newmotion(ctx: Context, args: Args) -> Result:
    """A group's own motion, from the line or from an attached text file."""
    chat = ctx.require_group()
    parts = [p.strip() for p in args.text("details").split("|", 2)]
    slug = parse_slug(parts[0])
    title = parts[1] if len(parts) > 1 else ""
    body = parts[2] if len(parts) > 2 else ""
    attached = ctx.inv.attachment
    if not body and attached is not None:
        body, title = _read_attachment(attached.data, title)
    if not title or not body:
        raise UserError(words.GIVE_NAME_TITLE_TEXT, NEWMOTION_EXAMPLE)
    if len(body) > MAX_BODY:
        raise UserError(words.TOO_LONG.format(limit=MAX_BODY))
    title = clean_line(title, MAX_TITLE, fields.TITLE, NEWMOTION_EXAMPLE)
    body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", body).strip()
    found, existed = await motions.save_own(ctx.tx, chat, ctx, slug, title, body)
    card = await _filled_card(ctx, found, None)
    lead = (words.UPDATED_OWN if existed else words.ADDED_OWN).format()
    return results.here(replace(card, blocks=(lead, *card.blocks)))


def _read_attachment(data: bytes, title: str) -> tuple[str, str]:
    if not data.strip():
        raise UserError(words.EMPTY_FILE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(words.NOT_TEXT) from None
    if text.lstrip().startswith("---"):
        try:
            parsed = parse_motion_file(text)
        except ValueError:
            raise UserError(words.BAD_HEADER) from None
        return parsed.body, title or parsed.title
    return text.strip(), title


async def motionstatus(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    raw = args.text("status").strip().lower()
    found = await motions.find(ctx.tx, chat, args.text("slug"))
    try:
        status = Status(raw)
    except ValueError:
        names = ", ".join(s.value for s in Status)
        raise UserError(
            words.NOT_A_STATUS.format(status=raw[:20], names=names), STATUS_EXAMPLE
        ) from None
    note = clean_line(args.text("note"), MAX_NOTE, words.NOTE, STATUS_EXAMPLE)
    done = await motions.set_status(ctx.tx, chat, ctx, found.slug, status, note)
    local = ctx.now.astimezone(ctx.tz)
    sentence = words.STATUS_SET_NOTE if note else words.STATUS_SET
    text = sentence.format(
        title=done.motion.title,
        status=words.status_name(status.value),
        date=i18n.date_time(local, "date"),
        who=(await ctx.member_or_create()).display_name or words.AN_ORGANISER,
        note=note,
    )
    return results.here(text, done.effects)


async def motiontally(ctx: Context, args: Args) -> Result:
    found = await motions.tally(ctx.tx, ctx.chat, args.text("slug"))
    title = found.motion.title
    if not found.groups:
        return results.here(words.NO_STATUS_YET.format(title=title))
    parts = []
    bars = []
    for status in Status:
        n = found.groups.get(status.value, 0)
        if n:
            clps = found.clps.get(status.value, 0)
            bars.append(charts.Tally(words.status_name(status.value), n, clps))
            sentence = (
                words.IN_GROUPS
                if not clps
                else words.IN_GROUPS_CLPS
                if clps == 1
                else words.IN_GROUPS_MANY_CLPS
            )
            parts.append(sentence.format(n, status=words.status_name(status.value), clps=clps))
    lines = [words.TALLY.format(title=title, parts=", ".join(parts))]
    for row in found.here[-5:]:
        local = row.at.astimezone(ctx.tz)
        at = words.HERE_AT_NOTE if row.note else words.HERE_AT
        date = i18n.date_time(local, "date")
        lines.append(at.format(date=date, status=words.status_name(row.status), note=row.note))
    heading = stat_words.TALLY_TITLE.format(title=title)
    draw = partial(
        charts.tally, bars, heading, stat_words.GROUPS.format(), stat_words.CLPS.format()
    )
    chart = OutFile(f"{found.motion.slug}.png", b"", heading, make=draw)
    return results.here("\n".join(lines)) + results.chart_here(chart)
