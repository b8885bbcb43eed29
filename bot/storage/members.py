"""Members: created only when a member does something we must remember."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import UserRef
from bot.storage.tables import ChatMember, Member

# Built once: the press path runs these on every press, and building a query each
# time cost more than SQLite took to run it.
_BY_REF = select(Member).where(
    Member.platform == bindparam("platform"), Member.platform_user_id == bindparam("key")
)


def _seen(insert: Callable[..., Any]) -> Any:
    """Insert the member's row in the group, or bring its date forward: one statement
    where a read and an insert were two, on every press of a member's first day in a
    group. PostgreSQL and SQLite spell it alike."""
    statement = insert(ChatMember).values(
        chat_id=bindparam("chat"), member_id=bindparam("member"), seen_at=bindparam("now")
    )
    return statement.on_conflict_do_update(
        index_elements=[ChatMember.chat_id, ChatMember.member_id],
        set_={"seen_at": statement.excluded.seen_at},
    )


_SEEN = {"sqlite": _seen(sqlite_insert), "postgresql": _seen(postgresql_insert)}


async def get(session: AsyncSession, ref: UserRef) -> Member | None:
    member: Member | None = await session.scalar(_BY_REF, {"platform": ref.platform, "key": ref.id})
    return member


async def get_or_create(session: AsyncSession, ref: UserRef, name: str, now: datetime) -> Member:
    member = await get(session, ref)
    if member is None:
        member = Member(
            platform=ref.platform,
            platform_user_id=ref.id,
            display_name=name[:100],
            clp="",
            branch="",
            created_at=now,
        )
        session.add(member)
        await session.flush()
    elif name and member.display_name != name[:100]:
        member.display_name = name[:100]
    return member


def ref_of(member: Member) -> UserRef:
    return UserRef(member.platform, member.platform_user_id)


async def seen(session: AsyncSession, chat_id: int, member_id: int, now: datetime) -> None:
    """Remember that the member uses the bot in this group. A day's precision is enough:
    the caller asks once a day for each member and group (`SeenToday`)."""
    statement = _SEEN[session.get_bind().dialect.name]
    await session.execute(statement, {"chat": chat_id, "member": member_id, "now": now})


async def of_chat(session: AsyncSession, chat_id: int) -> list[Member]:
    rows = await session.scalars(
        select(Member)
        .join(ChatMember, ChatMember.member_id == Member.id)
        .where(ChatMember.chat_id == chat_id)
        .order_by(Member.id)
    )
    return list(rows)
