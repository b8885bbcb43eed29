"""A real SQLite file, migrated, for each storage test that asks for `db`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'storage.db'}")
    await database.upgrade()
    try:
        yield database
    finally:
        await database.close()
