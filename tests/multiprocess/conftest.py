"""Several `muster run` processes on one PostgreSQL database. These tests load the
machine on purpose (three processes, PostgreSQL and the fakes on a few cores), so they
run by themselves, after the other tiers (`python3 dev.py test`)."""

from __future__ import annotations

from tests.e2e.conftest import (  # noqa: F401  (shared fixtures)
    dc,
    no_bot_left_running,
    tg,
)
