"""Answering events: by button or by /rsvp, with the same rules."""

from __future__ import annotations

from typing import NamedTuple

from bot import strings
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import Kind
from bot.domain.rsvp import (
    RSVP_EXAMPLE,
    Answer,
    Current,
    Outcome,
    decide,
    parse_answer,
    parse_guests,
)
from bot.services import waiting
from bot.storage import events as event_store
from handlers.lookup import group_event


async def rsvp(ctx: Context, args: Args) -> None:
    answer = parse_answer(args.text("answer"))
    guests = parse_guests(args.text("guests")) if args.text("guests") else 0
    if guests and answer is Answer.NO:
        raise UserError("Guests come with a yes or a maybe.", RSVP_EXAMPLE)
    ctx.answer((await record(ctx, args.number("id"), answer, guests)).text)


async def press(ctx: Context, verb: str, ids: list[int]) -> None:
    """`rsvp:<answer>:<event>` from a button on an announcement or a reminder."""
    if verb not in {a.value for a in Answer} or len(ids) != 1:
        raise UserError(strings.STALE_BUTTON)
    done = await record(ctx, ids[0], Answer(verb), None, join_if_full=True)
    member = await ctx.known_member()
    # A place may free later, and the member is then told privately: where the bot has
    # never reached them privately, the toast says how to let it.
    unreached = member is not None and member.notice_shown_at is None
    ctx.toast(done.text, reach_hint=done.waiting and unreached, shrink=done.title)


class Recorded(NamedTuple):
    text: str  # what to say
    waiting: bool  # the member is on the waiting list
    title: str  # the event's, which a short notice may shorten


async def record(
    ctx: Context, event_id: int, answer: Answer, guests: int | None, *, join_if_full: bool = False
) -> Recorded:
    """Record an answer. `guests=None` keeps the member's guests.

    `join_if_full`: a Going press on a full event (on any copy of its card) takes the
    member onto the waiting list in one tap, instead of asking them to type."""
    ctx.group()
    event = await group_event(ctx, event_id, for_update=True)
    if event.status == event_store.CANCELLED:
        raise UserError(strings.EVENT_CANCELLED.format(id=event.id))
    if event.kind == Kind.DEADLINE.value:
        raise UserError(strings.DEADLINE_NO_RSVP.format(id=event.id))
    if event.starts_at <= ctx.now:
        raise UserError(strings.EVENT_IS_PAST.format(id=event.id))
    member = await ctx.member()
    existing = await event_store.rsvp_of(ctx.session, event.id, member.id)
    current = Current(Answer(existing.answer), existing.guests) if existing else None
    if guests is None:
        guests = current.guests if current and answer is not Answer.NO else 0
    if answer is Answer.NO:
        guests = 0
    going = 0
    if event.capacity is not None:  # only a capacity needs the count
        going = (await event_store.counts(ctx.session, [event.id]))[event.id].going
    still_waiting = answer is Answer.WAITING or (join_if_full and answer is Answer.GOING)
    if current is not None and current.answer is Answer.WAITING and still_waiting:
        place = await event_store.position(ctx.session, event.id, member.id)
        return Recorded(strings.waiting_toast(event.title, place), True, event.title)
    if answer is Answer.WAITING:
        if current is not None and current.answer is Answer.GOING:
            return Recorded(strings.rsvp_unchanged(event.title), False, event.title)
        if decide(None, Answer.GOING, guests, event.capacity, going) is Outcome.RECORDED:
            answer = Answer.GOING  # a place is free: no need to wait
    outcome = decide(current, answer, guests, event.capacity, going)
    if outcome is Outcome.FULL and join_if_full:
        answer, outcome = Answer.WAITING, Outcome.RECORDED
    if outcome is Outcome.UNCHANGED:
        return Recorded(strings.rsvp_unchanged(event.title), False, event.title)
    if outcome is Outcome.FULL:
        assert event.capacity is not None
        raise UserError(strings.event_full_waiting(event.title, event.capacity, event.id))
    await event_store.set_rsvp(
        ctx.session, event.id, member.id, answer, guests, ctx.now, existing=existing
    )
    ctx.refresh(event.id)
    # A place may have come free: the first in line takes it, and is told.
    was_going = current is not None and current.answer is Answer.GOING
    if was_going and await waiting.fill_event(ctx.session, event, ctx.now):
        ctx.wake()
    if answer is Answer.WAITING:
        place = await event_store.position(ctx.session, event.id, member.id)
        return Recorded(strings.waiting_toast(event.title, place), True, event.title)
    return Recorded(strings.rsvp_toast(answer.value, event.title, guests), False, event.title)
