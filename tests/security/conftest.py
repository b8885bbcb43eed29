from __future__ import annotations

from tests.e2e.conftest import (  # noqa: F401  (shared fixtures)
    dc,
    discord_world,
    no_bot_left_running,
    tg,
    world,
)
