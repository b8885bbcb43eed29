"""`muster run`, `muster db upgrade`: thin wrappers over the app."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import Settings


def _logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # httpx logs request URLs, and a Telegram URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="muster", description="Muster organising bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the console when no platform token is set)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="bring the schema up to date")
    args = parser.parse_args(argv)

    settings = Settings()
    _logging(settings.log_level)
    if args.command == "run":
        from bot.app import run

        return asyncio.run(run(settings))
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


if __name__ == "__main__":
    raise SystemExit(main())
