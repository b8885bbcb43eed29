"""Members: created only when a member does something we must remember."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.text import one_line
from bot.messaging import UserRef
from bot.storage import quick
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
_SEEN = quick.Statement(
    text(
        "INSERT INTO chat_members (chat_id, member_id, seen_at) VALUES (:chat, :member, :now) "
        "ON CONFLICT (chat_id, member_id) DO UPDATE SET seen_at = excluded.seen_at"
    ).bindparams(bindparam("now", type_=ChatMember.__table__.c.seen_at.type))
)


async def get(session: AsyncSession, ref: UserRef) -> Member | None:
    member: Member | None = await session.scalar(_BY_REF, {"platform": ref.platform, "key": ref.id})
    return member


@dataclass(frozen=True)
class Acting:
    """The member acting, as a press needs them: no object loaded."""

    id: int
    notice_shown_at: datetime | None  # when they were shown the privacy notice


# `arrival` reads the same columns beside others.
ACTING_COLUMNS = (
    Member.id,
    Member.display_name,
    Member.handle,
    Member.platform_language,
    Member.notice_shown_at,
)
_ACTING = quick.Statement(
    select(*ACTING_COLUMNS).where(
        Member.platform == bindparam("platform"), Member.platform_user_id == bindparam("key")
    )
)
_NEW = quick.Statement(
    insert(Member)
    .values(
        platform=bindparam("on_platform"),
        platform_user_id=bindparam("key"),
        display_name=bindparam("name"),
        handle=bindparam("new_handle"),
        clp="",
        branch="",
        private_reminders=False,
        platform_language=bindparam("new_language"),
        feed_generation=0,
        created_at=bindparam("now", type_=Member.__table__.c.created_at.type),
    )
    .returning(Member.id)
)
_KEEP = quick.Statement(
    update(Member)
    .where(Member.id == bindparam("member"))
    .values(
        display_name=bindparam("name"),
        handle=bindparam("new_handle"),
        platform_language=bindparam("new_language"),
    )
)
# A handle is one member's at a time: whoever held it before has given it up.
_RELEASE = quick.Statement(
    update(Member)
    .where(
        Member.platform == bindparam("on_platform"),
        Member.handle == bindparam("new_handle"),
        Member.id != bindparam("member"),
    )
    .values(handle="")
)


async def acting(
    session: AsyncSession,
    ref: UserRef,
    name: str,
    now: datetime,
    handle: str = "",
    language: str | None = None,
    found: quick.Found = quick.UNREAD,
) -> Acting:
    """The member, made on first sight; their name, handle and app's language (when
    the platform told it) kept current, with no write when nothing changed.
    `found`: their `ACTING_COLUMNS` if a statement that read more has read them."""
    name = one_line(name)[:100]
    handle = handle.lower()[:64]
    rows = await quick.of(session)
    if found is quick.UNREAD:
        found = await rows.one(_ACTING, platform=ref.platform, key=ref.id)
    if found is None:
        made = await rows.one(
            _NEW,
            on_platform=ref.platform,
            key=ref.id,
            name=name,
            new_handle=handle,
            new_language=language,
            now=now,
        )
        assert made is not None
        member = Acting(int(made[0]), None)
        changed_handle = bool(handle)
    else:
        member_id, held_name, held_handle, held_language, notice_shown_at = found
        member = Acting(int(member_id), notice_shown_at)
        name = name or held_name
        language = held_language if language is None else language
        changed_handle = handle != held_handle
        if changed_handle or name != held_name or language != held_language:
            await rows.run(
                _KEEP, member=member.id, name=name, new_handle=handle, new_language=language
            )
    if changed_handle and handle:
        await rows.run(_RELEASE, on_platform=ref.platform, new_handle=handle, member=member.id)
    return member


async def get_or_create(
    session: AsyncSession,
    ref: UserRef,
    name: str,
    now: datetime,
    handle: str = "",
    language: str | None = None,
) -> Member:
    """`acting`, and the member's row as an object, for what changes it."""
    made = await acting(session, ref, name, now, handle, language)
    return await by_id(session, made.id)


async def by_id(session: AsyncSession, member_id: int) -> Member:
    """A member's row read afresh: a statement of `bot.storage.quick` may have changed it
    since the session last held it."""
    member = await session.get(Member, member_id, populate_existing=True)
    if member is None:
        raise LookupError(member_id)  # erased since it was read in this transaction
    return member


def ref_of(member: Member) -> UserRef:
    return UserRef(member.platform, member.platform_user_id)


async def seen(session: AsyncSession, chat_id: int, member_id: int, now: datetime) -> None:
    """Remember that the member uses the bot in this group. A day's precision is enough:
    the caller asks once a day for each member and group (`SeenToday`)."""
    await (await quick.of(session)).run(_SEEN, chat=chat_id, member=member_id, now=now)


_SEEN_AT_COMMIT = "muster_seen_at_commit"  # where a group commit keeps its `SeenAtCommit`


class SeenAtCommit:
    """The seen-in-group rows of one group commit's presses, written in one statement
    just before it commits, or before an action that is not a press runs in it
    (`Database.group_commit`).

    A burst of presses is mostly members pressing in a group for the first time that
    day, and each row written on its own was a round trip to PostgreSQL (a statement on
    SQLite) for nothing a press reads back: a press reads only the member, the event
    and its answer. Rows are undone with their action (`undo`), so an action that
    fails leaves no row behind, as its savepoint would have undone it."""

    def __init__(self) -> None:
        self._rows: list[tuple[int, int, datetime]] = []

    @staticmethod
    def of(session: AsyncSession) -> SeenAtCommit | None:
        found: SeenAtCommit | None = session.info.get(_SEEN_AT_COMMIT)
        return found

    def attach(self, session: AsyncSession) -> None:
        session.info[_SEEN_AT_COMMIT] = self

    def add(self, chat_id: int, member_id: int, now: datetime) -> None:
        self._rows.append((chat_id, member_id, now))

    def mark(self) -> int:
        """Where an action's rows begin: `undo(mark)` drops them if it fails."""
        return len(self._rows)

    def undo(self, mark: int) -> None:
        del self._rows[mark:]

    async def write(self, session: AsyncSession) -> None:
        """Each (group, member) once, with its latest time (PostgreSQL refuses an upsert
        that meets one row twice), in the order of their keys, so two transactions
        that both write some of the same rows take their locks in one order."""
        latest: dict[tuple[int, int], datetime] = {}
        for chat_id, member_id, now in self._rows:
            key = (chat_id, member_id)
            latest[key] = max(now, latest.get(key, now))
        self._rows.clear()
        if not latest:
            return
        rows = await quick.of(session)
        keys = sorted(latest)
        for start in range(0, len(keys), ROWS_AT_ONCE):
            values: dict[str, object] = {}
            chunk = keys[start : start + ROWS_AT_ONCE]
            for i, key in enumerate(chunk):
                values |= {f"c{i}": key[0], f"m{i}": key[1], f"n{i}": latest[key]}
            await rows.run(_seen_rows(len(chunk)), **values)


async def seen_at_commit(
    session: AsyncSession, chat_id: int, member_id: int, now: datetime
) -> None:
    """`seen`, written with the rest of its group commit's rows when there is one."""
    batch = SeenAtCommit.of(session)
    if batch is None:
        await seen(session, chat_id, member_id, now)
    else:
        batch.add(chat_id, member_id, now)


# Rows a statement writes at most: a group commit's presses are fewer, and each count
# met is one more statement kept compiled.
ROWS_AT_ONCE = 16
_SEEN_ROWS: dict[int, quick.Statement] = {}


def _seen_rows(count: int) -> quick.Statement:
    """`_SEEN` for `count` rows at once: one statement for each count met (a group
    commit's presses are at most `ROWS_AT_ONCE`), compiled once each."""
    statement = _SEEN_ROWS.get(count)
    if statement is None:
        # Only the places' names are written into the text; the values are bound.
        places = ", ".join(f"(:c{i}, :m{i}, :n{i})" for i in range(count))
        seen_type = ChatMember.__table__.c.seen_at.type
        statement = _SEEN_ROWS[count] = quick.Statement(
            text(
                f"INSERT INTO chat_members (chat_id, member_id, seen_at) VALUES {places} "  # noqa: S608
                "ON CONFLICT (chat_id, member_id) DO UPDATE SET seen_at = excluded.seen_at"
            ).bindparams(*(bindparam(f"n{i}", type_=seen_type) for i in range(count)))
        )
    return statement


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
