"""What a handler receives: who acted, where, and the transaction to hand to services.

Handlers never call a platform and never touch the database: they parse, call one
service with `ctx.tx`, and return a `Result` (`bot/results.py`) that the dispatcher
delivers after the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import i18n, strings
from bot.command_spec import CommandSpec
from bot.config import Settings
from bot.domain.errors import UserError
from bot.messaging import Invocation
from bot.services.effects import Tx
from bot.services.feeds import NO_IDENTITY, Identity
from bot.storage import members, quick
from bot.storage.arrival import Arrival
from bot.storage.tables import Chat, Member
from bot.voices import ENGLISH, Voice


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
    tx: Tx
    settings: Settings
    chat: Chat | None
    is_organiser: bool
    commands: Sequence[CommandSpec[Any, Any]] = ()
    seen: SeenToday = field(default_factory=SeenToday)
    just_seen: list[tuple[int, int]] = field(default_factory=list)
    # Who reads what this says, in which language (see bot/voices.py).
    voice: Voice = ENGLISH
    identity: Identity = NO_IDENTITY
    # The group's number; for a press whose handler reads the group by its number only
    # (`commands.BY_NUMBER`), no `chat` object is loaded, and this is all there is.
    group_id: int | None = None
    # For such a press, what the dispatcher read in its first statement: the group, the
    # member and the event pressed on (`storage.arrival`).
    arrival: Arrival | None = None
    _member: Member | None = None
    _acting: members.Acting | None = None

    def __post_init__(self) -> None:
        if self.chat is not None:
            self.group_id = self.chat.id

    @property
    def now(self) -> datetime:
        return self.tx.now

    def require_group(self) -> Chat:
        """The group this happens in; private chats have none."""
        if self.chat is None:
            raise UserError(strings.GROUP_ONLY)
        return self.chat

    def require_group_id(self) -> int:
        """The group's number, for a handler that needs no more of it."""
        if self.group_id is None:
            raise UserError(strings.GROUP_ONLY)
        return self.group_id

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.chat.timezone if self.chat else self.settings.timezone)

    async def acting(self) -> members.Acting:
        """The member acting, made on first need (not merely for reading), and recorded
        as seen in this group once a day; no object loaded (a press needs none)."""
        if self._acting is None:
            session = self.tx.session
            inv, arrival, today = self.inv, self.arrival, self.now.date()
            # Private messages sent later (reminders) are read in it too.
            language = i18n.from_platform(inv.language)
            self._acting = await members.acting(
                session,
                inv.user,
                inv.user_name,
                self.now,
                inv.handle,
                language,
                found=quick.UNREAD if arrival is None else arrival.member,
            )
            self._member = None  # any copy read before is read again: it may have changed
            if self.group_id is not None:
                key = (self.group_id, self._acting.id)
                if not self.seen.knows(key, today):
                    if arrival is None:
                        await members.seen(session, self.group_id, self._acting.id, self.now)
                    elif not arrival.seen_on(today):
                        # A press reads nothing back that this row holds: it is written
                        # with its group commit's others.
                        await members.seen_at_commit(
                            session, self.group_id, self._acting.id, self.now
                        )
                    self.just_seen.append(key)  # remembered once the transaction commits
        return self._acting

    async def member_or_create(self) -> Member:
        """`acting`, as the member's row, for what changes it or reads more of it."""
        if self._member is None:
            self._member = await members.by_id(self.tx.session, (await self.acting()).id)
        return self._member

    async def known_member(self) -> Member | None:
        """The member acting if Muster holds anything about them; nothing is made."""
        if self._member is None:
            self._member = await members.get(self.tx.session, self.inv.user)
        return self._member

    def privately(self) -> AbstractContextManager[None]:
        """What is rendered inside reads in the member's own language: for what a
        command in a group sends them privately."""
        return self.voice.privately()

    def forget_member(self) -> None:
        """The member's row is gone (erased): forget the one held here."""
        self._member = None
        self._acting = None
