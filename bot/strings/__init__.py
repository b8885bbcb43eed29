"""The catalogue: every sentence a member reads, so a translation is a file, not a hunt.

Whole sentences with named fields (`{title}`), never assembled from fragments; where a
number changes the sentence, a `Plural` holds both forms. Each is marked with `N_`,
gettext's mark for a message looked up when used rather than where it is defined, so
extraction finds them all: `bot/locale/muster.pot` is the template they make
(`python3 dev.py messages` writes it; a test fails when it falls behind the code).
This module holds what every capability shares; each capability has its own module
beside it (`bot/strings/events.py`, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot import i18n
from bot.i18n import Msg as Msg


def N_(message: str) -> Msg:
    """Marks a message for the catalogue; looked up when used."""
    return Msg(message)


@dataclass(frozen=True)
class Plural:
    """A sentence whose form depends on a number (gettext's ngettext). Its two English
    forms are given as plain strings: extraction reads `Plural` as it reads `ngettext`
    (keyword `Plural:1,2`), so they make one entry with a plural in the template; a
    language with more forms (Welsh has six, Polish three) gives them all there."""

    one: str
    other: str

    def format(self, n: int, **fields: object) -> str:
        return i18n.ngettext(self.one, self.other, n).format(n=n, **fields)


GOING = N_("Going")
MAYBE = N_("Maybe")
CANT_GO = N_("Can't go")
FULL = N_("full")
SIGNUP_SHEET = N_("Sign-up sheet")
SIGN_ME_UP = N_("Sign me up")
WITH_EXAMPLE = N_("{reason} Example: {example}")
NOT_ORGANISER = N_("Only this group's organisers can do that.")
GROUP_ONLY = N_("Use this command in your group's chat.")
UNKNOWN_COMMAND = N_("I don't know /{name}. Send /help for the list of commands.")
TOO_LONG = N_("That is too long (at most {limit} characters).")
NOBODY_HERE = N_(
    "No member of this group answers to “{name}”: mention them, reply to one of their"
    " messages, or give their user id (they must have used Muster here once)."
)
SEVERAL_HERE = N_(
    "More than one member here is called “{name}”: mention them or reply to one of their"
    " messages instead."
)
SLOW_DOWN = N_("That's a lot at once: wait a minute, then try again.")
QUOTA_FULL = N_(
    "This group has {quota} upcoming events already, the most it may hold: cancel some first."
)


QUOTA_REACHED = Plural(
    "Made {n} date: the group now holds {quota} upcoming events, the most it may. Later"
    " dates of this series are made as earlier events pass.",
    "Made {n} dates: the group now holds {quota} upcoming events, the most it may. Later"
    " dates of this series are made as earlier events pass.",
)


LINK_BAD_CODE = N_("That code is unknown, used or expired: ask for a new one.")
LINK_TOO_MANY_TRIES = N_(
    "Too many wrong link codes were tried in this chat: try again in {minutes} minutes."
)
TOO_MANY_NAMED = N_("Name at most {limit} members at once.")
APOLOGY = N_("Sorry, something went wrong on my side (error {error_id}). Please try again.")
RESTARTING = N_("Muster is restarting: try again in a moment.")
STALE_BUTTON = N_("That button is no longer valid.")
SENT_PRIVATELY = N_("I've sent that to you privately.")
EVENTS_LIST_FULL = N_(
    "Organisers: this server's Events list holds 100 upcoming events, Discord's most."
    " Muster keeps the nearest there and adds the others as places free; every event is"
    " still here with its buttons."
)
NO_MANAGE_EVENTS = N_(
    "Organisers: I can't add events to this server's Events list without the Manage Events"
    " permission. Everything else works; grant it to see Muster events there too."
)
FORM_CANCELLED = N_("Cancelled: nothing was created.")
FORM_CREATED = N_("Created and announced.")
NOTHING_TO_CANCEL = N_("There is nothing to cancel.")
NOT_A_COMMAND = N_("Commands start with /. Send /help for the list.")
HELLO = N_(
    "Hello! I'm Muster: I keep this group's calendar, remind everyone before events and"
    " count who's coming. Organisers: start with /newevent or /help."
)


CANNOT_REACH = N_("I can't message you privately yet: {how}, then try again.")
CANNOT_REACH_START = N_(
    "I can't message you privately yet: open a private chat with me and send /start, then"
    " try again."
)
# How a member opens a private chat with the bot on Telegram (in CANNOT_REACH).
OPEN_BOT_CHAT = N_("open https://t.me/{bot}?start=hello and press Start")


def cannot_reach(how: str) -> str:
    return CANNOT_REACH.format(how=how) if how else CANNOT_REACH_START.format()


NO_EVENTS = N_("No upcoming events. Organisers can add one with /newevent.")
NO_SUCH_PAGE = Plural(
    "There is {n} page of upcoming events.", "There are {n} pages of upcoming events."
)


EVENTS_PAGE = N_("Upcoming events {first}–{last} of {total}:")


AND_MORE = N_("{names} and {n} more")
N_PEOPLE = Plural("{n} person", "{n} people")


MORE_EVENTS = N_("{more} more: /events {page}")


NO_EVENT = N_("There is no event #{id} in this group.")
EVENT_IS_PAST = N_("Event #{id} has already started.")
EVENT_CANCELLED = N_("Event #{id} was cancelled.")
DEADLINE_NO_RSVP = N_("#{id} is a deadline: there is nothing to answer.")

PRIVACY_NOTICE = N_(
    "Privacy: Muster keeps only what its features need: your name on this platform, your"
    " answers to events, your sign-ups and the CLP/branch you tell it. Whether you go to a"
    " political meeting is sensitive information: your name is never shown in a group"
    " unless the group chose that, and organisers see it privately. Answers to past events"
    " are made anonymous after 12 months. /mydata sends you everything held about you;"
    " /forgetme erases it."
)
CONSENT_BUTTON = N_("I agree")
CONSENT_RECORDED = N_(
    "Thank you: your consent is recorded ({when} UTC). You can withdraw it with /forgetme."
)

HELP_INTRO = N_(
    "Muster keeps this group's calendar of meetings, rallies, socials and deadlines,"
    " reminds everyone before they happen, and counts who is coming. Tap Going on an event,"
    " or send /rsvp <id> yes."
)
HELP_MEMBERS = N_("For everyone:")
HELP_ORGANISERS = N_("For organisers:")

FORGET_ASK = N_(
    "This erases everything Muster holds about you: your answers, sign-ups and membership"
    " facts. Answers to past events stay only as anonymous numbers. This cannot be undone."
)
FORGET_BUTTON = N_("Yes, erase my data")
FORGET_DONE = N_("Done: everything Muster held about you is erased.")
FORGET_NOTHING = N_("Muster holds nothing about you.")
MYDATA_NOTHING = N_("Muster holds nothing about you.")
MYDATA_CAPTION = N_("Everything Muster holds about you.")

WHOAMI_NONE = N_(
    "You haven't told me your CLP or branch yet."
    " Example: /iam clp=Harborough branch=Market Harborough"
)


CANCELLED = N_("❌ CANCELLED")
CANCELLED_BECAUSE = N_("❌ CANCELLED: {reason}")
MOTION_ATTACHED = N_("📜 Motion: {title} (/motion {slug})")
# A reminder's first line, by how far ahead it is.
REMINDER_TOMORROW = N_("⏰ Reminder: {title} is tomorrow.")
REMINDER_IN_DAYS = Plural(
    "⏰ Reminder: {title} is in {n} day.", "⏰ Reminder: {title} is in {n} days."
)
REMINDER_IN_HOURS = Plural(
    "⏰ Reminder: {title} is in {n} hour.", "⏰ Reminder: {title} is in {n} hours."
)
REMINDER_IN_MINUTES = Plural(
    "⏰ Reminder: {title} is in {n} minute.", "⏰ Reminder: {title} is in {n} minutes."
)
# A deadline in the list of events: how long is left.
CLOSES_IN_DAYS = Plural("closes in {n} day", "closes in {n} days")
CLOSES_IN_HOURS = Plural("closes in {n} hour", "closes in {n} hours")
CLOSES_THIS_HOUR = N_("closes within the hour")
MOTION_SOURCE = N_("Source: {source}")
MOTION_FOOTER = N_("Take it to your branch or CLP. Full text any time: /motion {slug}")
SIGN_UP_BY = N_("Sign up by {when}.")
SHEET_FOOTER = N_("Sign up: /signup {id} <slot number> · Withdraw: /unsignup {id}")
SIGNED_UP = Plural("{n} signed up", "{n} signed up")
PLACES_LEFT = N_("{left} of {capacity} places left")
FULL_WAITING = N_("full, {waiting} waiting")
# A line of /events: an event, and a deadline.
EVENT_LINE = N_("#{id} {when} · {title} · {going} going, {maybe} maybe")
DEADLINE_LINE = N_("#{id} {when} · {title} · {left}")
# An event's time: on one day, across days.
WHEN_SAME_DAY = N_("{start}–{end} ({zone})")
WHEN_TO = N_("{start} to {end} ({zone})")
WHEN_AT = N_("{start} ({zone})")


def closes_in(delta: timedelta) -> str:
    if delta.days >= 2:
        return CLOSES_IN_DAYS.format(delta.days)
    hours = int(delta.total_seconds() // 3600)
    return CLOSES_IN_HOURS.format(hours) if hours >= 1 else CLOSES_THIS_HOUR.format()


RSVP_GOING = N_("You're going to {title}.")
RSVP_GOING_GUESTS = N_("You're going to {title} (+{guests}).")
RSVP_MAYBE = N_("You might go to {title}.")
RSVP_MAYBE_GUESTS = N_("You might go to {title} (+{guests}).")
RSVP_NO = N_("You can't go to {title}.")
RSVP_UNCHANGED = N_("You had already answered that for {title}.")


WAITING_LIST = N_("Join waiting list")
IM_HERE = N_("I'm here")
STILL_RIGHT = N_("Still right")
REMIND_ME_ON = N_("Remind me privately: on")
REMIND_ME_OFF = N_("Remind me privately: off")
NOT_OWN_EVENT = N_("Event #{id} comes from a linked chat: its own organisers change it there.")


WITH_REACH_HINT = N_("{text} To be told privately when a place frees: {how}.")
EVENT_FULL_WAITING = Plural(
    "{title} is full ({n} place). Join the waiting list: /rsvp {event_id} wait",
    "{title} is full ({n} places). Join the waiting list: /rsvp {event_id} wait",
)
WAITING_TOAST = N_("You're number {place} on the waiting list for {title}.")


REPEATS = N_("🔁 Repeats {description}")
MOTION_STATUS_HERE = N_("Status here: {status} ({when})")
# What a changed event's message says first, by what changed.
CHANGED_TIME = N_("✏️ Changed: {title} has a new time.")
CHANGED_PLACE = N_("✏️ Changed: {title} has a new place.")
CHANGED_TIME_AND_PLACE = N_("✏️ Changed: {title} has a new time and place.")
TAKE_NOTE = Plural(
    "{n} who said Going or Maybe, please take note.",
    "{n} who said Going or Maybe, please take note.",
)
CANCELLED_LINE = N_("❌ Cancelled: {title} (#{id})")
CANCELLED_LINE_BECAUSE = N_("❌ Cancelled: {title} (#{id}) — {reason}")
PROMOTED = N_(
    "A place came free: you're now going to {title} ({when}). Can't make it? Say so in the group."
)
NUDGE = N_(
    "Will you come to {title} ({when})? Please answer with the buttons in {group}, so the"
    " organisers can plan."
)
PRIVATE_REMINDER = N_("⏰ Reminder: you said you're going to {title}, {when}.")
PRIVATE_REMINDER_AT = N_("⏰ Reminder: you said you're going to {title}, {when} at {where}.")
RECONFIRM = N_(
    "Are your membership facts still right? CLP: {clp} · Branch: {branch}. Tap below if so,"
    " or send /iam clp=… branch=… to change them."
)
NOT_GIVEN = N_("—")


CHECKIN_OPEN = N_("✅ Check-in is open for {title} until {until}. Tap “I'm here” when you arrive.")


AUDIT_NOTHING_YET = N_("No organiser actions recorded in this group yet.")
AUDIT_RECENT = N_("Recent organiser actions in {group}:")
THE_GROUP = N_("the group")
