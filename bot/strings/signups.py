"""Sentences of sign-up sheets."""

from __future__ import annotations

from bot.strings import N_

NO_SHEETS = N_("No open sign-up sheets. Organisers can add one with /newsignup.")
SHEETS = N_("Sign-up sheets:")
SHEETS_FOOT = N_("Sign up: /signup <id> [slot]")
SLOT_NAME = N_("{title} ({label})")
NO_SHEET = N_("There is no sign-up sheet #{id} in this group.")
CLOSED = N_("Sign-ups for {title} have closed.")
WHICH_SLOT = N_("Which slot? {choices}")
ALREADY = N_("You're already down for {name} (or on its waiting list).")
WAITING = N_(
    "{name} is full: you're number {place} on its waiting list. I'll tell you if a place"
    " comes free. Withdraw with /unsignup {id}."
)
FULL = N_("{name} is full. Join its waiting list with the button, or:")
FULL_OTHERS = N_("{name} is full. Still open: {others}. Join its waiting list with the button, or:")
DOWN = N_("You're down for {name}. Withdraw with /unsignup {id}.")
NO_SLOT = N_("No slot “{wanted}” on sheet #{id}. Slots: {choices}")
NOT_DOWN = N_("You weren't signed up for {title}.")
NO_LONGER_DOWN = N_("You're no longer down for {title}.")
SLOT_FREED = N_("A place came free: you're now down for {name}. Can't make it? /unsignup {id}")
SLOT_PLACES = N_("A slot's places must be 1 or more.")
SLOT_NEEDS_NAME = N_("Each slot needs a name.")
SLOT_TWICE = N_("The slot “{label}” is given twice.")
GIVE_A_SLOT = N_("Give at least one slot.")
TOO_MANY_SLOTS = N_("At most {most} slots per sheet.")
GIVE_SHEET_TITLE = N_("Give the sheet a title.")
