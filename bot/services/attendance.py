"""Who said what and who came: organisers' reports, nudges, check-in.

Names leave this module only for an organiser's private message or file, never for
the group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import strings
from bot.domain.errors import UserError
from bot.domain.events import Kind
from bot.domain.outbox import Purpose
from bot.domain.rsvp import Counts
from bot.render import short_when
from bot.services import delivery, events
from bot.services.audit import record
from bot.services.effects import SEND, Actor, Effects, Tx
from bot.storage import attendance, organisers, outbox
from bot.storage import events as event_store
from bot.storage import members as member_store
from bot.storage.events import Attendee
from bot.storage.tables import Chat, Event, Member
from bot.strings import attendance as words
from bot.strings import audit as told

CHECKIN_EARLY = timedelta(minutes=30)  # the door opens before the start
DEFAULT_LENGTH = timedelta(hours=3)


@dataclass(frozen=True)
class Report:
    event: Event
    counts: Counts
    people: list[Attendee]
    came: dict[int, str]  # member id → name


async def report(tx: Tx, chat: Chat, actor: Actor, event_id: int, action: str) -> Report:
    """Who answered this group's event and who came, for an organiser; recorded in
    the audit log as `action` (a report, or an export)."""
    event = await events.find(tx, chat, event_id, own=True)
    people = await event_store.attendees(tx.session, event.id)
    counts = (await event_store.counts(tx.session, [event.id]))[event.id]
    came = await attendance.present(tx.session, event.id)
    await record(tx, chat, actor, action, told.EVENT.format(id=event.id, title=event.title))
    return Report(event, counts, people, came)


@dataclass(frozen=True)
class Branches:
    members: int
    by_branch: list[tuple[str, int]]  # "" for no branch given
    unconfirmed: int  # facts older than the reconfirmation period
    without_facts: int


async def branches(tx: Tx, chat: Chat, actor: Actor, months: int) -> Branches:
    """The group's members counted by branch: numbers only."""
    everyone = await member_store.of_chat(tx.session, chat.id)
    stale_before = tx.now - timedelta(days=30 * months)
    counted = Counter(m.branch.strip() for m in everyone)
    with_facts = [m for m in everyone if m.clp or m.branch]
    unconfirmed = sum(
        1 for m in with_facts if m.facts_confirmed_at is None or m.facts_confirmed_at < stale_before
    )
    await record(tx, chat, actor, "members", told.COUNTS_BY_BRANCH)
    return Branches(
        len(everyone), sorted(counted.items()), unconfirmed, len(everyone) - len(with_facts)
    )


@dataclass(frozen=True)
class Nudged:
    asked: int
    asked_before: int
    effects: Effects


async def nudge(tx: Tx, chat: Chat, actor: Actor, event_id: int) -> Nudged:
    """Ask, privately, the group's members who have not answered (and agreed to the
    privacy notice) whether they will come; each once."""
    event = await events.find(tx, chat, event_id, own=True)
    if event.status != event_store.SCHEDULED or event.starts_at <= tx.now:
        raise UserError(words.NOBODY_TO_NUDGE.format(id=event.id))
    if event.kind == Kind.DEADLINE.value:
        raise UserError(strings.DEADLINE_NO_RSVP.format(id=event.id))
    everyone = await member_store.of_chat(tx.session, chat.id)
    answered = {p.member_id for p in await event_store.attendees(tx.session, event.id)}
    quiet = [m.id for m in everyone if m.id not in answered and m.consent_at is not None]
    added = await outbox.add_for_members(
        tx.session, quiet, Purpose.NUDGE, str(event.id), tx.now, event.id
    )
    await record(tx, chat, actor, "nudge", told.NUDGED.format(len(added), id=event.id))
    return Nudged(len(added), len(quiet) - len(added), SEND)


async def _attendable(tx: Tx, chat: Chat, event_id: int) -> tuple[Event, datetime]:
    event = await events.find(tx, chat, event_id, for_update=True, own=True)
    if event.status != event_store.SCHEDULED:
        raise UserError(strings.EVENT_CANCELLED.format(id=event.id))
    if event.kind == Kind.DEADLINE.value:
        raise UserError(words.DEADLINE_NOBODY_ATTENDS.format(id=event.id))
    until = event.ends_at or event.starts_at + DEFAULT_LENGTH
    if tx.now >= until:
        raise UserError(words.CHECKIN_CLOSED_OVER.format(id=event.id))
    return event, until


async def open_checkin(tx: Tx, chat: Chat, actor: Actor, event_id: int) -> tuple[Event, datetime]:
    """Open check-in (an "I'm here" button) until the event ends."""
    event, until = await _attendable(tx, chat, event_id)
    event.checkin_until = until
    await record(tx, chat, actor, "checkin", told.CHECKIN_OPENED.format(id=event.id))
    await _owe_figures(tx, chat, actor, event)
    return event, until


async def mark(
    tx: Tx, chat: Chat, actor: Actor, event_id: int, named: list[Member]
) -> tuple[Event, list[str]]:
    """An organiser marks members present; returns the names newly marked."""
    event, _ = await _attendable(tx, chat, event_id)
    marked = []
    for member in named:
        if await attendance.mark(
            tx.session, event.id, member.id, (await actor.member_or_create()).id, tx.now
        ):
            marked.append(member.display_name)
    await record(tx, chat, actor, "checkin", told.MARKED.format(id=event.id, n=len(marked)))
    await _owe_figures(tx, chat, actor, event)
    return event, marked


async def _owe_figures(tx: Tx, chat: Chat, actor: Actor, event: Event) -> None:
    """A meeting with check-in owes its organisers its figures after it: the one who
    opened it or marked members, and those the group added as organisers."""
    who = [(await actor.member_or_create()).id, *await organisers.added_ids(tx.session, chat.id)]
    await delivery.after_meeting(tx.session, event, who)


async def check_in(tx: Tx, chat: Chat, member: Member, event_id: int) -> tuple[Event, bool]:
    """The member says they have arrived; False when they had already."""
    event = await events.find(tx, chat, event_id)
    until = event.checkin_until
    if until is None or event.status != event_store.SCHEDULED:
        raise UserError(words.CHECKIN_NOT_OPEN.format(id=event.id))
    if tx.now < event.starts_at - CHECKIN_EARLY or tx.now >= until:
        if tx.now < event.starts_at:
            opens = short_when(event.starts_at - CHECKIN_EARLY, event.timezone)
            raise UserError(words.CHECKIN_OPENS.format(title=event.title, opens=opens))
        raise UserError(words.CHECKIN_CLOSED.format(title=event.title))
    return event, await attendance.mark(tx.session, event.id, member.id, None, tx.now)
