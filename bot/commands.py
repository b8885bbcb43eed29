"""The one command table: Telegram's command list, Discord's slash commands, /help, the
console and the README all come from here. It checks itself at import."""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable
from operator import attrgetter
from typing import Any

from bot import actions
from bot.arguments import ArgKind, Args, Option
from bot.command_spec import CommandSpec
from bot.context import Context
from bot.domain.events import EDIT_EXAMPLE, MAX_NEWEVENT, MAX_REASON
from bot.domain.motions import MAX_NOTE, MAX_SLUG, Status
from bot.domain.rsvp import MAX_GUESTS, RSVP_CHOICES
from bot.domain.signups import MAX_NEWSIGNUP, MAX_SLOT_LABEL
from bot.results import Result
from bot.services.events import MAX_PAGES
from bot.services.stats import MOST as MOST_MEETINGS
from bot.storage.links import CODE_LENGTH
from bot.strings import Msg, examples
from bot.strings import commands as words
from bot.strings import feeds as feed_words
from bot.strings.commands import SUMMARY
from handlers import (
    attendance,
    audit,
    events,
    help,
    links,
    members,
    motions,
    privacy,
    rsvp,
    settings,
    signups,
    stats,
)
from handlers.events import CALENDAR_CHOICES

Handler = Callable[[Context, Args], Awaitable[Result]]
# What a press runs, by the kind of press: each receives its own kind only.
ActionHandler = Callable[[Context, Any], Awaitable[Result]]

NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SUMMARY_MAX = 100  # Discord's limit for a command description


def _event(name: str = "id", required: bool = True) -> Option:
    """An event's number, suggested as it is typed."""
    return Option(
        name, ArgKind.INT, words.EVENT_ID, required, suggests_events=True, prompt=words.ASK_EVENT
    )


def _sheet() -> Option:
    return Option("id", ArgKind.INT, words.SHEET_ID, prompt=words.ASK_SHEET)


def _slug() -> Option:
    return Option(
        "slug", ArgKind.WORD, words.MOTION_NAME, max_length=MAX_SLUG, prompt=words.ASK_MOTION
    )


def _text(
    name: str,
    description: Msg,
    required: bool = True,
    most: int | None = None,
    prompt: Msg | None = None,
) -> Option:
    return Option(name, ArgKind.TEXT, description, required, max_length=most, prompt=prompt)


def _word(name: str, description: Msg, required: bool = True, most: int | None = None) -> Option:
    return Option(name, ArgKind.WORD, description, required, max_length=most)


TABLE: tuple[CommandSpec[Context, Result], ...] = (
    # Members
    CommandSpec(
        "start",
        SUMMARY["start"],
        help.help,
        shows_rights=True,
        ignores_text=True,
        public=True,
    ),
    CommandSpec("help", SUMMARY["help"], help.help, shows_rights=True, public=True),
    CommandSpec(
        "events",
        SUMMARY["events"],
        events.events,
        (Option("page", ArgKind.INT, words.PAGE, required=False, max_value=MAX_PAGES),),
        "/events 2",
        public=True,
    ),
    CommandSpec(
        "event",
        SUMMARY["event"],
        events.event,
        (_event(),),
        "/event 12",
        public=True,
    ),
    CommandSpec(
        "rsvp",
        SUMMARY["rsvp"],
        rsvp.rsvp_command,
        (
            _event(),
            Option(
                "answer", ArgKind.WORD, words.ANSWER, choices=RSVP_CHOICES, prompt=words.ASK_ANSWER
            ),
            _word("guests", words.GUESTS, False, most=len(f"+{MAX_GUESTS}")),
        ),
        "/rsvp 12 yes +1",
    ),
    CommandSpec("my", SUMMARY["my"], members.my, private=True),
    CommandSpec("motions", SUMMARY["motions"], motions.list_motions, public=True),
    CommandSpec(
        "motion",
        SUMMARY["motion"],
        motions.motion,
        (_slug(),),
        "/motion mandatory-reselection",
        public=True,
    ),
    CommandSpec("signups", SUMMARY["signups"], signups.signups, public=True),
    CommandSpec(
        "signup",
        SUMMARY["signup"],
        signups.signup,
        (_sheet(), _text("slot", words.SLOT, False, most=MAX_SLOT_LABEL + len(" wait"))),
        "/signup 3 2",
    ),
    CommandSpec(
        "unsignup",
        SUMMARY["unsignup"],
        signups.unsignup,
        (_sheet(),),
        "/unsignup 3",
    ),
    CommandSpec(
        "iam",
        SUMMARY["iam"],
        members.iam,
        (_text("facts", words.FACTS, prompt=words.ASK_FACTS),),
        members.IAM_EXAMPLE,
        private=True,
    ),
    CommandSpec("whoami", SUMMARY["whoami"], members.whoami, private=True),
    CommandSpec(
        "calendar",
        SUMMARY["calendar"],
        events.calendar_file,
        (Option("what", ArgKind.WORD, feed_words.WHAT, False, choices=CALENDAR_CHOICES),),
        "/calendar link",
        private=True,
        own_in_private=True,
    ),
    CommandSpec("mydata", SUMMARY["mydata"], privacy.mydata, private=True),
    CommandSpec("forgetme", SUMMARY["forgetme"], privacy.forgetme, private=True),
    # Organisers
    CommandSpec(
        "newevent",
        SUMMARY["newevent"],
        events.newevent,
        (_text("details", words.DETAILS),),
        examples.NEWEVENT,
        organiser=True,
        max_args=MAX_NEWEVENT,
        prepare=events.prepare_new,
        form=events.NEW_EVENT_FORM,
    ),
    CommandSpec(
        "editevent",
        SUMMARY["editevent"],
        events.editevent,
        (_event(), _text("changes", words.CHANGES, prompt=words.ASK_CHANGES)),
        EDIT_EXAMPLE,
        organiser=True,
        max_args=MAX_NEWEVENT,
    ),
    CommandSpec(
        "cancelevent",
        SUMMARY["cancelevent"],
        events.cancelevent,
        (_event(), _text("reason", words.REASON, False, most=MAX_REASON)),
        examples.CANCELEVENT,
        organiser=True,
    ),
    CommandSpec(
        "attendees",
        SUMMARY["attendees"],
        attendance.attendees,
        (
            _event(required=False),
            _word("nudge", words.NUDGE, False, most=len("nudge")),
        ),
        "/attendees 12",
        organiser=True,
    ),
    CommandSpec(
        "export",
        SUMMARY["export"],
        attendance.export,
        (_event(),),
        "/export 12",
        organiser=True,
        private=True,
    ),
    CommandSpec(
        "checkin",
        SUMMARY["checkin"],
        attendance.checkin,
        (_event(), _text("names", words.NAMES, False)),
        "/checkin 12",
        organiser=True,
        public=True,
    ),
    CommandSpec(
        "postmotion",
        SUMMARY["postmotion"],
        motions.postmotion,
        (
            _slug(),
            _event("event", required=False),
        ),
        "/postmotion mandatory-reselection 12",
        organiser=True,
        public=True,
    ),
    CommandSpec(
        "newmotion",
        SUMMARY["newmotion"],
        motions.newmotion,
        (_text("details", words.MOTION_DETAILS, prompt=words.ASK_MOTION_DETAILS),),
        motions.NEWMOTION_EXAMPLE,
        organiser=True,
        max_args=motions.MAX_BODY + 400,
        attachment=words.MOTION_FILE,
    ),
    CommandSpec(
        "motionstatus",
        SUMMARY["motionstatus"],
        motions.motionstatus,
        (
            _slug(),
            Option(
                "status",
                ArgKind.WORD,
                words.STATUS,
                choices=tuple(Status),
                prompt=words.ASK_STATUS,
            ),
            _text("note", words.NOTE, False, most=MAX_NOTE),
        ),
        motions.STATUS_EXAMPLE,
        organiser=True,
    ),
    CommandSpec(
        "motiontally",
        SUMMARY["motiontally"],
        motions.motiontally,
        (_slug(),),
        "/motiontally mandatory-reselection",
        public=True,
    ),
    CommandSpec(
        "newsignup",
        SUMMARY["newsignup"],
        signups.newsignup,
        (_text("details", words.SHEET_DETAILS, prompt=words.ASK_SHEET_DETAILS),),
        examples.NEWSIGNUP_SHORT,
        organiser=True,
        max_args=MAX_NEWSIGNUP,
        public=True,
    ),
    CommandSpec(
        "settings",
        SUMMARY["settings"],
        settings.settings,
        (_text("changes", words.CHANGES, False),),
        settings.EXAMPLE,
        organiser=True,
        own_in_private=True,
    ),
    CommandSpec(
        "link",
        SUMMARY["link"],
        links.link,
        (_word("code", words.CODE, False, most=CODE_LENGTH),),
        "/link K7M2QX9P",
        organiser=True,
    ),
    CommandSpec("unlink", SUMMARY["unlink"], links.unlink, organiser=True),
    CommandSpec("audit", SUMMARY["audit"], audit.audit_log, organiser=True, private=True),
    CommandSpec(
        "stats",
        SUMMARY["stats"],
        stats.stats,
        (Option("n", ArgKind.INT, words.MEETINGS_N, required=False, max_value=MOST_MEETINGS),),
        "/stats 10",
        organiser=True,
        private=True,
    ),
)

ACTIONS: dict[type[actions.Action], ActionHandler] = {
    actions.RsvpPress: rsvp.press,
    actions.CheckInPress: attendance.press,
    actions.RemindersPress: members.press,
    actions.FactsConfirmed: members.facts_press,
    actions.SlotPress: signups.press,
    actions.ConsentPress: privacy.consent_press,
    actions.ForgetPress: privacy.forget_press,
}

# Presses whose handlers read their group by its number only (`Context.group_id`), and
# the event each is on: the dispatcher loads no group object for them, and reads the
# group, the member and the event in one statement (`storage.arrival`). The commonest
# press is the cheapest.
BY_NUMBER: dict[type[actions.Action], Callable[[Any], int]] = {
    actions.RsvpPress: attrgetter("event_id"),
}

BY_NAME = {spec.name: spec for spec in TABLE}
# The commands that ask their questions when given no arguments.
FORMS = {spec.name: spec for spec in TABLE if spec.form is not None}


def _check(table: tuple[CommandSpec[Context, Result], ...]) -> None:
    names = [spec.name for spec in table]
    if len(set(names)) != len(names):
        raise ValueError("a command name is used twice")
    for spec in table:
        if not NAME.match(spec.name):
            raise ValueError(f"bad command name {spec.name!r}")
        if not spec.summary.id or len(spec.summary.id) > SUMMARY_MAX:
            raise ValueError(f"summary of /{spec.name} must be 1-{SUMMARY_MAX} characters")
        kinds = [o.kind for o in spec.options]
        if ArgKind.TEXT in kinds[:-1]:
            raise ValueError(f"/{spec.name}: a text argument must come last")
        required = [o.required for o in spec.options]
        if any(not a and b for a, b in itertools.pairwise(required)):
            raise ValueError(f"/{spec.name}: a required argument follows an optional one")


_check(TABLE)
