"""A real database, migrated, for each storage test that asks for `db`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database
from tests import databases


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database.from_url(await databases.migrated(tmp_path / "storage.db"))
    try:
        yield database
    finally:
        await database.close()
