"""Linking chats, on either platform, so that they share events and RSVPs.

A code is guessed at most a few times per chat in a window, and every wrong try is
kept in the audit log, which is what counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import strings
from bot.domain.errors import UserError
from bot.services.audit import record
from bot.services.effects import Actor, Tx
from bot.storage import audit, links
from bot.storage.tables import Chat
from bot.strings import audit as told


async def new_code(tx: Tx, chat: Chat, actor: Actor) -> str:
    code = await links.new_code(tx.session, chat, tx.now)
    await record(tx, chat, actor, "link", told.CODE_ISSUED)
    return code


@dataclass(frozen=True)
class Linked:
    others: list[Chat]  # the chats of the circle now, besides this one; [] for a bad code


async def redeem(tx: Tx, chat: Chat, actor: Actor, code: str) -> Linked:
    """Join the circle of the chat that gave the code. A wrong code is recorded and
    answered, not raised: a raised error would roll the record back with the rest."""
    since = tx.now - links.TRIES_WINDOW
    if await audit.count(tx.session, chat.id, links.FAILED, since) >= links.MAX_WRONG_TRIES:
        raise UserError(strings.LINK_TOO_MANY_TRIES.format(minutes=links.TRIES_MINUTES))
    other = await links.redeem(tx.session, code, chat, tx.now)
    if other is None:
        await record(tx, chat, actor, links.FAILED, told.WRONG_CODE)
        return Linked([])
    circle = await links.circle_of(tx.session, chat)
    await record(tx, chat, actor, "link", told.LINKED_WITH.format(id=other.id))
    return Linked(circle[1:])


async def unlink(tx: Tx, chat: Chat, actor: Actor) -> list[Chat]:
    """Leave the circle; returns the chats left."""
    left = await links.unlink(tx.session, chat)
    if left:
        await record(tx, chat, actor, "unlink", told.LEFT_CHATS.format(len(left)))
    return left
