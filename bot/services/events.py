"""The calendar's rules: making, finding, changing and cancelling a group's events.

An event is shown in its own group and in the chats linked with it; only its own
group's organisers change it. Making or changing one owes its chats their messages
(`bot/services/delivery.py`); what follows the commit is returned as `Effects`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import strings
from bot.calendar_file import build as build_calendar
from bot.cards import event_views, public_view
from bot.domain.errors import UserError
from bot.domain.events import (
    DEADLINE_TIME,
    EDIT_EXAMPLE,
    Changed,
    EventDraft,
    EventEdit,
    Kind,
)
from bot.domain.reminders import format_offsets
from bot.domain.timeparse import parse_end, parse_when
from bot.render import EventView
from bot.services import delivery, groups, waiting
from bot.services import series as series_dates
from bot.services.audit import record
from bot.services.effects import SEND, Actor, Effects, Tx, changed
from bot.storage import events as event_store
from bot.storage import links
from bot.storage import motions as motion_store
from bot.storage import series as series_store
from bot.storage.tables import Chat, Event, Series
from bot.strings import Msg
from bot.strings import audit as told
from bot.strings import events as words

UPCOMING_QUOTA = series_store.UPCOMING_QUOTA


async def find(
    tx: Tx, chat: Chat | None, event_id: int, *, for_update: bool = False, own: bool = False
) -> Event:
    """An event shown in this group (its own, or one from a linked chat); another
    group's event is as good as missing. `own`: only this group's own events, for what
    changes them: rights stay with each chat's organisers."""
    event = await event_store.get(tx.session, event_id, for_update=for_update)
    if event is None or (
        chat is not None and not await event_store.is_shown_in(tx.session, event, chat.id)
    ):
        raise UserError(strings.NO_EVENT.format(id=event_id), "/events")
    if own and chat is not None and event.chat_id != chat.id:
        raise UserError(strings.NOT_OWN_EVENT.format(id=event_id))
    return event


async def check_motion(tx: Tx, chat: Chat, slug: str | None, example: str | Msg) -> None:
    if slug and await motion_store.find(tx.session, chat.id, slug) is None:
        raise UserError(words.NO_MOTION.format(slug=slug[:60]), example)


@dataclass(frozen=True)
class Created:
    effects: Effects
    # A series stopped short by the group's quota: how many dates it made.
    quota_cut: int | None = None


async def create(
    tx: Tx, chat: Chat, actor: Actor, draft: EventDraft, example: str | Msg
) -> Created:
    """Make the event (or the series and its first dates) and owe its announcement and
    reminders in every chat of the group's circle, within the group's quota."""
    await check_motion(tx, chat, draft.motion_slug, example)
    upcoming = await event_store.count_upcoming(tx.session, chat.id, tx.now)
    if upcoming >= UPCOMING_QUOTA:
        raise UserError(strings.QUOTA_FULL.format(quota=UPCOMING_QUOTA))
    if draft.repeat is None:
        event = await event_store.create(
            tx.session, chat, draft, (await actor.member_or_create()).id, tx.now
        )
        await delivery.plan(tx.session, event, await links.circle_of(tx.session, chat), tx.now)
        await record(tx, chat, actor, "create", told.EVENT.format(id=event.id, title=event.title))
        return Created(SEND)
    series = await series_store.create(
        tx.session, chat, draft, (await actor.member_or_create()).id, tx.now
    )
    made = await series_dates.extend(tx.session, series, tx.now)
    first = f"#{made[0].id}" if made else words.NONE_YET
    detail = words.SERIES_CREATED_AUDIT.format(series=series.id, first=first, title=series.title)
    await record(tx, chat, actor, "create", detail)
    cut = len(made) if upcoming + len(made) >= UPCOMING_QUOTA else None
    return Created(SEND, cut)


@dataclass(frozen=True)
class Page:
    views: list[EventView]
    first: int  # the number of the page's first event in the whole list, from 1
    total: int
    pages: int


PAGE = 15  # events one answer lists
MAX_PAGES = -(-UPCOMING_QUOTA // PAGE)  # a group holds at most the quota


async def page(tx: Tx, chat: Chat, number: int) -> Page | None:
    """One page of the events the chat shows; None when there are none."""
    total = await event_store.count_shown(tx.session, chat.id, tx.now)
    if not total:
        return None
    pages = -(-total // PAGE)
    if number > pages:
        raise UserError(strings.NO_SUCH_PAGE.format(pages), "/events 1")
    found = await event_store.upcoming(tx.session, chat.id, tx.now, PAGE, (number - 1) * PAGE)
    views = await event_views(tx.session, found)
    return Page(views, (number - 1) * PAGE + 1, total, pages)


async def show(tx: Tx, chat: Chat, event_id: int) -> EventView:
    """What an event's card shows in this chat (names only where both chats allow)."""
    found = await find(tx, chat, event_id)
    return await public_view(tx.session, found, chat)


async def changeable(tx: Tx, chat: Chat, event_id: int) -> Event:
    """This group's own event, still ahead and not cancelled: what may be changed."""
    found = await find(tx, chat, event_id, for_update=True, own=True)
    if found.status == event_store.CANCELLED:
        raise UserError(strings.EVENT_CANCELLED.format(id=found.id))
    if found.starts_at <= tx.now:
        raise UserError(strings.EVENT_IS_PAST.format(id=found.id))
    return found


@dataclass(frozen=True)
class Edited:
    event_id: int
    given: list[str]  # what was changed, by key
    series_stopped: int  # later dates cancelled because the series was ended here
    effects: Effects


async def edit(tx: Tx, chat: Chat, actor: Actor, event_id: int, change: EventEdit) -> Edited:
    """Apply the change. A new time owes the reminders of the new time (not the old);
    a new time or place is told to the chats and to those coming who asked; a new
    capacity lets the waiting list in; `repeat=none` ends the series here."""
    found = await changeable(tx, chat, event_id)
    motion = change.motion_slug if "motion_slug" in change.given else None
    await check_motion(tx, chat, motion, "/editevent 12 motion=mandatory-reselection")
    old_start, old_place = found.starts_at, found.location
    _apply(found, change, ZoneInfo(chat.timezone), tx.now)
    effects = changed(found.id)
    moved, relocated = found.starts_at != old_start, found.location != old_place
    if moved or "offsets" in change.given:
        await delivery.replan(tx.session, found, await links.circle_of(tx.session, chat), tx.now)
    if moved or relocated:
        found.edits += 1
        found.change_note = (
            Changed.TIME_AND_PLACE
            if moved and relocated
            else Changed.TIME
            if moved
            else Changed.PLACE
        )
        await delivery.tell_of_change(tx.session, found, tx.now)
        effects |= SEND
    if "capacity" in change.given and await waiting.fill_event(tx.session, found, tx.now):
        effects |= SEND
    stopped = 0
    if "repeat" in change.given:
        later = await _end_series(tx, found)
        for other in later:
            effects |= await _cancel(tx, other, words.SERIES_ENDED)
        stopped = len(later)
    given = sorted(change.given)
    await record(tx, chat, actor, "edit", told.EDITED.format(id=found.id, keys=", ".join(given)))
    return Edited(found.id, given, stopped, effects)


def _apply(event: Event, change: EventEdit, tz: ZoneInfo, now: datetime) -> None:
    given = change.given
    if "kind" in given:
        event.kind = change.kind.value
    deadline = event.kind == Kind.DEADLINE.value
    if "title" in given:
        event.title = change.title
    if "when" in given:
        new_start = parse_when(
            change.when, tz, now, date_only_time=DEADLINE_TIME if deadline else None
        )
        if event.ends_at is not None and "ends" not in given:
            event.ends_at = new_start + (event.ends_at - event.starts_at)
        event.starts_at = new_start
    if "ends" in given:
        event.ends_at = None if change.ends is None else parse_end(change.ends, event.starts_at, tz)
    if "location" in given:
        if not change.location and not deadline:
            raise UserError(words.SAY_WHERE, EDIT_EXAMPLE)
        event.location = change.location
    if "capacity" in given:
        event.capacity = change.capacity
    if "offsets" in given:
        event.reminder_offsets = format_offsets(change.offsets)
    if "description" in given:
        event.description = change.description
    if "motion_slug" in given:
        event.motion_slug = change.motion_slug
    if deadline:
        event.capacity = None


async def _end_series(tx: Tx, event: Event) -> list[Event]:
    series = await tx.session.get(Series, event.series_id) if event.series_id else None
    if series is None:
        raise UserError(words.DOES_NOT_REPEAT.format(id=event.id), "/editevent 12 repeat=none")
    return await series_store.stop_after(tx.session, series, event)


async def cancel(tx: Tx, chat: Chat, actor: Actor, event_id: int, reason: str) -> Effects:
    found = await changeable(tx, chat, event_id)
    effects = await _cancel(tx, found, reason)
    line = told.EVENT_BECAUSE if reason else told.EVENT
    detail = line.format(id=found.id, title=found.title, reason=reason)
    await record(tx, chat, actor, "cancel", detail)
    return effects


async def _cancel(tx: Tx, event: Event, reason: str | Msg) -> Effects:
    """Cancel, and tell every chat that showed it (if it was announced there yet), and
    the members who said Going or Maybe and asked for private word."""
    event.status = event_store.CANCELLED
    event.cancel_reason = str(reason)
    event.edits += 1
    await delivery.tell_of_cancellation(tx.session, event, tx.now)
    return SEND | changed(event.id)


@dataclass(frozen=True)
class CalendarFile:
    name: str  # the group's
    data: bytes
    upcoming: int


async def calendar(tx: Tx, chat: Chat, instance: str) -> CalendarFile:
    """The group's upcoming events as an iCalendar file."""
    found = await event_store.calendar(tx.session, chat.id, tx.now)
    data = await chat_calendar(tx.session, chat, found, tx.now, instance)
    live = sum(1 for e in found if e.status == event_store.SCHEDULED and e.starts_at > tx.now)
    return CalendarFile(groups.name_of(chat), data, live)


async def chat_calendar(
    session: AsyncSession,
    chat: Chat,
    events: list[Event],
    now: datetime,
    instance: str,
    *,
    cancelled: bool = False,
) -> bytes:
    """A group's events as iCalendar, each series with its rule (the file /calendar
    sends, and the feed a subscription fetches, which keeps what was cancelled)."""
    ids = {e.series_id for e in events if e.series_id is not None}
    series = {s.id: s for s in [await session.get(Series, i) for i in ids] if s}
    return build_calendar(groups.name_of(chat), events, series, now, instance, cancelled=cancelled)
