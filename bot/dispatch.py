"""Invocation → handler: the one place where rights are checked, transactions are
opened and closed, and every error becomes a one-line answer."""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot import strings
from bot.clock import Clock
from bot.commands import ACTIONS, BY_NAME, TABLE, ActionHandler, CommandSpec
from bot.config import Settings
from bot.context import Context, Outgoing
from bot.domain.errors import NotOrganiser, UserError
from bot.live import LiveCards
from bot.messaging import CannotReachPrivately, Card, Invocation, Messenger, Messengers
from bot.scheduler import Scheduler
from bot.storage import chats
from bot.storage.database import Database
from handlers.privacy import notice_card

log = logging.getLogger(__name__)


def parse_action(action: str) -> tuple[str, str, list[int]]:
    """`feature:verb:id[:id…]` → its parts; anything else is a stale or forged button."""
    parts = action.split(":")
    if len(parts) < 3 or not all(p.isdigit() and len(p) <= 10 for p in parts[2:]):
        raise UserError(strings.STALE_BUTTON)
    return parts[0], parts[1], [int(p) for p in parts[2:]]


class Dispatcher:
    def __init__(
        self,
        db: Database,
        messengers: Messengers,
        settings: Settings,
        clock: Clock,
        scheduler: Scheduler,
        live: LiveCards,
        table: Sequence[CommandSpec] = TABLE,
        actions: Mapping[str, ActionHandler] = ACTIONS,
    ) -> None:
        self.db = db
        self.messengers = messengers
        self.settings = settings
        self.clock = clock
        self.scheduler = scheduler
        self.live = live
        self.table = table
        self.by_name = BY_NAME if table is TABLE else {s.name: s for s in table}
        self.actions = actions

    async def handle(self, inv: Invocation) -> None:
        messenger = self.messengers.for_platform(inv.platform)
        try:
            await self._run(inv, messenger)
        except UserError as exc:
            await self._answer(inv, messenger, exc.line())
        except NotOrganiser:
            await self._answer(inv, messenger, strings.NOT_ORGANISER)
        except Exception as exc:
            error_id = secrets.token_hex(4)
            # The exception's message may quote what the member typed: log its type and
            # where it happened, never its text.
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("handler failed [%s] %s\n%s", error_id, type(exc).__name__, frames)
            await self._answer(inv, messenger, strings.APOLOGY.format(error_id=error_id))

    async def _run(self, inv: Invocation, messenger: Messenger) -> None:
        if inv.action is not None:
            feature, verb, ids = parse_action(inv.action)
            action = self.actions.get(feature)
            if action is None:
                raise UserError(strings.STALE_BUTTON)
            ctx = await self._transaction(inv, False, lambda c: action(c, verb, ids))
        else:
            spec = self.by_name.get(inv.command or "")
            if spec is None:
                raise UserError(strings.UNKNOWN_COMMAND.format(name=(inv.command or "")[:32]))
            if len(inv.args) > spec.max_args:
                raise UserError(strings.TOO_LONG.format(limit=spec.max_args), spec.example or None)
            args = spec.parse(inv.args)
            organiser = not inv.is_private and await messenger.is_organiser(inv.user, inv.chat)
            if spec.organiser and spec.available and not organiser:
                raise NotOrganiser
            ctx = await self._transaction(inv, organiser, lambda c: spec.handler(c, args))
        await self._deliver(inv, messenger, ctx.outbox)
        if ctx.woken:
            await self.scheduler.run_due()
        for event_id in ctx.refreshed:
            self.live.touch(event_id)

    async def _transaction(
        self, inv: Invocation, organiser: bool, call: Callable[[Context], Awaitable[None]]
    ) -> Context:
        now = self.clock.now()
        async with self.db.write() as session:
            chat = None
            if not inv.is_private:
                chat = await chats.get_or_create(
                    session, inv.chat, inv.chat_title, self.settings.timezone, now
                )
            ctx = Context(
                inv=inv,
                session=session,
                settings=self.settings,
                now=now,
                chat=chat,
                is_organiser=organiser,
                commands=self.table,
            )
            await call(ctx)
            if _goes_private(inv, ctx.outbox):
                # The first private word to a member is the privacy notice. Someone we
                # hold nothing about sees it too, without a row being made to say so.
                member = await ctx.known_member()
                if member is None or member.notice_shown_at is None:
                    if member is not None:
                        member.notice_shown_at = now
                    ctx.outbox.insert(0, Outgoing("private", card=notice_card()))
        return ctx

    async def _deliver(self, inv: Invocation, messenger: Messenger, outbox: list[Outgoing]) -> None:
        said_here = any(o.target != "private" for o in outbox)
        private_ok = True
        sent_private = False
        for out in outbox:
            if out.target == "toast" and inv.press is not None and out.card is not None:
                await messenger.answer_press(inv.press, out.card.plain())
            elif out.target == "private" and not inv.is_private:
                if not private_ok:
                    continue
                try:
                    if out.file is not None:
                        await messenger.send_file(inv.user, out.file)
                    elif out.card is not None:
                        await messenger.send_private(inv.user, out.card)
                    sent_private = True
                except CannotReachPrivately:
                    private_ok = False
                    await self._answer(inv, messenger, strings.CANNOT_REACH)
            elif out.file is not None:
                await messenger.send_file(inv.chat, out.file)
            elif out.card is not None:
                await messenger.reply(inv, out.card, ephemeral=out.target == "answer")
        if sent_private and private_ok and not said_here:
            await self._answer(inv, messenger, strings.SENT_PRIVATELY)

    async def _answer(self, inv: Invocation, messenger: Messenger, line: str) -> None:
        """One line to the person who acted: a toast for a press, else an ephemeral reply."""
        if inv.press is not None:
            await messenger.answer_press(inv.press, line)
        else:
            await messenger.reply(inv, Card.text(line), ephemeral=True)


def _goes_private(inv: Invocation, outbox: list[Outgoing]) -> bool:
    return any(o.target == "private" or (inv.is_private and o.target == "here") for o in outbox)
