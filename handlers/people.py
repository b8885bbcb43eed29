"""Naming members in a command: by mention, reply, id, handle, or a name only one has.

A display name is a claim anyone can copy, so a plain name is taken only when exactly
one member *of this group* has it, and every other form is looked up among the group's
own members too: no group can learn, or write anything about, who uses Muster
elsewhere. The refusal is the same whether or not the person exists on the platform.
"""

from __future__ import annotations

import re

from bot import strings
from bot.context import Context
from bot.domain.errors import UserError
from bot.messaging import Mention
from bot.storage import members
from bot.storage.tables import Member

_DISCORD_MENTION = re.compile(r"<@!?(\d{1,20})>")
_ID = re.compile(r"\d{1,20}")
_HANDLE = re.compile(r"@(\w{1,64})")
MAX_NAMED = 20  # one command names at most this many members


async def named(ctx: Context, text: str, example: str) -> list[Member]:
    """The members a comma-separated list names, and the author of the message the
    command replies to (a reply proves they are in this chat)."""
    tokens = [t.strip() for t in text.split(",") if t.strip()]
    if len(tokens) > MAX_NAMED:
        raise UserError(strings.TOO_MANY_NAMED.format(limit=MAX_NAMED), example)
    found = [await one(ctx, token, example) for token in tokens]
    replied = await _replied(ctx)
    if replied is not None:
        found.append(replied)
    return list({m.id: m for m in found}.values())


async def one(ctx: Context, token: str, example: str) -> Member:
    chat = ctx.group()
    platform = chat.platform
    mention = _mention(ctx.inv.mentions, token)
    if mention is not None and mention.user is not None:
        found = await members.in_chat(ctx.session, chat.id, platform, user_id=mention.user.id)
    elif match := _DISCORD_MENTION.fullmatch(token):
        found = await members.in_chat(ctx.session, chat.id, platform, user_id=match.group(1))
    elif _ID.fullmatch(token):
        found = await members.in_chat(ctx.session, chat.id, platform, user_id=token)
    elif match := _HANDLE.fullmatch(token):
        found = await members.in_chat(ctx.session, chat.id, platform, handle=match.group(1))
    else:
        found = await members.in_chat(ctx.session, chat.id, platform, name=token)
    shown = " ".join(token.split())[:40]
    if not found:
        raise UserError(strings.NOBODY_HERE.format(name=shown), example)
    if len(found) > 1:
        raise UserError(strings.SEVERAL_HERE.format(name=shown), example)
    return found[0]


def _mention(mentions: tuple[Mention, ...], token: str) -> Mention | None:
    return next((m for m in mentions if m.text.strip() == token), None)


async def _replied(ctx: Context) -> Member | None:
    inv, chat = ctx.inv, ctx.group()
    if inv.replied_to is None or inv.replied_to == inv.user:
        return None
    member = await members.get_or_create(ctx.session, inv.replied_to, inv.replied_name, ctx.now)
    await members.seen(ctx.session, chat.id, member.id, ctx.now)
    return member
