"""Every bad input gets one line with the reason and an example, and writes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.commands import BY_NAME, TABLE
from tests.harness import Harness, one_line

MISSING = [
    "/event",
    "/rsvp",
    "/rsvp 1",
    "/motion",
    "/signup",
    "/unsignup",
    "/iam",
    "/cancelevent",
    "/export",
    "/postmotion",
    "/newsignup",
]
MALFORMED = [
    "/event twelve",
    "/rsvp 1 perhaps-not",
    "/rsvp 1 yes 2",
    "/rsvp x yes",
    "/iam Harborough",
    "/newevent Meeting tomorrow at the hall",
    "/newevent M | when pigs fly | Hall",
    "/newsignup Stall | slots=",
    "/newsignup Stall | colour=red",
    "/settings clp",
    "/motion ../../etc",
    "/events extra words",
    "/postmotion mandatory-reselection soon",
    "/settings show_names=maybe",
    "/newevent M | tomorrow 19:00 | Hall | remind=soon",
]
UNKNOWN_ID = [
    "/event 99",
    "/rsvp 99 yes",
    "/cancelevent 99",
    "/attendees 99",
    "/export 99",
    "/signup 99",
    "/unsignup 99",
    "/postmotion mandatory-reselection 99",
    "/motion no-such",
]
OUT_OF_RANGE = [
    "/rsvp 1 yes +99",
    "/rsvp 1 yes +0x",
    "/event 99999999999",
    "/newevent M | tomorrow 19:00 | Hall | capacity=0",
    "/newevent M | tomorrow 19:00 | Hall | capacity=1000000",
    "/newevent M | tomorrow 19:00 | Hall | remind=91d",
    "/newevent M | 2020-01-01 19:00 | Hall",
    "/newsignup Stall | slots=Morning:0",
    "/settings remind=0m",
]


async def count_rows(bot: Harness) -> dict[str, int]:
    counts = {}
    async with bot.running.db.read() as session:
        for table in ("events", "rsvps", "outbox", "signup_sheets", "signups", "members"):
            counts[table] = (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar()
    return counts  # type: ignore[return-value]


async def prepared(bot: Harness) -> dict[str, int]:
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    return await count_rows(bot)


@pytest.mark.parametrize("line", MISSING + MALFORMED + UNKNOWN_ID + OUT_OF_RANGE)
async def test_one_line_with_a_reason_and_nothing_written(bot: Harness, line: str) -> None:
    before = await prepared(bot)
    answer = one_line(await bot.say(line))
    assert "Example:" in answer or "See /motions" in answer or "/events" in answer, answer
    assert await count_rows(bot) == before


@pytest.mark.parametrize("name", [s.name for s in TABLE])
async def test_over_the_length_limit_is_refused_for_every_command(bot: Harness, name: str) -> None:
    before = await prepared(bot)
    limit = BY_NAME[name].max_args
    answer = one_line(await bot.say(f"/{name} " + "x" * (limit + 1)))
    assert "too long" in answer
    assert await count_rows(bot) == before


async def test_a_missing_argument_is_asked_for_with_an_example(bot: Harness) -> None:
    assert one_line(await bot.say("/rsvp")) == (
        "Which event? Give its number: /events lists them. Example: /rsvp 12 yes +1"
    )
    assert one_line(await bot.say("/motionstatus mandatory-reselection")).startswith(
        "Where does it stand? drafted, submitted"
    )
    assert one_line(await bot.say("/signup")).startswith("Which sign-up sheet?")


async def test_each_argument_keeps_its_declared_limit(bot: Harness) -> None:
    assert one_line(await bot.say("/motion " + "a" * 61)).startswith(
        "<slug> is too long (at most 60 characters)."
    )
    pages = BY_NAME["events"].options[0].max_value
    assert one_line(await bot.say(f"/events {pages + 1}")).startswith(f"<page> is at most {pages}.")
    assert one_line(await bot.say("/link ABCDEFGHJ")).startswith("<code> is too long")


async def test_unknown_commands_and_forged_buttons(bot: Harness) -> None:
    assert one_line(await bot.say("/frobnicate")) == (
        "I don't know /frobnicate. Send /help for the list of commands."
    )
    for action in ("rsvp:going:x", "nonsense", "evil:do:1", "rsvp:explode:1", "signup:join:1"):
        assert one_line(await bot.press(action)) in (
            "That button is no longer valid.",
            "There is no event #1 in this group. Example: /events",
        ), action


HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "'; DROP TABLE events; --",
            "<b>@everyone</b>",
            "<@&123>",
            "@here",
            "\x00\x1b[31m",
            "-1",
            "+99999999999999999999",
            "1 | 2 | 3 | kind=rally",
            "١٢",
            "🗓️" * 50,
            "%s%n",
            "{branch}{clp}",
            "1 yes +1 extra",
            "Thu 31 Feb 25:99",
        ]
    ),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from([s.name for s in TABLE]), args=HOSTILE, member=st.booleans())
async def test_hostile_text_never_escapes_as_an_error(
    bot: Harness, name: str, args: str, member: bool
) -> None:
    outs = await bot.say(f"/{name} {args}", user="amy" if member else "org")
    assert outs, "silence"
    for out in outs:
        assert "Traceback" not in out.text and "error " not in out.text, out.text
