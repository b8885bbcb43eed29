from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import UserError
from bot.domain.events import Kind, guess_kind, parse_new_event
from bot.domain.pairs import read_pairs
from bot.domain.places import find_postcode, map_link
from bot.domain.reminders import Offset

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_full_line_with_options() -> None:
    draft = parse_new_event(
        "Save our library | Sat 10am | Town Hall steps | kind=rally capacity=40"
        " | remind=1d,2h | ends=12:00 | desc=Bring banners, flasks | motion=mandatory-reselection",
        LONDON,
        NOW,
    )
    assert draft.title == "Save our library"
    assert draft.kind is Kind.RALLY
    assert draft.capacity == 40
    assert draft.offsets == (Offset(1440), Offset(120))
    assert draft.ends_at is not None and draft.ends_at.astimezone(LONDON).hour == 12
    assert draft.description == "Bring banners, flasks"
    assert draft.motion_slug == "mandatory-reselection"
    assert draft.location == "Town Hall steps"


def test_kind_is_guessed_from_the_title() -> None:
    assert guess_kind("Emergency rally for the NHS") is Kind.RALLY
    assert guess_kind("CLP nominations close") is Kind.DEADLINE
    assert guess_kind("Saturday stall") is Kind.STALL
    assert guess_kind("Ward canvassing") is Kind.CANVASS
    assert guess_kind("Christmas social") is Kind.SOCIAL
    assert guess_kind("All members meeting") is Kind.MEETING


def test_a_deadline_needs_no_place_and_takes_a_bare_date() -> None:
    draft = parse_new_event("CLP nominations close | 20 Jun", LONDON, NOW)
    assert draft.kind is Kind.DEADLINE
    assert draft.location == ""
    assert draft.starts_at.astimezone(LONDON).strftime("%H:%M") == "23:59"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Just a title", "title, when and where"),
        ("Meeting | tomorrow 19:00", "Say where"),
        ("Meeting | tomorrow 19:00 | Hall | kind=party", "Unknown kind"),
        ("Meeting | tomorrow 19:00 | Hall | colour=red", "Unknown option"),
        ("Meeting | tomorrow 19:00 | Hall | capacity=0", "Capacity"),
        ("Meeting | tomorrow 19:00 | Hall | capacity=lots", "Capacity"),
        ("Meeting | tomorrow 19:00 | Hall | remind=soon", "reminder time"),
        ("Meeting | Tue 24 Nov 19:00 | Hall | repeat=first thu", "does not fit"),
        ("Meeting | tomorrow 19:00 | Hall | repeat=hourly", "not a repeat I know"),
        ("Meeting | tomorrow 19:00 | Hall | repeat=RRULE:FREQ=MINUTELY", "DAILY, WEEKLY"),
        ("Meeting | tomorrow 19:00 | Hall | kind=rally kind=social", "twice"),
        ("Meeting | tomorrow 19:00 | Hall | just words", "key=value"),
        ("T" * 201 + " | tomorrow 19:00 | Hall", "too long"),
    ],
)
def test_refusals(line: str, reason: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_new_event(line, LONDON, NOW)
    assert reason in caught.value.reason


def test_control_characters_are_flattened() -> None:
    draft = parse_new_event("Line\x00one\ntwo | tomorrow 19:00 | Hall", LONDON, NOW)
    assert draft.title == "Line one two"


def test_postcodes() -> None:
    assert find_postcode("Bethnal Green Library, e2 0hl") == "E2 0HL"
    assert find_postcode("Parliament Square, SW1A 0AA") == "SW1A 0AA"
    assert find_postcode("The Crown pub") is None
    assert map_link("Hall, M1 1AE") == "https://www.openstreetmap.org/search?query=M1%201AE"


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("Harborough", "“Harborough” is not key=value."),
        ("clp=A colour=red", "Unknown fact “colour”: use clp, branch."),
        ("clp=A clp=B", "“clp” is given twice."),
    ],
)
def test_one_reader_of_key_value_pairs_refuses_alike(text: str, refusal: str) -> None:
    with pytest.raises(UserError) as refused:
        read_pairs([text], ("clp", "branch"), "/iam clp=X", noun="fact")
    assert refused.value.line().startswith(refusal)


def test_a_value_runs_to_the_next_key() -> None:
    pairs = read_pairs(["clp=Market Harborough branch=St Mary's Ward", " "], ("clp", "branch"), "")
    assert pairs == {"clp": "Market Harborough", "branch": "St Mary's Ward"}
