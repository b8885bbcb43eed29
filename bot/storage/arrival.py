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

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import ChatRef, UserRef
from bot.storage import chats, events, members, quick
from bot.storage.tables import Chat, ChatMember, Event, Member, Rsvp

_HERE = select(literal_column("1").label("here")).subquery("here")  # the one row joined onto
_ARRIVAL = quick.Statement(
    select(
        *chats.STATE_COLUMNS,
        *members.ACTING_COLUMNS,
        ChatMember.seen_at,
        *events.ANSWERABLE_COLUMNS,
    )
    .select_from(_HERE)
    .outerjoin(
        Chat,
        (Chat.platform == bindparam("platform")) & (Chat.platform_chat_id == bindparam("key")),
    )
    .outerjoin(
        Member,
        (Member.platform == bindparam("user_platform"))
        & (Member.platform_user_id == bindparam("user_key")),
    )
    .outerjoin(ChatMember, (ChatMember.chat_id == Chat.id) & (ChatMember.member_id == Member.id))
    .outerjoin(Event, Event.id == bindparam("event"))
    .outerjoin(Rsvp, (Rsvp.event_id == Event.id) & (Rsvp.member_id == Member.id))
)
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
    found = await (await quick.of(session)).one(
        _ARRIVAL,
        platform=chat.platform,
        key=chat.id,
        user_platform=user.platform,
        user_key=user.id,
        event=event_id,
    )
    assert found is not None  # the constant row is always there
    return Arrival(
        event_id,
        found[_CHAT] if found[_CHAT.start] is not None else None,
        found[_MEMBER] if found[_MEMBER.start] is not None else None,
        found[_SEEN],
        found[_EVENT] if found[_EVENT.start] is not None else None,
    )
