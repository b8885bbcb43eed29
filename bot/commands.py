"""The one command table: Telegram's command list, Discord's slash commands, /help, the
console and the README all come from here. It checks itself at import."""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable

from bot.arguments import ArgKind, Args, Option
from bot.command_spec import CommandSpec
from bot.context import Context
from bot.domain.events import EDIT_EXAMPLE, MAX_NEWEVENT
from bot.domain.rsvp import RSVP_CHOICES
from bot.domain.signups import MAX_NEWSIGNUP
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
)

Handler = Callable[[Context, Args], Awaitable[None]]
ActionHandler = Callable[[Context, str, list[int]], Awaitable[None]]

NAME = re.compile(r"^[a-z0-9_]{1,32}$")
SUMMARY_MAX = 100  # Discord's limit for a command description


def _id(description: str = "event id", name: str = "id") -> Option:
    """A number the command takes: an event's (suggested as it is typed) unless told."""
    return Option(name, ArgKind.INT, description, suggests_events=description == "event id")


def _text(name: str, description: str, required: bool = True) -> Option:
    return Option(name, ArgKind.TEXT, description, required)


def _word(name: str, description: str, required: bool = True) -> Option:
    return Option(name, ArgKind.WORD, description, required)


TABLE: tuple[CommandSpec[Context], ...] = (
    # Members
    CommandSpec(
        "start",
        "What Muster does; in a private chat, the privacy notice",
        help.help,
        shows_rights=True,
        ignores_text=True,
        public=True,
    ),
    CommandSpec(
        "help", "What Muster does and its commands", help.help, shows_rights=True, public=True
    ),
    CommandSpec(
        "events",
        "Upcoming events with id, date and counts",
        events.events,
        (Option("page", ArgKind.INT, "page of the list", required=False),),
        "/events 2",
        public=True,
    ),
    CommandSpec(
        "event",
        "One event's details with RSVP buttons",
        events.event,
        (_id(),),
        "/event 12",
        public=True,
    ),
    CommandSpec(
        "rsvp",
        "Answer an event: yes, maybe or no, with +N guests",
        rsvp.rsvp,
        (
            _id(),
            Option("answer", ArgKind.WORD, "yes, maybe, no, or wait", choices=RSVP_CHOICES),
            _word("guests", "+N guests", False),
        ),
        "/rsvp 12 yes +1",
    ),
    CommandSpec("my", "Your upcoming RSVPs and sign-ups (sent privately)", members.my),
    CommandSpec(
        "motions", "Model motions to take to your branch or CLP", motions.motions, public=True
    ),
    CommandSpec(
        "motion",
        "One motion's text filled in for this group",
        motions.motion,
        (_word("slug", "motion name"),),
        "/motion mandatory-reselection",
        public=True,
    ),
    CommandSpec("signups", "Open sign-up sheets", signups.signups, public=True),
    CommandSpec(
        "signup",
        "Sign up for a sheet, or one of its slots",
        signups.signup,
        (_id("sheet id"), _text("slot", "slot number or name", False)),
        "/signup 3 2",
    ),
    CommandSpec(
        "unsignup",
        "Withdraw from a sign-up sheet",
        signups.unsignup,
        (_id("sheet id"),),
        "/unsignup 3",
    ),
    CommandSpec(
        "iam",
        "Keep your CLP and branch current",
        members.iam,
        (_text("facts", "clp=<name> branch=<name>"),),
        members.IAM_EXAMPLE,
    ),
    CommandSpec("whoami", "The CLP and branch Muster holds for you", members.whoami),
    CommandSpec("calendar", "Upcoming events as a calendar (.ics) file", events.calendar),
    CommandSpec("mydata", "Everything Muster holds about you, as a file", privacy.mydata),
    CommandSpec("forgetme", "Erase everything Muster holds about you", privacy.forgetme),
    # Organisers
    CommandSpec(
        "newevent",
        "Create and announce an event: title | when | where [| key=value]",
        events.newevent,
        (_text("details", "title | when | where [| key=value …]"),),
        "/newevent Branch meeting | Thu 3 Dec 7.30pm | Bethnal Green Library, E2 0HL",
        organiser=True,
        max_args=MAX_NEWEVENT,
        prepare=events.prepare_new,
        form=True,
    ),
    CommandSpec(
        "editevent",
        "Change an event: title, when, where, ends, capacity, remind, desc, kind, motion",
        events.editevent,
        (_id(), _text("changes", "key=value …")),
        EDIT_EXAMPLE,
        organiser=True,
        max_args=MAX_NEWEVENT,
    ),
    CommandSpec(
        "cancelevent",
        "Cancel an event and tell those coming",
        events.cancelevent,
        (_id(), _text("reason", "why", False)),
        "/cancelevent 12 Venue closed",
        organiser=True,
    ),
    CommandSpec(
        "attendees",
        "Who is coming and who came (no id: members by branch), sent privately",
        attendance.attendees,
        (
            Option("id", ArgKind.INT, "event id", False, suggests_events=True),
            _word("nudge", "nudge: privately remind those who haven't answered", False),
        ),
        "/attendees 12",
        organiser=True,
    ),
    CommandSpec(
        "export",
        "RSVPs as a CSV file, sent privately",
        attendance.export,
        (_id(),),
        "/export 12",
        organiser=True,
    ),
    CommandSpec(
        "checkin",
        "Open check-in (an “I'm here” button), or mark members present by name",
        attendance.checkin,
        (_id(), _text("names", "names to mark present, separated by commas", False)),
        "/checkin 12",
        organiser=True,
        public=True,
    ),
    CommandSpec(
        "postmotion",
        "Post a motion's text, optionally for a meeting",
        motions.postmotion,
        (
            _word("slug", "motion name"),
            Option("event", ArgKind.INT, "event id", False, suggests_events=True),
        ),
        "/postmotion mandatory-reselection 12",
        organiser=True,
        public=True,
    ),
    CommandSpec(
        "newmotion",
        "Add this group's own motion: name | title | text (or attach a text file)",
        motions.newmotion,
        (_text("details", "name | title | text with {branch} {clp}"),),
        motions.NEWMOTION_EXAMPLE,
        organiser=True,
        max_args=motions.MAX_BODY + 400,
        attachment="a text file with the motion (instead of the text)",
    ),
    CommandSpec(
        "motionstatus",
        "Record where a motion stands here: drafted, submitted, debated, passed, fell, withdrawn",
        motions.motionstatus,
        (
            _word("slug", "motion name"),
            _word("status", "drafted, submitted, debated, passed, fell or withdrawn"),
            _text("note", "note", False),
        ),
        motions.STATUS_EXAMPLE,
        organiser=True,
    ),
    CommandSpec(
        "motiontally",
        "Where a motion stands across all groups",
        motions.motiontally,
        (_word("slug", "motion name"),),
        "/motiontally mandatory-reselection",
        organiser=True,
        public=True,
    ),
    CommandSpec(
        "newsignup",
        "Create a sign-up sheet: title [| slots=…] [| deadline=…]",
        signups.newsignup,
        (_text("details", "title [| slots=…] [| deadline=…]"),),
        "/newsignup Saturday stall | slots=Sat 10-12:4, Sat 12-2:4",
        organiser=True,
        max_args=MAX_NEWSIGNUP,
        public=True,
    ),
    CommandSpec(
        "settings",
        "Show or change this group's settings",
        settings.settings,
        (_text("changes", "key=value …", False),),
        settings.EXAMPLE,
        organiser=True,
        own_in_private=True,
    ),
    CommandSpec(
        "link",
        "Link this group with another chat: no code gives one, a code uses it",
        links.link,
        (_word("code", "the code from the other chat", False),),
        "/link K7M2QX9P",
        organiser=True,
    ),
    CommandSpec("unlink", "Undo this group's link with other chats", links.unlink, organiser=True),
    CommandSpec("audit", "Recent organiser actions, sent privately", audit.audit, organiser=True),
)

ACTIONS: dict[str, ActionHandler] = {
    "rsvp": rsvp.press,
    "checkin": attendance.press,
    "reminders": members.press,
    "facts": members.facts_press,
    "signup": signups.press,
    "privacy": privacy.press,
}

BY_NAME = {spec.name: spec for spec in TABLE}
# The command whose questions the guided form asks.
[FORM] = [spec for spec in TABLE if spec.form]


def _check(table: tuple[CommandSpec[Context], ...]) -> None:
    names = [spec.name for spec in table]
    if len(set(names)) != len(names):
        raise ValueError("a command name is used twice")
    for spec in table:
        if not NAME.match(spec.name):
            raise ValueError(f"bad command name {spec.name!r}")
        if not spec.summary or len(spec.summary) > SUMMARY_MAX:
            raise ValueError(f"summary of /{spec.name} must be 1-{SUMMARY_MAX} characters")
        kinds = [o.kind for o in spec.options]
        if ArgKind.TEXT in kinds[:-1]:
            raise ValueError(f"/{spec.name}: a text argument must come last")
        required = [o.required for o in spec.options]
        if any(not a and b for a, b in itertools.pairwise(required)):
            raise ValueError(f"/{spec.name}: a required argument follows an optional one")


_check(TABLE)
