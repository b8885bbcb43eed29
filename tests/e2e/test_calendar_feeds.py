"""Calendar subscriptions over a real socket: fetched as a calendar application fetches
them, parsed with icalendar, expanded with recurring-ical-events to exactly the dates
/events lists, across a clock change; conditional requests, revocation and erasure."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import recurring_ical_events
from icalendar import Calendar
from multidict import CIMultiDict

from bot.app import App
from bot.messaging import Invocation, MessageRef, Press, UserRef
from tests.fakes.recording import RecordingMessenger
from tests.harness import GROUP, FakeClock, command, start_app

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)  # British clocks go forward on 28 March
LINK = re.compile(r"/calendar/([A-Za-z0-9_-]{32})\.ics")
LINE = re.compile(r"^#(\d+) (\w+ \d+ \w+ \d\d:\d\d) · (.+?) ·", re.MULTILINE)


async def say(app: App, platform: RecordingMessenger, line: str, user: str = "org") -> str:
    mark = len(platform.log)
    await app.dispatcher.handle(command(line, user))
    await app.scheduler.run_due()
    return "\n".join(o.text for o in platform.log[mark:])


async def press(app: App, user: str, action: str) -> None:
    await app.dispatcher.handle(
        Invocation(
            chat=GROUP,
            user=UserRef(GROUP.platform, user),
            user_name=user.capitalize(),
            chat_title="Branch",
            action=action,
            press=Press("1", MessageRef(GROUP, "0")),
        )
    )


async def fetch(app: App, token: str, **headers: str) -> tuple[int, bytes, CIMultiDict[str]]:
    assert app.http is not None
    url = f"http://127.0.0.1:{app.http.port}/calendar/{token}.ics"
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as response:
        return response.status, await response.read(), CIMultiDict(response.headers)


def expanded(body: bytes, start: datetime, end: datetime) -> list[tuple[str, str]]:
    """What a calendar application shows between two moments: (local start, title)."""
    calendar = Calendar.from_ical(body)
    shown = recurring_ical_events.of(calendar).between(start, end)
    return sorted(
        (f"{e['DTSTART'].dt:%a %-d %b %H:%M}", str(e["SUMMARY"]))
        for e in shown
        if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"
    )


async def test_a_subscribed_calendar_shows_what_events_lists(tmp_path: Path) -> None:
    platform = RecordingMessenger()
    clock = FakeClock(NOW)
    app = await start_app(
        tmp_path / "m.db", clock, 0.0, lambda _: platform, http_listen="127.0.0.1:0"
    )
    try:
        await say(
            app, platform, "/newevent Branch meeting | Thu 18 Mar 19:30 | Hall | repeat=weekly"
        )
        await say(app, platform, "/newevent Rally | Sat 20 Mar 12:00 | Square")
        await say(app, platform, "/newevent Social | Fri 19 Mar 20:00 | The Crown")
        listed = await say(app, platform, "/events", user="amy")
        dates = {title_when[1]: int(title_when[0]) for title_when in LINE.findall(listed)}
        await say(app, platform, f"/cancelevent {dates['Thu 25 Mar 19:30']} Hall flooded")
        await say(app, platform, f"/cancelevent {dates['Fri 19 Mar 20:00']}")
        listed = await say(app, platform, "/events", user="amy")
        wanted = sorted((when, title) for _, when, title in LINE.findall(listed))
        assert ("Thu 1 Apr 19:30", "Branch meeting") in wanted  # after the clocks change

        answer = await say(app, platform, "/calendar link", user="amy")
        [token] = LINK.findall(answer)
        assert "keep it to yourself" in answer
        again = await say(app, platform, "/calendar link", user="amy")
        assert LINK.findall(again) == [token]  # the same link, asked again
        status, body, headers = await fetch(app, token)
        assert status == 200 and headers["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(body)
        assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        [series] = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
        assert series["RRULE"]["FREQ"] == ["WEEKLY"]
        # UIDs name this deployment: two Muster servers never collide in one application.
        uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
        assert all(re.fullmatch(r"(event|series)-\d+@[0-9a-f]{32}\.muster", u) for u in uids)
        # Exactly what /events lists, up to its last date.
        last = NOW + timedelta(days=36)
        assert expanded(body, NOW, last) == [w for w in wanted if _before(w[0], last)]
        # A cancelled single event stays, as cancelled, for applications to remove it.
        social = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Social"]
        assert [str(e["STATUS"]) for e in social] == ["CANCELLED"]

        # The application's copy is current: 304, by ETag or by date.
        status, again, _ = await fetch(app, token, **{"If-None-Match": headers["ETag"]})
        assert (status, again) == (304, b"")
        status, _, _ = await fetch(app, token, **{"If-Modified-Since": headers["Last-Modified"]})
        assert status == 304
        await say(app, platform, "/newevent Stall | Sat 27 Mar 10:00 | Market")
        status, changed, later = await fetch(app, token, **{"If-None-Match": headers["ETag"]})
        assert status == 200 and later["ETag"] != headers["ETag"] and b"Stall" in changed

        # Wrong tokens say nothing.
        for wrong in ("x" * 32, token[:-1] + ("A" if token[-1] != "A" else "B"), "short"):
            assert (await fetch(app, wrong))[:2] == (404, b"")
    finally:
        await app.stop()


def _before(when: str, last: datetime) -> bool:
    day = datetime.strptime(f"{when} 2027", "%a %d %b %H:%M %Y").replace(tzinfo=UTC)
    return day < last


async def test_mine_revoked_and_erased(tmp_path: Path) -> None:
    platform = RecordingMessenger()
    app = await start_app(
        tmp_path / "m.db", FakeClock(NOW), 0.0, lambda _: platform, http_listen="127.0.0.1:0"
    )
    try:
        await say(app, platform, "/newevent Branch meeting | Thu 18 Mar 19:30 | Hall")
        await say(app, platform, "/newevent Rally | Sat 20 Mar 12:00 | Square")
        await press(app, "amy", "rsvp:going:2")
        [mine] = LINK.findall(await say(app, platform, "/calendar mine", user="amy"))
        status, body, _ = await fetch(app, mine)
        assert status == 200
        assert [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")] == ["Rally"]
        [group] = LINK.findall(await say(app, platform, "/calendar link", user="amy"))
        revoked = await say(app, platform, "/calendar revoke", user="amy")
        assert revoked.startswith("Done: your 2 calendar links stop working now.")
        assert (await fetch(app, mine))[0] == 404 and (await fetch(app, group))[0] == 404
        [fresh] = LINK.findall(await say(app, platform, "/calendar link", user="amy"))
        assert fresh != group and (await fetch(app, fresh))[0] == 200
        # Erased with the member.
        asked = await say(app, platform, "/forgetme", user="amy")
        assert "erases everything" in asked
        forget = next(
            b.action
            for o in platform.log
            if o.card is not None
            for row in o.card.buttons
            for b in row
            if b.action.startswith("privacy:forget:")
        )
        await press(app, "amy", forget)
        assert (await fetch(app, fresh))[0] == 404
    finally:
        await app.stop()


async def test_no_http_address_no_subscription(tmp_path: Path) -> None:
    platform = RecordingMessenger()
    app = await start_app(tmp_path / "m.db", FakeClock(NOW), 0.0, lambda _: platform)
    try:
        answer = await say(app, platform, "/calendar link", user="amy")
        assert answer.startswith("This server does not serve calendar subscriptions")
    finally:
        await app.stop()
