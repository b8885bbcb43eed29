"""Sentences of calendar subscriptions (/calendar link, mine, revoke)."""

from __future__ import annotations

from bot.strings import N_, Plural

GROUP_LINK = N_(
    "Your subscription to {name}'s calendar:\n{url}\nAdd it to your calendar app as a"
    " calendar from the internet (subscribe by URL): it stays current as events are added,"
    " moved or cancelled. Anyone with the link sees this calendar, so keep it to yourself;"
    " /calendar revoke stops every link you have."
)
MINE_LINK = N_(
    "Your own calendar, the events you said Going or Maybe to in every group:\n{url}\nAdd"
    " it to your calendar app as a calendar from the internet (subscribe by URL). Keep it"
    " to yourself; /calendar revoke stops every link you have."
)
REVOKED = Plural(
    "Done: your {n} calendar link stops working now. /calendar link makes a new one.",
    "Done: your {n} calendar links stop working now. /calendar link makes a new one.",
)
NO_FEEDS = N_(
    "This server does not serve calendar subscriptions (its operator has not given it an"
    " HTTP address). /calendar alone sends the calendar as a file."
)
NOT_A_CHOICE = N_("“{word}” is not something /calendar does: say link, mine or revoke.")
WHAT = N_("link, mine or revoke (nothing: the file)")
