"""The outbox: every message the bot owes a chat or a member, each sent exactly once.

The scheduler reads this table, never APScheduler's memory, so a restart or a crash
cannot lose or repeat a message recorded as sent. What to owe, and when, is decided by
the services (`bot/services/delivery.py`); this module only reads and writes rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BindParameter,
    Select,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.outbox import LIVE_CARDS, SHOWN, Purpose, Status
from bot.storage.tables import Chat, Member, Outbox


async def _changed(session: AsyncSession, statement: Any) -> int:
    """How many rows an UPDATE or DELETE changed."""
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ChatMessage:
    """One message owed to a chat, as the services plan it."""

    chat_id: int
    purpose: Purpose
    due_at: datetime
    offset_minutes: int = 0
    revision: int = 0
    edition: int = 0


async def add_for_chats(session: AsyncSession, event_id: int, wanted: list[ChatMessage]) -> None:
    """Write the messages the event does not owe yet, in one go: an event announced in
    200 linked chats must not cost 200 round trips."""
    rows = await session.execute(
        select(
            Outbox.chat_id, Outbox.purpose, Outbox.offset_minutes, Outbox.revision, Outbox.edition
        ).where(Outbox.event_id == event_id, Outbox.chat_id.is_not(None))
    )
    existing = {(int(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}
    new = [
        {
            "event_id": event_id,
            "chat_id": m.chat_id,
            "purpose": m.purpose,
            "offset_minutes": m.offset_minutes,
            "revision": m.revision,
            "edition": m.edition,
            "key": "",
            "due_at": m.due_at,
            "status": Status.PENDING,
            "attempts": 0,
        }
        for m in wanted
        if (m.chat_id, m.purpose, m.offset_minutes, m.revision, m.edition) not in existing
    ]
    if new:
        await session.execute(insert(Outbox), new)


async def add_for_members(
    session: AsyncSession,
    member_ids: Iterable[int],
    purpose: Purpose,
    key: str,
    now: datetime,
    event_id: int | None = None,
    slot_id: int | None = None,
) -> list[int]:
    """Owe each member this message unless already owed (or sent); returns who was."""
    wanted = list(dict.fromkeys(member_ids))
    if not wanted:
        return []
    had = set(
        await session.scalars(
            select(Outbox.member_id).where(
                Outbox.member_id.in_(wanted), Outbox.purpose == purpose, Outbox.key == key
            )
        )
    )
    added = [m for m in wanted if m not in had]
    if added:
        await session.execute(
            insert(Outbox),
            [
                {
                    "member_id": member_id,
                    "event_id": event_id,
                    "slot_id": slot_id,
                    "purpose": purpose,
                    "key": key,
                    "offset_minutes": 0,
                    "revision": 0,
                    "edition": 0,
                    "due_at": now,
                    "status": Status.PENDING,
                    "attempts": 0,
                }
                for member_id in added
            ],
        )
    return added


async def shown_chats(session: AsyncSession, event_id: int) -> list[int]:
    """The chats an event is announced (or to be announced) in."""
    rows = await session.scalars(
        select(Outbox.chat_id)
        .where(
            Outbox.event_id == event_id,
            Outbox.purpose == Purpose.ANNOUNCE,
            Outbox.status.in_(SHOWN),
        )
        .order_by(Outbox.id)
    )
    return [int(r) for r in rows if r is not None]


def announced_in(chat_id: int | BindParameter[int]) -> Select[tuple[int | None]]:
    """The events shown in a chat, as a subquery of event ids. The statuses are ORs,
    not an IN list, so the press path can compile it once (`bot.storage.quick`)."""
    return select(Outbox.event_id).where(
        Outbox.chat_id == chat_id,
        Outbox.purpose == Purpose.ANNOUNCE,
        or_(*(Outbox.status == status for status in SHOWN)),
    )


async def withdraw(
    session: AsyncSession, event_id: int, purposes: Iterable[Purpose] | None = None
) -> int:
    """Withdraw what an event still owes its chats (all, or of these purposes)."""
    query = update(Outbox).where(
        Outbox.event_id == event_id,
        Outbox.chat_id.is_not(None),
        Outbox.status.in_((Status.PENDING, Status.SENDING)),
    )
    if purposes is not None:
        query = query.where(Outbox.purpose.in_(list(purposes)))
    return await _changed(session, query.values(status=Status.CANCELLED))


async def unlink(
    session: AsyncSession, chat_id: int, mine: Select[tuple[int]], others: list[int]
) -> None:
    """A chat left its circle: its copies of the others' events, and theirs of its own
    (`mine`: a subquery of its event ids), are no longer shown."""
    for condition in (
        (Outbox.chat_id == chat_id) & Outbox.event_id.not_in(mine),
        Outbox.chat_id.in_(others) & Outbox.event_id.in_(mine),
    ):
        await session.execute(
            update(Outbox).where(condition, Outbox.status.in_(SHOWN)).values(status=Status.UNLINKED)
        )


# A claim given up: the message is owed again, to whichever process looks next.
_RELEASED = {"status": Status.PENDING, "claimed_by": None, "lease_until": None}


async def release_interrupted(session: AsyncSession, worker: str | None = None) -> int:
    """Messages claimed by a process that died are owed again: all of them for the one
    process that owns a database (SQLite), at its start; or those of `worker`, a process
    stopping, whose sends in hand were interrupted."""
    query = update(Outbox).where(Outbox.status == Status.SENDING)
    if worker is not None:
        query = query.where(Outbox.claimed_by == worker)
    return await _changed(session, query.values(**_RELEASED))


async def renew(session: AsyncSession, worker: str, lease_until: datetime) -> int:
    """A live process keeps its claims, however long a send waits for its turn."""
    return await _changed(
        session,
        update(Outbox)
        .where(Outbox.status == Status.SENDING, Outbox.claimed_by == worker)
        .values(lease_until=lease_until),
    )


async def take_over(session: AsyncSession, now: datetime) -> int:
    """Claims whose lease ran out (their process died, or lost the database) are owed
    again, for whichever process looks next."""
    return await _changed(
        session,
        update(Outbox)
        .where(
            Outbox.status == Status.SENDING,
            Outbox.lease_until.is_(None) | (Outbox.lease_until < now),
        )
        .values(**_RELEASED),
    )


# How many of one lane's due messages one look takes. A lane is a chat, or for private
# messages the event they are about: a chat with hundreds due (a group that made 200
# events), or a nudge to 500 members, must not fill the batch and keep the rest waiting.
PER_LANE = 4


async def due(
    session: AsyncSession, now: datetime, platforms: list[str], limit: int = 400
) -> list[tuple[int, int | None]]:
    """(row, chat) of what is due, the chat None for a member's: the earliest few of each
    lane, round robin (every lane's first before any lane's second), earliest first."""
    lane = case((Outbox.chat_id.is_(None), func.coalesce(Outbox.event_id, 0)), else_=0)
    turn = (
        func.row_number()
        .over(partition_by=(Outbox.chat_id, lane), order_by=(Outbox.due_at, Outbox.id))
        .label("turn")
    )
    rows = (
        select(Outbox.id, Outbox.chat_id, Outbox.due_at, turn)
        .outerjoin(Chat, Chat.id == Outbox.chat_id)
        .outerjoin(Member, Member.id == Outbox.member_id)
        .where(Outbox.status == Status.PENDING, Outbox.due_at <= now)
        .where(func.coalesce(Chat.platform, Member.platform).in_(platforms))
        .subquery()
    )
    found = await session.execute(
        select(rows.c.id, rows.c.chat_id)
        .where(rows.c.turn <= PER_LANE)
        .order_by(rows.c.turn, rows.c.due_at, rows.c.id)
        .limit(limit)
    )
    return [(int(r[0]), None if r[1] is None else int(r[1])) for r in found]


def _pending(query: Select[Any], platforms: list[str]) -> Select[Any]:
    """`query` over the pending messages for these platforms' chats and members."""
    return (
        query.outerjoin(Chat, Chat.id == Outbox.chat_id)
        .outerjoin(Member, Member.id == Outbox.member_id)
        .where(
            Outbox.status == Status.PENDING,
            func.coalesce(Chat.platform, Member.platform).in_(platforms),
        )
    )


async def _earliest(session: AsyncSession, query: Select[Any]) -> datetime | None:
    value: datetime | None = await session.scalar(query)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value


async def next_due(session: AsyncSession, platforms: list[str]) -> datetime | None:
    return await _earliest(session, _pending(select(func.min(Outbox.due_at)), platforms))


async def oldest_due(session: AsyncSession, now: datetime, platforms: list[str]) -> datetime | None:
    """When the longest-waiting message now due fell due (readiness: is the scheduler
    behind?)."""
    query = _pending(select(func.min(Outbox.due_at)), platforms).where(Outbox.due_at <= now)
    return await _earliest(session, query)


async def count_due(session: AsyncSession, now: datetime, platforms: list[str]) -> int:
    query = _pending(select(func.count(Outbox.id)), platforms).where(Outbox.due_at <= now)
    return int(await session.scalar(query) or 0)


# The advisory lock space in which a chat's claims are made one at a time (PostgreSQL).
LANE_LOCKS = 0x4D55


@dataclass(frozen=True)
class Claimant:
    """Who claims: a process, and how long its claims hold unless renewed. `shared` when
    other processes may claim from the same outbox (PostgreSQL)."""

    worker: str
    lease_until: datetime
    shared: bool = False


async def claim(
    session: AsyncSession, row_id: int, now: datetime, by: Claimant, chat_id: int | None = None
) -> Outbox | None:
    """Mark a pending message as being sent; None when another process has it, or is
    sending an earlier message of the same chat (a chat's messages go out in order, and
    one process paces each chat)."""
    if by.shared and chat_id is not None:
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :chat)"),
            {"space": LANE_LOCKS, "chat": chat_id},
        )
        elsewhere = await session.scalar(
            select(Outbox.id)
            .where(
                Outbox.chat_id == chat_id,
                Outbox.status == Status.SENDING,
                Outbox.claimed_by != by.worker,
            )
            .limit(1)
        )
        if elsewhere is not None:
            return None
    free = (
        select(Outbox.id)
        .where(Outbox.id == row_id, Outbox.status == Status.PENDING)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = await _changed(
        session,
        update(Outbox)
        .where(Outbox.id == free)
        .values(
            status=Status.SENDING,
            claimed_at=now,
            claimed_by=by.worker,
            lease_until=by.lease_until,
            attempts=Outbox.attempts + 1,
        ),
    )
    if claimed != 1:
        return None
    return await session.get(Outbox, row_id)


def _held_by(row_id: int, worker: str | None) -> Any:
    condition = Outbox.id == row_id
    if worker is not None:  # only while the claim is still ours
        condition = condition & (Outbox.claimed_by == worker) & (Outbox.status == Status.SENDING)
    return condition


async def finish(
    session: AsyncSession,
    row_id: int,
    status: Status,
    now: datetime,
    message_id: str | None = None,
    worker: str | None = None,
) -> bool:
    """Record how a message ended; False when `worker` no longer held it (its lease ran
    out and another process took it over)."""
    held = await _changed(
        session,
        update(Outbox)
        .where(_held_by(row_id, worker))
        .values(status=status, sent_at=now, message_id=message_id, lease_until=None),
    )
    return held == 1


async def retry_later(
    session: AsyncSession, row_id: int, due_at: datetime, worker: str | None = None
) -> None:
    await session.execute(
        update(Outbox)
        .where(_held_by(row_id, worker))
        .values(status=Status.PENDING, due_at=due_at, claimed_by=None, lease_until=None)
    )


# Built once: every live card's refresh reads it.
_POSTED = (
    select(Outbox, Chat)
    .join(Chat, Chat.id == Outbox.chat_id)
    .where(
        Outbox.event_id == bindparam("event"),
        Outbox.status == Status.SENT,
        Outbox.message_id.is_not(None),
        Outbox.purpose.in_(LIVE_CARDS),
    )
    .order_by(Outbox.sent_at, Outbox.id)
)


async def posted(session: AsyncSession, event_id: int) -> list[tuple[Outbox, Chat]]:
    """Messages showing the event's live card: each chat's announcement and latest reminder."""
    rows = await session.execute(_POSTED, {"event": event_id})
    latest: dict[tuple[int, str], tuple[Outbox, Chat]] = {}
    for message, chat in rows.tuples():
        latest[(chat.id, message.purpose)] = (message, chat)
    return list(latest.values())


async def was_announced(session: AsyncSession, event_id: int) -> bool:
    found = await session.scalar(
        select(Outbox.id).where(
            Outbox.event_id == event_id,
            Outbox.purpose == Purpose.ANNOUNCE,
            Outbox.status == Status.SENT,
        )
    )
    return found is not None


async def forget_old(
    session: AsyncSession, old_events: Select[tuple[int]], cutoff: datetime
) -> int:
    """Retention: members' messages about old events (a reminder reveals who said
    Going), and old ones about nothing in particular, go."""
    return await _changed(
        session,
        delete(Outbox).where(
            Outbox.member_id.is_not(None),
            Outbox.event_id.in_(old_events)
            | (Outbox.event_id.is_(None) & (Outbox.due_at < cutoff)),
        ),
    )


async def announced_chats(
    session: AsyncSession, event_id: int, only_chat: int | None = None
) -> list[Chat]:
    """The chats the event's announcement was posted in (or only `only_chat`, if so)."""
    query = (
        select(Chat)
        .join(Outbox, Outbox.chat_id == Chat.id)
        .where(
            Outbox.event_id == event_id,
            Outbox.purpose == Purpose.ANNOUNCE,
            Outbox.status == Status.SENT,
        )
    )
    if only_chat is not None:
        query = query.where(Outbox.chat_id == only_chat)
    return list(await session.scalars(query))
