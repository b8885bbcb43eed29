"""Everything held about one member, and erasing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rsvp import Answer
from bot.messaging import UserRef
from bot.storage import erasures, links, outbox, signups
from bot.storage import events as event_store
from bot.storage.base import Base
from bot.storage.events import SCHEDULED
from bot.storage.tables import (
    Attendance,
    AuditEntry,
    Chat,
    ChatMember,
    ChatOrganiser,
    Event,
    Member,
    MotionStatus,
    Rsvp,
    Series,
    Signup,
    SignupSheet,
    SignupSlot,
)
from bot.strings import members as words


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def member_columns() -> list[Column[Any]]:
    """Every column that holds a member's id: the foreign keys to members, and those
    kept without a key but marked `info["member"]` (who marked a check-in, who acted)."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name == Member.__tablename__:
            continue
        for column in table.columns:
            to_members = any(
                fk.column.table.name == Member.__tablename__ for fk in column.foreign_keys
            )
            if to_members or column.info.get("member"):
                found.append(column)
    return found


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


async def records(session: AsyncSession, member: Member) -> dict[str, list[dict[str, object]]]:
    """Every row of every table that refers to the member, column by column, under
    "table.column". Another member's id in such a row is not hers to see."""
    columns = member_columns()
    ids = {c.table.name + "." + c.name for c in columns}
    out: dict[str, list[dict[str, object]]] = {}
    for column in columns:
        rows = await session.execute(
            select(column.table).where(column == member.id).order_by(*column.table.primary_key)
        )
        out[f"{column.table.name}.{column.name}"] = [
            {
                key: (words.YOU if value == member.id else words.ANOTHER_MEMBER).format()
                if f"{column.table.name}.{key}" in ids and value is not None
                else _plain(value)
                for key, value in row._mapping.items()
            }
            for row in rows
        ]
    return out


async def export(session: AsyncSession, member: Member) -> dict[str, Any]:
    """Everything held about the member: readable sections first, then every row that
    refers to her (`records`), so nothing a table holds is left out."""
    rsvps = await session.execute(
        select(Event, Rsvp)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.member_id == member.id)
        .order_by(Event.starts_at)
    )
    sheets = await signups.of_member(session, member.id)
    answers = []
    for e, r in rsvps.tuples():
        answer: dict[str, Any] = {
            "event_id": e.id,
            "event": e.title,
            "starts_at": _iso(e.starts_at),
            "answer": r.answer,
            "guests": r.guests,
            "answered_at": _iso(r.updated_at),
        }
        if r.answer == Answer.WAITING.value:
            answer["waiting_list_place"] = await event_store.position(session, e.id, member.id)
        answers.append(answer)
    return {
        "member": {
            "platform": member.platform,
            "user_id": member.platform_user_id,
            "display_name": member.display_name,
            "handle": member.handle,
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
            {"group": c.display_name or c.title, "platform": c.platform, "last_seen": _iso(at)}
            for c, at in (
                await session.execute(
                    select(Chat, ChatMember.seen_at)
                    .join(ChatMember, ChatMember.chat_id == Chat.id)
                    .where(ChatMember.member_id == member.id)
                )
            ).tuples()
        ],
        "organiser_of": list(
            await session.scalars(
                select(Chat.title)
                .join(ChatOrganiser, ChatOrganiser.chat_id == Chat.id)
                .where(ChatOrganiser.member_id == member.id)
            )
        ),
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
        "rsvps": answers,
        "signups": [
            {"sheet_id": sheet.id, "sheet": sheet.title, "slot": slot.label}
            for sheet, slot in sheets
        ],
        "events_created": [
            e.id for e in await session.scalars(select(Event).where(Event.created_by == member.id))
        ],
        "records": await records(session, member),
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
    """What an erasure gave back: places at events and on slots, for the next in line."""

    events: list[Event]
    slots: list[int]


async def retain(session: AsyncSession, cutoff: datetime, now: datetime) -> dict[str, int]:
    """The daily retention job: what is older than `cutoff` loses its member or goes.

    Answers and check-ins of old events stay as anonymous numbers; private notices about
    old events (a reminder reveals who said Going) and old ones about nothing in
    particular, sign-ups of sheets closed before the cutoff, memberships of groups not
    used since, who made old events, sheets and statuses and who did what in the audit
    log, spent link codes, and members with nothing left about them go."""
    done = {"answers": await anonymise_before(session, cutoff)}
    old_events = select(Event.id).where(Event.starts_at < cutoff)
    done["notices"] = await outbox.forget_old(session, old_events, cutoff)
    closed = select(SignupSheet.id).where(
        func.coalesce(SignupSheet.deadline, SignupSheet.created_at) < cutoff
    )
    slots = select(SignupSlot.id).where(SignupSlot.sheet_id.in_(closed))
    done["signups"] = _count(await session.execute(delete(Signup).where(Signup.slot_id.in_(slots))))
    done["memberships"] = _count(
        await session.execute(delete(ChatMember).where(ChatMember.seen_at < cutoff))
    )
    done["audit_authors"] = _count(
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.at < cutoff, AuditEntry.actor_id.is_not(None))
            .values(actor_id=None)
        )
    )
    authored = 0
    for column, when in (
        (Event.created_by, Event.starts_at),
        (Series.created_by, Series.created_at),
        (SignupSheet.created_by, func.coalesce(SignupSheet.deadline, SignupSheet.created_at)),
        (MotionStatus.recorded_by, MotionStatus.at),
    ):
        table = column.class_
        authored += _count(
            await session.execute(
                update(table).where(when < cutoff, column.is_not(None)).values({column.key: None})
            )
        )
    done["authors"] = authored
    done["link_codes"] = await links.drop_spent_codes(session, now)
    done["members"] = await _drop_members_with_nothing_left(session, cutoff)
    return done


async def _drop_members_with_nothing_left(session: AsyncSession, cutoff: datetime) -> int:
    """Members who have done nothing the retention period long (no facts confirmed, no
    consent given) and to whom no row refers any more."""
    referred = [select(c).where(c.is_not(None)) for c in member_columns()]
    quiet = [
        Member.created_at < cutoff,
        *(func.coalesce(c, Member.created_at) < cutoff for c in _ACTIVITY),
    ]
    result = await session.execute(
        delete(Member).where(*quiet, *(Member.id.not_in(query) for query in referred))
    )
    return _count(result)


_ACTIVITY = (Member.facts_confirmed_at, Member.consent_at, Member.notice_shown_at)


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def forget(session: AsyncSession, member: Member, now: datetime) -> Freed:
    """Erase the member. Answers to past events stay only as anonymous numbers; places
    she held at events and slots to come are returned, for the first in line; the
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
    return Freed([e for e in held_events if e.status == SCHEDULED], sorted(set(held_slots)))
