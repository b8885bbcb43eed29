"""What one entry of the command table declares.

Kept apart from the table (`bot/commands.py`, which imports every handler) so that the
context, the messaging interface and the adapters can name it without importing the
handlers: no import circle, type-only imports included. A spec is generic in the
context its handler takes, which only the table needs to know.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from bot.arguments import Args, Option, parse

C = TypeVar("C")
# Heavy, pure work on a command's arguments (a repeat rule's dates), given the group's
# zone and the time: run in a worker thread before the transaction, so it holds
# neither the event loop nor the write lock; its errors are the command's answer.
Preparer = Callable[[Args, ZoneInfo, datetime], object]
DEFAULT_MAX_ARGS = 1000


@dataclass(frozen=True)
class CommandSpec(Generic[C]):
    name: str
    summary: str
    handler: Callable[[C, Args], Awaitable[None]]
    options: tuple[Option, ...] = ()
    example: str = ""
    organiser: bool = False
    max_args: int = DEFAULT_MAX_ARGS
    # In a private chat the command is about the member's own things (no rights needed).
    own_in_private: bool = False
    # What a file sent with the command holds, when it may have one.
    attachment: str = ""
    # Whether the answer depends on the asker being an organiser (beyond being allowed).
    shows_rights: bool = False
    # Text after the command is not for us (Telegram's `/start <payload>` from a link).
    ignores_text: bool = False
    # Its answer is for everyone in the chat (a list, a card to press): on Discord the
    # interaction's own response, which shows who asked; otherwise only the asker sees
    # what they are told.
    public: bool = False
    prepare: Preparer | None = None
    # With no arguments, it asks its questions instead (the guided form: Telegram's
    # replies, Discord's modal, the console's prompts). One command has one.
    form: bool = False

    def usage_args(self) -> str:
        return " ".join(o.usage() for o in self.options)

    def usage(self) -> str:
        return f"/{self.name} {self.usage_args()}".rstrip()

    def parse(self, text: str) -> Args:
        if self.ignores_text:
            return Args()
        return parse(self.options, text, self.example or self.usage())
