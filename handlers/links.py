"""Linking chats, on either platform, so that they share events and RSVPs."""

from __future__ import annotations

from bot import results, strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.results import Result
from bot.services import links
from bot.storage.tables import Chat
from bot.strings import links as words

LINK_EXAMPLE = "/link K7M2QX9P"


def _names(chats: list[Chat]) -> str:
    return ", ".join(
        words.CHAT_NAME.format(
            title=c.display_name or c.title or words.A_CHAT, platform=c.platform.capitalize()
        )
        for c in chats
    )


async def link(ctx: Context, args: Args) -> Result:
    """Without a code: a one-time code for the other chat. With one: link with its chat."""
    chat = ctx.require_group()
    code = args.text("code")
    if not code:
        new = await links.new_code(ctx.tx, chat, ctx)
        return results.private(words.CODE.format(code=new))
    done = await links.redeem(ctx.tx, chat, ctx, code)
    if not done.others:
        return results.answer(UserError(strings.LINK_BAD_CODE, LINK_EXAMPLE).line())
    return results.here(words.LINKED.format(names=_names(done.others)))


async def unlink(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    left = await links.unlink(ctx.tx, chat, ctx)
    if not left:
        raise UserError(words.NOT_LINKED)
    return results.here(words.UNLINKED.format(names=_names(left)))
