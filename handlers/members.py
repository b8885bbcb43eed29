"""Members' own facts and their own plans."""

from __future__ import annotations

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import clean_line
from bot.domain.pairs import read_pairs
from bot.messaging import Button, Card
from bot.render import short_when
from bot.storage import events as event_store
from bot.storage import signups as sheet_store
from bot.storage.tables import Member

IAM_EXAMPLE = "/iam clp=Harborough branch=Market Harborough"
FACTS = ("clp", "branch")


def parse_facts(text: str) -> dict[str, str]:
    if not text.strip():
        raise UserError("Tell me your CLP and/or branch as key=value.", IAM_EXAMPLE)
    facts = read_pairs([text], FACTS, IAM_EXAMPLE, noun="fact")
    return {key: clean_line(value, 100, key, IAM_EXAMPLE) for key, value in facts.items()}


async def iam(ctx: Context, args: Args) -> None:
    facts = parse_facts(args.text("facts"))
    member = await ctx.member()
    if "clp" in facts:
        member.clp = facts["clp"]
    if "branch" in facts:
        member.branch = facts["branch"]
    member.facts_confirmed_at = ctx.now
    ctx.reply_private(_facts_text(member.clp, member.branch) + " Saved, thank you.")


async def whoami(ctx: Context, args: Args) -> None:
    member = await ctx.known_member()
    if member is None or not (member.clp or member.branch):
        ctx.reply_private(strings.WHOAMI_NONE)
    else:
        confirmed = member.facts_confirmed_at
        when = f" (confirmed {confirmed:%-d %b %Y})" if confirmed else ""
        ctx.reply_private(_facts_text(member.clp, member.branch) + when)


def _facts_text(clp: str, branch: str) -> str:
    return f"CLP: {clp or '—'} · Branch: {branch or '—'}."


async def my(ctx: Context, args: Args) -> None:
    member = await ctx.known_member()
    lines: list[str] = []
    if member is not None:
        for event, answer in await event_store.my_upcoming(ctx.session, member.id, ctx.now):
            guests = f" +{answer.guests}" if answer.guests else ""
            lines.append(
                f"#{event.id} {short_when(event.starts_at, event.timezone)} · {event.title}"
                f" — {answer.answer}{guests}"
            )
        for sheet, slot in await sheet_store.of_member(ctx.session, member.id):
            if sheet.deadline is None or sheet.deadline > ctx.now:
                label = f" ({slot.label})" if slot.label else ""
                lines.append(f"Sign-up #{sheet.id} {sheet.title}{label}")
    text = (
        "Your plans:\n" + "\n".join(lines) if lines else "You have no upcoming RSVPs or sign-ups."
    )
    ctx.reply_private(Card.text(text).with_buttons((reminders_button(member),)))


def reminders_button(member: Member | None) -> Button:
    """Shows the member's choice and flips it: one tap either way."""
    if member is not None and member.private_reminders:
        return Button(strings.REMIND_ME_ON, "reminders:off:0")
    return Button(strings.REMIND_ME_OFF, "reminders:on:0")


async def set_reminders(ctx: Context, on: bool) -> str:
    member = await ctx.member()
    member.private_reminders = on
    if on:
        return (
            "Private reminders on: before each event you said Going to, I'll remind you here"
            " too, and tell you if its time or place changes."
        )
    return "Private reminders off: reminders come in the group only."


async def press(ctx: Context, verb: str, ids: list[int]) -> None:
    """`reminders:on|off:0` and `facts:confirm:0`, the member's own one-tap choices."""
    if verb in ("on", "off"):
        ctx.toast(await set_reminders(ctx, verb == "on"))
        return
    raise UserError(strings.STALE_BUTTON)


async def facts_press(ctx: Context, verb: str, ids: list[int]) -> None:
    member = await ctx.known_member()
    if verb != "confirm" or member is None:
        raise UserError(strings.STALE_BUTTON)
    member.facts_confirmed_at = ctx.now
    ctx.toast("Thank you: " + _facts_text(member.clp, member.branch) + " Confirmed.")


OWN_SETTINGS_EXAMPLE = "/settings reminders=on"


async def own_settings(ctx: Context, text: str) -> None:
    """/settings in a private chat: the member's own settings."""
    member = await ctx.known_member()
    if not text.strip():
        on = bool(member and member.private_reminders)
        ctx.reply_private(
            Card.text(
                f"Your settings:\nreminders = {'on' if on else 'off'} (private reminders before"
                f" events you said Going to)\n\nChange with {OWN_SETTINGS_EXAMPLE}"
            ).with_buttons((reminders_button(member),))
        )
        return
    value = read_pairs([text], ("reminders",), OWN_SETTINGS_EXAMPLE, noun="setting")
    choice = value.get("reminders", "").lower()
    if choice not in ("on", "off"):
        raise UserError("Your own setting is reminders=on or reminders=off.", OWN_SETTINGS_EXAMPLE)
    ctx.reply_private(await set_reminders(ctx, choice == "on"))
