"""Repeating events: a series row and the occurrences made from it, a few weeks ahead.

Occurrences are ordinary events (own RSVPs, reminders, id), made up to HORIZON ahead at
creation and by the daily job. Each remembers the local start it was made for, so a
moved or cancelled occurrence is never made again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.events import EventDraft
from bot.domain.recurrence import KEY_FORMAT, occurrences
from bot.storage import deliveries, links
from bot.storage import events as event_store
from bot.storage.events import offsets_of
from bot.storage.tables import Chat, Event, Series

HORIZON = timedelta(days=35)
# At most this many dates of one series are made ahead (with one date a day at most and
# five weeks ahead, a daily series needs 36).
MAX_AHEAD = 40
# A group holds at most this many upcoming events of its own: no rule or organiser can
# fill the database, or a chat, without end.
UPCOMING_QUOTA = 500
SCHEDULED = "scheduled"


async def create(
    session: AsyncSession, chat: Chat, draft: EventDraft, created_by: int | None, now: datetime
) -> Series:
    assert draft.repeat is not None
    tz = ZoneInfo(chat.timezone)
    local = draft.starts_at.astimezone(tz).replace(tzinfo=None)
    duration = None
    if draft.ends_at is not None:
        duration = int((draft.ends_at - draft.starts_at).total_seconds() // 60)
    series = Series(
        chat_id=chat.id,
        rule=draft.repeat,
        local_start=local.strftime(KEY_FORMAT),
        duration_minutes=duration,
        timezone=chat.timezone,
        kind=draft.kind.value,
        title=draft.title,
        location=draft.location,
        description=draft.description,
        capacity=draft.capacity,
        reminder_offsets=offsets_of(draft, chat),
        motion_slug=draft.motion_slug,
        active=True,
        created_by=created_by,
        created_at=now,
    )
    session.add(series)
    await session.flush()
    return series


def dates_ahead(series: Series, now: datetime) -> list[tuple[str, datetime]]:
    """The series' dates up to HORIZON ahead (key, start): pure work, bounded by the rule
    walk, that the daily job does in a worker thread."""
    start = datetime.strptime(series.local_start, KEY_FORMAT)
    return list(occurrences(series.rule, start, ZoneInfo(series.timezone), now + HORIZON))


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
    made = set(await session.scalars(select(Event.occurrence).where(Event.series_id == series.id)))
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
            event = _occurrence(series, key, starts_at, now)
            session.add(event)
            await session.flush()
            await deliveries.plan(session, event, chats, now, announce_at=previous)
            created.append(event)
        previous = starts_at
    return created


def _occurrence(series: Series, key: str, starts_at: datetime, now: datetime) -> Event:
    ends_at = None
    if series.duration_minutes is not None:
        ends_at = starts_at + timedelta(minutes=series.duration_minutes)
    return Event(
        chat_id=series.chat_id,
        kind=series.kind,
        title=series.title,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=series.timezone,
        location=series.location,
        description=series.description,
        capacity=series.capacity,
        reminder_offsets=series.reminder_offsets,
        motion_slug=series.motion_slug,
        status=SCHEDULED,
        cancel_reason="",
        series_id=series.id,
        occurrence=key,
        revision=0,
        edits=0,
        change_note="",
        created_by=series.created_by,
        created_at=now,
    )


async def active(session: AsyncSession) -> list[Series]:
    return list(await session.scalars(select(Series).where(Series.active.is_(True))))


async def extend_all(
    session: AsyncSession, now: datetime, dates: dict[int, list[tuple[str, datetime]]]
) -> int:
    """The daily job: keep every active series HORIZON ahead, from dates found before."""
    made = 0
    for series in await active(session):
        made += len(await extend(session, series, now, dates.get(series.id)))
    return made


async def stop_after(session: AsyncSession, series: Series, event: Event) -> list[Event]:
    """End a series after this occurrence: later ones not yet held are returned to be
    cancelled by the caller (who tells those who answered)."""
    series.active = False
    later = await session.scalars(
        select(Event).where(
            Event.series_id == series.id,
            Event.starts_at > event.starts_at,
            Event.status == SCHEDULED,
        )
    )
    return list(later)
