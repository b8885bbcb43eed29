"""Events and the answers given to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.events import EventDraft
from bot.domain.reminders import format_offsets
from bot.domain.rsvp import Answer, Counts
from bot.storage.tables import Chat, Event, Member, Rsvp

SCHEDULED = "scheduled"
CANCELLED = "cancelled"


async def create(
    session: AsyncSession, chat: Chat, draft: EventDraft, created_by: int | None, now: datetime
) -> Event:
    event = Event(
        chat_id=chat.id,
        kind=draft.kind.value,
        title=draft.title,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        timezone=chat.timezone,
        location=draft.location,
        description=draft.description,
        capacity=draft.capacity,
        reminder_offsets=(
            format_offsets(draft.offsets) if draft.offsets is not None else chat.reminder_offsets
        ),
        motion_slug=draft.motion_slug,
        status=SCHEDULED,
        cancel_reason="",
        created_by=created_by,
        created_at=now,
    )
    session.add(event)
    await session.flush()
    return event


async def get(session: AsyncSession, event_id: int, *, for_update: bool = False) -> Event | None:
    query = select(Event).where(Event.id == event_id)
    if for_update:
        query = query.with_for_update()
    event: Event | None = await session.scalar(query)
    return event


async def upcoming(
    session: AsyncSession, chat_id: int, now: datetime, limit: int = 15
) -> list[Event]:
    rows = await session.scalars(
        select(Event)
        .where(Event.chat_id == chat_id, Event.status == SCHEDULED, Event.starts_at > now)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return list(rows)


def _counts_query() -> Select[tuple[int, int, int, int]]:
    people = 1 + Rsvp.guests
    return select(
        Rsvp.event_id,
        func.coalesce(func.sum(case((Rsvp.answer == Answer.GOING.value, people), else_=0)), 0),
        func.coalesce(func.sum(case((Rsvp.answer == Answer.MAYBE.value, people), else_=0)), 0),
        func.coalesce(func.sum(case((Rsvp.answer == Answer.NO.value, 1), else_=0)), 0),
    ).group_by(Rsvp.event_id)


async def counts(session: AsyncSession, event_ids: list[int]) -> dict[int, Counts]:
    if not event_ids:
        return {}
    rows = await session.execute(_counts_query().where(Rsvp.event_id.in_(event_ids)))
    found = {int(r[0]): Counts(int(r[1]), int(r[2]), int(r[3])) for r in rows}
    return {eid: found.get(eid, Counts()) for eid in event_ids}


async def rsvp_of(session: AsyncSession, event_id: int, member_id: int) -> Rsvp | None:
    rsvp: Rsvp | None = await session.scalar(
        select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.member_id == member_id)
    )
    return rsvp


async def set_rsvp(
    session: AsyncSession, event_id: int, member_id: int, answer: Answer, guests: int, now: datetime
) -> None:
    rsvp = await rsvp_of(session, event_id, member_id)
    if rsvp is None:
        session.add(
            Rsvp(
                event_id=event_id,
                member_id=member_id,
                answer=answer.value,
                guests=guests,
                updated_at=now,
            )
        )
    else:
        rsvp.answer, rsvp.guests, rsvp.updated_at = answer.value, guests, now
    await session.flush()


@dataclass(frozen=True)
class Attendee:
    name: str
    answer: Answer
    guests: int
    updated_at: datetime


async def attendees(session: AsyncSession, event_id: int) -> list[Attendee]:
    rows = await session.execute(
        select(Member.display_name, Rsvp.answer, Rsvp.guests, Rsvp.updated_at)
        .join(Member, Member.id == Rsvp.member_id)
        .where(Rsvp.event_id == event_id)
        .order_by(Rsvp.updated_at, Rsvp.id)
    )
    return [Attendee(r[0], Answer(r[1]), int(r[2]), r[3]) for r in rows]


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
