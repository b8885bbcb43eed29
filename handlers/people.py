"""Naming members in a command: by mention, reply, id, handle, or a name only one has
(the rules: `services/members.py`)."""

from __future__ import annotations

from bot.context import Context
from bot.services import members
from bot.services.members import Naming
from bot.storage.tables import Member
from bot.strings import Msg


async def named(ctx: Context, text: str, example: str | Msg) -> list[Member]:
    """The members a comma-separated list names, and the author of the message the
    command replies to (a reply proves they are in this chat)."""
    inv = ctx.inv
    naming = Naming(text, inv.mentions, inv.replied_to, inv.replied_name, inv.user)
    return await members.named(ctx.tx, ctx.require_group(), naming, example)
