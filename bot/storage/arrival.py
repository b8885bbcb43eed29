"""What a press on an event reads, in one statement: its group, the member pressing,
when they were last seen in the group, and the event with the member's answer.

Read one at a time these were four statements in a row, each waiting for the one
before (the group's number, then the member's, then the event with the answer): on
PostgreSQL four round trips to the server, each a socket write and a wake-up of the
event loop. Here they are outer joins onto one constant row, each side found by its
own key (the platform's ids for the group and the member, the number for the event),
so a side that is missing reads as nulls and the others are still read: a member's
first press reads the group and the event as any other does.

Nothing is decided here. `chats.touched`, `members.acting` and `events.answerable`,
given what was read (`found`), apply the rules they apply to their own reads, so a
press and a typed command keep one set of rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import ChatRef, UserRef
from bot.storage import chats, events, members, quick
from bot.storage.tables import Chat, ChatMember, Event, Member, Rsvp

_HERE = select(literal_column("1").label("here")).subquery("here")  # the one row joined onto


def _arrival(tag: str = "") -> Select[Any]:
    """One press's arrival, its keys bound under names ending in `tag`."""
    return (
        select(
            *chats.STATE_COLUMNS,
            *members.ACTING_COLUMNS,
            ChatMember.seen_at,
            *events.ANSWERABLE_COLUMNS,
        )
        .select_from(_HERE)
        .outerjoin(
            Chat,
            (Chat.platform == bindparam(f"platform{tag}"))
            & (Chat.platform_chat_id == bindparam(f"key{tag}")),
        )
        .outerjoin(
            Member,
            (Member.platform == bindparam(f"user_platform{tag}"))
            & (Member.platform_user_id == bindparam(f"user_key{tag}")),
        )
        .outerjoin(
            ChatMember, (ChatMember.chat_id == Chat.id) & (ChatMember.member_id == Member.id)
        )
        .outerjoin(Event, Event.id == bindparam(f"event{tag}"))
        .outerjoin(Rsvp, (Rsvp.event_id == Event.id) & (Rsvp.member_id == Member.id))
    )


_ARRIVAL = quick.Statement(_arrival())
_CHAT = slice(0, len(chats.STATE_COLUMNS))
_MEMBER = slice(_CHAT.stop, _CHAT.stop + len(members.ACTING_COLUMNS))
_SEEN = _MEMBER.stop
_EVENT = slice(_SEEN + 1, _SEEN + 1 + len(events.ANSWERABLE_COLUMNS))


@dataclass(frozen=True)
class Arrival:
    """As read, before any rule is applied: each part None where there is no row."""

    event_id: int  # the event asked for
    chat: quick.Row | None  # `chats.STATE_COLUMNS`
    member: quick.Row | None  # `members.ACTING_COLUMNS`
    seen_at: datetime | None  # when the member was last seen in the group
    event: quick.Row | None  # `events.ANSWERABLE_COLUMNS`, whichever group's it is

    def seen_on(self, day: date) -> bool:
        """Whether the member was already recorded as seen in the group on `day`."""
        return self.seen_at is not None and self.seen_at.astimezone(UTC).date() == day


async def arrive(session: AsyncSession, chat: ChatRef, user: UserRef, event_id: int) -> Arrival:
    ahead: Ahead | None = session.info.get(_AHEAD)
    if ahead is not None:
        found = ahead.take((chat, user, event_id))
        if found is not None:
            return found
    row = await (await quick.of(session)).one(
        _ARRIVAL,
        platform=chat.platform,
        key=chat.id,
        user_platform=user.platform,
        user_key=user.id,
        event=event_id,
    )
    assert row is not None  # the constant row is always there
    return _made(event_id, row)


def _made(event_id: int, found: quick.Row) -> Arrival:
    return Arrival(
        event_id,
        found[_CHAT] if found[_CHAT.start] is not None else None,
        found[_MEMBER] if found[_MEMBER.start] is not None else None,
        found[_SEEN],
        found[_EVENT] if found[_EVENT.start] is not None else None,
    )


# --- a group commit's presses, read before they run --------------------------------------

Key = tuple[ChatRef, UserRef, int]  # a press: where, by whom, on which event
_AHEAD = "muster_arrivals_ahead"  # where a transaction keeps them (`Session.info`)
# The most arrivals read in one statement: a group commit's presses
# (`database.GROUP_LIMIT`); each count's statement is compiled once and kept.
AHEAD_AT_ONCE = 16
_TOGETHER: dict[int, quick.Statement] = {}


def _together(count: int) -> quick.Statement:
    """`count` arrivals in one statement, each row numbered by its place in the list."""
    found = _TOGETHER.get(count)
    if found is None:
        branches = (
            _arrival(f"_{i}").add_columns(literal_column(str(i)).label("place"))
            for i in range(count)
        )
        found = _TOGETHER[count] = quick.Statement(union_all(*branches))
    return found


class Ahead:
    """The arrivals of a transaction's presses, read at its start in one statement
    where each would have been one statement. Each is given to its press only while
    nothing run before that press in the transaction can have changed what was read.

    What a press writes that another press reads: its member's row and answers (so a
    second press by the same member reads afresh), a group's row when new (a press
    that finds none makes it through `chats.get_or_create`, which reads again) or
    renamed (written again, the same), and its seen-in-group row (written once, at the
    commit's end, for them all: `members.SeenAtCommit`). An answer to an event with a
    capacity reads the event again under its lock whatever it was given. Any other
    action may write anything: after one, every press reads for itself."""

    __slots__ = ("_found", "_users")

    def __init__(self, found: dict[Key, Arrival]) -> None:
        self._found = found
        self._users: set[UserRef] = set()

    def before(self, key: Key | None) -> None:
        """An action is about to run: a press (its key), or anything else (None)."""
        if key is None:
            self._found.clear()
            return
        if key[1] in self._users:
            self._found.pop(key, None)
        self._users.add(key[1])

    def take(self, key: Key) -> Arrival | None:
        return self._found.pop(key, None)


async def read_ahead(session: AsyncSession, keys: Iterable[Key | None]) -> Ahead:
    """The arrivals of the presses about to run in this transaction (None: an action
    that is not a press), kept in the session for `arrive` to take."""
    distinct = list(dict.fromkeys(k for k in keys if k is not None))[:AHEAD_AT_ONCE]
    found: dict[Key, Arrival] = {}
    if len(distinct) > 1:  # one alone reads as it would have
        values: dict[str, object] = {}
        for i, (chat, user, event_id) in enumerate(distinct):
            values[f"platform_{i}"], values[f"key_{i}"] = chat.platform, chat.id
            values[f"user_platform_{i}"], values[f"user_key_{i}"] = user.platform, user.id
            values[f"event_{i}"] = event_id
        rows = await (await quick.of(session)).rows(_together(len(distinct)), **values)
        for row in rows:
            key = distinct[int(row[-1])]
            found[key] = _made(key[2], row[:-1])
    ahead = session.info[_AHEAD] = Ahead(found)
    return ahead
