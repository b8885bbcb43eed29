"""The audit log: what organisers did in a group, by whom (an id), and when."""

from __future__ import annotations

from bot.services.effects import Actor, Tx
from bot.storage import audit
from bot.storage.audit import Line
from bot.storage.tables import Chat
from bot.strings import Msg


async def record(tx: Tx, chat: Chat, actor: Actor, action: str, detail: str | Msg) -> None:
    """Record an organiser action in this group: who (by id), when, what."""
    await audit.record(
        tx.session, chat.id, (await actor.member_or_create()).id, action, str(detail), tx.now
    )


async def recent(tx: Tx, chat: Chat) -> list[Line]:
    return await audit.recent(tx.session, chat.id)
