"""The catalogue: every sentence a member reads, so a translation is a file, not a hunt.

Whole sentences with named fields (`{title}`), never assembled from fragments; where a
number changes the sentence, a `Plural` holds both forms. Each is marked with `N_`,
gettext's mark for a message looked up when used rather than where it is defined, so
extraction finds them all. This module holds what every capability shares; each
capability has its own module beside it (`bot/strings/events.py`, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


def N_(message: str) -> str:
    """Marks a message for the catalogue; looked up when used."""
    return message


@dataclass(frozen=True)
class Plural:
    """A sentence whose form depends on a number (gettext's ngettext)."""

    one: str
    other: str

    def format(self, n: int, **fields: object) -> str:
        return (self.one if n == 1 else self.other).format(n=n, **fields)


GOING = "Going"
MAYBE = "Maybe"
CANT_GO = "Can't go"
FULL = "full"
SIGNUP_SHEET = "Sign-up sheet"
SIGN_ME_UP = "Sign me up"
WITH_EXAMPLE = N_("{reason} Example: {example}")
NOT_ORGANISER = "Only this group's organisers can do that."
GROUP_ONLY = "Use this command in your group's chat."
UNKNOWN_COMMAND = "I don't know /{name}. Send /help for the list of commands."
TOO_LONG = "That is too long (at most {limit} characters)."
NOBODY_HERE = (
    "No member of this group answers to “{name}”: mention them, reply to one of their"
    " messages, or give their user id (they must have used Muster here once)."
)
SEVERAL_HERE = (
    "More than one member here is called “{name}”: mention them or reply to one of their"
    " messages instead."
)
SLOW_DOWN = "That's a lot at once: wait a minute, then try again."
QUOTA_FULL = (
    "This group has {quota} upcoming events already, the most it may hold: cancel some first."
)


QUOTA_REACHED = Plural(
    N_(
        "Made {n} date: the group now holds {quota} upcoming events, the most it may. Later"
        " dates of this series are made as earlier events pass."
    ),
    N_(
        "Made {n} dates: the group now holds {quota} upcoming events, the most it may. Later"
        " dates of this series are made as earlier events pass."
    ),
)


LINK_BAD_CODE = "That code is unknown, used or expired: ask for a new one."
LINK_TOO_MANY_TRIES = (
    "Too many wrong link codes were tried in this chat: try again in {minutes} minutes."
)
TOO_MANY_NAMED = "Name at most {limit} members at once."
APOLOGY = "Sorry, something went wrong on my side (error {error_id}). Please try again."
STALE_BUTTON = "That button is no longer valid."
SENT_PRIVATELY = "I've sent that to you privately."
EVENTS_LIST_FULL = (
    "Organisers: this server's Events list holds 100 upcoming events, Discord's most."
    " Muster keeps the nearest there and adds the others as places free; every event is"
    " still here with its buttons."
)
NO_MANAGE_EVENTS = (
    "Organisers: I can't add events to this server's Events list without the Manage Events"
    " permission. Everything else works; grant it to see Muster events there too."
)
FORM_CANCELLED = "Cancelled: nothing was created."
FORM_CREATED = "Created and announced."
NOTHING_TO_CANCEL = "There is nothing to cancel."
NOT_A_COMMAND = "Commands start with /. Send /help for the list."
HELLO = (
    "Hello! I'm Muster: I keep this group's calendar, remind everyone before events and"
    " count who's coming. Organisers: start with /newevent or /help."
)


def cannot_reach(how: str) -> str:
    where = how or "open a private chat with me and send /start"
    return f"I can't message you privately yet: {where}, then try again."


NO_EVENTS = "No upcoming events. Organisers can add one with /newevent."
NO_SUCH_PAGE = "There are {pages} page(s) of upcoming events."


EVENTS_PAGE = N_("Upcoming events {first}–{last} of {total}:")


def and_more(names: str, more: int) -> str:
    return f"{names} and {more} more"


def n_more(count: int) -> str:
    return f"{count} people"


MORE_EVENTS = N_("{more} more: /events {page}")


NO_EVENT = "There is no event #{id} in this group."
EVENT_IS_PAST = "Event #{id} has already started."
EVENT_CANCELLED = "Event #{id} was cancelled."
DEADLINE_NO_RSVP = "#{id} is a deadline: there is nothing to answer."

PRIVACY_NOTICE = (
    "Privacy: Muster keeps only what its features need: your name on this platform, your"
    " answers to events, your sign-ups and the CLP/branch you tell it. Whether you go to a"
    " political meeting is sensitive information: your name is never shown in a group"
    " unless the group chose that, and organisers see it privately. Answers to past events"
    " are made anonymous after 12 months. /mydata sends you everything held about you;"
    " /forgetme erases it."
)
CONSENT_BUTTON = "I agree"
CONSENT_RECORDED = (
    "Thank you: your consent is recorded ({when}). You can withdraw it with /forgetme."
)

HELP_INTRO = (
    "Muster keeps this group's calendar of meetings, rallies, socials and deadlines,"
    " reminds everyone before they happen, and counts who is coming. Tap Going on an event,"
    " or send /rsvp <id> yes."
)
HELP_MEMBERS = "For everyone:"
HELP_ORGANISERS = "For organisers:"

FORGET_ASK = (
    "This erases everything Muster holds about you: your answers, sign-ups and membership"
    " facts. Answers to past events stay only as anonymous numbers. This cannot be undone."
)
FORGET_BUTTON = "Yes, erase my data"
FORGET_DONE = "Done: everything Muster held about you is erased."
FORGET_NOTHING = "Muster holds nothing about you."
MYDATA_NOTHING = "Muster holds nothing about you."
MYDATA_CAPTION = "Everything Muster holds about you."

WHOAMI_NONE = (
    "You haven't told me your CLP or branch yet."
    " Example: /iam clp=Harborough branch=Market Harborough"
)


def cancelled(reason: str) -> str:
    return "❌ CANCELLED" + (f": {reason}" if reason else "")


def motion_attached(title: str, slug: str) -> str:
    return f"📜 Motion: {title} (/motion {slug})"


def reminder_lead(title: str, words: str) -> str:
    return f"⏰ Reminder: {title} is {words}."


def closes_in(delta: timedelta) -> str:
    days = delta.days
    if days >= 2:
        return f"closes in {days} days"
    hours = int(delta.total_seconds() // 3600)
    if hours >= 1:
        return f"closes in {hours} hour{'s' if hours != 1 else ''}"
    return "closes within the hour"


def motion_source(source: str) -> str:
    return f"Source: {source}"


def motion_footer(slug: str) -> str:
    return f"Take it to your branch or CLP. Full text any time: /motion {slug}"


def signup_deadline(when: str) -> str:
    return f"Sign up by {when}."


def signup_footer(sheet_id: int) -> str:
    return f"Sign up: /signup {sheet_id} <slot number> · Withdraw: /unsignup {sheet_id}"


def signed_up(n: int) -> str:
    return f"{n} signed up"


def places_left(left: int, capacity: int) -> str:
    return f"{left} of {capacity} places left"


RSVP_GOING = N_("You're going to {title}.")
RSVP_GOING_GUESTS = N_("You're going to {title} (+{guests}).")
RSVP_MAYBE = N_("You might go to {title}.")
RSVP_MAYBE_GUESTS = N_("You might go to {title} (+{guests}).")
RSVP_NO = N_("You can't go to {title}.")
RSVP_UNCHANGED = N_("You had already answered that for {title}.")


def event_full(title: str, capacity: int) -> str:
    return f"{title} is full ({capacity} places)."


WAITING_LIST = "Join waiting list"
IM_HERE = "I'm here"
STILL_RIGHT = "Still right"
REMIND_ME_ON = "Remind me privately: on"
REMIND_ME_OFF = "Remind me privately: off"
NOT_OWN_EVENT = "Event #{id} comes from a linked chat: its own organisers change it there."


WITH_REACH_HINT = N_("{text} To be told privately when a place frees: {how}.")
EVENT_FULL_WAITING = Plural(
    N_("{title} is full ({n} place). Join the waiting list: /rsvp {event_id} wait"),
    N_("{title} is full ({n} places). Join the waiting list: /rsvp {event_id} wait"),
)
WAITING_TOAST = N_("You're number {place} on the waiting list for {title}.")


def repeats(description: str) -> str:
    return f"🔁 Repeats {description}"


def motion_status_line(status: str, when: str) -> str:
    return f"Status here: {status} ({when})"


def changed_lead(title: str, what: str) -> str:
    return f"✏️ Changed: {title} has a new {what}."


def take_note(people: int) -> str:
    return f"{people} who said Going or Maybe, please take note." if people else ""


def cancelled_line(title: str, event_id: int, reason: str) -> str:
    return f"❌ Cancelled: {title} (#{event_id})" + (f" — {reason}" if reason else "")


def promoted(title: str, when: str) -> str:
    return (
        f"A place came free: you're now going to {title} ({when})."
        " Can't make it? Say so in the group."
    )


def nudge(title: str, when: str, group: str) -> str:
    return (
        f"Will you come to {title} ({when})? Please answer with the buttons in {group},"
        " so the organisers can plan."
    )


def private_reminder(title: str, when: str, where: str) -> str:
    return f"⏰ Reminder: you said you're going to {title}, {when}" + (
        f" at {where}." if where else "."
    )


def reconfirm(clp: str, branch: str) -> str:
    return (
        f"Are your membership facts still right? CLP: {clp or '—'} · Branch: {branch or '—'}."
        " Tap below if so, or send /iam clp=… branch=… to change them."
    )


CHECKIN_OPEN = N_("✅ Check-in is open for {title} until {until}. Tap “I'm here” when you arrive.")


AUDIT_NOTHING_YET = N_("No organiser actions recorded in this group yet.")
AUDIT_RECENT = N_("Recent organiser actions in {group}:")
THE_GROUP = N_("the group")
