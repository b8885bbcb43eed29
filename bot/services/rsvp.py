"""Answering events, by button or by /rsvp, with the same rules.

A Going on a full event is refused (or, from a card's button, joins the waiting list
in one tap); giving up a place lets the first in line in, who is told privately.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import strings
from bot.domain.errors import UserError
from bot.domain.events import Kind
from bot.domain.rsvp import Answer, Current, Outcome, decide
from bot.services import waiting
from bot.services.effects import NOTHING, SEND, Effects, Tx, refresh
from bot.storage import events as event_store
from bot.storage.arrival import Arrival
from bot.storage.quick import UNREAD, Found


class Said(StrEnum):
    RECORDED = "recorded"  # the answer is stored
    UNCHANGED = "unchanged"  # it was the answer already
    WAITING = "waiting"  # on the waiting list (newly or still)


@dataclass(frozen=True)
class Answered:
    said: Said
    answer: Answer
    guests: int
    title: str  # the event's
    place: int  # on the waiting list, from 1 (0: not waiting)
    effects: Effects = NOTHING


async def answer(
    tx: Tx,
    chat_id: int,
    member_id: int,
    event_id: int,
    wanted: Answer,
    guests: int | None,
    *,
    join_if_full: bool = False,
    arrival: Arrival | None = None,
) -> Answered:
    """Record an answer. `guests=None` keeps the member's guests.

    `join_if_full`: a Going press on a full event (on any copy of its card) takes the
    member onto the waiting list in one tap, instead of asking them to type.

    It reads and writes by numbers, loading no objects (`bot.storage.quick`): a press
    is the commonest thing Muster does. `arrival`: the event and the answer as a press
    read them already, with its group and member (`storage.arrival`)."""
    read = arrival.event if arrival is not None and arrival.event_id == event_id else UNREAD
    event = await _answerable(tx, chat_id, member_id, event_id, found=read)
    if event.capacity is not None:
        # Places are counted: answers to this event take turns (its row is locked), so
        # two presses cannot both take the last place. Without a capacity nothing is
        # counted, and presses on a popular event, in any process, need not queue.
        event = await _answerable(tx, chat_id, member_id, event_id, for_update=True)
    if event.status == event_store.CANCELLED:
        raise UserError(strings.EVENT_CANCELLED.format(id=event.id))
    if event.kind == Kind.DEADLINE.value:
        raise UserError(strings.DEADLINE_NO_RSVP.format(id=event.id))
    if event.starts_at <= tx.now:
        raise UserError(strings.EVENT_IS_PAST.format(id=event.id))
    current = Current(*event.given) if event.given else None
    if guests is None:
        guests = current.guests if current and wanted is not Answer.NO else 0
    if wanted is Answer.NO:
        guests = 0
    going = 0
    if event.capacity is not None:  # only a capacity needs the count
        going = (await event_store.counts(tx.session, [event.id]))[event.id].going

    async def waiting_place(effects: Effects = NOTHING) -> Answered:
        place = await event_store.position(tx.session, event.id, member_id)
        return Answered(Said.WAITING, Answer.WAITING, guests or 0, event.title, place, effects)

    still_waiting = wanted is Answer.WAITING or (join_if_full and wanted is Answer.GOING)
    if current is not None and current.answer is Answer.WAITING and still_waiting:
        return await waiting_place()
    if wanted is Answer.WAITING:
        if current is not None and current.answer is Answer.GOING:
            return Answered(Said.UNCHANGED, wanted, guests, event.title, 0)
        if decide(None, Answer.GOING, guests, event.capacity, going) is Outcome.RECORDED:
            wanted = Answer.GOING  # a place is free: no need to wait
    outcome = decide(current, wanted, guests, event.capacity, going)
    if outcome is Outcome.FULL and join_if_full:
        wanted, outcome = Answer.WAITING, Outcome.RECORDED
    if outcome is Outcome.UNCHANGED:
        return Answered(Said.UNCHANGED, wanted, guests, event.title, 0)
    if outcome is Outcome.FULL:
        assert event.capacity is not None
        raise UserError(
            strings.EVENT_FULL_WAITING.format(event.capacity, title=event.title, event_id=event.id)
        )
    await event_store.set_rsvp(
        tx.session, event.id, member_id, wanted, guests, tx.now, new=event.given is None
    )
    effects = refresh(event.id)
    # A place may have come free: the first in line takes it, and is told.
    was_going = current is not None and current.answer is Answer.GOING
    if was_going and await waiting.fill_event(tx.session, event, tx.now):
        effects |= SEND
    if wanted is Answer.WAITING:
        return await waiting_place(effects)
    return Answered(Said.RECORDED, wanted, guests, event.title, 0, effects)


async def _answerable(
    tx: Tx,
    chat_id: int,
    member_id: int,
    event_id: int,
    *,
    for_update: bool = False,
    found: Found = UNREAD,
) -> event_store.Answerable:
    """As `events.find`: another group's event is as good as missing."""
    event = await event_store.answerable(
        tx.session, event_id, chat_id, member_id, for_update=for_update, found=found
    )
    if event is None:
        raise UserError(strings.NO_EVENT.format(id=event_id), "/events")
    return event
