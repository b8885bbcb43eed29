"""A chat's calendar as an .ics file: what a calendar application imports.

Single events are plain VEVENTs; a series is one VEVENT with its RRULE (read in the
event's own zone, whose VTIMEZONE is included), with EXDATEs for cancelled dates and an
overriding VEVENT (RECURRENCE-ID) for each date that was moved or changed. UIDs name the
deployment (`event-12@<instance>.muster`), so two Muster servers never collide in one
calendar application. A subscribed feed keeps a cancelled event, as STATUS:CANCELLED,
so applications that showed it take it away.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from bot.domain.events import KIND_LABELS, Kind
from bot.domain.recurrence import KEY_FORMAT
from bot.domain.text import one_line
from bot.storage.tables import Event, Series

DOMAIN = "muster"  # after the deployment's instance id
CANCELLED = "cancelled"


def build(
    name: str,
    events: Iterable[Event],
    series: dict[int, Series],
    now: datetime,
    instance: str,
    *,
    cancelled: bool = False,
) -> bytes:
    """The calendar; with `cancelled`, single events called off are kept as such."""
    domain = f"{instance}.{DOMAIN}"
    cal = Calendar()
    cal.add("prodid", "-//Muster//Organising calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", one_line(name) or "Muster")
    by_series: dict[int, list[Event]] = {}
    first: date | None = None
    for event in events:
        first = min(first or event.starts_at.date(), event.starts_at.date())
        owner = series.get(event.series_id) if event.series_id is not None else None
        if owner is not None and owner.active:
            by_series.setdefault(owner.id, []).append(event)
        elif event.status != CANCELLED or cancelled:
            cal.add_component(_vevent(event, f"event-{event.id}@{domain}", now))
    for series_id, occurrences in by_series.items():
        for component in _series(series[series_id], occurrences, now, domain):
            cal.add_component(component)
    start = (first or now.date()) - timedelta(days=400)
    cal.add_missing_timezones(first_date=start, last_date=now.date() + timedelta(days=800))
    return bytes(cal.to_ical())


def _vevent(event: Event, uid: str, now: datetime) -> VEvent:
    tz = ZoneInfo(event.timezone)
    item = VEvent()
    item.add("uid", uid)
    item.add("dtstamp", now)
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at.astimezone(tz))
    end = event.ends_at or event.starts_at
    if event.ends_at is None and event.kind != Kind.DEADLINE.value:
        end = event.starts_at + timedelta(hours=2)
    item.add("dtend", end.astimezone(tz))
    if event.location:
        item.add("location", event.location)
    label = KIND_LABELS.get(Kind(event.kind), "Event")
    item.add(
        "description",
        f"{label} · #{event.id}" + (f"\n{event.description}" if event.description else ""),
    )
    item.add("status", "CANCELLED" if event.status == CANCELLED else "CONFIRMED")
    return item


def _series(series: Series, occurrences: list[Event], now: datetime, domain: str) -> list[VEvent]:
    tz = ZoneInfo(series.timezone)
    uid = f"series-{series.id}@{domain}"
    local_start = datetime.strptime(series.local_start, KEY_FORMAT).replace(tzinfo=tz)
    template = Event(
        id=occurrences[0].id,
        kind=series.kind,
        title=series.title,
        starts_at=local_start,
        ends_at=(
            local_start + timedelta(minutes=series.duration_minutes)
            if series.duration_minutes is not None
            else None
        ),
        timezone=series.timezone,
        location=series.location,
        description=series.description,
    )
    master = _vevent(template, uid, now)
    master.add("rrule", vRecur.from_ical(series.rule))
    cancelled = [e for e in occurrences if e.status == CANCELLED and e.occurrence]
    for event in cancelled:
        master.add("exdate", _original(event, tz))
    parts = [master]
    for event in occurrences:
        if event.status != CANCELLED and event.occurrence and _differs(event, series, tz):
            override = _vevent(event, uid, now)
            override.add("recurrence-id", _original(event, tz))
            parts.append(override)
    return parts


def _original(event: Event, tz: ZoneInfo) -> datetime:
    assert event.occurrence is not None
    return datetime.strptime(event.occurrence, KEY_FORMAT).replace(tzinfo=tz)


def _differs(event: Event, series: Series, tz: ZoneInfo) -> bool:
    moved = event.starts_at.astimezone(tz).replace(tzinfo=None) != datetime.strptime(
        event.occurrence or "", KEY_FORMAT
    )
    return (
        moved
        or event.title != series.title
        or event.location != series.location
        or event.description != series.description
    )
