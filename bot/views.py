"""Assemble what a card shows from the database: the event, live counts, names."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.events import Kind
from bot.domain.reminders import Offset
from bot.domain.rsvp import Answer
from bot.messaging import Card
from bot.render import EventView, event_card, reminder_card
from bot.storage import events as event_store
from bot.storage import motions as motion_store
from bot.storage.deliveries import REMIND
from bot.storage.tables import Chat, Delivery, Event


async def event_views(
    session: AsyncSession, items: list[Event], *, names: bool = False
) -> list[EventView]:
    counts = await event_store.counts(session, [e.id for e in items])
    views = []
    for event in items:
        motion = None
        if event.motion_slug:
            found = await motion_store.find(session, event.chat_id, event.motion_slug)
            motion = (event.motion_slug, found.title if found else event.motion_slug)
        people: dict[Answer, list[str]] | None = None
        if names:
            people = {}
            for a in await event_store.attendees(session, event.id):
                label = a.name + (f" +{a.guests}" if a.guests else "")
                people.setdefault(a.answer, []).append(label)
        views.append(
            EventView(
                id=event.id,
                kind=Kind(event.kind),
                title=event.title,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                timezone=event.timezone,
                location=event.location,
                description=event.description,
                capacity=event.capacity,
                cancelled=event.status == event_store.CANCELLED,
                cancel_reason=event.cancel_reason,
                counts=counts[event.id],
                motion=motion,
                names=people,
            )
        )
    return views


async def event_view(session: AsyncSession, event: Event, *, names: bool = False) -> EventView:
    return (await event_views(session, [event], names=names))[0]


async def public_view(session: AsyncSession, event: Event, chat: Chat) -> EventView:
    """What a group sees: names only when the group's setting says so."""
    return await event_view(session, event, names=chat.show_names)


async def delivery_card(
    session: AsyncSession, delivery: Delivery, event: Event, chat: Chat
) -> Card:
    """The card a delivery posts (and later edits): the announcement or a reminder."""
    view = await public_view(session, event, chat)
    if delivery.purpose == REMIND:
        return reminder_card(view, Offset(delivery.offset_minutes))
    return event_card(view)
