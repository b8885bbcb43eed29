"""Declared command arguments: one declaration gives the parser, the usage line and
(on Discord) the typed slash-command options."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.errors import UserError
from bot.strings import Msg
from bot.strings import input as refuse

MAX_INT = 2**31 - 1


class ArgKind(StrEnum):
    INT = "int"  # an id: "12" or "#12"
    WORD = "word"  # one word
    TEXT = "text"  # the rest of the line


@dataclass(frozen=True)
class Option:
    """One argument of a command, declared once: the parser, the usage line, /help and
    Discord's typed option (with its limits, choices and suggestions) all read it."""

    name: str
    kind: ArgKind
    description: Msg
    required: bool = True
    # The values a member picks from (Discord shows them as choices).
    choices: tuple[str, ...] = ()
    # An event's number: the platform may suggest the chat's upcoming events as it is
    # typed (Discord's autocomplete).
    suggests_events: bool = False
    # The most characters a word or text may have (None: the command's own limit), and
    # the largest number.
    max_length: int | None = None
    max_value: int = MAX_INT
    # The question asked when a required option is missing ("Which event? …"), with the
    # command's example; without one, the answer names the option.
    prompt: Msg | None = None

    def usage(self) -> str:
        return f"<{self.name}>" if self.required else f"[{self.name}]"

    def missing(self, example: str | Msg) -> UserError:
        return UserError(self.prompt or refuse.MISSING.format(name=self.name), example)

    def read(self, token: str, example: str | Msg) -> int | str:
        """The option's value from what was typed, within its declared limits."""
        if self.kind is ArgKind.INT:
            value = parse_int(token, self.name, example)
            if value > self.max_value:
                raise UserError(refuse.TOO_BIG.format(name=self.name, most=self.max_value), example)
            return value
        if self.max_length is not None and len(token) > self.max_length:
            limit = self.max_length
            raise UserError(refuse.OPTION_TOO_LONG.format(name=self.name, limit=limit), example)
        return token


@dataclass(frozen=True)
class Args:
    values: dict[str, int | str] = field(default_factory=dict)

    def number(self, name: str) -> int:
        value = self.values[name]
        if not isinstance(value, int):
            raise TypeError(f"argument {name} is not declared as a number")
        return value

    def opt_number(self, name: str) -> int | None:
        value = self.values.get(name)
        return value if isinstance(value, int) else None

    def text(self, name: str) -> str:
        value = self.values.get(name, "")
        return value if isinstance(value, str) else str(value)


def parse_int(token: str, name: str, example: str | Msg) -> int:
    match = re.fullmatch(r"#?(\d{1,10})", token)
    if not match or int(match.group(1)) > MAX_INT:
        raise UserError(refuse.NOT_A_NUMBER.format(name=name, token=token[:20]), example)
    return int(match.group(1))


def parse(options: tuple[Option, ...], text: str, example: str | Msg) -> Args:
    rest = text.strip()
    values: dict[str, int | str] = {}
    for option in options:
        if option.kind is ArgKind.TEXT:
            token, rest = rest, ""
        else:
            token, _, rest = rest.partition(" ")
            rest = rest.strip()
        if not token:
            if option.required:
                raise option.missing(example)
            continue
        values[option.name] = option.read(token, example)
    if rest:
        raise UserError(refuse.NOT_UNDERSTOOD.format(rest=rest[:30]), example)
    return Args(values)
