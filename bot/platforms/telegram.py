"""Telegram through python-telegram-bot: updates in as Invocations, Cards out as HTML.

Holds no business rule: every decision is the dispatcher's. What is Telegram's alone
lives here: HTML escaping, the 4,096-character limit, inline keyboards, asking the chat's
administrators who the organisers are, and mapping Telegram's errors onto the core's.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeDefault,
    ChatMember,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import i18n, strings
from bot.messaging import (
    CannotReachPrivately,
    Card,
    ChatGone,
    ChatRef,
    EventMirror,
    Inbound,
    InFile,
    Invocation,
    MessageRef,
    OutFile,
    Press,
    Reserve,
    UserRef,
)
from bot.platforms.telegram_admins import AdminCache
from bot.platforms.telegram_http import on_aiohttp
from bot.platforms.telegram_pacer import ANSWER, SCHEDULED, Pacer
from bot.platforms.telegram_polling import PollWhenSettled
from bot.platforms.telegram_ui import PLATFORM, from_message, from_press, keyboard, render
from bot.platforms.telegram_webhook import Receiver, Webhook, secret_for
from bot.textsplit import split_card, utf16

if TYPE_CHECKING:
    from bot.command_spec import CommandSpec

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member", "chat_member"]
MAX_ATTACHMENT = 100_000  # a motion is text: a larger file is not read
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@(\w+))?(?:\s+(.*))?$", re.DOTALL)


class TelegramMessenger:
    platform = PLATFORM
    strangers = True
    answers_alone = False  # a group sees the bot's answers
    max_toast = 200  # answerCallbackQuery text
    max_text = 4096

    def __init__(
        self,
        token: str,
        inbound: Inbound,
        base_url: str | None = None,
        group_rate_per_minute: float = 20,
        overall_rate_per_second: float = 30,
        chat_interval: float = 1.0,
        webhook: Webhook | None = None,
        shared_pace: Reserve | None = None,
    ) -> None:
        updates: asyncio.Queue[object] = asyncio.Queue()
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            on_aiohttp(ApplicationBuilder().token(token), before_poll=PollWhenSettled(updates))
            .update_queue(updates)
            .rate_limiter(
                Pacer(
                    per_second=overall_rate_per_second,
                    chat_interval=chat_interval,
                    group_per_minute=group_rate_per_minute,
                    on_rate_limited=lambda: inbound.rate_limited(PLATFORM),
                    shared=shared_pace,
                )
            )
            .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
            .concurrent_updates(True)
        )
        if base_url:
            builder = builder.base_url(base_url).base_file_url(
                base_url.replace("/bot", "/file/bot")
            )
        self.app: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.inbound = inbound
        self.webhook = webhook
        self._asked_to_poll = False
        self.receiver: Receiver | None = None
        if webhook is not None:
            self.receiver = Receiver(self.app, secret_for(token))
            webhook.serve(urlsplit(webhook.url).path or "/", self.receiver.receive)
        self.admins = AdminCache()
        self.app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self._on_migrate))
        self.app.add_handler(
            ChatMemberHandler(self._on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        self.app.add_handler(
            ChatMemberHandler(self._on_member_change, ChatMemberHandler.CHAT_MEMBER)
        )
        self.app.add_handler(MessageHandler(filters.COMMAND, self._on_command))
        self.app.add_handler(
            MessageHandler(filters.Document.ALL & filters.CaptionRegex(r"^/"), self._on_document)
        )
        self.app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._on_text))
        self.app.add_handler(CallbackQueryHandler(self._on_press))
        self.app.add_error_handler(self._on_error)

    # --- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        await self.app.initialize()
        await self.app.start()
        if self.webhook is not None and self.receiver is not None:
            await self.app.bot.set_webhook(
                self.webhook.url,
                secret_token=secret_for(self.app.bot.token),
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )

    async def receive(self) -> None:
        if self.receiver is not None:
            self.receiver.accepting = True
            log.info("telegram: updates by webhook as @%s", self.app.bot.username)
            return
        assert self.app.updater is not None
        self._asked_to_poll = True
        await self.app.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
        )
        log.info("telegram: polling as @%s", self.app.bot.username)

    @property
    def updates_role(self) -> str | None:
        # Long polling is one process's at a time; a webhook's requests go to any.
        return None if self.receiver is not None else "telegram-updates"

    def connected(self) -> bool:
        if not self.app.running:
            return False
        if self.receiver is not None:
            return self.receiver.accepting
        # Polling, once this process was asked to poll (another may hold the role).
        updater = self.app.updater
        return not self._asked_to_poll or (updater is not None and updater.running)

    async def pause(self) -> None:
        """Stop fetching and let the updates in hand finish; sending still works. The
        webhook stays set: Telegram keeps updates for the next process to take."""
        if self.receiver is not None:
            await self.receiver.drain()
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()  # confirms the last offset to Telegram
        if self.app.running:
            await self.app.stop()

    async def stop(self) -> None:
        await self.pause()
        await self.app.shutdown()

    async def register_commands(self, table: Sequence[CommandSpec[Any, Any]]) -> None:
        try:
            # English for everyone, and each other language for apps set to it.
            for code in i18n.LANGUAGES:
                language = None if code == i18n.ENGLISH else code
                with i18n.speaking(code):
                    members = [BotCommand(s.name, str(s.summary)) for s in table if not s.organiser]
                    everyone = [BotCommand(s.name, str(s.summary)) for s in table]
                await self.app.bot.set_my_commands(
                    members, scope=BotCommandScopeDefault(), language_code=language
                )
                await self.app.bot.set_my_commands(
                    everyone, scope=BotCommandScopeAllChatAdministrators(), language_code=language
                )
        except TelegramError as exc:
            log.warning("telegram: setMyCommands failed: %s", type(exc).__name__)

    # --- out ----------------------------------------------------------------------------

    async def send(self, chat: ChatRef, card: Card, *, key: str | None = None) -> MessageRef:
        # The Bot API has no idempotency key: `key` cannot help here. What the scheduler
        # sends goes before answers to commands waiting in the same chat.
        return await self._send(chat, card, reply_to=None, private=False, urgency=SCHEDULED)

    async def reply(self, inv: Invocation, card: Card, *, ephemeral: bool = False) -> None:
        reply_to = int(inv.origin) if ephemeral and inv.origin and not inv.is_private else None
        await self._send(inv.chat, card, reply_to=reply_to, private=inv.is_private)

    async def send_private(self, user: UserRef, card: Card) -> MessageRef:
        if user.id.startswith("chat:"):
            raise CannotReachPrivately(self._start_link())
        return await self._send(ChatRef(PLATFORM, user.id), card, reply_to=None, private=True)

    async def _send(
        self,
        chat: ChatRef,
        card: Card,
        *,
        reply_to: int | None,
        private: bool,
        urgency: int = ANSWER,
    ) -> MessageRef:
        ref = MessageRef(chat, "0")
        pieces = split_card(card, self.max_text, utf16)
        for number, piece in enumerate(pieces, start=1):
            try:
                message = await self.app.bot.send_message(
                    chat_id=int(chat.id),
                    text=render(piece),
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(card) if number == len(pieces) else None,
                    reply_parameters=(
                        ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if reply_to
                        else None
                    ),
                    rate_limit_args=urgency,
                )
            except Forbidden as exc:
                if private:
                    raise CannotReachPrivately(self._start_link()) from exc
                raise ChatGone(chat.id) from exc
            except ChatMigrated as exc:
                raise ChatGone(chat.id) from exc
            except BadRequest as exc:
                if "chat not found" in exc.message.lower():
                    if private:
                        raise CannotReachPrivately(self._start_link()) from exc
                    raise ChatGone(chat.id) from exc
                raise
            ref = MessageRef(chat, str(message.message_id))
        return ref

    async def edit(self, ref: MessageRef, card: Card) -> None:
        markup = keyboard(card)
        try:
            await self.app.bot.edit_message_text(
                chat_id=int(ref.chat.id),
                message_id=int(ref.id),
                text=render(split_card(card, self.max_text, utf16)[-1]),
                parse_mode=ParseMode.HTML,
                reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise

    async def answer_press(self, press: Press, text: str) -> None:
        try:
            await self.app.bot.answer_callback_query(press.id, text=text[:200] or None)
        except BadRequest as exc:  # too old to answer: the member has moved on
            log.info("telegram: callback answer refused: %s", type(exc).__name__)

    async def send_file(self, target: ChatRef | UserRef, file: OutFile) -> None:
        try:
            await self.app.bot.send_document(
                chat_id=int(target.id),
                document=InputFile(file.data, filename=file.name),
                caption=file.caption[:1024] or None,
            )
        except Forbidden as exc:
            if isinstance(target, UserRef):
                raise CannotReachPrivately(self._start_link()) from exc
            raise ChatGone(target.id) from exc

    def measure(self, text: str) -> int:
        return utf16(text)  # Telegram counts UTF-16 code units, after parsing the HTML

    def private_hint(self) -> str:
        return self._start_link()

    def _start_link(self) -> str:
        return strings.OPEN_BOT_CHAT.format(bot=self.app.bot.username)

    # --- organisers -------------------------------------------------------------------

    async def mirror(
        self,
        chat: ChatRef,
        event: EventMirror | None,
        external_id: str | None,
        *,
        withdraw: bool = False,
    ) -> str | None:
        return None  # no native calendar entries here

    async def is_organiser(self, user: UserRef, chat: ChatRef) -> bool:
        if user.id == f"chat:{chat.id}":
            return True  # an anonymous administrator speaks as the group itself
        if not user.id.lstrip("-").isdigit():
            return False
        ids = self.admins.get(int(chat.id))
        if ids is None:
            try:
                admins = await self.app.bot.get_chat_administrators(int(chat.id))
            except TelegramError as exc:
                log.warning("telegram: getChatAdministrators failed: %s", type(exc).__name__)
                return False
            ids = {
                a.user.id
                for a in admins
                if a.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
            }
            self.admins.put(int(chat.id), ids)
        return int(user.id) in ids

    # --- in -----------------------------------------------------------------------------

    def _command(self, text: str) -> tuple[str, str, bool] | None:
        """A command's name, its line, and whether it named this bot (`/x@bot`); None
        for text that is no command, or a command for another bot in the same group."""
        match = _COMMAND.match(text.strip())
        if match is None:
            return None
        name, addressed, args = match.groups()
        if addressed and addressed.lower() != (self.app.bot.username or "").lower():
            return None
        return name.lower(), (args or "").strip(), bool(addressed)

    async def _on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        command = self._command(message.text) if message and message.text else None
        if command is None:
            return
        name, args, addressed = command
        inv = from_message(update, command=name, args=args, addressed=addressed)
        if inv is not None:
            await self.inbound.handle(inv)

    async def _on_document(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """A file sent with a command in its caption (a motion's text)."""
        message = update.effective_message
        if message is None or message.document is None or not message.caption:
            return
        command = self._command(message.caption)
        if command is None:
            return
        name, args = command[:2]
        document, data = message.document, b""
        if document.file_size is not None and document.file_size <= MAX_ATTACHMENT:
            data = bytes(await (await document.get_file()).download_as_bytearray())
        # A file too large to be a motion arrives empty, and is refused as such.
        attachment = InFile(document.file_name or "file.txt", data[:MAX_ATTACHMENT])
        inv = from_message(update, command=name, args=args, attachment=attachment)
        if inv is not None:
            await self.inbound.handle(inv)

    async def _on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        inv = from_message(update, args=message.text.strip())
        if inv is not None:
            await self.inbound.handle(inv)

    async def _on_press(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        await self.inbound.handle(from_press(query, query.data))

    async def _on_migrate(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.migrate_to_chat_id is None:
            return
        old = ChatRef(PLATFORM, str(message.chat.id))
        self.admins.forget(message.chat.id)
        await self.inbound.chat_moved(old, ChatRef(PLATFORM, str(message.migrate_to_chat_id)))

    async def _on_membership(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        if change is None or change.chat.type == "private":
            return
        chat = ChatRef(PLATFORM, str(change.chat.id))
        self.admins.forget(change.chat.id)
        status = change.new_chat_member.status
        if status in (ChatMember.LEFT, ChatMember.BANNED):
            await self.inbound.chat_left(chat)
        elif change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
            await self.inbound.chat_joined(chat, change.chat.title or "")

    async def _on_member_change(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Someone was promoted or demoted: ask Telegram afresh next time."""
        if update.chat_member is not None:
            self.admins.forget(update.chat_member.chat.id)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        log.warning("telegram: update failed: %s", type(error).__name__)
