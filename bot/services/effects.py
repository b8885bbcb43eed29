"""What must follow a transaction once it has committed, as a service says it.

A service changes rows; what the world sees of that change (cards edited with new
counts, the platforms' copies of an event, messages sent now) happens after the commit,
so nothing is shown that was not stored. Services return these; handlers pass them on
in their `Result`; the dispatcher carries them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from bot.storage.tables import Member


@dataclass(frozen=True)
class Tx:
    """The transaction a service works in: its session and the time it happens at."""

    session: AsyncSession
    now: datetime


class Actor(Protocol):
    """Who acts: made a member only when a service needs to record them, so a report
    counts the group's members before its reader becomes one (the dispatcher's
    `Context` is one)."""

    async def member_or_create(self) -> Member: ...


@dataclass(frozen=True)
class Effects:
    # Events whose live cards need new counts (edits are coalesced).
    refresh: frozenset[int] = frozenset()
    # Events whose title, time, place or status changed: the platforms' copies follow.
    changed: frozenset[int] = frozenset()
    # New messages were owed: the scheduler runs at once.
    send: bool = False
    # A member was erased: caches forget, the file is scrubbed.
    erased: bool = False
    # A group's or a member's language changed: who reads what is looked up anew.
    languages: bool = False

    def __or__(self, other: Effects) -> Effects:
        return Effects(
            self.refresh | other.refresh,
            self.changed | other.changed,
            self.send or other.send,
            self.erased or other.erased,
            self.languages or other.languages,
        )


NOTHING = Effects()
SEND = Effects(send=True)
LANGUAGES = Effects(languages=True)


def refresh(*event_ids: int) -> Effects:
    return Effects(refresh=frozenset(event_ids))


def changed(*event_ids: int) -> Effects:
    """Details changed: the platforms' copies follow, and the cards are refreshed."""
    ids = frozenset(event_ids)
    return Effects(refresh=ids, changed=ids)
