"""/audit: what organisers did in this group, sent privately to an organiser."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot import i18n, results, strings
from bot.arguments import Args
from bot.context import Context
from bot.results import Result
from bot.services import audit
from bot.strings import audit as told


async def audit_log(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    lines = await audit.recent(ctx.tx, chat)
    if not lines:
        return results.private(str(strings.AUDIT_NOTHING_YET))
    zone = ZoneInfo(chat.timezone)
    body = [
        told.LINE.format(
            at=i18n.date_time(line.at.astimezone(zone), "moment"),
            actor=line.actor if line.actor is not None else told.ERASED_MEMBER,
            action=line.action,
            detail=line.detail,
        )
        for line in lines
    ]
    head = strings.AUDIT_RECENT.format(group=chat.display_name or chat.title)
    return results.private("\n".join([head, *body]))
