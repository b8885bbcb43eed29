"""Model motions: the shipped ones and a group's own, posting one for a meeting, and
where each stands across the groups that took it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot import i18n
from bot.domain.errors import UserError
from bot.domain.motions import Status, parse_slug
from bot.services import events
from bot.services.audit import record
from bot.services.effects import NOTHING, Actor, Effects, Tx, refresh
from bot.storage import events as event_store
from bot.storage import motion_status as motion_statuses
from bot.storage import motions as motion_store
from bot.storage.tables import Chat, Event, Motion, MotionStatus
from bot.strings import audit as told
from bot.strings import motions as words


async def visible(tx: Tx, chat: Chat | None) -> list[Motion]:
    return await motion_store.visible(tx.session, chat.id if chat else None)


async def find(tx: Tx, chat: Chat | None, raw: str) -> Motion:
    slug = parse_slug(raw)
    found = await motion_store.find(tx.session, chat.id if chat else None, slug)
    if found is None:
        raise UserError(words.NO_MOTION.format(slug=slug), "/motion mandatory-reselection")
    return found


@dataclass(frozen=True)
class Text:
    """A motion as a group reads it: in its language where one is shipped."""

    slug: str
    title: str
    body: str
    source: str
    # A shipped motion with no text in the language asked: the English one is shown,
    # and the card says so.
    untranslated: bool = False


async def text_of(tx: Tx, found: Motion, language: str) -> Text:
    """A shipped motion in `language` (English where it ships none); a group's own as
    it was given."""
    if found.chat_id is not None or language == i18n.ENGLISH:
        return Text(found.slug, found.title, found.body, found.source)
    translated = await motion_store.translation(tx.session, found, language)
    if translated is None:
        return Text(found.slug, found.title, found.body, found.source, untranslated=True)
    return Text(found.slug, translated.title, translated.body, translated.source)


@dataclass(frozen=True)
class Posted:
    motion: Motion
    event: Event | None
    effects: Effects = NOTHING


async def post(tx: Tx, chat: Chat, actor: Actor, raw: str, event_id: int | None) -> Posted:
    """A motion posted in the group, attached to one of its meetings if named."""
    found = await find(tx, chat, raw)
    event: Event | None = None
    effects = NOTHING
    if event_id is not None:
        event = await events.find(tx, chat, event_id, for_update=True, own=True)
        if event.starts_at <= tx.now:
            raise UserError(words.ALREADY_STARTED.format(id=event.id))
        event.motion_slug = found.slug
        effects = refresh(event.id)
    detail = told.MOTION_FOR_EVENT.format(slug=found.slug, id=event.id) if event else found.slug
    await record(tx, chat, actor, "postmotion", detail)
    return Posted(found, event, effects)


async def save_own(
    tx: Tx, chat: Chat, actor: Actor, raw_slug: str, title: str, body: str
) -> tuple[Motion, bool]:
    """The group's own motion, new or replacing its earlier text; True if it existed."""
    slug = parse_slug(raw_slug)
    source = words.ADDED_BY.format(group=chat.display_name or chat.title or words.THIS_GROUP)
    existed = await motion_store.save_own(tx.session, chat.id, slug, title, body, source, tx.now)
    await record(tx, chat, actor, "newmotion", slug)
    return await find(tx, chat, slug), existed


@dataclass(frozen=True)
class Recorded:
    motion: Motion
    status: Status
    effects: Effects


async def set_status(
    tx: Tx, chat: Chat, actor: Actor, raw: str, status: Status, note: str
) -> Recorded:
    """Where a motion stands in this group; the cards of meetings it is attached to
    show it."""
    found = await find(tx, chat, raw)
    await motion_statuses.record(
        tx.session,
        chat.id,
        found.slug,
        status.value,
        note,
        (await actor.member_or_create()).id,
        tx.now,
    )
    await record(tx, chat, actor, "motionstatus", f"{found.slug} {status.value}")
    effects = NOTHING
    for event in await event_store.upcoming(tx.session, chat.id, tx.now, limit=50):
        if event.motion_slug == found.slug:
            effects |= refresh(event.id)
    return Recorded(found, status, effects)


@dataclass(frozen=True)
class Tally:
    motion: Motion
    groups: Counter[str]  # status → groups at it
    clps: Counter[str]  # status → distinct CLPs at it
    here: list[MotionStatus]  # this group's own history, latest last


async def tally(tx: Tx, chat: Chat | None, raw: str) -> Tally:
    found = await find(tx, chat, raw)
    groups, clps = await motion_statuses.tally(tx.session, found.slug)
    here = await motion_statuses.history(tx.session, chat.id, found.slug) if chat else []
    return Tally(found, groups, clps, here)
