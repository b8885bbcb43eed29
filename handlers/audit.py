"""/audit: what organisers did in this group, sent privately to an organiser."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.arguments import Args
from bot.context import Context
from bot.storage import audit as audit_store


async def audit(ctx: Context, args: Args) -> None:
    chat = ctx.group()
    lines = await audit_store.recent(ctx.session, chat.id)
    if not lines:
        ctx.reply_private("No organiser actions recorded in this group yet.")
        return
    zone = ZoneInfo(chat.timezone)
    body = [
        f"{line.at.astimezone(zone):%d %b %H:%M} · {line.actor} · {line.action} · {line.detail}"
        for line in lines
    ]
    ctx.reply_private(
        f"Recent organiser actions in {chat.display_name or chat.title}:\n" + "\n".join(body)
    )
