"""What a button does, typed: each kind of press is a small frozen dataclass that packs
itself into the button's id and is parsed back from it.

After aiogram's `CallbackData` and discord.py's `DynamicItem`: the id carries all of
the press's state (`feature:verb:id[:id…]`, at most 64 bytes, Telegram's limit), so a
button keeps working after a restart with nothing registered on the platform, and one
parser serves every platform. A forged or stale id parses to nothing; a handler
receives only a well-formed action of its own kind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, TypeVar, get_type_hints

from bot.domain.rsvp import Answer

MAX_BYTES = 64  # Telegram's callback_data
MAX_ID = 2**31 - 1
NO_ID = "0"  # the place of the ids in a press that needs none


class Action:
    """One kind of press. `FEATURE` names the family; `VERB` is fixed for the kind,
    unless the kind has a `verb` field (an enum) that says it."""

    FEATURE: ClassVar[str]
    VERB: ClassVar[str] = ""

    def pack(self) -> str:
        values = dataclasses.asdict(self)  # type: ignore[call-overload]
        verb = str(values.pop("verb", self.VERB))
        ids = [str(int(v)) for v in values.values()] or [NO_ID]
        packed = ":".join([self.FEATURE, verb, *ids])
        if len(packed.encode()) > MAX_BYTES:
            raise ValueError(f"action id over {MAX_BYTES} bytes: {packed!r}")
        return packed


A = TypeVar("A", bound=type[Action])


@dataclass(frozen=True)
class _Kind:
    """A registered kind, read once: a press is parsed without looking at types again."""

    cls: type[Action]
    fields: tuple[str, ...]  # the numbers it packs, in order
    verb: Callable[[str], object] | None  # the verb's enum, when it has one


_KINDS: dict[tuple[str, str], _Kind] = {}


def kind(cls: A) -> A:
    """Register a kind of press under each (feature, verb) it packs to."""
    hints = get_type_hints(cls)
    verb_type = hints.get("verb")
    verbs = [v.value for v in verb_type] if verb_type is not None else [cls.VERB]
    fields = tuple(f.name for f in dataclasses.fields(cls) if f.name != "verb")  # type: ignore[arg-type]
    for verb in verbs:
        if (cls.FEATURE, verb) in _KINDS:
            raise ValueError(f"{cls.FEATURE}:{verb} is registered twice")
        _KINDS[(cls.FEATURE, verb)] = _Kind(cls, fields, verb_type)
    return cls


def parse(packed: str) -> Action | None:
    """The press a button's id stands for; None for anything stale or forged."""
    if len(packed.encode()) > MAX_BYTES:
        return None
    feature, _, rest = packed.partition(":")
    verb, _, tail = rest.partition(":")
    found = _KINDS.get((feature, verb))
    if found is None:
        return None
    parts = tail.split(":")
    if not all(p.isdigit() and len(p) <= 10 and int(p) <= MAX_ID for p in parts):
        return None
    fields = found.fields
    if fields:
        if len(parts) != len(fields):
            return None
        values: dict[str, object] = {name: int(p) for name, p in zip(fields, parts, strict=True)}
    elif parts != [NO_ID]:
        return None
    else:
        values = {}
    if found.verb is not None:
        values["verb"] = found.verb(verb)
    return found.cls(**values)


# The kinds of press. Their packed forms are those of buttons already posted in chats:
# changing one breaks every card that shows it.


@kind
@dataclass(frozen=True)
class RsvpPress(Action):
    """An answer to an event from its card (`rsvp:going:12`)."""

    FEATURE = "rsvp"
    verb: Answer
    event_id: int


class SlotVerb(StrEnum):
    JOIN = "join"
    WAIT = "wait"  # onto the slot's waiting list


@kind
@dataclass(frozen=True)
class SlotPress(Action):
    """Sign up for a slot of a sheet (`signup:join:3:2`): the slot by its position."""

    FEATURE = "signup"
    verb: SlotVerb
    sheet_id: int
    position: int


@kind
@dataclass(frozen=True)
class CheckInPress(Action):
    """ "I'm here" at an event whose check-in is open (`checkin:here:12`)."""

    FEATURE = "checkin"
    VERB = "here"
    event_id: int


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


@kind
@dataclass(frozen=True)
class RemindersPress(Action):
    """Private reminders on or off (`reminders:on:0`)."""

    FEATURE = "reminders"
    verb: Switch


@kind
@dataclass(frozen=True)
class FactsConfirmed(Action):
    """A member's CLP and branch are still right (`facts:confirm:0`)."""

    FEATURE = "facts"
    VERB = "confirm"


@kind
@dataclass(frozen=True)
class ConsentPress(Action):
    """The privacy notice was read and agreed (`privacy:consent:0`)."""

    FEATURE = "privacy"
    VERB = "consent"


@kind
@dataclass(frozen=True)
class ForgetPress(Action):
    """Erase me: only the member named may press it (`privacy:forget:<member>`)."""

    FEATURE = "privacy"
    VERB = "forget"
    member_id: int


class FormVerb(StrEnum):
    CREATE = "create"
    CANCEL = "cancel"


@kind
@dataclass(frozen=True)
class FormPress(Action):
    """The end of a guided form: create what it describes, or drop it (`form:create:0`)."""

    FEATURE = "form"
    verb: FormVerb
