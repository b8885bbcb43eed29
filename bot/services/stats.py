"""A group's turnout: its last meetings, who said they would come and who came."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.domain.events import Kind
from bot.domain.rsvp import Answer
from bot.services.effects import Tx
from bot.storage import attendance, motion_status
from bot.storage import events as event_store
from bot.storage.tables import Chat, Event

MOST = 30  # meetings in one chart: a phone's width
MEETINGS = (Kind.MEETING.value, Kind.BRANCH.value)


@dataclass(frozen=True)
class Turnout:
    event: Event
    going: int  # said Going, with their guests
    maybe: int
    came: int
    going_members: int  # members who said Going (guests aside)
    going_who_came: int  # of them, those who came
    motion: str = ""  # the slug of a motion it debated
    outcome: str = ""  # where that motion stands here now


async def turnout(tx: Tx, chat: Chat, n: int) -> list[Turnout]:
    """The group's last `n` meetings that have started, oldest first."""
    rows = await tx.session.scalars(
        select(Event)
        .where(
            Event.chat_id == chat.id,
            Event.kind.in_(MEETINGS),
            Event.status == event_store.SCHEDULED,
            Event.starts_at <= tx.now,
        )
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(min(n, MOST))
    )
    meetings = list(reversed(list(rows)))
    counts = await event_store.counts(tx.session, [e.id for e in meetings])
    found = []
    for event in meetings:
        came = await attendance.present(tx.session, event.id)
        answers = await event_store.attendees(tx.session, event.id)
        going = {a.member_id for a in answers if a.answer is Answer.GOING and a.member_id}
        outcome = ""
        if event.motion_slug:
            status = await motion_status.current(tx.session, chat.id, event.motion_slug)
            outcome = status.status if status is not None else ""
        found.append(
            Turnout(
                event,
                counts[event.id].going,
                counts[event.id].maybe,
                len(came),
                len(going),
                len(going & set(came)),
                event.motion_slug or "",
                outcome,
            )
        )
    return found
