"""Answering events: by button or by /rsvp, with the same rules (`services/rsvp.py`)."""

from __future__ import annotations

from bot import results, strings
from bot.actions import RsvpPress
from bot.arguments import Args
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.rsvp import RSVP_EXAMPLE, Answer, parse_answer, parse_guests
from bot.results import Result
from bot.services import rsvp
from bot.services.rsvp import Answered, Said
from bot.strings import rsvp as words

SENTENCES = {
    (Answer.GOING, False): strings.RSVP_GOING,
    (Answer.GOING, True): strings.RSVP_GOING_GUESTS,
    (Answer.MAYBE, False): strings.RSVP_MAYBE,
    (Answer.MAYBE, True): strings.RSVP_MAYBE_GUESTS,
    (Answer.NO, False): strings.RSVP_NO,
}


def said(done: Answered) -> str:
    """What the member is told of their answer."""
    if done.said is Said.WAITING:
        return strings.WAITING_TOAST.format(place=done.place, title=done.title)
    if done.said is Said.UNCHANGED:
        return strings.RSVP_UNCHANGED.format(title=done.title)
    sentence = SENTENCES[(done.answer, bool(done.guests))]
    return sentence.format(title=done.title, guests=done.guests)


async def rsvp_command(ctx: Context, args: Args) -> Result:
    wanted = parse_answer(args.text("answer"))
    guests = parse_guests(args.text("guests")) if args.text("guests") else 0
    if guests and wanted is Answer.NO:
        raise UserError(words.GUESTS_NEED_YES, RSVP_EXAMPLE)
    chat_id = ctx.require_group_id()
    member = await ctx.acting()
    done = await rsvp.answer(ctx.tx, chat_id, member.id, args.number("id"), wanted, guests)
    return results.answer(said(done), done.effects)


async def press(ctx: Context, action: RsvpPress) -> Result:
    """An answer from a button on an announcement or a reminder."""
    chat_id = ctx.require_group_id()
    member = await ctx.acting()
    done = await rsvp.answer(
        ctx.tx,
        chat_id,
        member.id,
        action.event_id,
        action.verb,
        None,
        join_if_full=True,
        arrival=ctx.arrival,
    )
    # A place may free later, and the member is then told privately: where the bot has
    # never reached them privately, the toast says how to let it.
    waiting = done.said is Said.WAITING
    hint = waiting and member.notice_shown_at is None
    return results.toast(said(done), done.effects, reach_hint=hint, shrink=done.title)
