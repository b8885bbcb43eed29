"""/forgetme leaves no byte of the member behind; backups are consistent and restorable."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import ROOT, Harness

SECRET_NAME = "Zephyrine Quillfeather"
SECRET_ID = "918273645501"


def files_of(db: Path) -> list[Path]:
    return [p for p in (db, db.with_name(db.name + "-wal")) if p.exists()]


def holds(path: Path, needle: str) -> bool:
    data = path.read_bytes()
    return needle.encode() in data or needle.encode("utf-16-le") in data


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSTER_")}
    env["MUSTER_DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.sqlite_only
async def test_forgetme_leaves_no_trace_in_the_file_the_wal_or_a_backup(bot: Harness) -> None:
    await bot.say("/newevent Past | tomorrow 19:00 | Hall")
    await bot.say("/newevent Future | Thu 3 Dec 19:30 | Hall")
    await bot.say("/newsignup Stall")
    for line in (
        "/iam clp=Harborough branch=Lutterworth",
        "/rsvp 1 yes +1",
        "/rsvp 2 maybe",
        "/signup 1",
        "/my",
    ):
        await bot.say(line, user=SECRET_ID, name=SECRET_NAME)
    await bot.say(f"/settings organisers={SECRET_NAME}")
    db = bot.path
    assert any(holds(p, SECRET_NAME) for p in files_of(db))  # the search can find it
    outs = await bot.say("/forgetme", user=SECRET_ID, name=SECRET_NAME)
    action = [o for o in outs if o.card and o.card.buttons][-1].card.buttons[0][0].action  # type: ignore[union-attr]
    from datetime import UTC, datetime

    bot.clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # event 1 is now past
    await bot.press(action, user=SECRET_ID, name=SECRET_NAME)
    for path in files_of(db):
        assert not holds(path, SECRET_NAME), path
        assert not holds(path, SECRET_ID), path
    backup = db.with_name("after.db")
    done = await asyncio.to_thread(cli, "db", "backup", str(backup), db=db)
    assert done.returncode == 0, done.stderr
    assert not holds(backup, SECRET_NAME) and not holds(backup, SECRET_ID)
    with sqlite3.connect(backup) as conn:  # the past answer stays, as a number
        assert conn.execute("SELECT count(*) FROM rsvps WHERE member_id IS NULL").fetchone() == (1,)


async def test_mydata_is_one_json_file(bot: Harness) -> None:
    await bot.say("/iam clp=Harborough", user="amy", name="Amy")
    outs = await bot.say("/mydata", user="amy", name="Amy")
    files = [o for o in outs if o.kind == "file"]
    assert len(files) == 1 and files[0].file is not None
    assert files[0].file.name.endswith(".json")


@pytest.mark.sqlite_only
async def test_backup_while_running_and_restore(bot: Harness, tmp_path: Path) -> None:
    db = bot.path
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall")
    writer = asyncio.create_task(_keep_answering(bot))
    try:
        copy = tmp_path / "backups" / "muster-1.db"
        done = await asyncio.to_thread(cli, "db", "backup", str(copy), db=db)
        assert done.returncode == 0, done.stderr
        assert "backed up" in done.stdout
    finally:
        writer.cancel()
        await asyncio.gather(writer, return_exceptions=True)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT title FROM events").fetchall() == [("Meeting",)]
        answers = conn.execute("SELECT count(*) FROM rsvps").fetchone()[0]
    # Restoring refuses while the bot runs…
    refused = await asyncio.to_thread(cli, "db", "restore", str(copy), db=db)
    assert refused.returncode == 1 and "another Muster process" in refused.stderr
    await bot.say("/cancelevent 1")
    await bot.stop()
    # …and puts the copy back once it is stopped.
    restored = await asyncio.to_thread(cli, "db", "restore", str(copy), db=db)
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM events").fetchall() == [("scheduled",)]
        assert conn.execute("SELECT count(*) FROM rsvps").fetchone()[0] == answers
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"garbage" * 100)
    refused = await asyncio.to_thread(cli, "db", "restore", str(bad), db=db)
    assert refused.returncode == 1 and "not a Muster database" in refused.stderr
    await bot.start()


async def _keep_answering(bot: Harness) -> None:
    i = 0
    while True:
        i += 1
        await bot.press("rsvp:going:1", user=f"w{i}", name=f"Writer {i}")
        await asyncio.sleep(0)
