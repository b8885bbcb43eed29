"""Motions: the shipped seeds and each group's own."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.motions import MotionText, parse_motion_file
from bot.storage.tables import Motion, MotionTranslation


def read_seed_dir(folder: Path) -> list[MotionText]:
    return [parse_motion_file(p.read_text("utf-8")) for p in sorted(folder.glob("*.md"))]


async def sync_seeds(session: AsyncSession, seeds: list[MotionText], now: datetime) -> int:
    """Insert new seeds and update changed ones, then their translations; returns how
    many rows changed."""
    english = [s for s in seeds if s.language == "en"]
    changed = await _sync_english(session, english, now)
    return changed + await _sync_translations(session, [s for s in seeds if s.language != "en"])


async def _sync_english(session: AsyncSession, seeds: list[MotionText], now: datetime) -> int:
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


async def _sync_translations(session: AsyncSession, seeds: list[MotionText]) -> int:
    """Each shipped translation beside its motion; one whose file is gone goes too. A
    translation without its English motion is not loaded."""
    shipped = {
        m.slug: m.id for m in await session.scalars(select(Motion).where(Motion.chat_id.is_(None)))
    }
    rows = await session.scalars(
        select(MotionTranslation).where(MotionTranslation.motion_id.in_(shipped.values()))
    )
    existing = {(t.motion_id, t.language): t for t in rows}
    changed = 0
    wanted: set[tuple[int, str]] = set()
    for seed in seeds:
        motion_id = shipped.get(seed.slug)
        if motion_id is None:
            continue
        key = (motion_id, seed.language)
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            row = MotionTranslation(motion_id=motion_id, language=seed.language)
            session.add(row)
        elif row.digest == seed.digest:
            continue
        row.title, row.body, row.source, row.digest = (
            seed.title,
            seed.body,
            seed.source,
            seed.digest,
        )
        changed += 1
    for key, row in existing.items():
        if key not in wanted:
            await session.delete(row)
            changed += 1
    await session.flush()
    return changed


async def translation(
    session: AsyncSession, motion: Motion, language: str
) -> MotionTranslation | None:
    """A shipped motion's text in `language`, if it ships one."""
    if motion.chat_id is not None or language == "en":
        return None
    found: MotionTranslation | None = await session.scalar(
        select(MotionTranslation).where(
            MotionTranslation.motion_id == motion.id, MotionTranslation.language == language
        )
    )
    return found


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
