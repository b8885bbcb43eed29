"""Turnout you can see: /stats's chart and CSV, /motiontally's chart, the week's digest
and the organisers' figures after a meeting, each sent once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from PIL import Image

from bot import charts
from tests.fakes.recording import Out
from tests.harness import Harness, one_line


def files(outs: list[Out]) -> dict[str, bytes]:
    return {o.file.name: o.file.data for o in outs if o.file is not None}


async def _two_meetings(bot: Harness) -> None:
    """Meeting 1 debates a motion: Amy and Ben say Going, Cy Maybe; Amy and Dee (who
    said nothing) come. Meeting 2: Amy says Going and comes again."""
    await bot.say(
        "/newevent Branch meeting | Tue 24 Nov 19:00 | Hall | motion=mandatory-reselection"
    )
    await bot.say("/newevent Branch meeting | Thu 26 Nov 19:00 | Hall")
    await bot.say("/newevent Rally | Wed 25 Nov 12:00 | Square")  # not a meeting
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    await bot.press("rsvp:going:1", user="ben", name="Ben Ng")
    await bot.press("rsvp:maybe:1", user="cy", name="Cy Evans")
    await bot.press("rsvp:going:2", user="amy", name="Amy Jones")
    bot.clock.set(datetime(2026, 11, 24, 19, 5, tzinfo=UTC))
    await bot.say("/checkin 1")
    await bot.press("checkin:here:1", user="amy", name="Amy Jones")
    await bot.press("checkin:here:1", user="dee", name="Dee Roy")
    await bot.say("/motionstatus mandatory-reselection passed Carried")
    bot.clock.set(datetime(2026, 11, 26, 19, 5, tzinfo=UTC))
    await bot.say("/checkin 2")
    await bot.press("checkin:here:2", user="amy", name="Amy Jones")
    bot.clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))


async def test_stats_draws_the_groups_turnout_and_gives_its_figures(bot: Harness) -> None:
    assert one_line(await bot.say("/stats")) == (
        "This group has no past meetings yet: /stats shows them once it has."
    )
    await _two_meetings(bot)
    assert one_line(await bot.say("/stats", user="amy")).startswith("Only this group's organisers")
    outs = await bot.say("/stats")
    assert all(o.kind in ("file", "private", "answer") for o in outs)
    sent = files(outs)
    png, table = sent["turnout.png"], sent["turnout.csv"]
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (1200, 900)
    rows = list(csv.reader(io.StringIO(table.decode())))
    assert rows[0] == [
        "event_id", "date", "title", "said_going", "said_maybe", "came", "going_who_came",
        "motion", "outcome",
    ]  # fmt: skip
    assert rows[1:] == [
        [
            "1",
            "2026-11-24",
            "Branch meeting",
            "2",
            "1",
            "2",
            "1",
            "mandatory-reselection",
            "passed",
        ],
        ["2", "2026-11-26", "Branch meeting", "1", "0", "1", "1", "", ""],
    ]
    drawn = charts.figures_in(png)
    assert (
        [(m["going"], m["maybe"], m["came"]) for m in drawn["meetings"]]
        == [  # type: ignore[index]
            (int(r[3]), int(r[4]), int(r[5])) for r in rows[1:]
        ]
    )
    assert [m["motion"] for m in drawn["meetings"]] == ["passed", ""]  # type: ignore[index]
    # Average turnout (2 + 1) / 2; of the three who said Going, two came.
    assert drawn["summary"] == "Average turnout 1.5 · 67% of those who said Going came"
    assert "Amy" not in str(drawn) and b"Amy" not in png  # nothing personal is drawn
    one = charts.figures_in(files(await bot.say("/stats 1"))["turnout.png"])
    assert len(one["meetings"]) == 1  # type: ignore[arg-type]


async def test_motiontally_shows_every_member_a_chart_of_counts(bot: Harness) -> None:
    await bot.say("/motionstatus mandatory-reselection submitted")
    outs = await bot.say("/motiontally mandatory-reselection", user="amy")
    [text] = [o for o in outs if o.card is not None]
    assert "submitted in 1 group" in text.text
    [chart] = [o for o in outs if o.file is not None]
    assert chart.kind == "file" and chart.target == text.target  # in the chat, for all
    drawn = charts.figures_in(chart.file.data)  # type: ignore[union-attr]
    assert drawn == {"statuses": [{"status": "submitted", "groups": 1, "clps": 0}]}


async def test_the_weeks_digest_is_posted_once_on_its_day(bot: Harness) -> None:
    await bot.say("/newevent Branch meeting | Thu 26 Nov 19:00 | Hall")
    await bot.say("/newevent Nominations close | Fri 4 Dec 23:59 | | kind=deadline")
    await bot.press("rsvp:going:1", user="amy")
    [saved] = await bot.say("/settings digest=Mon 9:00")
    assert "digest = mon 09:00" in saved.text
    assert one_line(await bot.say("/settings digest=someday")).startswith(
        "“someday” is not a digest"
    )
    await bot.running.plan_digests()
    # Monday 30 November, 09:00 in London.
    assert [o for o in await bot.tick(days=6, hours=22, minutes=59) if "📅" in o.text] == []
    [digest] = [o for o in await bot.tick(minutes=2) if "📅" in o.text]
    assert digest.text.startswith("📅 The week ahead in Test group:")
    assert "#2 Fri 4 Dec 23:59 · Nominations close" in digest.text
    await bot.restart()
    await bot.running.plan_digests()
    assert [o for o in await bot.tick(hours=2) if "📅" in o.text] == []  # once
    # The next Monday's is owed, and a change of setting withdraws it.
    await bot.say("/settings digest=off")
    assert [o for o in await bot.tick(days=7) if "📅" in o.text] == []


async def test_organisers_get_the_figures_an_hour_after_a_meeting_with_check_in(
    bot: Harness,
) -> None:
    mark = bot.mark()
    await _two_meetings(bot)
    await bot.tick(seconds=1)
    sent = [o for o in bot.since(mark) if o.text.startswith("After Branch meeting")]
    [first] = [o for o in sent if "24 Nov" in o.text]
    [second] = [o for o in sent if "26 Nov" in o.text]
    assert first.kind == "private" and str(first.target.id) == "org"
    assert "After Branch meeting (Tue 24 Nov 2026, 19:00" in first.text
    assert "2 said Going, 2 came, 1 came without saying" in first.text
    assert first.text.endswith("First time at a meeting here, to welcome: Amy Jones, Dee Roy")
    assert second.text.endswith("Nobody came for the first time.")  # Amy had come before
    await bot.restart()
    assert [o for o in await bot.tick(hours=3) if o.text.startswith("After")] == []
