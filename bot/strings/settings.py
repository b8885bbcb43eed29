"""Sentences of a group's settings."""

from __future__ import annotations

from bot.strings import N_

SETTINGS = N_(
    "Settings of this group:\nname = {name}\nclp = {clp}\nbranch = {branch}\ntimezone ="
    " {timezone}\nremind = {remind}\nshow_names = {show_names}\norganisers ="
    " {organisers}\norganiser_role = {role}\nlanguage = {language}\ndigest = {digest}\n\nChange"
    " with key=value, e.g. {example}"
)
YES = N_("yes")
NO = N_("no")
ADMINS_ONLY = N_("— (the chat’s admins only)")
SHOW_NAMES_YES_NO = N_("show_names is yes or no.")
UNKNOWN_TIMEZONE = N_("Unknown timezone “{zone}”.")
NAME_ORGANISERS = N_("Name the organisers, separated by commas.")
SAVED = N_("Saved.")
DIGEST_OFF = N_("off (or a day and a time: the week ahead, posted here)")
UNKNOWN_LANGUAGE = N_(
    "Muster speaks {languages}: give one, or two joined by + for a bilingual group"
    " (cy+en: Welsh first)."
)
UNKNOWN_OWN_LANGUAGE = N_(
    "Muster speaks {languages}: give one, or auto to follow your app's language."
)
AUTO_LANGUAGE = N_("auto ({language}, your app's)")
