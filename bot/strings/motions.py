"""Sentences of model motions."""

from __future__ import annotations

from bot.strings import N_, Plural

NO_MOTIONS = N_("No motions yet.")
MOTIONS = N_("Model motions:")
NO_MOTION = N_("There is no motion “{slug}”. See /motions.")
ALREADY_STARTED = N_("Event #{id} has already started.")
FOR_EVENT = N_("For {title} (#{id}, {when}):")
ADDED_BY = N_("Added by {group}")
THIS_GROUP = N_("this group")
GIVE_NAME_TITLE_TEXT = N_("Give a name, a title and the text, separated by |.")
TOO_LONG = N_("The motion is too long (at most {limit} characters).")
UPDATED_OWN = N_("Updated this group's motion:")
ADDED_OWN = N_("Added this group's motion:")
EMPTY_FILE = N_("The attached file is empty or too large (at most 100 KB of text).")
NOT_TEXT = N_("The attached file must be plain text (UTF-8).")
BAD_HEADER = N_("The attached file's --- header cannot be read.")
NOT_A_STATUS = N_("“{status}” is not a status: use {names}.")
STATUS_SET = N_("{title}: {status} here ({date}, recorded by {who})")
STATUS_SET_NOTE = N_("{title}: {status} here ({date}, recorded by {who}) — {note}")
AN_ORGANISER = N_("an organiser")
NO_STATUS_YET = N_("{title}: no group has recorded a status yet. /motionstatus does.")
TALLY = N_("{title}: {parts}.")
IN_GROUPS = Plural("{status} in {n} group", "{status} in {n} groups")
IN_GROUPS_CLPS = Plural("{status} in {n} group ({clps} CLP)", "{status} in {n} groups ({clps} CLP)")
IN_GROUPS_MANY_CLPS = Plural(
    "{status} in {n} group ({clps} CLPs)", "{status} in {n} groups ({clps} CLPs)"
)
HERE_AT = N_("Here, {date}: {status}")
HERE_AT_NOTE = N_("Here, {date}: {status} — {note}")
NOTE = N_("note")
BAD_SLUG = N_("A motion's name is lower-case letters, digits and dashes.")
# What a motion's blank says in a group that has not told Muster its value.
BLANK_BRANCH = N_("[name of your branch]")
BLANK_CLP = N_("[name of your CLP]")
BLANK_GROUP = N_("[name of your group]")
BLANK_DATE = N_("[date of the meeting]")
MOTION_LINE = N_("• {title} — /motion {slug}")
IN_ENGLISH = N_("This motion has no translation in this language yet: here it is in English.")
# Where a motion stands, as cards and tallies show it (organisers type the English word,
# which every language accepts).
STATUS_NAMES = {
    "drafted": N_("drafted"),
    "submitted": N_("submitted"),
    "debated": N_("debated"),
    "passed": N_("passed"),
    "fell": N_("fell"),
    "withdrawn": N_("withdrawn"),
}


def status_name(status: str) -> str:
    found = STATUS_NAMES.get(status)
    return found.format() if found is not None else status
