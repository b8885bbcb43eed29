"""Keeps platforms' native calendar entries (Discord scheduled events) in step.

Done after the transaction that changed the event, never inside it: a slow or refused
platform call must not hold the database or undo an organiser's change.

A platform may hold only so many (Discord: 100 upcoming or running events a server).
Then the nearest events are the ones mirrored: a nearer event takes the place of the
furthest one mirrored, which is withdrawn quietly and owed again; the rest are owed (a
`mirrors` row without an external id) and made, nearest first, as places free when
events are cancelled or end. A mirror that failed for any other reason is owed too, and
tried again by the periodic catch-up; the chat's organisers are told once why an event
is not in the Events list.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from bot import i18n, strings
from bot.clock import Clock, SystemClock
from bot.messaging import Card, EventMirror, Messenger, Messengers, NoRoom
from bot.storage import events as event_store
from bot.storage import outbox
from bot.storage.chats import ref_of
from bot.storage.database import Database
from bot.storage.tables import Chat, Event, Mirror
from bot.voices import group_languages

log = logging.getLogger(__name__)
DEFAULT_LENGTH = timedelta(hours=2)  # a native entry needs an end; most meetings fit
OWED = ""  # a mirror row's external id while the copy is still to be made


def copy_of(event: Event) -> EventMirror:
    return EventMirror(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at or event.starts_at + DEFAULT_LENGTH,
        location=event.location or "Online",
        description=event.description,
    )


def _ended(event: Event, now: datetime) -> bool:
    return (event.ends_at or event.starts_at + DEFAULT_LENGTH) <= now


class Mirrors:
    def __init__(self, db: Database, messengers: Messengers, clock: Clock | None = None) -> None:
        self.db = db
        self.messengers = messengers
        self.clock = clock or SystemClock()
        self._told_full: set[int] = set()

    async def sync(self, event_id: int, only_chat: int | None = None) -> None:
        """Bring the platforms' copies of an event in step: in every chat that shows it,
        or in `only_chat` alone (just announced there)."""
        async with self.db.read() as session:
            event = await event_store.get(session, event_id)
            if event is None:
                return
            announced = await outbox.announced_chats(session, event_id, only_chat)
            known = {
                m.chat_id: m.external_id
                for m in await session.scalars(select(Mirror).where(Mirror.event_id == event_id))
            }
        for chat in announced:
            if chat.platform not in self.messengers:
                continue
            messenger = self.messengers.for_platform(chat.platform)
            freed = await self._one(messenger, chat, event, known.get(chat.id))
            if freed:
                await self.catch_up(chat.id)

    async def _one(
        self, messenger: Messenger, chat: Chat, event: Event, external: str | None
    ) -> bool:
        """Mirror one event in one chat; True when a place came free there. What it
        tells the chat (its events list is full) is in the group's language."""
        with i18n.speaking(group_languages(chat.language)[0]):
            return await self._mirror(messenger, chat, event, external)

    async def _mirror(
        self, messenger: Messenger, chat: Chat, event: Event, external: str | None
    ) -> bool:
        gone = event.status == event_store.CANCELLED or _ended(event, self.clock.now())
        if gone and not external:
            await self._record(event.id, chat.id, None)  # nothing was made: owe nothing
            return False
        try:
            result = await messenger.mirror(
                ref_of(chat), None if gone else copy_of(event), external or None
            )
        except NoRoom:
            result = await self._make_room(messenger, chat, event)
        except Exception as exc:
            log.warning("mirror of event %s failed: %s", event.id, type(exc).__name__)
            if gone:
                return False  # the copy is still there: the catch-up removes it later
            result = external or OWED  # made later by the catch-up
        if result != external:
            await self._record(event.id, chat.id, result)
        return gone and bool(external)

    async def _make_room(self, messenger: Messenger, chat: Chat, event: Event) -> str | None:
        """The platform is full: the furthest event mirrored here gives its place to this
        one if this one is nearer; otherwise this one is owed."""
        async with self.db.read() as session:
            furthest = (
                await session.execute(
                    select(Mirror, Event)
                    .join(Event, Event.id == Mirror.event_id)
                    .where(Mirror.chat_id == chat.id, Mirror.external_id != OWED)
                    .order_by(Event.starts_at.desc(), Event.id.desc())
                    .limit(1)
                )
            ).first()
        if furthest is not None and furthest[1].starts_at > event.starts_at:
            mirror, far = furthest
            try:
                await messenger.mirror(ref_of(chat), None, mirror.external_id, withdraw=True)
                await self._record(far.id, chat.id, OWED)
                return await messenger.mirror(ref_of(chat), copy_of(event), None)
            except Exception as exc:  # NoRoom again, or a failure: owed all the same
                log.warning("mirror of event %s: no room (%s)", event.id, type(exc).__name__)
        await self._tell_full(messenger, chat)
        return OWED

    async def _tell_full(self, messenger: Messenger, chat: Chat) -> None:
        if chat.id in self._told_full:
            return
        self._told_full.add(chat.id)
        try:
            await messenger.send(ref_of(chat), Card.text(str(strings.EVENTS_LIST_FULL)))
        except Exception as exc:
            log.warning("telling chat %s its events list is full failed: %s", chat.id, exc)

    async def _record(self, event_id: int, chat_id: int, external: str | None) -> None:
        async with self.db.write() as session:
            await session.execute(
                delete(Mirror).where(Mirror.event_id == event_id, Mirror.chat_id == chat_id)
            )
            if external is not None:
                session.add(Mirror(event_id=event_id, chat_id=chat_id, external_id=external))

    async def catch_up(self, chat_id: int | None = None) -> int:
        """Withdraw the copies of events that have ended, and make the owed ones, nearest
        first, while there is room. Run periodically, and where a place came free."""
        now = self.clock.now()
        async with self.db.read() as session:
            rows = list(
                (
                    await session.execute(
                        select(Mirror, Event, Chat)
                        .join(Event, Event.id == Mirror.event_id)
                        .join(Chat, Chat.id == Mirror.chat_id)
                        .where(*([Mirror.chat_id == chat_id] if chat_id is not None else []))
                        .order_by(Event.starts_at, Event.id)
                    )
                ).tuples()
            )
        made = 0
        full: set[int] = set()
        for mirror, event, chat in rows:
            if chat.platform not in self.messengers or chat.id in full:
                continue
            messenger = self.messengers.for_platform(chat.platform)
            if mirror.external_id and _ended(event, now):
                try:  # it has given what it could: its place goes to an owed event
                    await messenger.mirror(ref_of(chat), None, mirror.external_id, withdraw=True)
                    await self._record(event.id, chat.id, None)
                except Exception as exc:
                    log.warning("withdrawing mirror of %s failed: %s", event.id, exc)
            elif mirror.external_id == OWED:
                try:
                    result = await messenger.mirror(ref_of(chat), copy_of(event), None)
                except NoRoom:
                    full.add(chat.id)  # no nearer owed event will fit either
                    continue
                except Exception as exc:
                    log.warning("mirror of event %s failed again: %s", event.id, exc)
                    continue
                await self._record(event.id, chat.id, result)
                made += 1
        return made
