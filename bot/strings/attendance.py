"""Sentences of organisers' reports, nudges and check-in."""

from __future__ import annotations

from bot.strings import N_, Plural

HEAD = N_("{title} (#{id}, {when})")
WAITING_LIST = N_("Waiting list: {names}")
SAID_YES_CAME = N_("Said yes and came ({n}): {names}")
SAID_YES_MISSED = N_("Said yes but didn't come ({n}): {names}")
CAME_UNASKED = N_("Came without saying yes ({n}): {names}")
COUNTS_LINE = N_("#{id}: {counts}")
COUNTS_LINE_CAME = N_("#{id}: {counts} · came {came}")
MEMBERS_HERE = N_("Members who have used Muster here: {n}")
BY_BRANCH = N_("By branch:")
NO_BRANCH = N_("(no branch given)")
UNCONFIRMED = N_("Facts unconfirmed (over {months} months old): {n}")
NO_FACTS = N_("No CLP or branch given: {n}")
NOT_A_VERB = N_("“{word}” is not something /attendees does.")
NOBODY_TO_NUDGE = N_("Event #{id} is over or cancelled: there is nobody to nudge.")
NUDGED = Plural(
    "Nudged {n} member privately about #{id}. Only members who use Muster here and agreed"
    " to its privacy notice are asked.",
    "Nudged {n} members privately about #{id}. Only members who use Muster here and agreed"
    " to its privacy notice are asked.",
)
NUDGED_BEFORE = Plural(
    "Nudged {n} member privately about #{id}; {before} had been nudged before. Only"
    " members who use Muster here and agreed to its privacy notice are asked.",
    "Nudged {n} members privately about #{id}; {before} had been nudged before. Only"
    " members who use Muster here and agreed to its privacy notice are asked.",
)
RSVPS_FOR = N_("RSVPs for {title}")
DEADLINE_NOBODY_ATTENDS = N_("#{id} is a deadline: nobody attends it.")
CHECKIN_CLOSED_OVER = N_("Event #{id} is over: check-in has closed.")
MARKED_PRIVATE = N_("Marked present at {title}: {names}")
MARKED = Plural("Marked {n} present at #{id}.", "Marked {n} present at #{id}.")
CHECKIN_NOT_OPEN = N_("Check-in for #{id} is not open.")
CHECKIN_OPENS = N_("Check-in for {title} opens at {opens}.")
CHECKIN_CLOSED = N_("Check-in for {title} has closed.")
WELCOME = N_("Welcome to {title}! You're checked in.")
ALREADY_IN = N_("You're already checked in at {title}.")
# The first row of /export's CSV file: its columns' headings.
CSV_HEADINGS = (
    N_("event_id"),
    N_("event"),
    N_("name"),
    N_("answer"),
    N_("guests"),
    N_("answered_at"),
    N_("came"),
)
