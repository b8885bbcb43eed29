"""Refusals of a `<when>` and of an event's end."""

from __future__ import annotations

from bot.strings import N_

EXAMPLE = N_("Thu 3 Dec 7.30pm")
END_EXAMPLE = N_("ends=21:30")
SAY_WHEN = N_("Say when.")
SAY_WHEN_IT_ENDS = N_("Say when it ends.")
TOO_LONG = N_("That date is too long (at most {limit} characters).")
ADD_A_TIME = N_("Add a time to “{text}”.")
END_BEFORE_START = N_("The end must be after the start.")
SKIPPED_BY_CLOCKS = N_("{time} does not exist on {day}: the clocks go forward that night.")
UNREADABLE = N_("I can't read “{text}” as a date and time.")
TOO_FAR = N_("That is too far ahead.")
WRONG_WEEKDAY = N_("{day} is a {actual}, not a {said}.")
IN_THE_PAST = N_("That time is in the past.")
OVER_FIVE_YEARS = N_("That is more than five years ahead.")
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
