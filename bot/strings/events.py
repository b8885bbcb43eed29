"""Sentences of the calendar: making, listing, changing and cancelling events."""

from __future__ import annotations

from bot.strings import N_, Plural

NO_MOTION = N_("There is no motion “{slug}”. See /motions.")
UPCOMING = N_("Upcoming events:")
DETAILS_HINT = N_("Details and buttons: /event <id>")
SERIES_CREATED_AUDIT = N_("series {series} from {first} {title}")
NONE_YET = N_("none yet")
UPDATED = N_("Updated #{id} ({summary}).")
UPDATED_SERIES_ENDS = Plural(
    "Updated #{id} ({summary}). The series ends here: {n} later date cancelled.",
    "Updated #{id} ({summary}). The series ends here: {n} later dates cancelled.",
)
SAY_WHERE = N_("Say where it is (or “online”).")
DOES_NOT_REPEAT = N_("Event #{id} does not repeat.")
SERIES_ENDED = N_("the series has ended")
CANCELLED_TOLD = N_("Cancelled #{id}; the chats that showed it are being told.")
CALENDAR_CAPTION = Plural(
    "{name}: {n} upcoming event",
    "{name}: {n} upcoming events",
)
GIVE_TITLE_WHEN_WHERE = N_("Give a title, when and where, separated by |.")
SAY_WHAT_TO_CHANGE = N_("Say what to change, as key=value.")
EMPTY_TITLE = N_("A title cannot be empty.")
REPEAT_ONLY_ENDS = N_(
    "An existing event's repeat can only be ended (repeat=none); create a new series for a"
    " new rule."
)
UNKNOWN_KIND = N_("Unknown kind “{kind}”: use one of {kinds}.")
CAPACITY_RANGE = N_("Capacity must be a whole number from 1 to {most}.")
FIELD_TOO_LONG = N_("The {what} is too long (at most {limit} characters).")
DESCRIPTION_TOO_LONG = N_("The description is too long (at most {limit} characters).")
REASON = N_("reason")
MEETING = N_("Meeting")
BRANCH_MEETING = N_("Branch meeting")
RALLY = N_("Rally")
SOCIAL = N_("Social")
STALL = N_("Street stall")
CANVASS = N_("Canvassing")
DEADLINE = N_("Deadline")
EVENT = N_("Event")
