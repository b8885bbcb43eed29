"""Everything held about one member, and erasing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rsvp import Answer
from bot.messaging import UserRef
from bot.storage import erasures, notices, signups
from bot.storage import events as event_store
from bot.storage.events import SCHEDULED
from bot.storage.tables import (
    Attendance,
    AuditEntry,
    Chat,
    ChatMember,
    Event,
    Member,
    MotionStatus,
    Rsvp,
    Series,
    Signup,
    SignupSheet,
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export(session: AsyncSession, member: Member) -> dict[str, Any]:
    rsvps = await session.execute(
        select(Event, Rsvp)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.member_id == member.id)
        .order_by(Event.starts_at)
    )
    sheets = await signups.of_member(session, member.id)
    return {
        "member": {
            "platform": member.platform,
            "user_id": member.platform_user_id,
            "display_name": member.display_name,
            "clp": member.clp,
            "branch": member.branch,
            "facts_confirmed_at": _iso(member.facts_confirmed_at),
            "privacy_notice_shown_at": _iso(member.notice_shown_at),
            "consent_at": _iso(member.consent_at),
            "facts_last_asked_at": _iso(member.facts_asked_at),
            "private_reminders": member.private_reminders,
            "first_seen_at": _iso(member.created_at),
        },
        "groups": [
            {"group": c.display_name or c.title, "platform": c.platform, "first_seen": _iso(at)}
            for c, at in (
                await session.execute(
                    select(Chat, ChatMember.seen_at)
                    .join(ChatMember, ChatMember.chat_id == Chat.id)
                    .where(ChatMember.member_id == member.id)
                )
            ).tuples()
        ],
        "attended": [
            {"event_id": e.id, "event": e.title, "checked_in_at": _iso(a.at)}
            for e, a in (
                await session.execute(
                    select(Event, Attendance)
                    .join(Attendance, Attendance.event_id == Event.id)
                    .where(Attendance.member_id == member.id)
                    .order_by(Event.starts_at)
                )
            ).tuples()
        ],
        "rsvps": [
            {
                "event_id": e.id,
                "event": e.title,
                "starts_at": _iso(e.starts_at),
                "answer": r.answer,
                "guests": r.guests,
                "answered_at": _iso(r.updated_at),
            }
            for e, r in rsvps.tuples()
        ],
        "signups": [
            {"sheet_id": sheet.id, "sheet": sheet.title, "slot": slot.label}
            for sheet, slot in sheets
        ],
        "events_created": [
            e.id for e in await session.scalars(select(Event).where(Event.created_by == member.id))
        ],
    }


async def anonymise_before(session: AsyncSession, cutoff: datetime) -> int:
    """Answers to events that started before `cutoff` lose their member: counts remain."""
    old = select(Event.id).where(Event.starts_at < cutoff)
    result = await session.execute(
        update(Rsvp)
        .where(Rsvp.event_id.in_(old), Rsvp.member_id.is_not(None))
        .values(member_id=None)
    )
    came = await session.execute(
        update(Attendance)
        .where(Attendance.event_id.in_(old), Attendance.member_id.is_not(None))
        .values(member_id=None, marked_by=None)
    )
    return int(result.rowcount or 0) + int(came.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Freed:
    """What an erasure gave back: events and slots whose waiting lists moved up."""

    events: list[int]
    moved: bool


async def forget(session: AsyncSession, member: Member, now: datetime) -> Freed:
    """Erase the member. Answers to past events stay only as anonymous numbers; places
    she held at events and slots to come go to the first in line, who are told; the
    audit log forgets that she acted; her identity joins the list of the erased."""
    held_events = list(
        await session.scalars(
            select(Event)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Rsvp.member_id == member.id,
                Rsvp.answer == Answer.GOING.value,
                Event.starts_at > now,
                Event.capacity.is_not(None),
            )
        )
    )
    held_slots = list(
        await session.scalars(
            select(Signup.slot_id).where(Signup.member_id == member.id, Signup.waiting.is_(False))
        )
    )
    past = select(Event.id).where(Event.starts_at <= now)
    await session.execute(
        update(Rsvp)
        .where(Rsvp.member_id == member.id, Rsvp.event_id.in_(past))
        .values(member_id=None)
    )
    await session.execute(delete(Rsvp).where(Rsvp.member_id == member.id))
    await session.execute(delete(Signup).where(Signup.member_id == member.id))
    # Who came to past meetings stays as a number; to future ones it simply goes.
    await session.execute(
        update(Attendance)
        .where(Attendance.member_id == member.id, Attendance.event_id.in_(past))
        .values(member_id=None, marked_by=None)
    )
    await session.execute(delete(Attendance).where(Attendance.member_id == member.id))
    await session.execute(
        update(Attendance).where(Attendance.marked_by == member.id).values(marked_by=None)
    )
    await session.execute(
        update(Series).where(Series.created_by == member.id).values(created_by=None)
    )
    await session.execute(
        update(MotionStatus).where(MotionStatus.recorded_by == member.id).values(recorded_by=None)
    )
    await session.execute(
        update(Event).where(Event.created_by == member.id).values(created_by=None)
    )
    await session.execute(
        update(SignupSheet).where(SignupSheet.created_by == member.id).values(created_by=None)
    )
    await session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == member.id).values(actor_id=None)
    )
    await erasures.record(session, UserRef(member.platform, member.platform_user_id), now)
    await session.delete(member)
    await session.flush()
    moved = False
    for event in held_events:
        if event.status == SCHEDULED:
            promoted = await event_store.promote(session, event, now)
            await notices.owe(session, promoted, notices.PROMOTED, str(event.id), now, event.id)
            moved = moved or bool(promoted)
    for slot_id in set(held_slots):
        slot = await signups.slot_view(session, slot_id)
        if slot is not None:
            promoted = await signups.promote(session, slot)
            await notices.owe(session, promoted, notices.SLOT, f"slot:{slot_id}", now)
            moved = moved or bool(promoted)
    return Freed([e.id for e in held_events], moved)
