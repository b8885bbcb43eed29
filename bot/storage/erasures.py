"""The list of erased members, kept so that no restore can bring one back.

Each erasure is a one-way hash of the platform identity, written in the same
transaction as the erasure. Beside an SQLite database the list is mirrored in a file
(`<database>.erased`, readable by its owner only) that `muster db restore` leaves alone:
a backup taken before an erasure is put back, and at the next start every identity in
the file is erased again before any platform connects.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messaging import UserRef
from bot.storage.tables import Erasure, Member


def identity(ref: UserRef) -> str:
    return hashlib.sha256(f"muster-erased:{ref.platform}:{ref.id}".encode()).hexdigest()


async def record(session: AsyncSession, ref: UserRef, now: datetime) -> None:
    key = identity(ref)
    if await session.scalar(select(Erasure.id).where(Erasure.identity == key)) is None:
        session.add(Erasure(identity=key, at=now))


async def remember(session: AsyncSession, identities: set[str], now: datetime) -> None:
    """Put identities from the mirror file back on the list (a restore lost them)."""
    for key in sorted(identities):
        session.add(Erasure(identity=key, at=now))


async def known(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(Erasure.identity)))


async def members_erased_before(session: AsyncSession, identities: set[str]) -> list[Member]:
    """Members whose identity is on the list: rows a restore brought back."""
    if not identities:
        return []
    everyone = await session.scalars(select(Member))
    return [m for m in everyone if identity(UserRef(m.platform, m.platform_user_id)) in identities]


def mirror_path(database: Path) -> Path:
    return database.with_name(database.name + ".erased")


def read_mirror(database: Path) -> set[str]:
    path = mirror_path(database)
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if len(line.strip()) == 64}


def write_mirror(database: Path, identities: set[str]) -> None:
    """Replace the file whole (written aside, then renamed), owner-only."""
    path = mirror_path(database)
    spare = path.with_name(path.name + ".new")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("".join(f"{key}\n" for key in sorted(identities)))
        out.flush()
        os.fsync(out.fileno())
    os.replace(spare, path)
