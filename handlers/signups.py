"""Sign-up sheets: stall shifts, canvassing sessions, "tell me more" lists."""

from __future__ import annotations

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.signups import parse_new_sheet
from bot.render import sheet_card, slot_state
from bot.services import waiting
from bot.storage import signups as sheet_store
from bot.storage.signups import SlotView
from bot.storage.tables import SignupSheet

SIGNUP_EXAMPLE = "/signup 3 2"


async def newsignup(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    draft = parse_new_sheet(args.text("details"), ctx.tz, ctx.now)
    member = await ctx.member()
    sheet = await sheet_store.create(ctx.session, chat.id, draft, member.id, ctx.now)
    await ctx.audit("newsignup", f"#{sheet.id} {sheet.title}")
    await _show(ctx, sheet)


async def signups(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    sheets = await sheet_store.open_sheets(ctx.session, chat.id, ctx.now)
    if not sheets:
        ctx.reply("No open sign-up sheets. Organisers can add one with /newsignup.")
        return
    lines = []
    for sheet in sheets:
        slots = await sheet_store.slots(ctx.session, sheet.id)
        states = ", ".join((f"{s.label}: " if s.label else "") + slot_state(s) for s in slots)
        lines.append(f"#{sheet.id} {sheet.title} — {states}")
    ctx.reply("Sign-up sheets:\n" + "\n".join(lines) + "\n\nSign up: /signup <id> [slot]")


async def signup(ctx: Context, args: Args) -> None:
    text, _ = await join(ctx, args.number("id"), args.text("slot") or None)
    ctx.answer(text)


async def press(ctx: Context, verb: str, ids: list[int]) -> None:
    """`signup:join|wait:<sheet>:<slot position>` from a sheet's buttons."""
    if verb not in ("join", "wait") or len(ids) != 2:
        raise UserError(strings.STALE_BUTTON)
    text, name = await join(ctx, ids[0], str(ids[1]), wait=verb == "wait")
    ctx.toast(text, shrink=name)


async def join(
    ctx: Context, sheet_id: int, wanted: str | None, wait: bool = False
) -> tuple[str, str]:
    """Sign the member up; what to say, and the sheet's (and slot's) name in it."""
    if wanted is not None and wanted.strip().lower().endswith(" wait"):
        wanted, wait = wanted.strip()[:-5], True
    sheet = await _sheet(ctx, sheet_id)
    if sheet.deadline is not None and sheet.deadline <= ctx.now:
        raise UserError(f"Sign-ups for {sheet.title} have closed.")
    slots = await sheet_store.slots(ctx.session, sheet.id)
    if wanted is None:
        if len(slots) > 1:
            raise UserError(
                "Which slot? " + "; ".join(f"{s.position}. {s.label}" for s in slots),
                f"/signup {sheet.id} 1",
            )
        slot = slots[0]
    else:
        slot = _choose(slots, wanted, sheet.id)
    member = await ctx.member()
    mine = await sheet_store.member_slots(ctx.session, sheet.id, member.id)
    name = f"{sheet.title}" + (f" ({slot.label})" if slot.label else "")
    if slot.id in mine:
        return f"You're already down for {name} (or on its waiting list).", name
    if slot.full and wait:
        await sheet_store.join(ctx.session, slot.id, member.id, ctx.now, waiting=True)
        return (
            f"{name} is full: you're number {slot.waiting + 1} on its waiting list. I'll tell"
            f" you if a place comes free. Withdraw with /unsignup {sheet.id}."
        ), name
    if slot.full:
        open_ = [s for s in slots if not s.full]
        others = "; ".join(f"{s.position}. {s.label} ({slot_state(s)})" for s in open_)
        raise UserError(
            f"{name} is full."
            + (f" Still open: {others}." if others else "")
            + " Join its waiting list with the button, or:",
            f"/signup {sheet.id} {slot.position} wait",
        )
    await sheet_store.join(ctx.session, slot.id, member.id, ctx.now)
    return f"You're down for {name}. Withdraw with /unsignup {sheet.id}.", name


async def unsignup(ctx: Context, args: Args) -> None:
    sheet = await _sheet(ctx, args.number("id"))
    member = await ctx.known_member()
    freed = await sheet_store.leave(ctx.session, sheet.id, member.id) if member else []
    if not freed:
        ctx.answer(f"You weren't signed up for {sheet.title}.")
        return
    ctx.answer(f"You're no longer down for {sheet.title}.")
    for slot_id in freed:
        if await waiting.fill_slot(ctx.session, slot_id, ctx.now):
            ctx.wake()


async def _sheet(ctx: Context, sheet_id: int) -> SignupSheet:
    chat = ctx.group()
    sheet = await sheet_store.get(ctx.session, sheet_id)
    if sheet is None or sheet.chat_id != chat.id:
        raise UserError(f"There is no sign-up sheet #{sheet_id} in this group.", "/signups")
    return sheet


def _choose(slots: list[SlotView], wanted: str, sheet_id: int) -> SlotView:
    text = wanted.strip().lower()
    for slot in slots:
        if text == str(slot.position) or (slot.label and text == slot.label.lower()):
            return slot
    matches = [s for s in slots if s.label and s.label.lower().startswith(text)]
    if len(matches) == 1:
        return matches[0]
    choices = "; ".join(f"{s.position}. {s.label}" for s in slots)
    raise UserError(
        f"No slot “{wanted[:30]}” on sheet #{sheet_id}. Slots: {choices}", f"/signup {sheet_id} 1"
    )


async def _show(ctx: Context, sheet: SignupSheet) -> None:
    slots = await sheet_store.slots(ctx.session, sheet.id)
    ctx.reply(
        sheet_card(sheet.id, sheet.title, sheet.description, sheet.deadline, ctx.tz.key, slots)
    )
