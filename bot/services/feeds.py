"""Calendar feeds: a member's subscription URLs, and the calendars they serve.

A URL's token is made from the deployment's secret and what it shows (a group's
calendar, or the member's own events), with the member's feed generation in it: asked
for again, the same link comes back; `/calendar revoke` bumps the generation and drops
the stored hashes, so every earlier link stops working. Only a token's hash is stored,
and a feed is found by it; a wrong or revoked token finds nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar_file import build
from bot.services.effects import Tx
from bot.services.events import chat_calendar
from bot.storage import events as event_store
from bot.storage import feeds
from bot.storage.tables import Chat, Member

TOKEN_LENGTH = 32  # characters of URL-safe base64: 192 bits
FEED_PATH = "/calendar/"  # on the HTTP port: then the token and ".ics"


@dataclass(frozen=True)
class Identity:
    """The deployment's instance id (in UIDs) and secret (in feed tokens)."""

    instance: str
    secret: str


NO_IDENTITY = Identity("", "")  # until the database is prepared: makes no token


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str


def token_for(identity: Identity, member: Member, chat_id: int | None) -> str:
    what = f"{member.id}:{chat_id if chat_id is not None else 'mine'}:{member.feed_generation}"
    digest = hmac.new(identity.secret.encode(), what.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def link(tx: Tx, identity: Identity, member: Member, chat: Chat | None) -> str:
    """The member's feed token for a group's calendar (or, with no chat, their own)."""
    if not identity.secret:  # never a token anyone could make
        raise RuntimeError("the deployment's identity was not read")
    token = token_for(identity, member, chat.id if chat is not None else None)
    await feeds.keep(tx.session, member.id, chat.id if chat else None, hashed(token), tx.now)
    return token


async def revoke(tx: Tx, member: Member) -> int:
    """Every feed URL of the member stops working; returns how many there were."""
    member.feed_generation += 1
    return await feeds.drop_all(tx.session, member.id)


async def render(
    session: AsyncSession, identity: Identity, token: str, now: datetime
) -> Feed | None:
    """The calendar a token subscribes to, or None for a token that is not one."""
    if len(token) != TOKEN_LENGTH or not identity.secret:
        return None
    found = await feeds.find(session, hashed(token))
    if found is None:
        return None
    member = await session.get(Member, found.member_id)
    if member is None:
        return None
    if found.chat_id is None:
        events = await feeds.answered(session, member.id, now)
        body = build("Muster", events, {}, now, identity.instance, cancelled=True)
    else:
        chat = await session.get(Chat, found.chat_id)
        if chat is None:
            return None
        events = await event_store.feed(session, chat.id, now)
        body = await chat_calendar(session, chat, events, now, identity.instance, cancelled=True)
    return Feed(body, hashlib.sha256(_without_stamps(body)).hexdigest()[:32])


def _without_stamps(body: bytes) -> bytes:
    """What changes when the calendar does: not the DTSTAMP each rendering writes."""
    return b"\n".join(line for line in body.split(b"\n") if not line.startswith(b"DTSTAMP"))
