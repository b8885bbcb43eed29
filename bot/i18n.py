"""Which language Muster is speaking, and its catalogue in that language.

A sentence is looked up when it is used, not where it is written: the dispatcher, the
live cards and the outbox each say who will read what they render (`speaking`), and
every catalogue sentence rendered inside reads in that language. A context variable
carries it, so the many places that render (cards, answers, refusals raised deep in a
service) need no language passed through them, and two updates handled at once never
see each other's.

The translations are the `.po` files in `bot/locale/<code>/LC_MESSAGES/`, compiled in
memory on first use: nothing compiled is kept in the repository, and a translator's
edit shows at the next start.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ENGLISH = "en"
# The languages Muster ships, English first (its sentences are the catalogue's ids).
LANGUAGES = ("en", "cy", "pl")
# How dates are written, by name, in each language (CLDR patterns, read by Babel):
# "Thu 10 Dec 2026, 19:30", "Iau 10 Rhag 2026, 19:30", "czw., 10 gru 2026, 19:30".
_PATTERNS = {
    "when": "EEE d MMM y, HH:mm",  # an event's start
    "until": "EEE d MMM, HH:mm",  # its end on another day
    "short": "EEE d MMM HH:mm",  # a line of a list
    "weekday": "EEE d MMM",
    "day": "d MMM",
    "date": "d MMM y",
    "long_date": "d MMMM y",  # in a motion's text: "on 10 December 2026"
    "stamp": "d MMM y HH:mm",
    "moment": "dd MMM HH:mm",  # a line of a log
}
# Polish puts a comma after the day's name.
_POLISH = {name: p.replace("EEE ", "EEE, ") for name, p in _PATTERNS.items()}
PATTERNS = {"en": _PATTERNS, "cy": _PATTERNS, "pl": _POLISH}
# Each by its own name, as its readers look for it in a list: never translated.
NAMES = {"en": "English", "cy": "Cymraeg", "pl": "polski"}
DOMAIN = "muster"
LOCALE_DIR = Path(__file__).parent / "locale"

_speaking: ContextVar[str] = ContextVar("speaking", default=ENGLISH)


def po_file(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> _gettext.NullTranslations:
    """One language's catalogue, compiled from its `.po` source once per process."""
    if code == ENGLISH or code not in LANGUAGES:
        return _gettext.NullTranslations()
    with po_file(code).open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def language() -> str:
    """The language being spoken now."""
    return _speaking.get()


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Everything rendered inside reads in `code` (English for one Muster lacks)."""
    token = _speaking.set(code if code in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _speaking.reset(token)


def gettext(message: str) -> str:
    return translations(_speaking.get()).gettext(message)


def ngettext(one: str, other: str, n: int) -> str:
    return translations(_speaking.get()).ngettext(one, other, n)


@cache
def babel_locale(code: str) -> Locale:
    return Locale.parse(code if code in LANGUAGES else ENGLISH)


def date_time(moment: date, form: str) -> str:
    """A date (in the zone it carries) in the language being spoken, in one of the
    named forms above: day and month names come from Babel's CLDR data."""
    code = _speaking.get()
    pattern = PATTERNS.get(code, _PATTERNS)[form]
    zone = getattr(moment, "tzinfo", None)
    return format_datetime(moment, pattern, tzinfo=zone, locale=babel_locale(code))


def parse_language(text: str) -> tuple[str, ...] | None:
    """A language setting: one code, or two joined by `+` for a bilingual group
    (`cy+en`: Welsh first). None when it is not one Muster speaks."""
    codes = tuple(part.strip().lower() for part in text.split("+"))
    if not 1 <= len(codes) <= 2 or len(set(codes)) != len(codes):
        return None
    if any(code not in LANGUAGES for code in codes):
        return None
    return codes


def from_platform(code: str | None) -> str | None:
    """A platform's language tag (Telegram's `language_code` "pl", Discord's locale
    "en-GB") as a language Muster speaks, or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


class Msg:
    """A sentence of the catalogue: read in the language being spoken (`bot.i18n`) when
    it is used. Not a `str`, so the type checker finds any place that would show it
    without looking it up."""

    __slots__ = ("fields", "id")

    def __init__(self, message: str, fields: dict[str, object] | None = None) -> None:
        self.id = message
        self.fields = fields or {}

    def given(self, **fields: object) -> Msg:
        """The same sentence with some fields known now and read later (a question
        declared at import, asked in whichever language its reader has)."""
        return Msg(self.id, self.fields | fields)

    def format(self, **fields: object) -> str:
        text = gettext(self.id)
        every = self.fields | fields
        return text.format(**{k: str(v) for k, v in every.items()}) if every else text

    def __str__(self) -> str:
        return self.format()

    def __repr__(self) -> str:
        return f"Msg({self.id!r})"
