"""Groups as the bot meets them: joined, left, moved to a new id; and what a group
shows, for suggestions as a member types."""

from __future__ import annotations

from bot.domain.text import one_line
from bot.messaging import ChatRef
from bot.services.effects import Tx
from bot.storage import chats
from bot.storage import events as event_store
from bot.storage.tables import Chat, Event

SUGGESTED = 50  # upcoming events looked through for suggestions


def name_of(chat: Chat) -> str:
    """A group's name where a calendar or a caption shows it: the one its organisers
    set, else the platform's title, else Muster's."""
    return one_line(chat.display_name or chat.title) or "Muster"


async def upcoming(tx: Tx, ref: ChatRef) -> list[Event]:
    found = await chats.get(tx.session, ref)
    if found is None:
        return []
    return await event_store.upcoming(tx.session, found.id, tx.now, limit=SUGGESTED)


async def joined(tx: Tx, ref: ChatRef, title: str, timezone: str) -> None:
    """The bot was added: the group is known (and active again, if it was before)."""
    await chats.get_or_create(tx.session, ref, title, timezone, tx.now)


async def left(tx: Tx, ref: ChatRef) -> None:
    """Removed from a group: nothing more is posted there; the data stays for the
    retention rules."""
    found = await chats.get(tx.session, ref)
    if found is not None:
        found.active = False


async def moved(tx: Tx, old: ChatRef, new: ChatRef) -> None:
    await chats.move(tx.session, old, new)
