"""Everything held about one member, and erasing it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import signups
from bot.storage.tables import Event, Member, Rsvp, Signup, SignupSheet


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
            "first_seen_at": _iso(member.created_at),
        },
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
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def forget(session: AsyncSession, member: Member, now: datetime) -> None:
    """Erase the member. Answers to past events stay only as anonymous numbers."""
    past = select(Event.id).where(Event.starts_at <= now)
    await session.execute(
        update(Rsvp)
        .where(Rsvp.member_id == member.id, Rsvp.event_id.in_(past))
        .values(member_id=None)
    )
    await session.execute(delete(Rsvp).where(Rsvp.member_id == member.id))
    await session.execute(delete(Signup).where(Signup.member_id == member.id))
    await session.execute(
        update(Event).where(Event.created_by == member.id).values(created_by=None)
    )
    await session.execute(
        update(SignupSheet).where(SignupSheet.created_by == member.id).values(created_by=None)
    )
    await session.delete(member)
    await session.flush()
