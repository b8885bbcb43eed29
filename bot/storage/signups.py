"""Sign-up sheets, their slots and who is down for what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.signups import SheetDraft
from bot.storage.tables import Member, Signup, SignupSheet, SignupSlot


@dataclass(frozen=True)
class SlotView:
    id: int
    position: int
    label: str
    capacity: int | None
    taken: int
    waiting: int = 0

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)


async def create(
    session: AsyncSession, chat_id: int, draft: SheetDraft, created_by: int | None, now: datetime
) -> SignupSheet:
    sheet = SignupSheet(
        chat_id=chat_id,
        title=draft.title,
        description=draft.description,
        deadline=draft.deadline,
        created_by=created_by,
        created_at=now,
    )
    session.add(sheet)
    await session.flush()
    for position, slot in enumerate(draft.slots, start=1):
        session.add(
            SignupSlot(
                sheet_id=sheet.id, position=position, label=slot.label, capacity=slot.capacity
            )
        )
    await session.flush()
    return sheet


async def get(session: AsyncSession, sheet_id: int) -> SignupSheet | None:
    """The sheet, row-locked where the database can, so capacity checks stay true."""
    sheet: SignupSheet | None = await session.scalar(
        select(SignupSheet).where(SignupSheet.id == sheet_id).with_for_update()
    )
    return sheet


async def open_sheets(session: AsyncSession, chat_id: int, now: datetime) -> list[SignupSheet]:
    rows = await session.scalars(
        select(SignupSheet)
        .where(SignupSheet.chat_id == chat_id)
        .where((SignupSheet.deadline.is_(None)) | (SignupSheet.deadline > now))
        .order_by(SignupSheet.id)
    )
    return list(rows)


async def slots(session: AsyncSession, sheet_id: int) -> list[SlotView]:
    taken = (
        select(
            Signup.slot_id,
            func.sum(case((Signup.waiting.is_(False), 1), else_=0)).label("n"),
            func.sum(case((Signup.waiting.is_(True), 1), else_=0)).label("w"),
        )
        .group_by(Signup.slot_id)
        .subquery()
    )
    rows = await session.execute(
        select(SignupSlot, func.coalesce(taken.c.n, 0), func.coalesce(taken.c.w, 0))
        .outerjoin(taken, taken.c.slot_id == SignupSlot.id)
        .where(SignupSlot.sheet_id == sheet_id)
        .order_by(SignupSlot.position)
    )
    return [
        SlotView(s.id, s.position, s.label, s.capacity, int(n), int(w)) for s, n, w in rows.tuples()
    ]


async def slot_view(session: AsyncSession, slot_id: int) -> SlotView | None:
    slot = await session.get(SignupSlot, slot_id)
    if slot is None:
        return None
    return next((s for s in await slots(session, slot.sheet_id) if s.id == slot_id), None)


async def member_slots(session: AsyncSession, sheet_id: int, member_id: int) -> list[int]:
    rows = await session.scalars(
        select(Signup.slot_id)
        .join(SignupSlot, SignupSlot.id == Signup.slot_id)
        .where(SignupSlot.sheet_id == sheet_id, Signup.member_id == member_id)
    )
    return list(rows)


async def join(
    session: AsyncSession, slot_id: int, member_id: int, now: datetime, waiting: bool = False
) -> None:
    session.add(Signup(slot_id=slot_id, member_id=member_id, created_at=now, waiting=waiting))
    await session.flush()


async def leave(session: AsyncSession, sheet_id: int, member_id: int) -> list[int]:
    """Withdraw from a sheet; returns the slots where a place came free."""
    slot_ids = select(SignupSlot.id).where(SignupSlot.sheet_id == sheet_id)
    held = list(
        await session.scalars(
            select(Signup.slot_id).where(
                Signup.member_id == member_id,
                Signup.slot_id.in_(slot_ids),
                Signup.waiting.is_(False),
            )
        )
    )
    result = await session.execute(
        delete(Signup).where(Signup.member_id == member_id, Signup.slot_id.in_(slot_ids))
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return []
    return held or [0]


async def waiting_line(session: AsyncSession, slot_id: int) -> list[Signup]:
    """A slot's waiting list, first come first."""
    rows = await session.scalars(
        select(Signup)
        .where(Signup.slot_id == slot_id, Signup.waiting.is_(True))
        .order_by(Signup.created_at, Signup.id)
    )
    return list(rows)


async def names(session: AsyncSession, slot_id: int) -> list[str]:
    rows = await session.scalars(
        select(Member.display_name)
        .join(Signup, Signup.member_id == Member.id)
        .where(Signup.slot_id == slot_id, Signup.waiting.is_(False))
        .order_by(Signup.created_at)
    )
    return list(rows)


async def of_member(session: AsyncSession, member_id: int) -> list[tuple[SignupSheet, SignupSlot]]:
    rows = await session.execute(
        select(SignupSheet, SignupSlot)
        .join(SignupSlot, SignupSlot.sheet_id == SignupSheet.id)
        .join(Signup, Signup.slot_id == SignupSlot.id)
        .where(Signup.member_id == member_id)
        .order_by(SignupSheet.id, SignupSlot.position)
    )
    return [(a, b) for a, b in rows.tuples()]
