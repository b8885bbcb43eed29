"""`muster run`, `muster db upgrade`: thin wrappers over the app."""

from __future__ import annotations

import argparse
import asyncio

from bot import logs
from bot.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="muster", description="Muster organising bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the console when no platform token is set)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="bring the schema up to date")
    args = parser.parse_args(argv)

    settings = Settings()
    secrets = [t.get_secret_value() for t in (settings.telegram_token, settings.discord_token) if t]
    logs.configure(settings.log_level, secrets)
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
