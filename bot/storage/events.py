"""Events and the answers given to them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.events import EventDraft, Template, template_of
from bot.domain.rsvp import Answer, Counts
from bot.storage import quick
from bot.storage.outbox import announced_in
from bot.storage.tables import Chat, Event, Member, Outbox, Rsvp, Series

SCHEDULED = "scheduled"
CANCELLED = "cancelled"
# Built once: the press path runs these on every press, and building a query each
# time cost more than SQLite took to run it.
_BY_ID = select(Event).where(Event.id == bindparam("id"))
# Locked, and read afresh: what another transaction changed before the lock counts.
_BY_ID_FOR_UPDATE = _BY_ID.with_for_update().execution_options(populate_existing=True)
_RSVP = select(Rsvp).where(
    Rsvp.event_id == bindparam("event"), Rsvp.member_id == bindparam("member")
)
# A press's statements (`bot.storage.quick`): what answering reads and writes. The
# event and the member's answer to it are one statement: on PostgreSQL each is a round
# trip, and a press is the commonest thing Muster does.
# The event and the member's answer (`arrival` reads the same columns beside others).
ANSWERABLE_COLUMNS = (
    Event.id,
    Event.chat_id,
    Event.title,
    Event.kind,
    Event.status,
    Event.starts_at,
    Event.capacity,
    Rsvp.answer,
    Rsvp.guests,
)
_ANSWERABLE_SELECT = (
    select(*ANSWERABLE_COLUMNS)
    .outerjoin(Rsvp, (Rsvp.event_id == Event.id) & (Rsvp.member_id == bindparam("member")))
    .where(Event.id == bindparam("id"))
)
_ANSWERABLE = quick.Statement(_ANSWERABLE_SELECT)
# Only the event's row is locked: PostgreSQL locks no row of an outer join's missing side.
_ANSWERABLE_LOCKED = quick.Statement(_ANSWERABLE_SELECT.with_for_update(of=Event))
_ANNOUNCED_HERE = quick.Statement(
    announced_in(bindparam("chat")).where(Outbox.event_id == bindparam("event")).limit(1)
)
_WHEN = Rsvp.__table__.c.updated_at.type
_NEW_RSVP = quick.Statement(
    insert(Rsvp).values(
        event_id=bindparam("event"),
        member_id=bindparam("member"),
        answer=bindparam("new_answer"),
        guests=bindparam("new_guests"),
        updated_at=bindparam("now", type_=_WHEN),
    )
)
_CHANGE_RSVP = quick.Statement(
    update(Rsvp)
    .where(Rsvp.event_id == bindparam("event"), Rsvp.member_id == bindparam("member"))
    .values(
        answer=bindparam("new_answer"),
        guests=bindparam("new_guests"),
        updated_at=bindparam("now", type_=_WHEN),
    )
)


@dataclass(frozen=True)
class Answerable:
    """What answering an event reads of it, and the member's answer: no object loaded."""

    id: int
    chat_id: int
    title: str
    kind: str
    status: str
    starts_at: datetime
    capacity: int | None
    given: tuple[Answer, int] | None  # the member's answer and guests, if they answered


TEMPLATE_FIELDS = tuple(f.name for f in fields(Template))


def copy_template(row: Event | Series, template: Template) -> None:
    """The one place an event's shared fields are copied: into an event or a series."""
    for name in TEMPLATE_FIELDS:
        setattr(row, name, getattr(template, name))


def template_of_row(row: Event | Series) -> Template:
    return Template(**{name: getattr(row, name) for name in TEMPLATE_FIELDS})


async def create(
    session: AsyncSession, chat: Chat, draft: EventDraft, created_by: int | None, now: datetime
) -> Event:
    event = Event(
        chat_id=chat.id,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        timezone=chat.timezone,
        status=SCHEDULED,
        cancel_reason="",
        created_by=created_by,
        created_at=now,
    )
    copy_template(event, template_of(draft, chat.reminder_offsets))
    session.add(event)
    await session.flush()
    return event


async def get(session: AsyncSession, event_id: int, *, for_update: bool = False) -> Event | None:
    query = _BY_ID_FOR_UPDATE if for_update else _BY_ID
    event: Event | None = await session.scalar(query, {"id": event_id})
    return event


def _shown_in(chat_id: int) -> ColumnElement[bool]:
    """Events of a chat: its own and those announced in it from linked chats. A union
    of the two indexed lookups: PostgreSQL's planner answers an OR of a column and a
    subquery by scanning every event (44 ms over 100,000), SQLite's either way not."""
    own = select(Event.id).where(Event.chat_id == chat_id)
    return Event.id.in_(own.union(announced_in(chat_id)))


async def upcoming(
    session: AsyncSession, chat_id: int, now: datetime, limit: int = 15, offset: int = 0
) -> list[Event]:
    rows = await session.scalars(
        select(Event)
        .where(_shown_in(chat_id), Event.status == SCHEDULED, Event.starts_at > now)
        .order_by(Event.starts_at, Event.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows)


async def count_shown(session: AsyncSession, chat_id: int, now: datetime) -> int:
    """How many upcoming events the chat shows (its own and its linked chats')."""
    found = await session.scalar(
        select(func.count())
        .select_from(Event)
        .where(_shown_in(chat_id), Event.status == SCHEDULED, Event.starts_at > now)
    )
    return int(found or 0)


async def count_upcoming(session: AsyncSession, chat_id: int, now: datetime) -> int:
    """The group's own scheduled events still to start: what its quota counts."""
    found = await session.scalar(
        select(func.count())
        .select_from(Event)
        .where(Event.chat_id == chat_id, Event.status == SCHEDULED, Event.starts_at > now)
    )
    return int(found or 0)


async def calendar(session: AsyncSession, chat_id: int, now: datetime) -> list[Event]:
    """What a calendar file holds: upcoming events, and the series they belong to."""
    rows = await session.scalars(
        select(Event)
        .where(_shown_in(chat_id), Event.starts_at > now - timedelta(days=1))
        .order_by(Event.starts_at, Event.id)
        .limit(500)
    )
    return list(rows)


# What a subscribed calendar keeps of the past: a cancelled event stays (as cancelled)
# this long, so calendar applications that saw it remove it.
FEED_PAST = timedelta(days=30)


async def feed(session: AsyncSession, chat_id: int, now: datetime) -> list[Event]:
    """What a chat's subscribed calendar holds: its events from a month back on."""
    rows = await session.scalars(
        select(Event)
        .where(_shown_in(chat_id), Event.starts_at > now - FEED_PAST)
        .order_by(Event.starts_at, Event.id)
        .limit(500)
    )
    return list(rows)


async def is_shown_in(session: AsyncSession, event: Event, chat_id: int) -> bool:
    return await _shown(session, event.id, event.chat_id, chat_id)


async def _shown(session: AsyncSession, event_id: int, owner: int, chat_id: int) -> bool:
    """Whether a chat shows the event: its own, or announced in it from a linked chat."""
    if owner == chat_id:
        return True
    rows = await quick.of(session)
    return await rows.one(_ANNOUNCED_HERE, chat=chat_id, event=event_id) is not None


async def answerable(
    session: AsyncSession,
    event_id: int,
    chat_id: int,
    member_id: int,
    *,
    for_update: bool = False,
    found: quick.Found = quick.UNREAD,
) -> Answerable | None:
    """The event, if this chat shows it, with the member's answer to it. `for_update`:
    the event's row locked until the commit (PostgreSQL), so answers take turns.
    `found`: its `ANSWERABLE_COLUMNS` if a statement that read more has read them."""
    if found is quick.UNREAD:
        statement = _ANSWERABLE_LOCKED if for_update else _ANSWERABLE
        found = await (await quick.of(session)).one(statement, id=event_id, member=member_id)
    if found is None:
        return None
    event_id, owner, title, kind, status, starts_at, capacity, answer, guests = found
    given = None if answer is None else (Answer(answer), int(guests))
    event = Answerable(event_id, owner, title, kind, status, starts_at, capacity, given)
    return event if await _shown(session, event.id, event.chat_id, chat_id) else None


def _counts_query() -> Select[tuple[int, int, int, int, int]]:
    people = 1 + Rsvp.guests

    def total(answer: Answer, each: Any) -> Any:
        return func.coalesce(func.sum(case((Rsvp.answer == answer.value, each), else_=0)), 0)

    return (
        select(
            Rsvp.event_id,
            total(Answer.GOING, people),
            total(Answer.MAYBE, people),
            total(Answer.NO, 1),
            total(Answer.WAITING, people),
        )
        .where(Rsvp.event_id.in_(bindparam("ids", expanding=True)))
        .group_by(Rsvp.event_id)
    )


# Built once, like the press path's: every card and every list of events counts, and
# building this one cost a live card's refresh a third of a millisecond.
_COUNTS = _counts_query()


async def counts(session: AsyncSession, event_ids: list[int]) -> dict[int, Counts]:
    if not event_ids:
        return {}
    rows = await session.execute(_COUNTS, {"ids": event_ids})
    found = {int(r[0]): Counts(int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}
    return {eid: found.get(eid, Counts()) for eid in event_ids}


async def rsvp_of(session: AsyncSession, event_id: int, member_id: int) -> Rsvp | None:
    rsvp: Rsvp | None = await session.scalar(_RSVP, {"event": event_id, "member": member_id})
    return rsvp


async def set_rsvp(
    session: AsyncSession,
    event_id: int,
    member_id: int,
    answer: Answer,
    guests: int,
    now: datetime,
    *,
    new: bool,
) -> None:
    """Record an answer. `new`: the member had none (`Answerable.given`, which the
    caller read to decide the answer), so nothing is read twice."""
    rows = await quick.of(session)
    values = {"event": event_id, "member": member_id, "new_guests": guests, "now": now}
    await rows.run(_NEW_RSVP if new else _CHANGE_RSVP, new_answer=answer.value, **values)


@dataclass(frozen=True)
class Attendee:
    name: str
    answer: Answer
    guests: int
    updated_at: datetime
    member_id: int = 0


async def attendees(session: AsyncSession, event_id: int) -> list[Attendee]:
    rows = await session.execute(
        select(Member.display_name, Rsvp.answer, Rsvp.guests, Rsvp.updated_at, Member.id)
        .join(Member, Member.id == Rsvp.member_id)
        .where(Rsvp.event_id == event_id)
        .order_by(Rsvp.updated_at, Rsvp.id)
    )
    return [Attendee(r[0], Answer(r[1]), int(r[2]), r[3], int(r[4])) for r in rows]


async def my_upcoming(
    session: AsyncSession, member_id: int, now: datetime
) -> list[tuple[Event, Rsvp]]:
    rows = await session.execute(
        select(Event, Rsvp)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.member_id == member_id, Event.starts_at > now, Event.status == SCHEDULED)
        .order_by(Event.starts_at)
    )
    return [(r[0], r[1]) for r in rows]


async def waiting_line(session: AsyncSession, event_id: int) -> list[Rsvp]:
    """The event's waiting list, first come first.

    Erased members' answers (no member) stay in the line as numbers but are never moved
    into a place."""
    rows = await session.scalars(
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.answer == Answer.WAITING.value)
        .order_by(Rsvp.updated_at, Rsvp.id)
    )
    return list(rows)


async def position(session: AsyncSession, event_id: int, member_id: int) -> int:
    """A member's place on the waiting list, from 1."""
    ids = list(
        await session.scalars(
            select(Rsvp.member_id)
            .where(Rsvp.event_id == event_id, Rsvp.answer == Answer.WAITING.value)
            .order_by(Rsvp.updated_at, Rsvp.id)
        )
    )
    return ids.index(member_id) + 1 if member_id in ids else 0


async def answered(session: AsyncSession, event_id: int, answers: tuple[Answer, ...]) -> list[int]:
    """Members (ids) whose answer is one of these."""
    rows = await session.scalars(
        select(Rsvp.member_id).where(
            Rsvp.event_id == event_id,
            Rsvp.answer.in_([a.value for a in answers]),
            Rsvp.member_id.is_not(None),
        )
    )
    return [m for m in rows if m is not None]
