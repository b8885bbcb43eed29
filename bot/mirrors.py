"""Keeps platforms' native calendar entries (Discord scheduled events) in step.

Done after the transaction that changed the event, never inside it: a slow or refused
platform call must not hold the database or undo an organiser's change.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete, select

from bot.messaging import EventMirror, Messengers
from bot.storage import deliveries
from bot.storage import events as event_store
from bot.storage.chats import ref_of
from bot.storage.database import Database
from bot.storage.tables import Chat, Delivery, Mirror

log = logging.getLogger(__name__)
DEFAULT_LENGTH = timedelta(hours=2)  # a native entry needs an end; most meetings fit


class Mirrors:
    def __init__(self, db: Database, messengers: Messengers) -> None:
        self.db = db
        self.messengers = messengers

    async def sync(self, event_id: int, only_chat: int | None = None) -> None:
        """Bring the platforms' copies of an event in step: in every chat that shows it,
        or in `only_chat` alone (just announced there)."""
        async with self.db.read() as session:
            event = await event_store.get(session, event_id)
            if event is None:
                return
            announced = list(
                await session.scalars(
                    select(Chat)
                    .join(Delivery, Delivery.chat_id == Chat.id)
                    .where(
                        Delivery.event_id == event_id,
                        Delivery.purpose == deliveries.ANNOUNCE,
                        Delivery.status == deliveries.SENT,
                        *([Delivery.chat_id == only_chat] if only_chat is not None else []),
                    )
                )
            )
            known = {
                m.chat_id: m.external_id
                for m in await session.scalars(select(Mirror).where(Mirror.event_id == event_id))
            }
            cancelled = event.status == event_store.CANCELLED
            copy = EventMirror(
                title=event.title,
                starts_at=event.starts_at,
                ends_at=event.ends_at or event.starts_at + DEFAULT_LENGTH,
                location=event.location or "Online",
                description=event.description,
            )
        for chat in announced:
            if chat.platform not in self.messengers:
                continue
            messenger = self.messengers.for_platform(chat.platform)
            external = known.get(chat.id)
            try:
                result = await messenger.mirror(ref_of(chat), None if cancelled else copy, external)
            except Exception as exc:
                log.warning("mirror of event %s failed: %s", event_id, type(exc).__name__)
                continue
            if result == external:
                continue  # nothing to record (most platforms keep no copy at all)
            async with self.db.write() as session:
                await session.execute(
                    delete(Mirror).where(Mirror.event_id == event_id, Mirror.chat_id == chat.id)
                )
                if result is not None:
                    session.add(Mirror(event_id=event_id, chat_id=chat.id, external_id=result))
