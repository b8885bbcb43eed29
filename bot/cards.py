"""Cards from the database: what an event, a reminder or a private message shows,
with live counts and the names a chat may see."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import i18n, strings
from bot.actions import FactsConfirmed, RemindersPress, Switch
from bot.bilingual import in_languages
from bot.domain.events import Changed, Kind
from bot.domain.outbox import Purpose
from bot.domain.recurrence import describe
from bot.domain.reminders import Offset
from bot.domain.rsvp import Answer
from bot.messaging import Button, Card
from bot.render import (
    EventView,
    cancel_card,
    event_card,
    reminder_card,
    slot_name,
    update_card,
    when_text,
)
from bot.storage import attendance as attendance_store
from bot.storage import events as event_store
from bot.storage import motion_status as motion_statuses
from bot.storage import motions as motion_store
from bot.storage import signups as sheet_store
from bot.storage.tables import (
    Chat,
    Event,
    Member,
    Outbox,
    Series,
    SignupSheet,
    SignupSlot,
)
from bot.strings import digest as digest_words
from bot.strings import motions as motion_words
from bot.strings import signups as signup_words
from bot.textsplit import Measure
from bot.voices import group_languages, member_language


async def event_views(
    session: AsyncSession, items: list[Event], *, names: bool = False
) -> list[EventView]:
    counts = await event_store.counts(session, [e.id for e in items])
    views = []
    for event in items:
        motion = None
        motion_status = None
        if event.motion_slug:
            found = await motion_store.find(session, event.chat_id, event.motion_slug)
            motion = (event.motion_slug, found.title if found else event.motion_slug)
            status = await motion_statuses.current(session, event.chat_id, event.motion_slug)
            if status is not None:
                local = status.at.astimezone(ZoneInfo(event.timezone))
                motion_status = strings.MOTION_STATUS_HERE.format(
                    status=motion_words.status_name(status.status),
                    when=i18n.date_time(local, "day"),
                )
        repeats = None
        if event.series_id is not None:
            series = await session.get(Series, event.series_id)
            repeats = describe(series.rule) if series is not None and series.active else None
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
                repeats=repeats,
                motion_status=motion_status,
            )
        )
    return views


def changed_of(event: Event) -> Changed:
    """What the event's last told change changed (a time, when an old row says nothing)."""
    try:
        return Changed(event.change_note)
    except ValueError:
        return Changed.TIME


async def event_view(session: AsyncSession, event: Event, *, names: bool = False) -> EventView:
    return (await event_views(session, [event], names=names))[0]


async def public_view(session: AsyncSession, event: Event, chat: Chat) -> EventView:
    """What a group sees: names only when both the showing group and the event's own
    group allow them. Members who answered in a group that hides names stay hidden in
    every chat linked with it."""
    names = chat.show_names
    if names and event.chat_id != chat.id:
        home = await session.get(Chat, event.chat_id)
        names = home is not None and home.show_names
    return await event_view(session, event, names=names)


async def chat_message_card(
    session: AsyncSession,
    message: Outbox,
    event: Event,
    chat: Chat,
    limit: int | None = None,
    measure: Measure = len,
) -> Card:
    """The card a chat's message posts (and later edits): the announcement or a reminder, in
    one message of at most `limit` characters, so an edit never loses the card's head;
    in the group's language, or both of a bilingual group's."""

    async def render(room: int | None) -> Card:
        return await _chat_card(session, message, event, chat, room, measure)

    return await in_languages(group_languages(chat.language), render, limit, measure)


async def _chat_card(
    session: AsyncSession,
    message: Outbox,
    event: Event,
    chat: Chat,
    limit: int | None,
    measure: Measure,
) -> Card:
    view = await public_view(session, event, chat)
    if message.purpose == Purpose.REMIND:
        return reminder_card(view, Offset(message.offset_minutes), limit, measure)
    if message.purpose == Purpose.UPDATE:
        return update_card(view, changed_of(event), limit, measure)
    if message.purpose == Purpose.CANCEL:
        return cancel_card(await event_view(session, event))
    return event_card(view, limit, measure)


async def member_message_card(
    session: AsyncSession, notice: Outbox, member: Member, now: datetime
) -> Card | None:
    """The private message owed to a member, in their language, or None when it no
    longer applies (the member changed their answer, the meeting was cancelled or has
    started)."""
    group: tuple[str, ...] = ()
    event = await session.get(Event, notice.event_id) if notice.event_id else None
    chat = await session.get(Chat, event.chat_id) if event is not None else None
    if chat is not None:  # an event's news: read as its group would have it read
        group = group_languages(chat.language)
    with i18n.speaking(member_language(member.language, member.platform_language, group)):
        return await _member_card(session, notice, member, now)


async def _member_card(
    session: AsyncSession, notice: Outbox, member: Member, now: datetime
) -> Card | None:
    if notice.purpose == Purpose.RECONFIRM:
        facts = strings.RECONFIRM.format(
            clp=member.clp or strings.NOT_GIVEN, branch=member.branch or strings.NOT_GIVEN
        )
        return Card.text(facts).with_buttons(
            (Button(str(strings.STILL_RIGHT), FactsConfirmed().pack()),)
        )
    if notice.purpose == Purpose.SLOT:
        return await _slot_card(session, notice, member)
    event = await session.get(Event, notice.event_id) if notice.event_id else None
    if event is None:
        return None
    if notice.purpose == Purpose.AFTER_MEETING:
        return await after_meeting_card(session, event)
    if notice.purpose != Purpose.MEMBER_CANCEL and (
        event.status != event_store.SCHEDULED or event.starts_at <= now
    ):
        return None
    chat = await session.get(Chat, event.chat_id)
    group = (chat.display_name or chat.title) if chat else strings.THE_GROUP
    rsvp = await event_store.rsvp_of(session, event.id, member.id)
    answer = Answer(rsvp.answer) if rsvp else None
    when = when_text(event.starts_at, event.ends_at, event.timezone)
    if notice.purpose == Purpose.MEMBER_REMIND and answer is Answer.GOING:
        line = strings.PRIVATE_REMINDER_AT if event.location else strings.PRIVATE_REMINDER
        text = line.format(title=event.title, when=when, where=event.location)
        return Card.text(text).with_buttons(
            (Button(str(strings.REMIND_ME_OFF), RemindersPress(Switch.OFF).pack()),)
        )
    if notice.purpose == Purpose.MEMBER_CHANGE and answer in (Answer.GOING, Answer.MAYBE):
        card = update_card(await event_view(session, event), changed_of(event))
        return Card(blocks=card.blocks, title=card.title)
    if notice.purpose == Purpose.MEMBER_CANCEL:
        return cancel_card(await event_view(session, event))
    if notice.purpose == Purpose.NUDGE and answer is None:
        return Card.text(strings.NUDGE.format(title=event.title, when=when, group=group))
    if notice.purpose == Purpose.PROMOTED and answer is Answer.GOING:
        return Card.text(strings.PROMOTED.format(title=event.title, when=when))
    return None


async def _slot_card(session: AsyncSession, notice: Outbox, member: Member) -> Card | None:
    slot = await session.get(SignupSlot, notice.slot_id) if notice.slot_id else None
    sheet = await session.get(SignupSheet, slot.sheet_id) if slot else None
    if slot is None or sheet is None:
        return None
    mine = await sheet_store.member_slots(session, sheet.id, member.id)
    if slot.id not in mine:
        return None
    name = slot_name(sheet.title, slot.label)
    return Card.text(signup_words.SLOT_FREED.format(name=name, id=sheet.id))


async def after_meeting_card(session: AsyncSession, event: Event) -> Card | None:
    """An organiser's figures after a meeting with check-in: who said Going, who came,
    who came without saying, and the names of those who came for the first time (to be
    welcomed). None for a meeting that was called off."""
    if event.status != event_store.SCHEDULED:
        return None
    came = await attendance_store.present(session, event.id)
    answers = await event_store.attendees(session, event.id)
    going = {a.member_id for a in answers if a.answer is Answer.GOING}
    earlier = await attendance_store.earlier_attenders(
        session, event.chat_id, event.starts_at, list(came)
    )
    first = [name for member_id, name in came.items() if member_id not in earlier]
    when = when_text(event.starts_at, event.ends_at, event.timezone)
    figures = ", ".join(
        (
            digest_words.SAID_GOING.format(len(going)),
            digest_words.CAME.format(len(came)),
            digest_words.CAME_UNSAID.format(len([m for m in came if m not in going])),
        )
    )
    welcome = (
        digest_words.FIRST_TIMERS.format(names=", ".join(first))
        if first
        else digest_words.NO_FIRST_TIMERS.format()
    )
    head = digest_words.AFTER_MEETING.format(title=event.title, when=when)
    return Card.text(f"{head}\n{figures}\n{welcome}")
