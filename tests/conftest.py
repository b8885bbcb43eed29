from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests import databases
from tests.harness import FakeClock, Harness


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=databases.BACKENDS,
        default=databases.SQLITE,
        help="run the database tiers on SQLite files or on a throwaway PostgreSQL cluster",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite's own file, locks or driver; not run on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "postgresql_only: needs the PostgreSQL cluster; run with --database postgresql"
    )
    databases.use(config.getoption("--database"))


def pytest_sessionfinish() -> None:
    databases.stop()


# A Monday morning: 3 Dec 2026 is the Thursday after next.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def bot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = await Harness(tmp_path / "muster.db", clock).start()
    try:
        yield harness
    finally:
        await harness.stop()


# The longest tests start first, so that the others share the remaining workers
# meanwhile instead of leaving one worker running a long test alone at the end.
LONGEST_FIRST = ("test_crash_safety.py", "test_fuzz.py", "test_large_inputs.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # What is one database's alone runs in that database's run (dev.py test runs both).
    other = "sqlite_only" if databases.on_postgresql() else "postgresql_only"
    kept = [item for item in items if item.get_closest_marker(other) is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept

    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)
