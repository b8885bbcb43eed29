"""What a handler receives: who, where, the database session, and where answers go.

Handlers never call a platform: they queue answers here, and the dispatcher delivers
them after the transaction has committed, so nothing is announced that was not stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import strings
from bot.command_spec import CommandSpec
from bot.config import Settings
from bot.domain.errors import UserError
from bot.messaging import Card, Invocation, OutFile
from bot.storage import audit, members
from bot.storage.tables import Chat, Member

# here: in the chat, for all to see; answer: only to the person who acted where the
# platform can (Discord ephemeral), else in the chat; private: a direct message;
# toast: the short notice a button press shows.
Target = Literal["here", "answer", "private", "toast"]


@dataclass(frozen=True)
class Outgoing:
    target: Target
    card: Card | None = None
    file: OutFile | None = None
    # A toast that promises private word later: the platform's way to allow it is added.
    reach_hint: bool = False
    # What in a toast may be shortened to fit (an event's title), never the sentence.
    shrink: str = ""


@dataclass
class SeenToday:
    """The (chat, member) pairs recorded as seen today, so a press need not ask again.

    Kept by the dispatcher across invocations; a pair is added only after the
    transaction that recorded it has committed.
    """

    day: date | None = None
    pairs: set[tuple[int, int]] = field(default_factory=set)

    def knows(self, key: tuple[int, int], today: date) -> bool:
        return self.day == today and key in self.pairs

    def add(self, keys: list[tuple[int, int]], today: date) -> None:
        if self.day != today:
            self.day, self.pairs = today, set()  # yesterday's pairs are no use
        self.pairs.update(keys)

    def forget(self) -> None:
        """After an erasure: the erased member's id may be given to a newcomer."""
        self.pairs.clear()


@dataclass
class Context:
    inv: Invocation
    session: AsyncSession
    settings: Settings
    now: datetime
    chat: Chat | None
    is_organiser: bool
    commands: Sequence[CommandSpec[Any]] = ()
    outbox: list[Outgoing] = field(default_factory=list)
    refreshed: set[int] = field(default_factory=set)
    changed: set[int] = field(default_factory=set)
    woken: bool = False
    erased: bool = False
    seen: SeenToday = field(default_factory=SeenToday)
    just_seen: list[tuple[int, int]] = field(default_factory=list)
    _member: Member | None = None

    def group(self) -> Chat:
        """The group this happens in; private chats have none."""
        if self.chat is None:
            raise UserError(strings.GROUP_ONLY)
        return self.chat

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.chat.timezone if self.chat else self.settings.timezone)

    async def member(self) -> Member:
        """The member acting, created on first need (not merely for reading)."""
        if self._member is None:
            self._member = await members.get_or_create(
                self.session, self.inv.user, self.inv.user_name, self.now, self.inv.handle
            )
            if self.chat is not None:
                key = (self.chat.id, self._member.id)
                if not self.seen.knows(key, self.now.date()):
                    await members.seen(self.session, self.chat.id, self._member.id, self.now)
                    self.just_seen.append(key)  # remembered once the transaction commits
        return self._member

    async def known_member(self) -> Member | None:
        if self._member is None:
            self._member = await members.get(self.session, self.inv.user)
        return self._member

    async def audit(self, action: str, detail: str) -> None:
        """Record an organiser action in this group: who (by id), when, what."""
        member = await self.member()
        await audit.record(self.session, self.group().id, member.id, action, detail, self.now)

    def member_erased(self) -> None:
        """The member's row is gone: forget the cached one, and scrub after commit."""
        self._member = None
        self.erased = True

    def reply(self, card: Card | str) -> None:
        self.outbox.append(Outgoing("here", card=_card(card)))

    def answer(self, text: str) -> None:
        """A confirmation meant for the person who acted."""
        self.outbox.append(Outgoing("answer", card=Card.text(text)))

    def reply_private(self, card: Card | str) -> None:
        self.outbox.append(Outgoing("private", card=_card(card)))

    def send_file(self, file: OutFile) -> None:
        """Files hold names: they always go privately."""
        self.outbox.append(Outgoing("private", file=file))

    def toast(self, text: str, *, reach_hint: bool = False, shrink: str = "") -> None:
        """The short notice a press shows; `shrink` is the part (a title) that may be
        shortened where the platform's notices are short."""
        self.outbox.append(
            Outgoing("toast", card=Card.text(text), reach_hint=reach_hint, shrink=shrink)
        )

    def refresh(self, event_id: int) -> None:
        """The event's live cards need new counts (coalesced after commit)."""
        self.refreshed.add(event_id)

    def details_changed(self, event_id: int) -> None:
        """Title, time, place or status changed: platforms' own copies follow after commit."""
        self.changed.add(event_id)
        self.refreshed.add(event_id)

    def wake(self) -> None:
        """New deliveries were written: run the scheduler right after commit."""
        self.woken = True


def _card(card: Card | str) -> Card:
    return Card.text(card) if isinstance(card, str) else card
