"""`muster db copy`: a running SQLite deployment's data into an empty PostgreSQL
database, every row checked, and the bot carries on there as if nothing had moved."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.storage.base import Base
from bot.storage.tables import Event, Rsvp
from tests import databases
from tests.fakes.recording import RecordingMessenger
from tests.harness import ROOT, FakeClock, command, muster_env, settings_for

pytestmark = pytest.mark.postgresql_only


async def started(url: str, clock: FakeClock, platform: RecordingMessenger) -> App:
    app = App(settings_for(url, 0.0), clock)
    await app.prepare()
    app.messengers.add(platform)
    await app.start()
    return app


async def say(app: App, line: str, user: str = "org") -> None:
    await app.dispatcher.handle(command(line, user))


def copy_to(source: str, target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = muster_env(cwd / "unused.db", MUSTER_DATABASE_URL=source)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "copy", "--to", target],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


async def counts(app: App) -> tuple[int, int]:
    async with app.db.read() as session:
        events = await session.scalar(select(func.count()).select_from(Event))
        answers = await session.scalar(select(func.count()).select_from(Rsvp))
    return int(events or 0), int(answers or 0)


async def test_a_running_sqlite_group_moves_to_postgresql(tmp_path: Path, clock: FakeClock) -> None:
    source = f"sqlite+aiosqlite:///{tmp_path / 'muster.db'}"
    old = await started(source, clock, RecordingMessenger())
    try:
        await say(old, "/newevent Rally | Thu 3 Dec 19:30 | Square | remind=1h")
        await say(old, "/newevent Stall | Sat 5 Dec 10:00 | Market")
        await say(old, "/newsignup Leaflets | slots=Am,Pm")
        for n in range(12):
            await say(old, f"/rsvp {1 + n % 2} yes", user=f"m{n}")
        await say(old, "/iam branch=Bow", user="m0")
        await say(old, "/signup 1 1", user="m1")
        await old.scheduler.run_due()
        before = await counts(old)
        # Copied while the bot runs: the source is read as one snapshot.
        target = databases.url_for(tmp_path / "target")
        done = copy_to(source, target, tmp_path)
    finally:
        await old.stop()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    tables = {line.split()[0]: int(line.split()[1]) for line in lines if "sha256" in line}
    assert set(tables) == {t.name for t in Base.metadata.sorted_tables}
    assert tables["events"] == 2 and tables["rsvps"] == 12 and tables["signups"] == 1
    assert lines[-1].startswith(f"copied {sum(tables.values())} rows")

    platform = RecordingMessenger()
    new = await started(target, clock, platform)
    try:
        assert await counts(new) == before
        await say(new, "/newevent Social | Fri 4 Dec 20:00 | Pub")  # the ids go on
        await new.scheduler.run_due()
        assert any("Social · #3" in o.text for o in platform.log), [o.text for o in platform.log]
        await say(new, "/rsvp 1 no", user="m0")  # a member's own answer, changed there
        async with new.db.read() as session:
            assert await session.scalar(select(func.count()).select_from(Rsvp)) == 12
    finally:
        await new.stop()

    again = copy_to(source, target, tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr


async def test_a_source_behind_this_version_is_refused(tmp_path: Path) -> None:
    from bot.storage.database import Database
    from bot.storage.engine import upgrade

    source = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    db = Database.from_url(source)
    try:
        await upgrade(db.engine, "0007")
    finally:
        await db.close()
    target = databases.url_for(tmp_path / "target")
    done = copy_to(source, target, tmp_path)
    assert done.returncode == 1 and "muster db upgrade" in done.stderr
