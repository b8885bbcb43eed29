"""Sign-up sheets: stall shifts, canvassing sessions, "tell me more" lists.

A full slot refuses a sign-up unless the member asks to wait; leaving a slot lets the
first in line in, who is told privately.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import UserError
from bot.domain.signups import SheetDraft
from bot.render import slot_name, slot_state
from bot.services import waiting
from bot.services.audit import record
from bot.services.effects import NOTHING, SEND, Actor, Effects, Tx
from bot.storage import signups as sheet_store
from bot.storage.signups import SlotView
from bot.storage.tables import Chat, Member, SignupSheet
from bot.strings import audit as told
from bot.strings import signups as words


@dataclass(frozen=True)
class Sheet:
    sheet: SignupSheet
    slots: list[SlotView]


async def create(tx: Tx, chat: Chat, actor: Actor, draft: SheetDraft) -> Sheet:
    sheet = await sheet_store.create(
        tx.session, chat.id, draft, (await actor.member_or_create()).id, tx.now
    )
    await record(tx, chat, actor, "newsignup", told.EVENT.format(id=sheet.id, title=sheet.title))
    return Sheet(sheet, await sheet_store.slots(tx.session, sheet.id))


async def open_sheets(tx: Tx, chat: Chat) -> list[Sheet]:
    sheets = await sheet_store.open_sheets(tx.session, chat.id, tx.now)
    return [Sheet(s, await sheet_store.slots(tx.session, s.id)) for s in sheets]


async def find(tx: Tx, chat: Chat, sheet_id: int) -> SignupSheet:
    sheet = await sheet_store.get(tx.session, sheet_id)
    if sheet is None or sheet.chat_id != chat.id:
        raise UserError(words.NO_SHEET.format(id=sheet_id), "/signups")
    return sheet


class Joined(StrEnum):
    DOWN = "down"  # signed up
    ALREADY = "already"  # signed up (or waiting) already
    WAITING = "waiting"  # on the slot's waiting list


@dataclass(frozen=True)
class SignedUp:
    joined: Joined
    sheet_id: int
    name: str  # the sheet's, with its slot's: what a short notice may shorten
    place: int = 0  # on the waiting list


async def join(
    tx: Tx, chat: Chat, member: Member, sheet_id: int, wanted: str | None, wait: bool = False
) -> SignedUp:
    """Sign the member up for the slot asked for (by number or name; the only one if
    the sheet has one); onto its waiting list if it is full and they asked to wait."""
    if wanted is not None and wanted.strip().lower().endswith(" wait"):
        wanted, wait = wanted.strip()[:-5], True
    sheet = await find(tx, chat, sheet_id)
    if sheet.deadline is not None and sheet.deadline <= tx.now:
        raise UserError(words.CLOSED.format(title=sheet.title))
    slots = await sheet_store.slots(tx.session, sheet.id)
    if wanted is None:
        if len(slots) > 1:
            choices = "; ".join(f"{s.position}. {s.label}" for s in slots)
            raise UserError(words.WHICH_SLOT.format(choices=choices), f"/signup {sheet.id} 1")
        slot = slots[0]
    else:
        slot = _choose(slots, wanted, sheet.id)
    mine = await sheet_store.member_slots(tx.session, sheet.id, member.id)
    name = slot_name(sheet.title, slot.label)
    if slot.id in mine:
        return SignedUp(Joined.ALREADY, sheet.id, name)
    if slot.full and wait:
        await sheet_store.join(tx.session, slot.id, member.id, tx.now, waiting=True)
        return SignedUp(Joined.WAITING, sheet.id, name, slot.waiting + 1)
    if slot.full:
        open_ = [s for s in slots if not s.full]
        others = "; ".join(f"{s.position}. {s.label} ({slot_state(s)})" for s in open_)
        text = (
            words.FULL_OTHERS.format(name=name, others=others)
            if others
            else words.FULL.format(name=name)
        )
        raise UserError(text, f"/signup {sheet.id} {slot.position} wait")
    await sheet_store.join(tx.session, slot.id, member.id, tx.now)
    return SignedUp(Joined.DOWN, sheet.id, name)


def _choose(slots: list[SlotView], wanted: str, sheet_id: int) -> SlotView:
    text = wanted.strip().lower()
    for slot in slots:
        if text == str(slot.position) or (slot.label and text == slot.label.lower()):
            return slot
    matches = [s for s in slots if s.label and s.label.lower().startswith(text)]
    if len(matches) == 1:
        return matches[0]
    choices = "; ".join(f"{s.position}. {s.label}" for s in slots)
    raise UserError(
        words.NO_SLOT.format(wanted=wanted[:30], id=sheet_id, choices=choices),
        f"/signup {sheet_id} 1",
    )


@dataclass(frozen=True)
class Left:
    was_down: bool
    title: str
    effects: Effects = NOTHING


async def leave(tx: Tx, chat: Chat, member: Member | None, sheet_id: int) -> Left:
    """Withdraw from every slot of the sheet; the first in line takes each freed place."""
    sheet = await find(tx, chat, sheet_id)
    freed = await sheet_store.leave(tx.session, sheet.id, member.id) if member else []
    effects = NOTHING
    for slot_id in freed:
        if await waiting.fill_slot(tx.session, slot_id, tx.now):
            effects = SEND
    return Left(bool(freed), sheet.title, effects)
