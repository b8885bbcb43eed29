"""The rules of answering: one answer per member, guests count, capacity holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, StrEnum

from bot.domain.errors import UserError
from bot.strings import input as refuse
from bot.strings import rsvp as words

RSVP_EXAMPLE = "/rsvp 12 yes +1"
MAX_GUESTS = 10


class Answer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"
    WAITING = "waiting"  # on the waiting list of a full event


# The answers offered where a platform shows choices: "wait" joins a full event's list.
RSVP_CHOICES = ("yes", "maybe", "no", "wait")

ANSWER_WORDS = {
    "yes": Answer.GOING, "y": Answer.GOING, "going": Answer.GOING, "coming": Answer.GOING,
    "maybe": Answer.MAYBE, "m": Answer.MAYBE, "perhaps": Answer.MAYBE,
    "wait": Answer.WAITING, "waiting": Answer.WAITING, "waitlist": Answer.WAITING,
    "no": Answer.NO, "n": Answer.NO, "not": Answer.NO, "cant": Answer.NO, "can't": Answer.NO,
    # Welsh and Polish, as the translations name them; English always works.
    "ie": Answer.GOING, "dod": Answer.GOING, "efallai": Answer.MAYBE, "na": Answer.NO,
    "methu": Answer.NO, "aros": Answer.WAITING,
    "tak": Answer.GOING, "może": Answer.MAYBE, "moze": Answer.MAYBE, "nie": Answer.NO,
    "czekam": Answer.WAITING,
}  # fmt: skip


@dataclass(frozen=True)
class Counts:
    going: int = 0  # people, guests included
    maybe: int = 0
    no: int = 0
    waiting: int = 0

    def line(self, capacity: int | None = None) -> str:
        going = f"{self.going}/{capacity}" if capacity else str(self.going)
        line = words.COUNTS_WAITING if self.waiting else words.COUNTS
        return line.format(going=going, maybe=self.maybe, no=self.no, waiting=self.waiting)

    def full(self, capacity: int | None) -> bool:
        return capacity is not None and self.going >= capacity


class Outcome(Enum):
    RECORDED = "recorded"
    UNCHANGED = "unchanged"
    FULL = "full"


@dataclass(frozen=True)
class Current:
    answer: Answer
    guests: int


def parse_answer(text: str) -> Answer:
    answer = ANSWER_WORDS.get(text.strip().lower())
    if answer is None:
        raise UserError(refuse.NOT_AN_ANSWER.format(text=text.strip()[:20]), RSVP_EXAMPLE)
    return answer


def parse_guests(text: str) -> int:
    match = re.fullmatch(r"\+(\d{1,3})", text.strip())
    if not match or int(match.group(1)) > MAX_GUESTS:
        raise UserError(refuse.GUESTS_FORM.format(most=MAX_GUESTS), RSVP_EXAMPLE)
    return int(match.group(1))


def decide(
    current: Current | None,
    answer: Answer,
    guests: int,
    capacity: int | None,
    going_people: int,
) -> Outcome:
    """Whether a new answer is recorded.

    `going_people` counts everyone going, this member's current place included; a member
    who is already going may always keep their place or reduce it.
    """
    if current is not None and current.answer is answer and current.guests == guests:
        return Outcome.UNCHANGED
    if answer is Answer.GOING and capacity is not None:
        held = 1 + current.guests if current and current.answer is Answer.GOING else 0
        if going_people - held + 1 + guests > capacity:
            return Outcome.FULL
    return Outcome.RECORDED
