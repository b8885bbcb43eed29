from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import i18n
from bot.domain.errors import UserError
from bot.domain.motions import fill, parse_motion_file, parse_slug
from bot.domain.rsvp import Answer, Current, Outcome, decide, parse_answer, parse_guests
from bot.messaging import Button, Card
from bot.textsplit import split_card, split_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_reselection_motion_ships_with_its_blanks() -> None:
    motion = parse_motion_file((SEEDS / "mandatory-reselection.md").read_text("utf-8"))
    assert motion.slug == "mandatory-reselection"
    assert motion.body.startswith("{branch} welcomes the 2017 General Election results")
    assert "We call on the {clp} CLP to support a rule change" in motion.body
    assert "mandatory reselection of Labour MPs in each Parliament" in motion.body
    assert "Leicestershire" in motion.source


def test_every_seed_file_parses() -> None:
    files = sorted(SEEDS.glob("*.md"))
    assert files
    seeds = [(p.name, parse_motion_file(p.read_text("utf-8"))) for p in files]
    keys = [(m.slug, m.language) for _, m in seeds]
    assert len(set(keys)) == len(keys)
    english = {m.slug for _, m in seeds if m.language == "en"}
    for name, motion in seeds:
        # A translation is named <slug>.<language>.md and keeps its original's slug.
        suffix = "" if motion.language == "en" else f".{motion.language}"
        assert name == f"{motion.slug}{suffix}.md"
        assert motion.language in i18n.LANGUAGES and motion.slug in english
        # The same blanks to fill, in every language.
        original = next(m for _, m in seeds if m.slug == motion.slug and m.language == "en")
        assert set(re.findall(r"\{(\w+)\}", motion.body)) == set(
            re.findall(r"\{(\w+)\}", original.body)
        )


def test_fill_uses_settings_and_leaves_prompts() -> None:
    body = "{branch} asks {clp} CLP on {date}; {group} agrees. {other} stays."
    assert fill(body, {"branch": "Ward 3", "clp": "", "group": "Reds"}) == (
        "Ward 3 asks [name of your CLP] CLP on [date of the meeting]; Reds agrees. {other} stays."
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\nslug: x\n",
        "no front matter",
        "---\nslug: Bad Slug\ntitle: t\nsource: s\n---\nbody",
    ],
)
def test_bad_motion_files_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_motion_file(text)


def test_slugs() -> None:
    assert parse_slug(" Mandatory-Reselection ") == "mandatory-reselection"
    with pytest.raises(UserError):
        parse_slug("../etc/passwd")


def test_split_keeps_paragraphs_whole_when_it_can() -> None:
    text = "\n\n".join(["a" * 30, "b" * 30, "c" * 30])
    assert split_text(text, 70) == ["a" * 30 + "\n\n" + "b" * 30, "c" * 30]


@given(st.text(min_size=0, max_size=3000), st.integers(10, 500))
def test_split_loses_nothing_and_respects_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    squash = lambda s: "".join(s.split())  # noqa: E731
    assert squash("".join(pieces)) == squash(text)


def test_split_card_keeps_buttons_on_the_last_piece() -> None:
    card = Card(blocks=("x" * 50, "y" * 50), title="T").with_buttons((Button("Go", "a:b:1"),))
    pieces = split_card(card, 60)
    assert len(pieces) == 2
    assert pieces[0].buttons == () and pieces[-1].buttons == card.buttons


def test_action_ids_fit_telegram() -> None:
    with pytest.raises(ValueError):
        Button("x", "rsvp:going:" + "9" * 60)


def test_rsvp_rules() -> None:
    assert parse_answer("Yes") is Answer.GOING
    assert parse_guests("+2") == 2
    with pytest.raises(UserError):
        parse_guests("+99")
    with pytest.raises(UserError):
        parse_answer("perchance")
    going = Current(Answer.GOING, 0)
    assert decide(going, Answer.GOING, 0, None, 5) is Outcome.UNCHANGED
    assert decide(None, Answer.GOING, 0, 5, 5) is Outcome.FULL
    assert decide(None, Answer.MAYBE, 0, 5, 5) is Outcome.RECORDED
    assert decide(going, Answer.GOING, 1, 5, 5) is Outcome.FULL
    assert decide(Current(Answer.GOING, 2), Answer.GOING, 1, 5, 5) is Outcome.RECORDED
    assert decide(None, Answer.GOING, 1, 5, 3) is Outcome.RECORDED
