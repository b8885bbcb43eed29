"""Sign-up sheets: making one, listing them, signing up and withdrawing."""

from __future__ import annotations

from bot import results
from bot.actions import SlotPress, SlotVerb
from bot.arguments import Args
from bot.context import Context
from bot.domain.signups import parse_new_sheet
from bot.render import sheet_card, slot_state
from bot.results import Result
from bot.services import signups as sheets
from bot.services.signups import Joined, SignedUp
from bot.strings import signups as words


async def newsignup(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    draft = parse_new_sheet(args.text("details"), ctx.tz, ctx.now)
    made = await sheets.create(ctx.tx, chat, ctx, draft)
    sheet = made.sheet
    card = sheet_card(
        sheet.id, sheet.title, sheet.description, sheet.deadline, ctx.tz.key, made.slots
    )
    return results.here(card)


async def signups(ctx: Context, args: Args) -> Result:
    found = await sheets.open_sheets(ctx.tx, ctx.require_group())
    if not found:
        return results.here(str(words.NO_SHEETS))
    lines = []
    for item in found:
        states = ", ".join((f"{s.label}: " if s.label else "") + slot_state(s) for s in item.slots)
        lines.append(f"#{item.sheet.id} {item.sheet.title} — {states}")
    return results.here("\n".join([str(words.SHEETS), *lines, "", str(words.SHEETS_FOOT)]))


def said(done: SignedUp) -> str:
    if done.joined is Joined.ALREADY:
        return words.ALREADY.format(name=done.name)
    if done.joined is Joined.WAITING:
        return words.WAITING.format(name=done.name, place=done.place, id=done.sheet_id)
    return words.DOWN.format(name=done.name, id=done.sheet_id)


async def signup(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    member = await ctx.member_or_create()
    wanted = args.text("slot") or None
    done = await sheets.join(ctx.tx, chat, member, args.number("id"), wanted)
    return results.answer(said(done))


async def press(ctx: Context, action: SlotPress) -> Result:
    """A slot's button on a sheet: join it, or its waiting list."""
    chat = ctx.require_group()
    member = await ctx.member_or_create()
    wait = action.verb is SlotVerb.WAIT
    done = await sheets.join(ctx.tx, chat, member, action.sheet_id, str(action.position), wait)
    return results.toast(said(done), shrink=done.name)


async def unsignup(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    member = await ctx.known_member()
    left = await sheets.leave(ctx.tx, chat, member, args.number("id"))
    if not left.was_down:
        return results.answer(words.NOT_DOWN.format(title=left.title))
    return results.answer(words.NO_LONGER_DOWN.format(title=left.title), left.effects)
