"""Sentences of /stats (a group's turnout) and of /motiontally's chart."""

from __future__ import annotations

from bot.strings import N_, Plural

TITLE = Plural("Turnout of the last meeting", "Turnout of the last {n} meetings")
SAID_GOING = N_("Said Going")
SAID_MAYBE = N_("Said Maybe")
CAME = N_("Came")
DEBATED = N_("Debated a motion")
SUMMARY = N_("Average turnout {average} · {share}% of those who said Going came")
SUMMARY_NO_GOING = N_("Average turnout {average} · nobody said Going")
NO_MEETINGS = N_("This group has no past meetings yet: /stats shows them once it has.")
CAPTION = N_("Turnout of {group}: the chart, and its figures as a CSV file.")
MOST = N_("Give a number of meetings from 1 to {most}.")
# The first row of the CSV file beside the chart.
CSV_HEADINGS = (
    N_("event_id"),
    N_("date"),
    N_("title"),
    N_("said_going"),
    N_("said_maybe"),
    N_("came"),
    N_("going_who_came"),
    N_("motion"),
    N_("outcome"),
)
TALLY_TITLE = N_("{title}: where it stands")
GROUPS = N_("Groups")
CLPS = N_("CLPs")
