"""A group's settings: read by anyone, changed by its organisers, all or nothing."""

from __future__ import annotations

from bot.services import digests
from bot.services.audit import record
from bot.services.effects import LANGUAGES, NOTHING, SEND, Actor, Effects, Tx, refresh
from bot.storage import events as event_store
from bot.storage import organisers
from bot.storage.series import UPCOMING_QUOTA
from bot.storage.tables import Chat, Member

# Setting names as organisers type them → the group's columns.
COLUMNS = {"name": "display_name", "remind": "reminder_offsets"}


async def organiser_names(tx: Tx, chat: Chat) -> list[str]:
    """The members added as organisers (besides the platform's admins)."""
    return await organisers.names(tx.session, chat.id)


async def change(
    tx: Tx,
    chat: Chat,
    actor: Actor,
    updates: dict[str, str | bool],
    new_organisers: list[Member] | None,
    given: list[str],
) -> Effects:
    """Apply checked changes together (`None`: the organisers stay as they are)."""
    for key, value in updates.items():
        setattr(chat, COLUMNS.get(key, key), value)
    if new_organisers is not None:
        await organisers.replace(tx.session, chat.id, new_organisers)
    # Which settings changed, not their values: organisers' names stay out of the audit.
    await record(tx, chat, actor, "settings", ", ".join(sorted(given)))
    effects = NOTHING
    if "digest" in updates:
        await digests.replan(tx.session, chat, tx.now)
        effects = SEND  # the scheduler wakes for it
    if "language" not in updates:
        return effects
    # The cards already posted here are rewritten in the group's new language.
    ahead = await event_store.upcoming(tx.session, chat.id, tx.now, limit=UPCOMING_QUOTA)
    return effects | LANGUAGES | refresh(*(e.id for e in ahead))
