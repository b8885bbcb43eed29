"""/start and /help: what the bot does, and in a private chat the privacy notice."""

from __future__ import annotations

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.messaging import Card
from handlers.privacy import notice_card


def _lines(ctx: Context, organiser: bool) -> list[str]:
    return [
        f"/{c.name} {c.usage_args()}".rstrip() + f" — {c.summary}"
        for c in ctx.commands
        if c.organiser == organiser
    ]


async def help(ctx: Context, args: Args) -> None:
    blocks = [strings.HELP_INTRO, strings.HELP_MEMBERS + "\n" + "\n".join(_lines(ctx, False))]
    if ctx.is_organiser:
        blocks.append(strings.HELP_ORGANISERS + "\n" + "\n".join(_lines(ctx, True)))
    ctx.reply(Card(blocks=tuple(blocks), title="Muster"))
    if ctx.inv.is_private:
        member = await ctx.member()
        member.notice_shown_at = member.notice_shown_at or ctx.now
        ctx.reply(notice_card() if member.consent_at is None else Card.text(strings.PRIVACY_NOTICE))
