"""/start and /help: what the bot does, and in a private chat the privacy notice."""

from __future__ import annotations

from bot import results, strings
from bot.arguments import Args
from bot.context import Context
from bot.messaging import Card
from bot.render import notice_card
from bot.results import Result
from bot.services import privacy


def _lines(ctx: Context, organiser: bool) -> list[str]:
    return [
        f"/{c.name} {c.usage_args()}".rstrip() + f" — {c.summary}"
        for c in ctx.commands
        if c.organiser == organiser
    ]


async def help(ctx: Context, args: Args) -> Result:
    blocks = [
        str(strings.HELP_INTRO),
        str(strings.HELP_MEMBERS) + "\n" + "\n".join(_lines(ctx, False)),
    ]
    if ctx.is_organiser:
        blocks.append(str(strings.HELP_ORGANISERS) + "\n" + "\n".join(_lines(ctx, True)))
    said = results.here(Card(blocks=tuple(blocks), title="Muster"))
    if not ctx.inv.is_private:
        return said
    member = await ctx.member_or_create()
    privacy.notice_shown(ctx.tx, member)
    notice = notice_card() if member.consent_at is None else Card.text(str(strings.PRIVACY_NOTICE))
    return said + results.here(notice)
