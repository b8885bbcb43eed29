"""Refusals of what a member typed: arguments, key=value details, answers, reminders."""

from __future__ import annotations

from bot.strings import N_

NOT_A_NUMBER = N_("<{name}> must be a number, not “{token}”.")
MISSING = N_("Missing <{name}>.")
NOT_UNDERSTOOD = N_("I don't understand “{rest}” here.")
NOT_KEY_VALUE = N_("“{segment}” is not key=value.")
UNKNOWN_OPTION = N_("Unknown option “{key}”: use {keys}.")
UNKNOWN_SETTING = N_("Unknown setting “{key}”: use {keys}.")
UNKNOWN_FACT = N_("Unknown fact “{key}”: use {keys}.")
GIVEN_TWICE = N_("“{key}” is given twice.")
GIVE_REMINDERS = N_("Give the reminder times.")
NOT_A_REMINDER = N_("“{part}” is not a reminder time (use m, h, d or w).")
REMINDER_RANGE = N_("Each reminder must be between 1 minute and 90 days before.")
TOO_MANY_REMINDERS = N_("At most {most} reminders per event.")
NOT_AN_ANSWER = N_("“{text}” is not an answer: say yes, maybe or no.")
GUESTS_FORM = N_("Guests are written +1 to +{most}.")
# The fields named in "The {what} is too long".
TITLE = N_("title")
PLACE = N_("place")
SLOT_NAME = N_("slot name")
TOO_BIG = N_("<{name}> is at most {most}.")
OPTION_TOO_LONG = N_("<{name}> is too long (at most {limit} characters).")
