"""Finding the thing a command names, with the one-line answer when it is not there."""

from __future__ import annotations

from bot import strings
from bot.context import Context
from bot.domain.errors import UserError
from bot.storage import events as event_store
from bot.storage.tables import Event


async def group_event(
    ctx: Context, event_id: int, *, for_update: bool = False, own: bool = False
) -> Event:
    """An event shown in this group (its own, or one from a linked chat); another
    group's event is as good as missing. `own`: only this group's own events, for what
    changes them: rights stay with each chat's organisers."""
    event = await event_store.get(ctx.session, event_id, for_update=for_update)
    chat = ctx.chat
    if event is None or (
        chat is not None and not await event_store.is_shown_in(ctx.session, event, chat.id)
    ):
        raise UserError(strings.NO_EVENT.format(id=event_id), "/events")
    if own and chat is not None and event.chat_id != chat.id:
        raise UserError(strings.NOT_OWN_EVENT.format(id=event_id))
    return event
