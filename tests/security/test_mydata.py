"""/mydata holds every row about the member, in every table that refers to her."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Integer

from bot.storage.base import Base
from bot.storage.tables import Member
from tests.harness import Harness

# Names that say a column holds a member's id, whether or not it has a foreign key.
MEMBER_ID_NAME = re.compile(r"^(member_id|actor_id|.*_by)$")


def columns_about_members() -> set[str]:
    """Walk the schema: every foreign key to members, and every integer column whose
    name says it holds a member (kept without a key)."""
    found = set()
    for table in Base.metadata.sorted_tables:
        if table.name == Member.__tablename__:
            continue
        for column in table.columns:
            keyed = any(fk.column.table.name == "members" for fk in column.foreign_keys)
            named = isinstance(column.type, Integer) and MEMBER_ID_NAME.match(column.name)
            if keyed or named:
                found.add(f"{table.name}.{column.name}")
    return found


async def mydata(bot: Harness, user: str, name: str) -> dict[str, Any]:
    outs = await bot.say("/mydata", user=user, name=name)
    [file] = [o for o in outs if o.kind == "file"]
    assert file.file is not None
    data: dict[str, Any] = json.loads(file.file.data)
    return data


async def test_every_table_that_refers_to_a_member_is_in_the_export(bot: Harness) -> None:
    assert len(columns_about_members()) >= 12  # the walk finds what there is
    await bot.say("/iam branch=Bow", user="amy", name="Amy Jones")  # little held yet
    data = await mydata(bot, "amy", "Amy Jones")
    assert columns_about_members() <= set(data["records"])


async def test_a_member_who_did_everything_finds_it_all(bot: Harness) -> None:
    amy = {"user": "amy", "name": "Amy Jones"}
    await bot.say("/iam clp=Harborough branch=Bow", **amy)
    await bot.say("/settings organisers=Amy Jones")  # an organiser role
    await bot.say("/newevent Dinner | Thu 3 Dec 19:00 | Cafe | capacity=1", **amy)  # #1
    await bot.say("/newevent Meeting | Fri 4 Dec 19:00 | Hall | repeat=weekly", **amy)
    await bot.say("/newsignup Stall | slots=Morning:1", **amy)
    await bot.say("/motionstatus mandatory-reselection passed", **amy)
    await bot.press("rsvp:going:1", user="ben", name="Ben Ng")
    await bot.press("rsvp:going:1", **amy)  # full: Amy waits, number 1
    await bot.say("/signup 1 1", **amy)
    await bot.say("/calendar link", **amy)  # a calendar subscription
    bot.clock.set(bot.clock.now().replace(day=3, hour=18, minute=45))
    await bot.say("/checkin 1 Ben Ng", **amy)  # a check-in she made
    await bot.say("/checkin 1 Amy Jones")  # one she received
    await bot.press("rsvp:no:1", user="ben", name="Ben Ng")  # Amy is moved in, and told
    data = await mydata(bot, "amy", "Amy Jones")
    records = data["records"]
    empty = sorted(k for k in columns_about_members() if not records.get(k))
    assert empty == [], empty
    assert data["organiser_of"] == ["Test group"]
    assert data["groups"][0]["last_seen"]
    marked = records["attendance.marked_by"][0]
    assert marked["marked_by"] == "you" and marked["member_id"] == "another member"
    # Moved in from the waiting list; the figures owed her after the meeting she checked in.
    assert {n["purpose"] for n in records["outbox.member_id"]} == {"promoted", "after_meeting"}
    assert data["rsvps"][0]["answer"] == "going"
    assert "Ben Ng" not in json.dumps(data)  # another member's name is not hers to see


async def test_a_waiting_list_place_and_when_it_was_taken(bot: Harness) -> None:
    await bot.say("/newevent Dinner | Thu 3 Dec 19:00 | Cafe | capacity=1")
    await bot.press("rsvp:going:1", user="ben", name="Ben Ng")
    await bot.press("rsvp:going:1", user="cat", name="Cat Fox")
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    data = await mydata(bot, "amy", "Amy Jones")
    [answer] = data["rsvps"]
    assert answer["answer"] == "waiting" and answer["waiting_list_place"] == 2
    assert answer["answered_at"]
