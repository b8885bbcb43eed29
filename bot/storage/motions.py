"""Motions: the shipped seeds and each group's own."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.motions import MotionText, parse_motion_file
from bot.storage.tables import Motion


def read_seed_dir(folder: Path) -> list[MotionText]:
    return [parse_motion_file(p.read_text("utf-8")) for p in sorted(folder.glob("*.md"))]


async def sync_seeds(session: AsyncSession, seeds: list[MotionText], now: datetime) -> int:
    """Insert new seeds and update changed ones; returns how many rows changed."""
    existing = {
        m.slug: m for m in await session.scalars(select(Motion).where(Motion.chat_id.is_(None)))
    }
    changed = 0
    for seed in seeds:
        row = existing.get(seed.slug)
        if row is None:
            session.add(
                Motion(
                    chat_id=None,
                    slug=seed.slug,
                    title=seed.title,
                    body=seed.body,
                    source=seed.source,
                    digest=seed.digest,
                    updated_at=now,
                )
            )
            changed += 1
        elif row.digest != seed.digest:
            row.title, row.body, row.source = seed.title, seed.body, seed.source
            row.digest, row.updated_at = seed.digest, now
            changed += 1
    await session.flush()
    return changed


async def visible(session: AsyncSession, chat_id: int | None) -> list[Motion]:
    """The motions a group sees: its own first, then shipped ones it has not replaced."""
    condition: ColumnElement[bool] = Motion.chat_id.is_(None)
    if chat_id is not None:
        condition = or_(condition, Motion.chat_id == chat_id)
    rows = list(await session.scalars(select(Motion).where(condition).order_by(Motion.slug)))
    own = {m.slug for m in rows if m.chat_id is not None}
    return [m for m in rows if m.chat_id is not None or m.slug not in own]


async def find(session: AsyncSession, chat_id: int | None, slug: str) -> Motion | None:
    for motion in await visible(session, chat_id):
        if motion.slug == slug:
            return motion
    return None


async def save_own(
    session: AsyncSession,
    chat_id: int,
    slug: str,
    title: str,
    body: str,
    source: str,
    now: datetime,
) -> bool:
    """Add or replace a group's own motion; True when it replaced one."""
    row: Motion | None = await session.scalar(
        select(Motion).where(Motion.chat_id == chat_id, Motion.slug == slug)
    )
    if row is None:
        session.add(
            Motion(
                chat_id=chat_id,
                slug=slug,
                title=title,
                body=body,
                source=source,
                digest="",
                updated_at=now,
            )
        )
        await session.flush()
        return False
    row.title, row.body, row.source, row.updated_at = title, body, source, now
    return True
