"""Discord through discord.py: interactions in as Invocations, Cards out as embeds.

Slash commands are generated from the one command table and synced only when they
differ from what Discord holds. Every interaction is acknowledged at once (deferred),
then answered: public answers as channel messages, answers meant for one member as
ephemeral follow-ups. Buttons carry their whole state in the custom id and are handled
statelessly, so they keep working after a restart. Nothing here may ping anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.http import Route

from bot import i18n, strings
from bot.config import Shards
from bot.messaging import (
    CannotReachPrivately,
    Card,
    ChatGone,
    ChatRef,
    EventMirror,
    Inbound,
    Invocation,
    MessageRef,
    OutFile,
    Press,
    UserRef,
)
from bot.platforms.discord_client import (
    DEFAULT_API_BASE,
    GUILD_READY_TIMEOUT,
    NONE,
    PLATFORM,
    Client,
    RateLimitCounter,
    ShardedClient,
    chat_of,
    invocation,
)
from bot.platforms.discord_ui import (
    CONTENT_LIMIT,
    FILE_OPTION,
    FormModal,
    command_line,
    command_payload,
    comparable,
    form_command,
    keep_scheduled_event,
    modal_values,
    pieces,
    read_attachment,
)

if TYPE_CHECKING:
    from bot.command_spec import CommandSpec

log = logging.getLogger(__name__)
CLOSED_DMS = 50007

# The interaction being handled in this task: its author is who "privately" means.
_current: contextvars.ContextVar[discord.Interaction | None] = contextvars.ContextVar(
    "muster_discord_interaction", default=None
)


class DiscordMessenger:
    platform = PLATFORM
    strangers = True
    answers_alone = True
    max_toast = CONTENT_LIMIT  # an ephemeral follow-up
    max_text = CONTENT_LIMIT

    def __init__(
        self,
        token: str,
        inbound: Inbound,
        api_base: str = DEFAULT_API_BASE,
        guild_ready_timeout: float = GUILD_READY_TIMEOUT,
        shards: Shards | None = None,
    ) -> None:
        self.token = token
        self.inbound = inbound
        self.api_base = api_base.rstrip("/")
        Route.BASE = self.api_base  # before the first request
        self.client: Client
        if shards is None:
            self.client = Client(self, guild_ready_timeout=guild_ready_timeout)
            self.updates_role: str | None = "discord-gateway"
        else:
            self.client = ShardedClient(
                self,
                guild_ready_timeout=guild_ready_timeout,
                shard_ids=list(shards.ids),
                shard_count=shards.count,
            )
            self.updates_role = f"discord-gateway:{shards}"
        self._rate_limits = RateLimitCounter(lambda: inbound.rate_limited(PLATFORM))
        self.ready = asyncio.Event()
        self.table: Sequence[CommandSpec[Any, Any]] = ()
        self._task: asyncio.Task[None] | None = None
        self._accepting = True
        self._in_flight: set[asyncio.Task[None]] = set()
        # Interactions whose "thinking…" placeholder still stands, and whether it is
        # public (a command whose answer is for everyone) or the member's alone.
        self._placeholders: dict[int, bool] = {}
        self._told_no_events: set[str] = set()
        # Interactions whose public answer has begun: further pieces are follow-ups.
        self._public: set[int] = set()

    # --- lifecycle --------------------------------------------------------------------

    async def register_commands(self, table: Sequence[CommandSpec[Any, Any]]) -> None:
        """Synced now if the client has logged in, else by setup_hook when it does."""
        self.table = table
        if self.client.application_id is not None:
            await self.sync_commands()

    async def start(self) -> None:
        """Log in over REST: every process can send, whichever holds the gateway."""
        logging.getLogger("discord.http").addFilter(self._rate_limits)
        await self.client.login(self.token)

    async def receive(self) -> None:
        self._task = asyncio.create_task(self.client.connect(), name="discord")
        ready = asyncio.create_task(self.ready.wait())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=60, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._task in done and self._task.exception() is not None:
                raise RuntimeError("discord: could not connect") from self._task.exception()
            raise RuntimeError("discord: not ready within 60 seconds")
        log.info("discord: connected as %s", self.client.user.id if self.client.user else "?")

    @property
    def busy(self) -> bool:
        """Whether an interaction is still being handled (a clean stop waits for it)."""
        return bool(self._in_flight)

    def connected(self) -> bool:
        if self.client.is_closed() or not self._accepting or self.client.user is None:
            return False
        # The gateway, once this process was asked to hold it (another may hold it).
        return self._task is None or self.ready.is_set()

    async def pause(self) -> None:
        self._accepting = False
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def stop(self) -> None:
        await self.pause()
        await self.client.close()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        logging.getLogger("discord.http").removeFilter(self._rate_limits)

    async def sync_commands(self) -> None:
        if not self.table or self.client.application_id is None:
            return
        wanted = command_payload(self.table)
        app_id = self.client.application_id
        current = await self.client.http.get_global_commands(app_id)
        if comparable([dict(c) for c in current]) == comparable(wanted):
            log.info("discord: slash commands unchanged")
            return
        await self.client.http.bulk_upsert_global_commands(app_id, wanted)
        log.info("discord: %d slash commands synced", len(wanted))

    # --- in -----------------------------------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            await self._interaction(interaction)
        except Exception as exc:  # an interaction must never take the client down
            log.warning("discord: interaction failed: %s", type(exc).__name__)
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def _interaction(self, interaction: discord.Interaction) -> None:
        kind = interaction.type
        data: dict[str, Any] = dict(interaction.data or {})
        if kind is discord.InteractionType.autocomplete:
            await self._autocomplete(interaction, data)
            return
        # Before the dispatcher knows more: the member's app's language.
        reader = i18n.from_platform(str(interaction.locale)) or i18n.ENGLISH
        if not self._accepting:
            with i18n.speaking(reader):
                await interaction.response.send_message(str(strings.RESTARTING), ephemeral=True)
            return
        if kind is discord.InteractionType.application_command:
            name = str(data.get("name", ""))
            options = {o["name"]: o.get("value") for o in data.get("options", [])}
            spec = next((s for s in self.table if s.name == name), None)
            if spec is not None and spec.form is not None and not options:
                with i18n.speaking(reader):
                    modal = FormModal(spec)
                await interaction.response.send_modal(modal)
                return
            await self._think(interaction, public=spec is not None and spec.public)
            chosen = options.pop(FILE_OPTION, None)
            attachment = await read_attachment(self.client.http, data, chosen)
            await self._dispatch(
                interaction,
                command=name,
                args=command_line(self.table, name, options),
                attachment=attachment,
            )
        elif kind is discord.InteractionType.modal_submit:
            values = modal_values(data)
            name = form_command(str(data.get("custom_id", "")))
            spec = next((s for s in self.table if s.name == name), None)
            await self._think(interaction)
            # A modal of a command since gone is answered as an unknown command.
            line = spec.form.line(values) if spec is not None and spec.form is not None else ""
            await self._dispatch(interaction, command=name, args=line)
        elif kind is discord.InteractionType.component:
            await interaction.response.defer()
            message = interaction.message
            ref = MessageRef(chat_of(interaction), str(message.id)) if message is not None else None
            await self._dispatch(
                interaction,
                action=str(data.get("custom_id", "")),
                press=Press(str(interaction.id), ref),
            )

    async def _think(self, interaction: discord.Interaction, public: bool = False) -> None:
        """Acknowledge within Discord's 3 seconds with a "thinking…" placeholder: seen by
        everyone for a command whose answer is public (the answer takes its place, and
        shows who asked), else by the member alone."""
        await interaction.response.defer(ephemeral=not public, thinking=True)
        self._placeholders[interaction.id] = public

    async def _dispatch(self, interaction: discord.Interaction, **what: Any) -> None:
        inv = invocation(interaction, **what)
        token = _current.set(interaction)
        try:
            await self.inbound.handle(inv)
        finally:
            _current.reset(token)
            self._public.discard(interaction.id)
        if self._placeholders.pop(interaction.id, None) is not None:
            # Nothing took the placeholder's place: remove the "thinking…".
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()

    async def _autocomplete(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        focused = next((o for o in data.get("options", []) if o.get("focused")), None)
        typed = str(focused.get("value", "")) if focused else ""
        choices = await self.inbound.suggest_events(chat_of(interaction), typed)
        await interaction.response.autocomplete(
            [app_commands.Choice(name=label, value=event_id) for event_id, label in choices]
        )

    # --- out ----------------------------------------------------------------------------

    async def send(self, chat: ChatRef, card: Card, *, key: str | None = None) -> MessageRef:
        channel = self.client.get_partial_messageable(int(chat.id))
        message_id = "0"
        for number, piece in enumerate(pieces(card)):
            # With a nonce Discord creates the message at most once: a send repeated after
            # a crash returns the message already made instead of posting it again.
            if key:
                piece["nonce"] = f"{key}.{number}"[-25:]
            try:
                message = await channel.send(allowed_mentions=NONE, **piece)
            except discord.Forbidden as exc:
                if exc.code == CLOSED_DMS:
                    raise CannotReachPrivately() from exc
                raise ChatGone(chat.id) from exc
            except discord.NotFound as exc:
                raise ChatGone(chat.id) from exc
            message_id = str(message.id)
        return MessageRef(chat, message_id)

    async def reply(self, inv: Invocation, card: Card, *, ephemeral: bool = False) -> None:
        """An answer where the invocation happened. A slash command's public answer is
        the interaction's own response (with follow-ups for further pieces); an answer
        for the member alone is an ephemeral follow-up; anything else is a message."""
        interaction = _current.get()
        if interaction is None or str(interaction.id) != inv.origin:
            await self.send(inv.chat, card)
        elif ephemeral:
            await self._followup(interaction, card)
        elif self._placeholders.get(interaction.id) or interaction.id in self._public:
            self._public.add(interaction.id)
            await self._followup(interaction, card, public=True)
        else:
            await self.send(inv.chat, card)

    async def _followup(
        self,
        interaction: discord.Interaction,
        card: Card,
        file: OutFile | None = None,
        *,
        public: bool = False,
    ) -> None:
        bodies = pieces(card) if card.blocks or card.title else [{"content": ""}]
        for number, piece in enumerate(bodies, start=1):
            files = []
            if file is not None and number == len(bodies):
                files = [discord.File(io.BytesIO(file.data), filename=file.name)]
            standing = self._placeholders.get(interaction.id)
            if standing is not None and standing != public:
                # A public placeholder cannot become a private answer, nor the reverse:
                # it goes, and the answer follows as its own message.
                del self._placeholders[interaction.id]
                with contextlib.suppress(discord.HTTPException):
                    await interaction.delete_original_response()
            if self._placeholders.pop(interaction.id, None) is not None:
                # The first answer takes the place of the "thinking…" placeholder.
                await interaction.edit_original_response(
                    content=piece.get("content"),
                    embed=piece.get("embed"),
                    view=piece.get("view"),
                    attachments=files,
                    allowed_mentions=NONE,
                )
            else:
                await interaction.followup.send(
                    ephemeral=not public, allowed_mentions=NONE, files=files, **piece
                )

    async def edit(self, ref: MessageRef, card: Card) -> None:
        piece = pieces(card)[-1]
        message = self.client.get_partial_messageable(int(ref.chat.id)).get_partial_message(
            int(ref.id)
        )
        await message.edit(
            content=piece.get("content"),
            embed=piece.get("embed"),
            view=piece.get("view"),
            allowed_mentions=NONE,
        )

    async def answer_press(self, press: Press, text: str) -> None:
        interaction = _current.get()
        if not text:
            return  # the press was acknowledged when it came in: nothing more to say
        if interaction is not None and str(interaction.id) == press.id:
            await interaction.followup.send(
                text[:CONTENT_LIMIT], ephemeral=True, allowed_mentions=NONE
            )

    async def send_private(self, user: UserRef, card: Card) -> MessageRef:
        """To the member alone: ephemeral while they are interacting, else a DM."""
        interaction = _current.get()
        if interaction is not None and str(interaction.user.id) == user.id:
            await self._followup(interaction, card)
            return MessageRef(ChatRef(PLATFORM, str(interaction.channel_id)), "ephemeral")
        dm = await self._dm(user)
        return await self.send(ChatRef(PLATFORM, str(dm.id)), card)

    async def send_file(self, target: ChatRef | UserRef, file: OutFile) -> None:
        interaction = _current.get()
        if isinstance(target, UserRef):
            if interaction is not None and str(interaction.user.id) == target.id:
                await self._followup(interaction, Card.text(file.caption), file)
                return
            channel: discord.abc.Messageable = await self._dm(target)
        else:
            channel = self.client.get_partial_messageable(int(target.id))
        try:
            await channel.send(
                content=file.caption or None,
                allowed_mentions=NONE,
                file=discord.File(io.BytesIO(file.data), filename=file.name),
            )
        except discord.Forbidden as exc:
            if exc.code == CLOSED_DMS:
                raise CannotReachPrivately() from exc
            raise ChatGone(str(target.id)) from exc

    async def _dm(self, user: UserRef) -> discord.DMChannel:
        try:
            data = await self.client.http.start_private_message(int(user.id))
        except discord.HTTPException as exc:
            raise CannotReachPrivately() from exc
        assert self.client.user is not None
        return discord.DMChannel(me=self.client.user, state=self.client._connection, data=data)

    async def mirror(
        self,
        chat: ChatRef,
        event: EventMirror | None,
        external_id: str | None,
        *,
        withdraw: bool = False,
    ) -> str | None:
        """A guild scheduled event (external, with the place) that follows the Muster event."""
        channel = self.client.get_channel(int(chat.id))
        guild = getattr(channel, "guild", None)
        if guild is None:
            return None  # a DM or an unknown channel: nothing to mirror into
        try:
            return await keep_scheduled_event(
                self.client.http, guild.id, event, external_id, withdraw=withdraw
            )
        except discord.Forbidden:
            if chat.id not in self._told_no_events:
                self._told_no_events.add(chat.id)
                await self.send(chat, Card.text(str(strings.NO_MANAGE_EVENTS)))
            return None

    def measure(self, text: str) -> int:
        return len(text)

    def private_hint(self) -> str:
        return ""  # a server's members can be messaged unless they closed their DMs

    async def is_organiser(self, user: UserRef, chat: ChatRef) -> bool:
        """Checked in code, whatever a server admin did to the commands' visibility."""
        interaction = _current.get()
        if interaction is None or str(interaction.user.id) != user.id:
            return False
        if interaction.guild_id is None:
            return False
        perms = interaction.permissions
        return perms.administrator or perms.manage_events or perms.manage_guild
