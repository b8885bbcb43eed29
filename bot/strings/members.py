"""Sentences of members' own facts, plans and choices."""

from __future__ import annotations

from bot.strings import N_

TELL_FACTS = N_("Tell me your CLP and/or branch as key=value.")
FACTS = N_("CLP: {clp} · Branch: {branch}.")
FACTS_SAVED = N_("CLP: {clp} · Branch: {branch}. Saved, thank you.")
FACTS_CONFIRMED_ON = N_("CLP: {clp} · Branch: {branch}. (confirmed {date})")
FACTS_CONFIRMED = N_("Thank you: CLP: {clp} · Branch: {branch}. Confirmed.")
PLANS = N_("Your plans:")
NO_PLANS = N_("You have no upcoming RSVPs or sign-ups.")
PLAN_ANSWER = N_("#{id} {when} · {title} — {answer}")
PLAN_ANSWER_GUESTS = N_("#{id} {when} · {title} — {answer} +{guests}")
PLAN_SIGNUP = N_("Sign-up #{id} {name}")
REMINDERS_ON = N_(
    "Private reminders on: before each event you said Going to, I'll remind you here too,"
    " and tell you if its time or place changes."
)
REMINDERS_OFF = N_("Private reminders off: reminders come in the group only.")
OWN_SETTINGS = N_(
    "Your settings:\nreminders = {state} (private reminders before events you said Going"
    " to)\nlanguage = {language}\n\nChange with {example}"
)
ON = N_("on")
OFF = N_("off")
OWN_SETTING_CHOICE = N_("Your own setting is reminders=on or reminders=off.")
# In /mydata's file: a member id that is the reader's own, or someone else's.
YOU = N_("you")
ANOTHER_MEMBER = N_("another member")
ON_WAITING_LIST = N_("on the waiting list")
