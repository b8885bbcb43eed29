"""Creating, listing, showing, changing and cancelling events."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import results, strings
from bot.arguments import Args
from bot.command_spec import Form, Question
from bot.context import Context
from bot.domain.errors import UserError
from bot.domain.events import (
    MAX_DETAILS,
    MAX_LOCATION,
    MAX_REASON,
    MAX_TITLE,
    MAX_WHEN,
    NEWEVENT_EXAMPLE,
    clean_line,
    parse_edit,
    parse_new_event,
)
from bot.domain.timeparse import EXAMPLE as WHEN_EXAMPLE
from bot.domain.timeparse import parse_when
from bot.messaging import OutFile
from bot.render import event_card, event_line
from bot.results import Result
from bot.services import events as calendar
from bot.services import feeds, groups
from bot.services.feeds import FEED_PATH
from bot.strings import commands as forms
from bot.strings import events as words
from bot.strings import examples
from bot.strings import feeds as feed_words


def _check_when(text: str, tz: ZoneInfo, now: datetime) -> object:
    """A form's `when` is read as soon as it is given, not at the last step."""
    return parse_when(text, tz, now)


STOP = "cancel"  # the command that stops the form part-way
NEW_EVENT_FORM = Form(
    title=forms.NEW_EVENT,
    stop=STOP,
    questions=(
        Question("title", forms.TITLE, forms.ASK_TITLE.given(stop=STOP), MAX_TITLE),
        Question(
            "when",
            forms.WHEN,
            forms.ASK_WHEN.given(example=WHEN_EXAMPLE),
            MAX_WHEN,
            placeholder=WHEN_EXAMPLE,
            check=_check_when,
        ),
        Question(
            "where",
            forms.WHERE,
            forms.ASK_WHERE,
            MAX_LOCATION,
            required=False,
            placeholder=examples.PLACE,
        ),
        Question(
            "details",
            forms.MORE,
            forms.ASK_MORE,
            MAX_DETAILS,
            required=False,
            placeholder="capacity=40 remind=1d,2h",
            long=True,
            in_chat=False,
            separators=True,
        ),
    ),
    confirm=forms.CONFIRM,
)


def prepare_new(args: Args, tz: ZoneInfo, now: datetime) -> object:
    """Read the event before the transaction: a repeat rule's dates are found here, off
    the event loop, and remembered for the handler (`recurrence.walls`)."""
    return parse_new_event(args.text("details"), tz, now)


async def newevent(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    draft = parse_new_event(args.text("details"), ctx.tz, ctx.now)
    done = await calendar.create(ctx.tx, chat, ctx, draft, NEWEVENT_EXAMPLE)
    if done.quota_cut is None:
        return results.Result(effects=done.effects)
    # The quota stopped the series short: its later dates come as earlier pass.
    text = strings.QUOTA_REACHED.format(done.quota_cut, quota=calendar.UPCOMING_QUOTA)
    return results.answer(text, done.effects)


async def events(ctx: Context, args: Args) -> Result:
    number = args.opt_number("page") or 1
    found = await calendar.page(ctx.tx, ctx.require_group(), number)
    if found is None:
        return results.here(strings.NO_EVENTS.format())
    last = found.first + len(found.views) - 1
    head = (
        words.UPCOMING.format()
        if found.pages == 1
        else strings.EVENTS_PAGE.format(first=found.first, last=last, total=found.total)
    )
    lines = [event_line(v, ctx.now) for v in found.views]
    foot = ["", words.DETAILS_HINT.format()]
    if number < found.pages:
        foot.append(strings.MORE_EVENTS.format(more=found.total - last, page=number + 1))
    return results.here("\n".join([head, *lines, *foot]))


async def event(ctx: Context, args: Args) -> Result:
    view = await calendar.show(ctx.tx, ctx.require_group(), args.number("id"))
    return results.here(event_card(view))


async def editevent(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    change = parse_edit(args.text("changes"))
    done = await calendar.edit(ctx.tx, chat, ctx, args.number("id"), change)
    summary = ", ".join(done.given)
    if done.series_stopped:
        text = words.UPDATED_SERIES_ENDS.format(
            done.series_stopped, id=done.event_id, summary=summary
        )
    else:
        text = words.UPDATED.format(id=done.event_id, summary=summary)
    return results.answer(text, done.effects)


async def cancelevent(ctx: Context, args: Args) -> Result:
    chat = ctx.require_group()
    reason = clean_line(args.text("reason"), MAX_REASON, words.REASON, examples.CANCELEVENT)
    event_id = args.number("id")
    effects = await calendar.cancel(ctx.tx, chat, ctx, event_id, reason)
    return results.answer(words.CANCELLED_TOLD.format(id=event_id), effects)


CALENDAR_CHOICES = ("link", "mine", "revoke")


async def calendar_file(ctx: Context, args: Args) -> Result:
    """The group's upcoming events as an .ics file, or a subscription URL (the group's
    calendar, or the member's own), or every URL of theirs revoked: all privately."""
    what = args.text("what").strip().lower()
    if what not in ("", *CALENDAR_CHOICES):
        raise UserError(feed_words.NOT_A_CHOICE.format(word=what[:20]), "/calendar link")
    if what == "revoke":
        gone = await feeds.revoke(ctx.tx, await ctx.member_or_create())
        return results.private(feed_words.REVOKED.format(gone))
    if what == "mine":
        member = await ctx.member_or_create()
        url = _feed_url(ctx, await feeds.link(ctx.tx, ctx.identity, member, None))
        return results.private(feed_words.MINE_LINK.format(url=url))
    chat = ctx.require_group()
    if what == "link":
        member = await ctx.member_or_create()
        url = _feed_url(ctx, await feeds.link(ctx.tx, ctx.identity, member, chat))
        name = groups.name_of(chat)
        return results.private(feed_words.GROUP_LINK.format(name=name, url=url))
    found = await calendar.calendar(ctx.tx, chat, ctx.identity.instance)
    caption = words.CALENDAR_CAPTION.format(found.upcoming, name=found.name)
    return results.file(OutFile("muster-events.ics", found.data, caption))


def _feed_url(ctx: Context, token: str) -> str:
    base = ctx.settings.public_url or (
        f"http://{ctx.settings.http_listen}" if ctx.settings.http_listen else None
    )
    if base is None:
        raise UserError(feed_words.NO_FEEDS)
    return f"{base.rstrip('/')}{FEED_PATH}{token}.ics"
