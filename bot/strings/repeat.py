"""How a repeating event is described, and refusals of `repeat=`."""

from __future__ import annotations

from bot.strings import N_, Plural

EXAMPLE = N_("repeat=weekly (or fortnightly, monthly, first thu, last wed, RRULE:FREQ=…)")
RRULE_EXAMPLE = N_("repeat=RRULE:FREQ=WEEKLY;BYDAY=TH")
NOT_A_REPEAT = N_("“{text}” is not a repeat I know.")
NO_DATE = N_("repeat={text} gives no date in the next two years: check the rule.")
DOES_NOT_FIT_NEXT = N_("{day} does not fit repeat={text}. The next that fits is {next}.")
RRULE_UNREADABLE = N_("That RRULE cannot be read.")
NO_DTSTART = N_("The start comes from the event's date, not the RRULE.")
FREQUENCIES = N_("An RRULE repeats DAILY, WEEKLY, MONTHLY or YEARLY.")
NO_TIME_PARTS = N_(
    "{part} is not taken: an event repeats at most once a day, at its own start time."
)
UNKNOWN_PART = N_("{part} is not a part of a repeat I take.")
INTERVAL_RANGE = N_("INTERVAL is a whole number from 1 to {most}.")

# How a card says it repeats ("🔁 Repeats every week").
EVERY = {
    "DAILY": Plural("every day", "every {n} days"),
    "WEEKLY": Plural("every week", "every {n} weeks"),
    "MONTHLY": Plural("every month", "every {n} months"),
    "YEARLY": Plural("every year", "every {n} years"),
}
EVERY_FORTNIGHT = N_("every fortnight")
MONTHLY_ON = {
    1: N_("monthly on the first {day}"),
    2: N_("monthly on the second {day}"),
    3: N_("monthly on the third {day}"),
    4: N_("monthly on the fourth {day}"),
    -1: N_("monthly on the last {day}"),
}
ON_DAYS = N_("{repeat} on {days}")
