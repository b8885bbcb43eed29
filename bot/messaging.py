"""The neutral interface between the core and every platform adapter.

Nothing here knows Telegram or Discord. References are plain frozen values so they can be
stored in the database and survive a restart; cards are plain text (adapters escape
everything), so no user string can ever be read as markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.command_spec import CommandSpec

ACTION_MAX_BYTES = 64  # Telegram's callback_data limit, the tightest of our platforms


@dataclass(frozen=True)
class ChatRef:
    platform: str
    id: str


@dataclass(frozen=True)
class UserRef:
    platform: str
    id: str


@dataclass(frozen=True)
class MessageRef:
    chat: ChatRef
    id: str


@dataclass(frozen=True)
class Button:
    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > ACTION_MAX_BYTES:
            raise ValueError(f"action id over {ACTION_MAX_BYTES} bytes: {self.action!r}")


@dataclass(frozen=True)
class Card:
    """Text blocks (paragraphs) with an optional bold title and rows of buttons.

    `expects_reply` marks a question whose answer is a plain message: where a platform
    only shows a bot the messages that reply to it (Telegram groups), the adapter asks
    for a reply.
    """

    blocks: tuple[str, ...]
    title: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    expects_reply: bool = False

    @classmethod
    def text(cls, *blocks: str) -> Card:
        return cls(blocks=tuple(b for b in blocks if b))

    def plain(self) -> str:
        parts = ([self.title] if self.title else []) + list(self.blocks)
        return "\n\n".join(parts)

    def with_buttons(self, *rows: Sequence[Button]) -> Card:
        return replace(self, buttons=tuple(tuple(r) for r in rows if r))


@dataclass(frozen=True)
class Press:
    """A button press, as an adapter must answer it."""

    id: str
    message: MessageRef | None


@dataclass(frozen=True)
class Mention:
    """A member named in a command's text in a way the platform vouches for.

    `text` is how it stands in the argument text ("@amy", or the name a Telegram
    mention without a username shows); `user` is who it is, where the platform says so
    (None for a bare @handle, which is matched against handles seen in the group).
    """

    text: str
    user: UserRef | None = None


@dataclass(frozen=True)
class Invocation:
    """One thing a person did: a command with its argument text, or a button press."""

    chat: ChatRef
    user: UserRef
    user_name: str
    is_private: bool = False
    chat_title: str = ""
    command: str | None = None
    args: str = ""
    action: str | None = None
    press: Press | None = None
    # The platform's id of the message that carried the command, to answer in reply.
    origin: str | None = None
    # Where the platform groups chats (a Discord server id), and the member's roles
    # there, lower-cased names and ids: a group may name a role whose members organise.
    space: str = ""
    roles: frozenset[str] = frozenset()
    # A file sent with the command (a motion's text), read by the adapter.
    attachment: InFile | None = None
    # The member's unique handle on the platform (Telegram's username), lower-cased.
    handle: str = ""
    # Members named in the text by mention, and the author of the message this one
    # replies to: identities, where a display name is only a claim.
    mentions: tuple[Mention, ...] = ()
    replied_to: UserRef | None = None
    replied_name: str = ""
    # Whether a command was addressed to Muster by name (Telegram's /cmd@muster_bot);
    # where every command is Muster's (Discord, the console) it always is.
    addressed: bool = True
    # The language the member's app is set to, as the platform tells it (Telegram's
    # `language_code`, Discord's interaction `locale`); None where it does not.
    language: str | None = None

    @property
    def platform(self) -> str:
        return self.chat.platform

    def without_nul(self) -> Invocation:
        """The same, with NUL taken out of every text in it. No one means a NUL, and it
        must not reach a lookup: PostgreSQL refuses it in text (the whole transaction
        fails), and C libraries end a string at it."""
        texts: dict[str, Any] = {
            name: value.replace("\x00", "")
            for name in _TEXTS
            if isinstance(value := getattr(self, name), str) and "\x00" in value
        }
        if any("\x00" in m.text for m in self.mentions):
            texts["mentions"] = tuple(
                replace(m, text=m.text.replace("\x00", "")) for m in self.mentions
            )
        return replace(self, **texts) if texts else self


_TEXTS = ("user_name", "chat_title", "command", "args", "action", "handle", "replied_name")


@dataclass(frozen=True)
class InFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class OutFile:
    name: str
    data: bytes
    caption: str = ""
    # Made when it is sent, in a worker thread after the transaction (a chart): the
    # data is then what this returns.
    make: Callable[[], bytes] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class EventMirror:
    """What a platform's native calendar entry shows of an event."""

    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str


class CannotReachPrivately(Exception):
    """The member has not started a private chat with the bot, or blocked it.

    `how` is the platform's way to open one (e.g. a t.me start link), if it has one.
    """

    def __init__(self, how: str = "") -> None:
        super().__init__("cannot reach the member privately")
        self.how = how


class NoRoom(Exception):
    """The platform holds no more copies of events here (Discord: 100 scheduled events
    a server)."""


class ChatGone(Exception):
    """The bot can no longer post in this chat (removed, or the chat was deleted)."""


@dataclass(frozen=True)
class Limit:
    """A platform's pace under one key, kept across processes (`Messenger`s that share a
    database reserve each send's moment): messages `spacing` seconds apart on average,
    and `burst` more of them at once."""

    spacing: float
    burst: int = 0


# Reserves a send's moment under a chat's limits, then the platform's overall pace;
# the seconds to wait for it.
Reserve = Callable[[dict[str, Limit], dict[str, Limit]], Awaitable[float]]


# Set by an adapter that answers the platform once an update is handled (Telegram's
# webhook: its 200): the dispatcher resolves it once what the update changed is stored,
# before any reply goes out, so the platform is not kept waiting on our pacing.
HANDLED: ContextVar[asyncio.Future[None] | None] = ContextVar("muster_handled", default=None)


def handled() -> None:
    """The update in hand is stored: whoever waits for that may stop waiting."""
    waiting = HANDLED.get()
    if waiting is not None and not waiting.done():
        waiting.set_result(None)


class Messenger(Protocol):
    """What each platform adapter offers the core."""

    platform: str
    max_text: int
    max_toast: int  # the notice a button press shows (Telegram: 200 characters)
    # Whether the platform's members are strangers sharing this process (Telegram,
    # Discord): then each has a budget of actions. The console's one user is not.
    strangers: bool
    # Whether an answer meant for the member alone is shown to them alone (Discord's
    # ephemeral answers): then it is written in their language, not the group's.
    answers_alone: bool

    # The role a process must hold to take this platform's updates, when processes
    # share a database: polling and a gateway are one process's at a time. None when
    # every process may take them (a webhook behind a load balancer, the console).
    @property
    def updates_role(self) -> str | None: ...

    async def send(self, chat: ChatRef, card: Card, *, key: str | None = None) -> MessageRef:
        """Post a card. `key` names this delivery: a platform that can make a repeated
        send with the same key a no-op (Discord's nonce) does so."""

    async def reply(self, inv: Invocation, card: Card, *, ephemeral: bool = False) -> None:
        """Answer an invocation where it happened (ephemeral where the platform can)."""

    async def edit(self, ref: MessageRef, card: Card) -> None: ...

    async def answer_press(self, press: Press, text: str) -> None: ...

    async def send_private(self, user: UserRef, card: Card) -> MessageRef: ...

    async def send_file(self, target: ChatRef | UserRef, file: OutFile) -> None: ...

    async def is_organiser(self, user: UserRef, chat: ChatRef) -> bool: ...

    def measure(self, text: str) -> int:
        """A text's length as the platform counts it against `max_text`."""

    def private_hint(self) -> str:
        """How a member lets the bot message them privately, where the platform needs
        them to do something first (Telegram's start link); "" where it does not."""

    async def mirror(
        self,
        chat: ChatRef,
        event: EventMirror | None,
        external_id: str | None,
        *,
        withdraw: bool = False,
    ) -> str | None:
        """Create or update (event given) or remove (None) the platform's own copy of an
        event; returns its id, or None where the platform has no such thing. Removing
        cancels the copy (members who marked interest see why), or with `withdraw`
        deletes it quietly (it gives its place to a nearer event). Raises NoRoom when
        the platform holds no more."""

    async def register_commands(self, table: Sequence[CommandSpec[Any, Any]]) -> None: ...

    async def start(self) -> None:
        """Connect for sending: from here on the process can post and edit."""

    async def receive(self) -> None:
        """Start taking the platform's updates (polling, a gateway, a webhook)."""

    def connected(self) -> bool:
        """Whether the platform can be reached from this process now, and its updates
        reach this process if it takes them (readiness)."""

    async def pause(self) -> None:
        """Stop taking new input and finish what is in hand; sending still works."""

    async def stop(self) -> None: ...


class Inbound(Protocol):
    """What adapters report to the core (the dispatcher implements it)."""

    async def handle(self, inv: Invocation) -> None: ...

    async def chat_joined(self, chat: ChatRef, title: str) -> None: ...

    async def chat_left(self, chat: ChatRef) -> None: ...

    async def chat_moved(self, old: ChatRef, new: ChatRef) -> None: ...

    async def suggest_events(self, chat: ChatRef, typed: str) -> list[tuple[int, str]]: ...

    def rate_limited(self, platform: str) -> None:
        """The platform answered 429 (too many requests): counted for the operator."""


@dataclass
class Messengers:
    """The adapters of this process, by platform name."""

    by_platform: dict[str, Messenger] = field(default_factory=dict)

    def add(self, messenger: Messenger) -> None:
        self.by_platform[messenger.platform] = messenger

    def for_platform(self, platform: str) -> Messenger:
        return self.by_platform[platform]

    def __contains__(self, platform: object) -> bool:
        return platform in self.by_platform

    def all(self) -> list[Messenger]:
        return list(self.by_platform.values())
