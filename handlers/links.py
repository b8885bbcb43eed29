"""Linking chats, on either platform, so that they share events and RSVPs."""

from __future__ import annotations

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.storage import audit, links

LINK_EXAMPLE = "/link K7M2QX9P"


def _name(title: str, platform: str) -> str:
    return f"{title or 'a chat'} ({platform.capitalize()})"


async def link(ctx: Context, args: Args) -> None:
    """Without a code: a one-time code for the other chat. With one: link with its chat."""
    chat = ctx.group()
    code = args.text("code")
    if not code:
        new = await links.new_code(ctx.session, chat, ctx.now)
        await ctx.audit("link", "code issued")
        ctx.reply_private(
            f"Link code: {new}\nIn the other chat (Telegram or Discord), an organiser sends"
            f" /link {new} within 10 minutes. The code works once."
        )
        return
    since = ctx.now - links.TRIES_WINDOW
    if await audit.count(ctx.session, chat.id, links.FAILED, since) >= links.MAX_WRONG_TRIES:
        raise UserError(strings.LINK_TOO_MANY_TRIES.format(minutes=links.TRIES_MINUTES))
    other = await links.redeem(ctx.session, code, chat, ctx.now)
    if other is None:
        # Answered, not raised: the failed try must be kept in the audit log, which a
        # raised error would roll back with everything else.
        await ctx.audit(links.FAILED, "a wrong, used or expired code")
        ctx.answer(f"{strings.LINK_BAD_CODE} Example: {LINK_EXAMPLE}")
        return
    circle = await links.circle_of(ctx.session, chat)
    await ctx.audit("link", f"linked with chat {other.id}")
    names = ", ".join(_name(c.display_name or c.title, c.platform) for c in circle[1:])
    ctx.reply(
        f"Linked. New events announced here or in {names} are posted in all of them, with"
        " one set of answers. Each chat's organisers keep their own rights. /unlink undoes it."
    )


async def unlink(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    left = await links.unlink(ctx.session, chat)
    if not left:
        raise UserError("This chat is not linked with any other.")
    await ctx.audit("unlink", f"left {len(left)} chat(s)")
    names = ", ".join(_name(c.display_name or c.title, c.platform) for c in left)
    ctx.reply(
        f"Unlinked from {names}. Events are no longer shared; cards already posted stay,"
        " but answer there only for the chat that made the event."
    )
