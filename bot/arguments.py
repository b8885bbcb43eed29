"""Declared command arguments: one declaration gives the parser, the usage line and
(on Discord) the typed slash-command options."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.errors import UserError
from bot.strings import input as refuse

MAX_INT = 2**31 - 1


class ArgKind(StrEnum):
    INT = "int"  # an id: "12" or "#12"
    WORD = "word"  # one word
    TEXT = "text"  # the rest of the line


@dataclass(frozen=True)
class Option:
    name: str
    kind: ArgKind
    description: str
    required: bool = True
    # The values a member picks from (Discord shows them as choices).
    choices: tuple[str, ...] = ()
    # An event's number: the platform may suggest the chat's upcoming events as it is
    # typed (Discord's autocomplete).
    suggests_events: bool = False

    def usage(self) -> str:
        return f"<{self.name}>" if self.required else f"[{self.name}]"


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


def parse_int(token: str, name: str, example: str) -> int:
    match = re.fullmatch(r"#?(\d{1,10})", token)
    if not match or int(match.group(1)) > MAX_INT:
        raise UserError(refuse.NOT_A_NUMBER.format(name=name, token=token[:20]), example)
    return int(match.group(1))


def parse(options: tuple[Option, ...], text: str, example: str) -> Args:
    rest = text.strip()
    values: dict[str, int | str] = {}
    for option in options:
        if option.kind is ArgKind.TEXT:
            if rest:
                values[option.name] = rest
            elif option.required:
                raise UserError(refuse.MISSING.format(name=option.name), example)
            rest = ""
            continue
        token, _, rest = rest.partition(" ")
        rest = rest.strip()
        if not token:
            if option.required:
                raise UserError(refuse.MISSING.format(name=option.name), example)
            continue
        values[option.name] = (
            parse_int(token, option.name, example) if option.kind is ArgKind.INT else token
        )
    if rest:
        raise UserError(refuse.NOT_UNDERSTOOD.format(rest=rest[:30]), example)
    return Args(values)
