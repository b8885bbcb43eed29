"""Sentences of the week's digest and of the note after a meeting."""

from __future__ import annotations

from bot.strings import N_, Plural

BAD_SETTING = N_("“{text}” is not a digest time: give a day and a time, or off.")
WEEK_AHEAD = N_("📅 The week ahead in {group}:")
NOTHING_AHEAD = N_("📅 Nothing is planned in {group} for the coming week.")
AFTER_MEETING = N_("After {title} ({when}):")
SAID_GOING = Plural("{n} said Going", "{n} said Going")
CAME = Plural("{n} came", "{n} came")
CAME_UNSAID = Plural("{n} came without saying", "{n} came without saying")
FIRST_TIMERS = N_("First time at a meeting here, to welcome: {names}")
NO_FIRST_TIMERS = N_("Nobody came for the first time.")
