"""`muster run` and `muster db …`: thin wrappers over the app."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bot import logs
from bot.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="muster", description="Muster organising bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the console when no platform token is set)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="bring the schema up to date")
    save = db_sub.add_parser("backup", help="copy the SQLite database, even while it runs")
    save.add_argument("file", type=Path)
    load = db_sub.add_parser("restore", help="put a backup back (stop the bot first)")
    load.add_argument("file", type=Path)
    move = db_sub.add_parser("copy", help="copy every row into a new, empty database")
    move.add_argument("--to", required=True, metavar="URL", help="the target's database URL")
    args = parser.parse_args(argv)

    settings = Settings()
    secrets = [t.get_secret_value() for t in (settings.telegram_token, settings.discord_token) if t]
    logs.configure(settings.log_level, secrets)
    if args.command == "run":
        from bot.app import run

        return loop_runner()(run(settings))
    if args.db_command in ("backup", "restore"):
        return _backup_or_restore(settings, args.db_command, args.file)
    if args.db_command == "copy":
        return asyncio.run(_copy(settings, args.to))
    from bot.storage.database import Database

    async def upgrade() -> None:
        database = Database.from_url(settings.database_url)
        try:
            await database.upgrade()
        finally:
            await database.close()

    asyncio.run(upgrade())
    print("database is up to date")
    return 0


def loop_runner() -> Callable[[Coroutine[Any, Any, int]], int]:
    """How `muster run` runs its event loop: uvloop's where it is installed (not on
    Windows), asyncio's own otherwise.

    Each press is a few socket writes and wake-ups of the loop (the update, the answer,
    the database's round trips); uvloop does each in C, and took about a sixth off a
    press's cost on PostgreSQL (docs/benchmarks.md)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


async def _copy(settings: Settings, target: str) -> int:
    from bot.storage.copy import Copied, CopyError, copy
    from bot.storage.database import Database

    def report(done: Copied) -> None:
        print(f"{done.table:<16} {done.rows:>9} rows  sha256 {done.checksum}", flush=True)

    source = Database.from_url(settings.database_url)
    try:
        rows = await copy(source.reader, target, report)
    except CopyError as exc:
        print(f"muster: {exc}", file=sys.stderr)
        return 1
    finally:
        await source.close()
    print(f"copied {rows} rows; every table's count and checksum match")
    return 0


def _backup_or_restore(settings: Settings, command: str, file: Path) -> int:
    from bot.storage import backup
    from bot.storage.lock import AlreadyRunning, OwnerLock

    database = settings.sqlite_path()
    if database is None:
        print(
            "muster: backup and restore are for SQLite; use pg_dump for PostgreSQL", file=sys.stderr
        )
        return 2
    try:
        if command == "backup":
            pages = backup.backup(database, file)
            print(f"backed up {pages} pages to {file}")
            return 0
        lock = OwnerLock(database)
        lock.acquire()  # refuses while the bot runs
        try:
            backup.restore(file, database)
        finally:
            lock.release()
        print(f"restored {database} from {file}")
        return 0
    except (backup.BackupError, AlreadyRunning) as exc:
        print(f"muster: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
