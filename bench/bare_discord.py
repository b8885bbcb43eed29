"""The Discord yardstick: a bare discord.py client that only answers presses (no
database, no cards), connected to the same fake as Muster. It answers as Muster does:
the press acknowledged at once (deferred), then a line only the member sees."""

from __future__ import annotations

import sys

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


class Bare(discord.Client):
    async def setup_hook(self) -> None:
        _, url, _ = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await interaction.followup.send("ok", ephemeral=True)


def main(token: str, api_base: str) -> None:
    Route.BASE = api_base
    Bare(intents=discord.Intents(guilds=True)).run(token, log_handler=None)


if __name__ == "__main__":
    main(*sys.argv[1:3])
