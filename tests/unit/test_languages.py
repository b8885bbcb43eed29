"""Muster in English, Welsh and Polish: every sentence translated, with its fields and
plural forms; dates and times read and written in the language; the platforms' limits
kept in every language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot import i18n, messages
from bot import strings as S
from bot.bilingual import joined
from bot.commands import TABLE
from bot.domain.timeparse import parse_when
from bot.messaging import Button, Card
from bot.platforms.discord_ui import DISCORD_LOCALES, command_payload
from bot.render import short_when, when_text
from bot.strings import Msg, Plural
from bot.strings import attendance as attendance_words
from bot.strings import members as member_words
from bot.strings import signups as signup_words
from handlers.events import NEW_EVENT_FORM

TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.ENGLISH]
FIELD = re.compile(r"\{(\w+)\}")
LONDON = ZoneInfo("Europe/London")
# Counts at which the plural rules of English, Welsh and Polish all differ somewhere.
COUNTS = (0, 1, 2, 3, 6, 11)


def _catalogue(code: str) -> tuple[dict[str | tuple[str, ...], object], int]:
    with i18n.po_file(code).open("rb") as handle:
        catalog = read_po(handle, locale=code)
    found = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}
    return found, catalog.num_plurals


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_shipped_language_translates_every_message_and_nothing_else(code: str) -> None:
    template = messages.ids(messages.written())
    translated, forms = _catalogue(code)
    assert sorted(map(str, template - set(translated))) == []  # untranslated
    assert sorted(map(str, set(translated) - template)) == []  # left over from old code
    assert forms == {"cy": 6, "pl": 3}[code]
    for key, entry in translated.items():
        assert not entry.fuzzy, key  # type: ignore[attr-defined]
        strings = entry.string  # type: ignore[attr-defined]
        wanted = set(FIELD.findall(key if isinstance(key, str) else " ".join(key)))
        if isinstance(key, str):
            assert strings and set(FIELD.findall(strings)) == wanted, key
        else:
            assert len(strings) == forms, key  # Welsh has six forms, Polish three
            for form in strings:
                # Every form names the same things; a form may leave the count unsaid
                # where the words say it ("bob dydd", "every day").
                assert form and wanted - {"n"} <= set(FIELD.findall(form)) <= wanted, key


def test_plural_forms_follow_each_language() -> None:
    people = S.N_PEOPLE
    said = {}
    for code in i18n.LANGUAGES:
        with i18n.speaking(code):
            said[code] = [people.format(n) for n in COUNTS]
    assert said["en"] == ["0 people", "1 person", "2 people", "3 people", "6 people", "11 people"]
    # Welsh: zero, one, two, few (3), many (6), other.
    assert said["cy"] == ["0 o bobl", "1 person", "2 berson", "3 pherson", "6 pherson", "11 o bobl"]
    # Polish: one, few (2–4, 22–24, …), many.
    assert said["pl"] == ["0 osób", "1 osoba", "2 osoby", "3 osoby", "6 osób", "11 osób"]
    with i18n.speaking("pl"):
        assert [people.format(n) for n in (22, 25, 112)] == ["22 osoby", "25 osób", "112 osób"]
        assert S.REMINDER_IN_HOURS.format(2, title="Wiec") == "⏰ Przypomnienie: Wiec za 2 godziny."
        assert S.REMINDER_IN_HOURS.format(5, title="Wiec") == "⏰ Przypomnienie: Wiec za 5 godzin."


def _sample(entry: Msg | Plural) -> dict[str, object]:
    text = entry.id if isinstance(entry, Msg) else entry.one + entry.other
    fields: dict[str, object] = {name: f"<{name}>" for name in FIELD.findall(text)}
    if isinstance(entry, Plural):
        fields.pop("n", None)  # the count is the plural's own
    elif "n" in fields:
        fields["n"] = 3
    return fields


@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_every_message_renders_in_every_language(code: str) -> None:
    entries = list(messages.declared().values())
    assert len(entries) == len(messages.ids(messages.written()))  # every entry of the template
    with i18n.speaking(code):
        for entry in entries:
            fields = _sample(entry)
            if isinstance(entry, Plural):
                for n in COUNTS:
                    text = entry.format(n, **fields)
                    assert text and "{" not in text.replace("{branch}", "").replace("{clp}", "")
            else:
                text = entry.format(**fields)
                assert text.strip()
            if code != i18n.ENGLISH and isinstance(entry, Msg) and _has_words(entry.id):
                # Translated, not the English shown again (names and codes aside).
                with i18n.speaking(i18n.ENGLISH):
                    english = entry.format(**fields)
                assert text != english or _same_in_every_language(entry.id), entry.id


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{3,}", FIELD.sub("", text)))


def _same_in_every_language(text: str) -> bool:
    """Commands as typed, and lines made only of fields and marks, read the same."""
    return text.startswith(("/", "repeat=", "slots=", "ends=", "clp=")) or not re.search(
        r"[a-z]{3,}", re.sub(r"\{\w+\}|/\w+|RRULE\S*|[A-Z]{3,}", "", text)
    )


def test_dates_are_written_in_the_readers_language() -> None:
    start = datetime(2026, 12, 10, 19, 30, tzinfo=UTC)
    said = {}
    for code in i18n.LANGUAGES:
        with i18n.speaking(code):
            said[code] = (when_text(start, None, "Europe/London"), short_when(start, "UTC"))
    assert said["en"] == ("Thu 10 Dec 2026, 19:30 (GMT)", "Thu 10 Dec 19:30")
    assert said["cy"] == ("Iau 10 Rhag 2026, 19:30 (GMT)", "Iau 10 Rhag 19:30")
    assert said["pl"] == ("czw., 10 gru 2026, 19:30 (GMT)", "czw., 10 gru 19:30")


NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # a Saturday
THURSDAY = datetime(2026, 12, 10, 19, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "text", "wanted"),
    [
        ("cy", "Iau 10 Rhag 2026, 19:30", THURSDAY),
        ("cy", "Iau nesaf 19:30", THURSDAY),
        ("cy", "dydd Iau nesaf 19:30", THURSDAY),
        ("cy", "yfory 18:00", datetime(2026, 12, 6, 18, 0, tzinfo=UTC)),
        ("cy", "10 Rhagfyr 19:30", THURSDAY),
        ("pl", "czw., 10 gru 2026, 19:30", THURSDAY),
        ("pl", "w przyszły czwartek 19:30", THURSDAY),
        ("pl", "jutro 18:00", datetime(2026, 12, 6, 18, 0, tzinfo=UTC)),
        ("pl", "10 grudnia 19:30", THURSDAY),
        # English always works, whatever the reader's language.
        ("cy", "Thu 10 Dec 7.30pm", THURSDAY),
        ("pl", "next Thursday 19:30", THURSDAY),
    ],
)
def test_the_time_reader_takes_the_languages_words(code: str, text: str, wanted: datetime) -> None:
    with i18n.speaking(code):
        assert parse_when(text, LONDON, NOW) == wanted


@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_the_examples_shown_read_back_in_their_language(code: str) -> None:
    from bot.strings import examples, when

    before = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # the examples' Thursday 3 December
    with i18n.speaking(code):
        assert parse_when(when.EXAMPLE.format(), LONDON, before).hour == 19
        when_given = examples.NEWEVENT.format().split("|")[1]
        assert parse_when(when_given, LONDON, before) == datetime(2026, 12, 3, 19, 30, tzinfo=UTC)


# What the platforms allow (tests/fakes/limits.py holds them all).
DISCORD_DESCRIPTION, TELEGRAM_DESCRIPTION, MODAL_TITLE, MODAL_LABEL = 100, 256, 45, 45
BUTTON_LABEL, TOAST = 80, 200
BUTTONS = (
    S.GOING,
    S.MAYBE,
    S.CANT_GO,
    S.WAITING_LIST,
    S.SIGN_ME_UP,
    S.IM_HERE,
    S.STILL_RIGHT,
    S.REMIND_ME_ON,
    S.REMIND_ME_OFF,
    S.CONSENT_BUTTON,
    S.FORGET_BUTTON,
)
# Toasts said whole (those about an event shorten its title to fit).
TOASTS = (
    S.STALE_BUTTON,
    S.SLOW_DOWN,
    S.FORM_CANCELLED,
    S.FORM_CREATED,
    S.FORGET_DONE,
    member_words.REMINDERS_ON,
    member_words.REMINDERS_OFF,
    S.RSVP_GOING,
    S.RSVP_MAYBE_GUESTS,
    S.WAITING_TOAST,
    signup_words.WAITING,
    signup_words.DOWN,
    attendance_words.WELCOME,
    attendance_words.ALREADY_IN,
    member_words.FACTS_CONFIRMED,
)


@pytest.mark.parametrize("code", i18n.LANGUAGES)
def test_the_platforms_limits_hold_in_every_language(code: str) -> None:
    with i18n.speaking(code):
        for spec in TABLE:
            assert 1 <= len(str(spec.summary)) <= DISCORD_DESCRIPTION, spec.name
            for option in spec.options:
                assert 1 <= len(str(option.description)) <= DISCORD_DESCRIPTION, option.name
            if spec.attachment is not None:
                assert len(str(spec.attachment)) <= DISCORD_DESCRIPTION
        assert len(str(NEW_EVENT_FORM.title)) <= MODAL_TITLE
        for question in NEW_EVENT_FORM.questions:
            assert len(str(question.label)) <= MODAL_LABEL, question.name
            assert len(str(question.placeholder)) <= DISCORD_DESCRIPTION, question.name
        for label in BUTTONS:
            assert len(str(label)) <= BUTTON_LABEL
        for toast in TOASTS:
            fields = {name: "X" for name in _sample(toast)}
            assert len(toast.format(**fields)) <= TOAST, toast.id
        long_reason = S.CONSENT_RECORDED.format(when="10 Dec 2026 19:30")
        assert len(long_reason) <= TOAST
    assert TELEGRAM_DESCRIPTION > DISCORD_DESCRIPTION  # the summaries above fit both


def test_a_bilingual_groups_buttons_carry_both_labels_within_the_limit() -> None:
    for first, second in (("cy", "en"), ("pl", "en"), ("cy", "pl")):
        cards = []
        for code in (first, second):
            with i18n.speaking(code):
                cards.append(
                    Card.text("x").with_buttons(tuple(Button(str(b), "a") for b in BUTTONS))
                )
        for button in joined(cards).buttons[0]:
            assert len(button.label) <= BUTTON_LABEL, button.label


def test_discord_gets_polish_descriptions_and_no_welsh() -> None:
    assert set(DISCORD_LOCALES.values()) == {"pl"}  # Discord has no Welsh
    for command in command_payload(TABLE):
        localised = command["description_localizations"]
        assert set(localised) == {"pl"} and localised["pl"] != command["description"]
        for option in command["options"]:
            assert set(option["description_localizations"]) == {"pl"}
