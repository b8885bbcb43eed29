"""The discord.py client Muster runs, and an interaction put in the core's terms.

Kept apart from the messenger (`discord.py` beside it), which holds what Muster does
with interactions and cards; this holds what discord.py must be told (where the gateway
is, when to sync commands, that a 429 was waited out) and who and where an interaction
came from. A role's name is kept beside its id because a group's `organiser_role` may
name either, and roles are the guild's own; a member's display name only labels."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

import discord
import yarl
from discord.gateway import DiscordWebSocket

from bot.messaging import ChatRef, Invocation, UserRef

PLATFORM = "discord"
DEFAULT_API_BASE = "https://discord.com/api/v10"
NONE = discord.AllowedMentions.none()
# After READY, discord.py waits this long past the last GUILD_CREATE before it calls
# itself ready (its default): long enough for a bot in many servers to hear of them all.
GUILD_READY_TIMEOUT = 2.0


class Owner(Protocol):
    """What the client reports to: the messenger."""

    api_base: str
    ready: asyncio.Event

    async def sync_commands(self) -> None: ...

    async def on_interaction(self, interaction: discord.Interaction) -> None: ...


class Client(discord.Client):
    """Hears only what Muster needs (guilds, interactions) and pings nobody."""

    def __init__(self, owner: Owner, **options: Any) -> None:
        super().__init__(intents=discord.Intents(guilds=True), allowed_mentions=NONE, **options)
        self.owner = owner

    async def setup_hook(self) -> None:
        if self.owner.api_base != DEFAULT_API_BASE:
            # A plain client dials Discord's own gateway: ask the API we were given.
            _, url, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await self.owner.sync_commands()

    async def on_ready(self) -> None:
        self.owner.ready.set()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.owner.on_interaction(interaction)


class ShardedClient(Client, discord.AutoShardedClient):
    """This process's shards of a bot in many servers (`MUSTER_DISCORD_SHARDS`)."""


class RateLimitCounter(logging.Filter):
    """discord.py waits out a 429 itself and says so only in its log: each such record
    is counted (and still logged)."""

    def __init__(self, count: Callable[[], None]) -> None:
        super().__init__()
        self.count = count

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "responded with 429" in record.msg:
            self.count()
        return True


def chat_of(interaction: discord.Interaction) -> ChatRef:
    return ChatRef(PLATFORM, str(interaction.channel_id))


def invocation(interaction: discord.Interaction, **what: Any) -> Invocation:
    """The interaction as the dispatcher takes it; `what` is what was asked (a command
    and its line, or a button's action and press)."""
    roles: set[str] = set()
    for role in getattr(interaction.user, "roles", []):
        roles.update({role.name.lower(), str(role.id)})
    return Invocation(
        space=str(interaction.guild_id or ""),
        roles=frozenset(roles),
        chat=chat_of(interaction),
        user=UserRef(PLATFORM, str(interaction.user.id)),
        user_name=interaction.user.display_name,
        is_private=interaction.guild_id is None,
        chat_title=getattr(interaction.channel, "name", "") or "",
        origin=str(interaction.id),
        language=str(interaction.locale),
        **what,
    )
