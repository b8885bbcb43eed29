"""What one entry of the command table declares.

Kept apart from the table (`bot/commands.py`, which imports every handler) so that the
context, the messaging interface and the adapters can name it without importing the
handlers: no import circle, type-only imports included. A spec is generic in the
context its handler takes, which only the table needs to know.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from bot.arguments import Args, Option, parse
from bot.strings import Msg

C = TypeVar("C")
# What a handler returns (`bot.results.Result`): named loosely here so that the spec
# imports nothing that imports it.
R = TypeVar("R")
# Heavy, pure work on a command's arguments (a repeat rule's dates), given the group's
# zone and the time: run in a worker thread before the transaction, so it holds
# neither the event loop nor the write lock; its errors are the command's answer.
Preparer = Callable[[Args, ZoneInfo, datetime], object]
DEFAULT_MAX_ARGS = 1000


# A check of one answer given its group's zone and the time (a `<when>` is read now,
# not at the last step); raises the command's refusal.
Check = Callable[[str, ZoneInfo, datetime], object]


@dataclass(frozen=True)
class Question:
    """One question of a command's guided form."""

    name: str
    label: Msg  # short: a field's label in a platform's form (Discord's modal)
    prompt: Msg  # the question asked in a chat, one at a time
    max_length: int
    required: bool = True
    placeholder: str | Msg = ""
    long: bool = False  # a paragraph, not a line
    # Asked in a chat (Telegram, the console); otherwise only a platform's form has it.
    in_chat: bool = True
    # Its answer may hold the command's `|` separators (key=value details).
    separators: bool = False
    check: Check | None = None


@dataclass(frozen=True)
class Form:
    """A command's guided form: the same questions on every platform (Telegram's and
    the console's one at a time, Discord's modal at once), turned into the command's
    own argument text, so one parser reads both."""

    title: Msg
    questions: tuple[Question, ...]
    # Asked before creating, with the answers as named fields ({title}, {when}, …).
    confirm: Msg
    # The command that stops it part-way where questions are asked one at a time
    # (Telegram's and the console's `/cancel`); Discord's modal has its own button.
    stop: str

    def in_chat(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.in_chat)

    def line(self, answers: Mapping[str, str]) -> str:
        """The answers as the command's argument text: in order, `|` between them,
        the empty ones at the end left out."""
        parts = []
        for question in self.questions:
            text = " ".join(answers.get(question.name, "").split())
            parts.append(text if question.separators else text.replace("|", "/"))
        while parts and not parts[-1]:
            parts.pop()
        return " | ".join(parts)


@dataclass(frozen=True)
class CommandSpec(Generic[C, R]):
    name: str
    summary: Msg
    handler: Callable[[C, Args], Awaitable[R]]
    options: tuple[Option, ...] = ()
    example: str | Msg = ""
    organiser: bool = False
    max_args: int = DEFAULT_MAX_ARGS
    # In a private chat the command is about the member's own things (no rights needed).
    own_in_private: bool = False
    # What a file sent with the command holds, when it may have one.
    attachment: Msg | None = None
    # Whether the answer depends on the asker being an organiser (beyond being allowed).
    shows_rights: bool = False
    # Text after the command is not for us (Telegram's `/start <payload>` from a link).
    ignores_text: bool = False
    # Its answer is for everyone in the chat (a list, a card to press): on Discord the
    # interaction's own response, which shows who asked; otherwise only the asker sees
    # what they are told.
    public: bool = False
    # Its answers go to the member privately: they are written in the member's language.
    private: bool = False
    prepare: Preparer | None = None
    # With no arguments, it asks these questions instead (the guided form: Telegram's
    # replies, Discord's modal, the console's prompts).
    form: Form | None = None

    def usage_args(self) -> str:
        return " ".join(o.usage() for o in self.options)

    def usage(self) -> str:
        return f"/{self.name} {self.usage_args()}".rstrip()

    def parse(self, text: str) -> Args:
        if self.ignores_text:
            return Args()
        return parse(self.options, text, self.example or self.usage())
