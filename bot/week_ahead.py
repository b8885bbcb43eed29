"""The digest's card: a group's events and deadlines of the coming week, with their
counts so far, in the group's language (both of a bilingual group's)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilingual import in_languages
from bot.cards import event_views
from bot.messaging import Card
from bot.render import event_line
from bot.storage import events as event_store
from bot.storage.tables import Chat
from bot.strings import digest as words
from bot.textsplit import Measure
from bot.voices import group_languages

WEEK = timedelta(days=7)
MOST = 40  # events in one digest: a week's worth for the busiest group


async def card(
    session: AsyncSession, chat: Chat, now: datetime, limit: int | None, measure: Measure
) -> Card:
    ahead = await event_store.upcoming(session, chat.id, now, limit=MOST)
    week = [e for e in ahead if e.starts_at < now + WEEK]
    group = chat.display_name or chat.title

    async def render(room: int | None) -> Card:
        if not week:
            return Card.text(words.NOTHING_AHEAD.format(group=group))
        views = await event_views(session, week)
        lines = [event_line(view, now) for view in views]
        return Card.text("\n".join([words.WEEK_AHEAD.format(group=group), *lines]))

    return await in_languages(group_languages(chat.language), render, limit, measure)
