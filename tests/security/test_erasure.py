"""Erasure is final: the audit log forgets who acted and never names a newcomer in her
place, her places go to the first in line, a restore cannot bring her back, and every
file the database lives in is readable by its owner only."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.storage.tables import AuditEntry, Member
from tests.harness import Harness
from tests.storage.test_erasure_and_backup import cli


async def forget(bot: Harness, user: str, name: str) -> None:
    outs = await bot.say("/forgetme", user=user, name=name)
    [action] = [
        b.action
        for o in outs
        if o.card is not None
        for row in o.card.buttons
        for b in row
        if b.action.startswith("privacy:forget:")
    ]
    await bot.press(action, user=user, name=name)


def private_to(outs: list, user: str) -> list[str]:  # type: ignore[type-arg]
    return [o.text for o in outs if o.kind == "private" and o.target.id == user]


async def test_the_audit_log_never_names_a_newcomer_as_the_author(bot: Harness) -> None:
    await bot.say("/iam branch=Bow", user="olive", name="Olive Second")
    await bot.say("/settings organisers=Olive Second")
    await bot.say("/newevent Stall | Thu 3 Dec 10:00 | Market", user="olive", name="Olive Second")
    await forget(bot, "olive", "Olive Second")
    # A newcomer arrives after the erasure and does something remembered.
    await bot.say("/iam branch=Bow", user="newbie", name="Nina Newcomer")
    audit = "\n".join(o.text for o in await bot.say("/audit") if o.kind == "private")
    assert "Nina Newcomer" not in audit
    assert "(erased member)" in audit
    async with bot.running.db.read() as session:
        actors = set(await session.scalars(select(AuditEntry.actor_id)))
        nina = await session.scalar(select(Member).where(Member.platform_user_id == "newbie"))
    assert nina is not None and nina.id not in actors
    assert None in actors  # Olive's actions stay, without an author


async def test_erasure_moves_the_waiting_lists_up(bot: Harness) -> None:
    await bot.say("/newevent Dinner | Thu 3 Dec 19:00 | Cafe | capacity=1")
    await bot.say("/newsignup Stall | slots=Morning:1")
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    await bot.say("/signup 1 1", user="amy", name="Amy Jones")
    await bot.press("rsvp:going:1", user="ben", name="Ben Ng")  # the waiting list
    await bot.say("/signup 1 1 wait", user="ben", name="Ben Ng")
    mark = bot.mark()
    await forget(bot, "amy", "Amy Jones")
    told = private_to(bot.since(mark), "ben")
    assert any("A place came free: you're now going to Dinner" in t for t in told), told
    assert any("you're now down for Stall (Morning)" in t for t in told), told
    [card] = await bot.say("/event 1")
    assert "Going 1/1" in card.text and "Waiting list" not in card.text


@pytest.mark.sqlite_only
async def test_a_restore_from_before_an_erasure_does_not_bring_her_back(
    bot: Harness, tmp_path: Path
) -> None:
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    await bot.say("/iam clp=Harborough branch=Bow", user="amy", name="Amy Jones")
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    copy = tmp_path / "before.db"
    done = await asyncio.to_thread(cli, "db", "backup", str(copy), db=bot.path)
    assert done.returncode == 0, done.stderr
    await forget(bot, "amy", "Amy Jones")
    await bot.stop()
    restored = await asyncio.to_thread(cli, "db", "restore", str(copy), db=bot.path)
    assert restored.returncode == 0, restored.stderr
    await bot.start()
    async with bot.running.db.read() as session:
        names = list(await session.scalars(select(Member.display_name)))
    assert "Amy Jones" not in names
    outs = await bot.say("/mydata", user="amy", name="Amy Jones")
    assert not [o for o in outs if o.kind == "file"]
    [card] = await bot.say("/event 1")
    assert "Going 0" in card.text  # her answer to the event to come went with her


@pytest.mark.sqlite_only
async def test_every_database_file_is_for_its_owner_only(bot: Harness, tmp_path: Path) -> None:
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")
    await forget(bot, "amy", "Amy Jones")  # writes the list of the erased beside it
    copy = tmp_path / "backups" / "copy.db"
    done = await asyncio.to_thread(cli, "db", "backup", str(copy), db=bot.path)
    assert done.returncode == 0, done.stderr
    db = bot.path
    files = [db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", ".lock", ".erased"))]
    files.append(copy)
    for path in files:
        assert path.exists(), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, (path, oct(path.stat().st_mode))
