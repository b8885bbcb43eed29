"""Repeating events: their dates are made a few weeks ahead, within the group's quota.

Occurrences are ordinary events (own RSVPs, reminders, id), made up to HORIZON ahead at
creation and by the daily job (`bot/storage/series.py` keeps the rows).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import delivery
from bot.storage import events as event_store
from bot.storage import links
from bot.storage.series import MAX_AHEAD, UPCOMING_QUOTA, active, dates_ahead, made_keys, occurrence
from bot.storage.tables import Chat, Event, Series


async def extend(
    session: AsyncSession,
    series: Series,
    now: datetime,
    dates: list[tuple[str, datetime]] | None = None,
) -> list[Event]:
    """Make the occurrences up to HORIZON ahead that do not exist yet, and plan them,
    within MAX_AHEAD for the series and the group's UPCOMING_QUOTA.

    Each occurrence is announced when the one before it starts (the first at once), so
    a weekly meeting's chat sees next week's card after this week's meeting.
    """
    if not series.active:
        return []
    room = UPCOMING_QUOTA - await event_store.count_upcoming(session, series.chat_id, now)
    made = await made_keys(session, series.id)
    chat = await session.get(Chat, series.chat_id)
    if chat is None:
        return []
    chats = await links.circle_of(session, chat)
    created: list[Event] = []
    previous: datetime | None = None
    ahead = 0
    for key, starts_at in dates if dates is not None else dates_ahead(series, now):
        if starts_at > now:
            ahead += 1
        if ahead > MAX_AHEAD or len(created) >= room:
            break
        if key not in made and starts_at > now:
            event = occurrence(series, key, starts_at, now)
            session.add(event)
            await session.flush()
            await delivery.plan(session, event, chats, now, announce_at=previous)
            created.append(event)
        previous = starts_at
    return created


async def extend_all(
    session: AsyncSession, now: datetime, dates: dict[int, list[tuple[str, datetime]]]
) -> int:
    """The daily job: keep every active series HORIZON ahead, from dates found before."""
    made = 0
    for series in await active(session):
        made += len(await extend(session, series, now, dates.get(series.id)))
    return made
