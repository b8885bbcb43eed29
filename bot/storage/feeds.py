"""Calendar feed subscriptions and the deployment's identity."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rsvp import Answer
from bot.storage.events import FEED_PAST
from bot.storage.shared_tables import Deployment
from bot.storage.tables import CalendarFeed, Event, Rsvp

INSTANCE, SECRET = "instance", "secret"


async def identity(session: AsyncSession) -> tuple[str, str]:
    """This deployment's instance id and secret, made on the first start (starts are
    one at a time: SQLite's owner lock, PostgreSQL's "prepare" lock)."""
    found = {row.key: row.value for row in await session.scalars(select(Deployment))}
    made = {INSTANCE: uuid.uuid4().hex, SECRET: secrets.token_hex(32)}
    for key, value in made.items():
        if key not in found:
            found[key] = value
            session.add(Deployment(key=key, value=value))
    await session.flush()
    return found[INSTANCE], found[SECRET]


async def find(session: AsyncSession, token_hash: str) -> CalendarFeed | None:
    found: CalendarFeed | None = await session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_hash)
    )
    return found


async def keep(
    session: AsyncSession, member_id: int, chat_id: int | None, token_hash: str, now: datetime
) -> None:
    if await find(session, token_hash) is None:
        session.add(
            CalendarFeed(
                member_id=member_id, chat_id=chat_id, token_hash=token_hash, created_at=now
            )
        )
        await session.flush()


async def drop_all(session: AsyncSession, member_id: int) -> int:
    result = await session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member_id))
    return int(getattr(result, "rowcount", 0) or 0)


async def answered(session: AsyncSession, member_id: int, now: datetime) -> list[Event]:
    """The events a member said Going or Maybe to, from a while back on."""
    rows = await session.scalars(
        select(Event)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(
            Rsvp.member_id == member_id,
            Rsvp.answer.in_((Answer.GOING.value, Answer.MAYBE.value)),
            Event.starts_at > now - FEED_PAST,
        )
        .order_by(Event.starts_at, Event.id)
        .limit(500)
    )
    return list(rows)
