"""A platform that records what it was asked to do: the outside world, faked at the
Messenger boundary for handler tests (end-to-end tests use the real clients)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.messaging import (
    CannotReachPrivately,
    Card,
    ChatRef,
    EventMirror,
    Invocation,
    MessageRef,
    OutFile,
    Press,
    UserRef,
)
from bot.textsplit import split_card


@dataclass
class Out:
    kind: str  # send | reply | answer | edit | toast | private | file
    target: Any
    card: Card | None = None
    file: OutFile | None = None
    ref: MessageRef | None = None
    at: float = field(default_factory=time.monotonic)  # when the platform had it

    @property
    def text(self) -> str:
        if self.card is not None:
            return self.card.plain()
        return self.file.caption if self.file else ""


@dataclass
class RecordingMessenger:
    platform: str = "test"
    max_text: int = 4096
    max_toast: int = 200  # as Telegram's
    strangers: bool = False  # True: members' actions are rate-limited, as on a platform
    answers_alone: bool = False  # True: answers for one member are theirs alone (Discord)
    updates_role: str | None = None
    organisers: set[str] = field(default_factory=lambda: {"org"})
    unreachable: set[str] = field(default_factory=set)
    failures: int = 0  # the next N sends fail as a platform outage would
    reachable: bool = True  # False: the platform's updates do not reach us (readiness)
    hang: asyncio.Event | None = None  # sends wait on this: a process stuck mid-send
    # Seconds the next edits each spend on their way to the platform (a slow network).
    edit_delays: list[float] = field(default_factory=list)
    log: list[Out] = field(default_factory=list)
    _next_id: int = 0

    def _ref(self, chat: ChatRef) -> MessageRef:
        self._next_id += 1
        return MessageRef(chat, str(self._next_id))

    async def send(self, chat: ChatRef, card: Card, *, key: str | None = None) -> MessageRef:
        if self.hang is not None:
            await self.hang.wait()
        if self.failures:
            self.failures -= 1
            raise ConnectionError("platform unavailable")
        refs = []
        for piece in split_card(card, self.max_text):
            refs.append(self._ref(chat))
            self.log.append(Out("send", chat, piece, ref=refs[-1]))
        return refs[-1]

    async def reply(self, inv: Invocation, card: Card, *, ephemeral: bool = False) -> None:
        for piece in split_card(card, self.max_text):
            self.log.append(Out("answer" if ephemeral else "reply", inv.chat, piece))

    async def edit(self, ref: MessageRef, card: Card) -> None:
        if self.edit_delays:
            await asyncio.sleep(self.edit_delays.pop(0))
        self.log.append(Out("edit", ref.chat, card, ref=ref))

    async def answer_press(self, press: Press, text: str) -> None:
        self.log.append(Out("toast", press.id, Card.text(text)))

    async def send_private(self, user: UserRef, card: Card) -> MessageRef:
        if user.id in self.unreachable:
            raise CannotReachPrivately()
        ref = self._ref(ChatRef(self.platform, "dm-" + user.id))
        for piece in split_card(card, self.max_text):
            self.log.append(Out("private", user, piece, ref=ref))
        return ref

    def measure(self, text: str) -> int:
        return len(text)

    def private_hint(self) -> str:
        return "open the test start link"

    async def send_file(self, target: ChatRef | UserRef, file: OutFile) -> None:
        if isinstance(target, UserRef) and target.id in self.unreachable:
            raise CannotReachPrivately()
        self.log.append(Out("file", target, file=file))

    async def mirror(
        self,
        chat: ChatRef,
        event: EventMirror | None,
        external_id: str | None,
        *,
        withdraw: bool = False,
    ) -> str | None:
        return None  # no native calendar entries here

    async def is_organiser(self, user: UserRef, chat: ChatRef) -> bool:
        return user.id in self.organisers

    async def register_commands(self, table: Sequence[Any]) -> None:
        return None

    async def start(self) -> None:
        return None

    async def receive(self) -> None:
        return None

    def connected(self) -> bool:
        return self.reachable

    async def pause(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def of(self, *kinds: str) -> list[Out]:
        return [o for o in self.log if o.kind in kinds]
