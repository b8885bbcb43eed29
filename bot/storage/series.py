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

from bot.domain.events import EventDraft, template_of
from bot.domain.recurrence import KEY_FORMAT, occurrences
from bot.storage.events import copy_template, template_of_row
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
        active=True,
        created_by=created_by,
        created_at=now,
    )
    copy_template(series, template_of(draft, chat.reminder_offsets))
    session.add(series)
    await session.flush()
    return series


def dates_ahead(series: Series, now: datetime) -> list[tuple[str, datetime]]:
    """The series' dates up to HORIZON ahead (key, start): pure work, bounded by the rule
    walk, that the daily job does in a worker thread."""
    start = datetime.strptime(series.local_start, KEY_FORMAT)
    return list(occurrences(series.rule, start, ZoneInfo(series.timezone), now + HORIZON))


def occurrence(series: Series, key: str, starts_at: datetime, now: datetime) -> Event:
    """One date of a series: an ordinary event with the series' shape."""
    ends_at = None
    if series.duration_minutes is not None:
        ends_at = starts_at + timedelta(minutes=series.duration_minutes)
    event = Event(
        chat_id=series.chat_id,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=series.timezone,
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
    copy_template(event, template_of_row(series))
    return event


async def active(session: AsyncSession) -> list[Series]:
    return list(await session.scalars(select(Series).where(Series.active.is_(True))))


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


async def made_keys(session: AsyncSession, series_id: int) -> set[str | None]:
    """The local starts of the dates already made for a series."""
    return set(await session.scalars(select(Event.occurrence).where(Event.series_id == series_id)))
