"""Finding the thing a command names, with the one-line answer when it is not there."""

from __future__ import annotations

from bot import strings
from bot.context import Context
from bot.domain.errors import UserError
from bot.storage import events as event_store
from bot.storage.tables import Event


async def group_event(ctx: Context, event_id: int, *, for_update: bool = False) -> Event:
    """An event of this group; another group's event is as good as missing."""
    event = await event_store.get(ctx.session, event_id, for_update=for_update)
    if event is None or (ctx.chat is not None and event.chat_id != ctx.chat.id):
        raise UserError(strings.NO_EVENT.format(id=event_id), "/events")
    return event
