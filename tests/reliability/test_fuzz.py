"""10,000 random and hostile command lines: no crash, one-line refusals, nothing half
written, and nothing that a platform would read as markup or a mention."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot import strings
from bot.commands import TABLE
from bot.platforms.telegram import render
from tests.fakes.telegram_api import _check_html
from tests.harness import Harness

HOSTILE_PIECES = [
    "'; DROP TABLE events; --",
    "<b>@everyone</b>",
    "<@&123>",
    "@here",
    "<script>",
    "&amp;",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "-1",
    "0",
    "+99999999999999999999",
    "99999999999",
    "1 | 2 | 3 | kind=rally",
    "١٢٣",
    "🗓️",
    "%s%n",
    "{branch}{clp}",
    "yes +1 extra",
    "Thu 31 Feb 25:99",
    "tomorrow 19:00 | Hall",
    "capacity=-5",
    "remind=0m",
    "x" * 10_000,
    "\n\n",
    "*bold* _it_ `code`",
    "[link](http://x)",
    "slots=:0,,",
    "organisers=@everyone",
]
TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=4).map(" ".join),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_PIECES), st.text(max_size=50)),
)
COUNTED = ("events", "rsvps", "outbox", "signup_sheets", "signups", "members", "audit")
# One-line answers that confirm a change rather than refuse one (they may write).
CONFIRMATIONS = ("You're", "You might", "You can't go", "Updated #", "Cancelled #", "Marked ")
CONFIRMATIONS += ("Nudged ",)
SEEN: dict[str, int] = {"cases": 0, "refused": 0, "answered": 0}


async def counts(bot: Harness) -> dict[str, int]:
    out = {}
    async with bot.running.db.read() as session:
        for table in COUNTED:
            out[table] = int(
                (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar() or 0
            )
    return out


SHARDS = 4  # 4 × 2,500 cases, so the workers share the 10,000


@pytest.mark.parametrize("shard", range(SHARDS))
@settings(
    max_examples=10_000 // SHARDS,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from([s.name for s in TABLE] + ["nonsense"]),
    args=TEXT,
    member=st.booleans(),
    private=st.booleans(),
)
async def test_hostile_input_never_breaks_anything(
    bot: Harness, shard: int, name: str, args: str, member: bool, private: bool
) -> None:
    before = await counts(bot)
    outs = await bot.say(f"/{name} {args}", user="amy" if member else "org", private=private)
    SEEN["cases"] += 1
    assert outs, "silence"
    refused = [o for o in outs if o.kind in ("answer", "toast")]
    for out in outs:
        assert "went wrong on my side" not in out.text, out.text
        if out.card is not None:
            _check_html(render(out.card), "HTML")  # Telegram would accept it as is
            assert "<" not in render(out.card).replace("<b>", "").replace("</b>", "")
    if refused and len(outs) == 1 and not refused[0].text.startswith(CONFIRMATIONS):
        SEEN["refused"] += 1
        line = refused[0].text
        assert "\n" not in line and len(line) <= 300, line
        after = await counts(bot)
        if line.startswith(strings.LINK_BAD_CODE.format()):
            # A wrong link code is kept in the audit log (at most five an hour per chat),
            # with the organiser who tried it: that, and nothing else, is written.
            assert after["audit"] == before["audit"] + 1
            after["audit"], after["members"] = before["audit"], before["members"]
        assert after == before  # a refusal writes nothing
    else:
        SEEN["answered"] += 1
