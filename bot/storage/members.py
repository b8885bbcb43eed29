"""Members: created only when a member does something we must remember."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.text import one_line
from bot.messaging import UserRef
from bot.storage.tables import ChatMember, Member

# Built once: the press path runs these on every press, and building a query each
# time cost more than SQLite took to run it.
_BY_REF = select(Member).where(
    Member.platform == bindparam("platform"), Member.platform_user_id == bindparam("key")
)


# Insert the member's row in the group, or bring its date forward: one statement where
# a read and an insert were two, on every press of a member's first day in a group.
# Written out because SQLAlchemy does not cache an ON CONFLICT insert's compiled form,
# and compiling it cost more than all the press's other statements; SQLite and
# PostgreSQL spell it alike.
_SEEN = text(
    "INSERT INTO chat_members (chat_id, member_id, seen_at) VALUES (:chat, :member, :now) "
    "ON CONFLICT (chat_id, member_id) DO UPDATE SET seen_at = excluded.seen_at"
).bindparams(bindparam("now", type_=ChatMember.__table__.c.seen_at.type))


async def get(session: AsyncSession, ref: UserRef) -> Member | None:
    member: Member | None = await session.scalar(_BY_REF, {"platform": ref.platform, "key": ref.id})
    return member


async def get_or_create(
    session: AsyncSession,
    ref: UserRef,
    name: str,
    now: datetime,
    handle: str = "",
    language: str | None = None,
) -> Member:
    """The member, made on first sight; their name, handle and app's language (when
    the platform told it) kept current, with no statement when nothing changed."""
    name = one_line(name)[:100]
    handle = handle.lower()[:64]
    member = await get(session, ref)
    if member is None:
        member = Member(
            platform=ref.platform,
            platform_user_id=ref.id,
            display_name=name,
            handle=handle,
            clp="",
            branch="",
            platform_language=language,
            created_at=now,
        )
        session.add(member)
        await session.flush()
        if handle:
            await _release_handle(session, member)
    else:
        if name and member.display_name != name:
            member.display_name = name
        if language is not None and member.platform_language != language:
            member.platform_language = language
        if handle != member.handle:
            member.handle = handle
            if handle:
                await _release_handle(session, member)
    return member


async def _release_handle(session: AsyncSession, member: Member) -> None:
    """A handle is one member's at a time: whoever held it before has given it up."""
    await session.execute(
        update(Member)
        .where(
            Member.platform == member.platform,
            Member.handle == member.handle,
            Member.id != member.id,
        )
        .values(handle="")
    )


def ref_of(member: Member) -> UserRef:
    return UserRef(member.platform, member.platform_user_id)


async def seen(session: AsyncSession, chat_id: int, member_id: int, now: datetime) -> None:
    """Remember that the member uses the bot in this group. A day's precision is enough:
    the caller asks once a day for each member and group (`SeenToday`)."""
    await session.execute(_SEEN, {"chat": chat_id, "member": member_id, "now": now})


async def of_chat(session: AsyncSession, chat_id: int) -> list[Member]:
    rows = await session.scalars(
        select(Member)
        .join(ChatMember, ChatMember.member_id == Member.id)
        .where(ChatMember.chat_id == chat_id)
        .order_by(Member.id)
    )
    return list(rows)


async def in_chat(
    session: AsyncSession,
    chat_id: int,
    platform: str,
    *,
    user_id: str | None = None,
    handle: str | None = None,
    name: str | None = None,
) -> list[Member]:
    """Members who have used the bot in this group, by exactly one of: platform id,
    handle, or display name (case-insensitive). Never anyone outside the group."""
    query = (
        select(Member)
        .join(ChatMember, ChatMember.member_id == Member.id)
        .where(ChatMember.chat_id == chat_id, Member.platform == platform)
    )
    if user_id is not None:
        query = query.where(Member.platform_user_id == user_id)
    elif handle is not None:
        query = query.where(Member.handle == handle.lower(), Member.handle != "")
    elif name is not None:
        query = query.where(func.lower(Member.display_name) == name.lower())
    else:
        raise ValueError("say whom to look for")
    return list(await session.scalars(query.order_by(Member.id).limit(2)))


async def with_private_reminders(session: AsyncSession, member_ids: list[int]) -> list[int]:
    """Those of these members who asked for private reminders and word of changes."""
    if not member_ids:
        return []
    rows = await session.scalars(
        select(Member.id).where(Member.id.in_(member_ids), Member.private_reminders.is_(True))
    )
    return list(rows)


async def languages(session: AsyncSession) -> list[tuple[UserRef, str]]:
    """Every member who chose a language for themselves, with it."""
    rows = await session.execute(
        select(Member.platform, Member.platform_user_id, Member.language).where(
            Member.language.is_not(None)
        )
    )
    return [(UserRef(platform, key), language) for platform, key, language in rows]
