"""Members: naming them in a command, their own facts, plans and choices, and keeping
their facts fresh.

A display name is a claim anyone can copy, so a plain name is taken only when exactly
one member *of this group* has it, and every other form (a mention the platform vouches
for, an @handle, a platform id) is looked up among the group's own members too: no
group can learn, or write anything about, who uses Muster elsewhere. The refusal is
the same whether or not the person exists on the platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import strings
from bot.domain.errors import UserError
from bot.domain.outbox import Purpose
from bot.messaging import Mention, UserRef
from bot.services.effects import Tx
from bot.storage import events as event_store
from bot.storage import members, outbox, reconfirm
from bot.storage import signups as sheet_store
from bot.storage.tables import Chat, Event, Member, Rsvp, SignupSheet, SignupSlot
from bot.strings import Msg

_DISCORD_MENTION = re.compile(r"<@!?(\d{1,20})>")
_ID = re.compile(r"\d{1,20}")
_HANDLE = re.compile(r"@(\w{1,64})")
MAX_NAMED = 20  # one command names at most this many members


@dataclass(frozen=True)
class Naming:
    """How a command names members: its text, the mentions the platform vouches for,
    and the author of the message it replies to (who is in the chat, so proven)."""

    text: str
    mentions: tuple[Mention, ...] = ()
    replied_to: UserRef | None = None
    replied_name: str = ""
    actor: UserRef | None = None


async def named(tx: Tx, chat: Chat, naming: Naming, example: str | Msg) -> list[Member]:
    """The members a comma-separated list names, and the author replied to."""
    tokens = [t.strip() for t in naming.text.split(",") if t.strip()]
    if len(tokens) > MAX_NAMED:
        raise UserError(strings.TOO_MANY_NAMED.format(limit=MAX_NAMED), example)
    found = [await _one(tx, chat, naming.mentions, token, example) for token in tokens]
    if naming.replied_to is not None and naming.replied_to != naming.actor:
        member = await members.get_or_create(
            tx.session, naming.replied_to, naming.replied_name, tx.now
        )
        await members.seen(tx.session, chat.id, member.id, tx.now)
        found.append(member)
    return list({m.id: m for m in found}.values())


async def _one(
    tx: Tx, chat: Chat, mentions: tuple[Mention, ...], token: str, example: str | Msg
) -> Member:
    session, platform = tx.session, chat.platform
    mention = next((m for m in mentions if m.text.strip() == token), None)
    if mention is not None and mention.user is not None:
        found = await members.in_chat(session, chat.id, platform, user_id=mention.user.id)
    elif match := _DISCORD_MENTION.fullmatch(token):
        found = await members.in_chat(session, chat.id, platform, user_id=match.group(1))
    elif _ID.fullmatch(token):
        found = await members.in_chat(session, chat.id, platform, user_id=token)
    elif match := _HANDLE.fullmatch(token):
        found = await members.in_chat(session, chat.id, platform, handle=match.group(1))
    else:
        found = await members.in_chat(session, chat.id, platform, name=token)
    shown = " ".join(token.split())[:40]
    if not found:
        raise UserError(strings.NOBODY_HERE.format(name=shown), example)
    if len(found) > 1:
        raise UserError(strings.SEVERAL_HERE.format(name=shown), example)
    return found[0]


def set_facts(tx: Tx, member: Member, facts: dict[str, str]) -> None:
    """The member's CLP and/or branch, confirmed now."""
    if "clp" in facts:
        member.clp = facts["clp"]
    if "branch" in facts:
        member.branch = facts["branch"]
    member.facts_confirmed_at = tx.now


def confirm_facts(tx: Tx, member: Member) -> None:
    member.facts_confirmed_at = tx.now


def set_private_reminders(member: Member, on: bool) -> None:
    member.private_reminders = on


@dataclass(frozen=True)
class Plans:
    answers: list[tuple[Event, Rsvp]]
    signups: list[tuple[SignupSheet, SignupSlot]]  # of sheets still open


async def plans(tx: Tx, member: Member | None) -> Plans:
    """The member's upcoming answers and open sign-ups."""
    if member is None:
        return Plans([], [])
    answers = await event_store.my_upcoming(tx.session, member.id, tx.now)
    sheets = [
        (sheet, slot)
        for sheet, slot in await sheet_store.of_member(tx.session, member.id)
        if sheet.deadline is None or sheet.deadline > tx.now
    ]
    return Plans(answers, sheets)


async def ask_to_reconfirm(session: AsyncSession, now: datetime, months: int) -> int:
    """Owe a question to members whose CLP or branch is older than `months` and who were
    not asked in the last month (a day's batch at most); returns how many."""
    due = await reconfirm.due(session, now, months)
    for member in due:
        member.facts_asked_at = now
    key = now.strftime("%Y-%m-%d")
    added = await outbox.add_for_members(session, [m.id for m in due], Purpose.RECONFIRM, key, now)
    return len(added)
