"""Loading the shipped model motions into the database at start."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.clock import Clock
from bot.domain.motions import MotionText
from bot.storage import motions
from bot.storage.database import Database

log = logging.getLogger(__name__)


def _read(folder: Path) -> list[MotionText]:
    if not folder.is_dir():
        log.warning("no seeds folder at %s: no shipped motions", folder)
        return []
    return motions.read_seed_dir(folder)


async def load(db: Database, folder: Path, clock: Clock) -> int:
    seeds = await asyncio.to_thread(_read, folder)
    if not seeds:
        return 0
    async with db.write() as session:
        changed = await motions.sync_seeds(session, seeds, clock.now())
    if changed:
        log.info("loaded %d model motion(s) from seeds", changed)
    return changed
