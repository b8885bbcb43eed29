"""The member's rights: the notice, consent, a copy of their data, erasure."""

from __future__ import annotations

import json

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.messaging import Button, Card, OutFile
from bot.services import privacy as privacy_service
from bot.storage import privacy


def notice_card() -> Card:
    return Card(blocks=(strings.PRIVACY_NOTICE,)).with_buttons(
        (Button(strings.CONSENT_BUTTON, "privacy:consent:0"),)
    )


async def mydata(ctx: Context, args: Args) -> None:
    member = await ctx.known_member()
    if member is None:
        ctx.reply_private(strings.MYDATA_NOTHING)
    else:
        data = await privacy.export(ctx.session, member)
        body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
        ctx.send_file(OutFile("muster-my-data.json", body, strings.MYDATA_CAPTION))


async def forgetme(ctx: Context, args: Args) -> None:
    member = await ctx.known_member()
    if member is None:
        ctx.reply_private(strings.FORGET_NOTHING)
    else:
        ctx.reply_private(
            Card(blocks=(strings.FORGET_ASK,)).with_buttons(
                (Button(strings.FORGET_BUTTON, f"privacy:forget:{member.id}"),)
            )
        )


async def press(ctx: Context, verb: str, ids: list[int]) -> None:
    """`privacy:consent:0` and `privacy:forget:<member id>` (only that member may press)."""
    if verb == "consent":
        member = await ctx.member()
        if member.consent_at is None:
            member.consent_at = ctx.now
        if member.notice_shown_at is None:
            member.notice_shown_at = ctx.now
        ctx.toast(strings.CONSENT_RECORDED.format(when=f"{member.consent_at:%-d %b %Y %H:%M} UTC"))
        return
    if verb == "forget" and ids:
        known = await ctx.known_member()
        if known is None or known.id != ids[0]:
            raise UserError(strings.STALE_BUTTON)
        freed = await privacy_service.forget(ctx.session, known, ctx.now)
        ctx.member_erased()
        for event_id in freed.events:
            ctx.refresh(event_id)
        if freed.moved:
            ctx.wake()
        ctx.toast(strings.FORGET_DONE)
        return
    raise UserError(strings.STALE_BUTTON)
