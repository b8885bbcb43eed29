"""The member's rights: the notice, consent, a copy of their data, erasure."""

from __future__ import annotations

import json

from bot import i18n, results, strings
from bot.actions import ConsentPress, ForgetPress
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.messaging import Button, Card, OutFile
from bot.results import Result
from bot.services import privacy
from bot.services.effects import SEND, Effects, refresh


async def mydata(ctx: Context, args: Args) -> Result:
    member = await ctx.known_member()
    if member is None:
        return results.private(str(strings.MYDATA_NOTHING))
    data = await privacy.export(ctx.tx, member)
    body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return results.file(OutFile("muster-my-data.json", body, str(strings.MYDATA_CAPTION)))


async def forgetme(ctx: Context, args: Args) -> Result:
    member = await ctx.known_member()
    if member is None:
        return results.private(str(strings.FORGET_NOTHING))
    button = Button(str(strings.FORGET_BUTTON), ForgetPress(member.id).pack())
    return results.private(Card(blocks=(str(strings.FORGET_ASK),)).with_buttons((button,)))


async def consent_press(ctx: Context, action: ConsentPress) -> Result:
    """The member agreed to the privacy notice."""
    when = privacy.consent(ctx.tx, await ctx.member_or_create())
    return results.toast(strings.CONSENT_RECORDED.format(when=i18n.date_time(when, "stamp")))


async def forget_press(ctx: Context, action: ForgetPress) -> Result:
    """Erase me: only the member the button was made for may press it."""
    known = await ctx.known_member()
    if known is None or known.id != action.member_id:
        raise UserError(strings.STALE_BUTTON)
    freed = await privacy.forget(ctx.tx, known)
    ctx.forget_member()
    effects = Effects(erased=True) | refresh(*freed.events)
    if freed.moved:
        effects |= SEND
    return results.toast(str(strings.FORGET_DONE), effects)
