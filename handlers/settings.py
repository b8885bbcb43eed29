"""A group's settings: shown to anyone, changed by organisers."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import NotOrganiser, UserError
from bot.domain.events import clean_line
from bot.domain.pairs import read_pairs
from bot.domain.reminders import format_offsets, parse_offsets
from bot.storage import organisers
from bot.storage.tables import Chat, Member
from handlers import people
from handlers.members import own_settings

EXAMPLE = "/settings branch=Market Harborough clp=Harborough remind=7d,1d,2h"
KEYS = ("name", "clp", "branch", "timezone", "remind", "show_names", "organisers", "organiser_role")
ORGANISERS_EXAMPLE = "/settings organisers=@amy, @ben (or reply to their message)"


def show(chat: Chat, added: list[str]) -> str:
    return "\n".join(
        [
            "Settings of this group:",
            f"name = {chat.display_name or chat.title or '—'}",
            f"clp = {chat.clp or '—'}",
            f"branch = {chat.branch or '—'}",
            f"timezone = {chat.timezone}",
            f"remind = {chat.reminder_offsets}",
            f"show_names = {'yes' if chat.show_names else 'no'}",
            f"organisers = {', '.join(added) if added else '— (the chat’s admins only)'}",
            f"organiser_role = {chat.organiser_role or '—'}",
            "",
            f"Change with key=value, e.g. {EXAMPLE}",
        ]
    )


def parse_pairs(text: str) -> dict[str, str]:
    return read_pairs([text], KEYS, EXAMPLE, noun="setting")


def _yes_no(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("yes", "on", "true", "1"):
        return True
    if lowered in ("no", "off", "false", "0"):
        return False
    raise UserError("show_names is yes or no.", "/settings show_names=no")


async def settings(ctx: Context, args: Args) -> None:
    text = args.text("changes")
    if ctx.chat is None:
        await own_settings(ctx, text)
        return
    if not ctx.is_organiser:
        raise NotOrganiser
    chat = ctx.group()
    if not text:
        ctx.reply(show(chat, await organisers.names(ctx.session, chat.id)))
        return
    pairs = parse_pairs(text)
    # Validate everything before changing anything: no half-applied settings.
    updates: dict[str, str | bool] = {}
    added: list[Member] = []
    for key, value in pairs.items():
        if key in ("name", "clp", "branch", "organiser_role"):
            updates[key] = clean_line(value, 100, key, EXAMPLE).lstrip("@")
        elif key == "timezone":
            try:
                updates[key] = ZoneInfo(value.strip()).key
            except (ZoneInfoNotFoundError, ValueError):
                raise UserError(
                    f"Unknown timezone “{value[:40]}”.", "/settings timezone=Europe/London"
                ) from None
        elif key == "remind":
            updates[key] = format_offsets(parse_offsets(value))
        elif key == "organisers":
            if value.strip().lower() in ("none", "-"):
                added = []
            else:
                added = await people.named(ctx, value, ORGANISERS_EXAMPLE)
                if not added:
                    raise UserError("Name the organisers, separated by commas.", ORGANISERS_EXAMPLE)
        else:
            updates[key] = _yes_no(value)
    for key, new in updates.items():
        attribute = {"name": "display_name", "remind": "reminder_offsets"}.get(key, key)
        setattr(chat, attribute, new)
    if "organisers" in pairs:
        await organisers.replace(ctx.session, chat.id, added)
    # Which settings changed, not their values: organisers' names stay out of the audit.
    await ctx.audit("settings", ", ".join(sorted(pairs)))
    ctx.reply("Saved.\n" + show(chat, await organisers.names(ctx.session, chat.id)))
