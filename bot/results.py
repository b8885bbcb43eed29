"""What a handler did: the answers to give and the effects to carry out after commit.

A handler returns one `Result`; it never calls a platform or flags the dispatcher. The
dispatcher delivers the answers once the transaction has committed, so nothing is said
that was not stored, and a failing handler leaves no trace.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.messaging import Card, OutFile
from bot.services.effects import NOTHING, Effects

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


@dataclass(frozen=True)
class Result:
    out: tuple[Outgoing, ...] = ()
    effects: Effects = NOTHING

    def __add__(self, other: Result) -> Result:
        return Result(self.out + other.out, self.effects | other.effects)

    def with_effects(self, effects: Effects) -> Result:
        return replace(self, effects=self.effects | effects)

    def goes_private(self, in_private_chat: bool) -> bool:
        """Whether anything reaches the member privately (in a private chat, all does)."""
        return any(
            o.target == "private" or (in_private_chat and o.target == "here") for o in self.out
        )

    def said_here(self) -> bool:
        return any(o.target != "private" for o in self.out)


EMPTY = Result()


def _card(card: Card | str) -> Card:
    return Card.text(card) if isinstance(card, str) else card


def here(card: Card | str, effects: Effects = NOTHING) -> Result:
    """In the chat, for all to see."""
    return Result((Outgoing("here", card=_card(card)),), effects)


def answer(text: str, effects: Effects = NOTHING) -> Result:
    """A confirmation meant for the person who acted."""
    return Result((Outgoing("answer", card=Card.text(text)),), effects)


def private(card: Card | str, effects: Effects = NOTHING) -> Result:
    return Result((Outgoing("private", card=_card(card)),), effects)


def file(out: OutFile, effects: Effects = NOTHING) -> Result:
    """Files hold names: they go privately."""
    return Result((Outgoing("private", file=out),), effects)


def chart_here(out: OutFile) -> Result:
    """A chart of counts only, which names no one: for all in the chat to see."""
    return Result((Outgoing("here", file=out),))


def toast(
    text: str, effects: Effects = NOTHING, *, reach_hint: bool = False, shrink: str = ""
) -> Result:
    """The short notice a press shows; `shrink` is the part (a title) that may be
    shortened where the platform's notices are short."""
    out = Outgoing("toast", card=Card.text(text), reach_hint=reach_hint, shrink=shrink)
    return Result((out,), effects)
