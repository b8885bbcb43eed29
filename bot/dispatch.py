"""Invocation → handler: the one place where rights are checked, transactions are
opened and closed, and every error becomes a one-line answer."""

from __future__ import annotations

import asyncio
import logging
import secrets
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import strings
from bot.arguments import Args
from bot.clock import Clock
from bot.command_spec import CommandSpec, Preparer
from bot.commands import ACTIONS, BY_NAME, FORM, TABLE, ActionHandler
from bot.config import Settings
from bot.context import Context, Outgoing, SeenToday
from bot.domain.errors import NotOrganiser, UserError
from bot.domain.timeparse import parse_when
from bot.forms import Forms
from bot.live import LiveCards
from bot.messaging import (
    CannotReachPrivately,
    Card,
    ChatRef,
    Invocation,
    Messenger,
    Messengers,
)
from bot.mirrors import Mirrors
from bot.ratelimit import MemberLimits, Verdict
from bot.render import short_when
from bot.scheduler import Scheduler
from bot.storage import chats, events, organisers
from bot.storage.database import Database
from bot.textsplit import fit, shorten
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
        mirrors: Mirrors,
        table: Sequence[CommandSpec[Context]] = TABLE,
        actions: Mapping[str, ActionHandler] = ACTIONS,
    ) -> None:
        self.db = db
        self.messengers = messengers
        self.settings = settings
        self.clock = clock
        self.scheduler = scheduler
        self.live = live
        self.mirrors = mirrors
        self.table = table
        self.by_name = BY_NAME if table is TABLE else {s.name: s for s in table}
        self.form_spec = FORM if table is TABLE else next(s for s in table if s.form)
        self.actions = actions
        self.forms = Forms()
        self.seen = SeenToday()
        self.limits = MemberLimits(settings.member_rate)

    async def handle(self, inv: Invocation) -> None:
        messenger = self.messengers.for_platform(inv.platform)
        if self._not_ours(inv):
            return  # another bot's command in a group: not a word from us
        if messenger.strangers:
            verdict = self.limits.check(inv.user, self.clock.now().timestamp())
            if verdict is not Verdict.ALLOW:
                if verdict is Verdict.WARN:
                    await self._answer(inv, messenger, strings.SLOW_DOWN)
                elif inv.press is not None:
                    await messenger.answer_press(inv.press, "")  # stop the spinner, quietly
                return
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

    def _not_ours(self, inv: Invocation) -> bool:
        """A command in a group that is not in our table and was not addressed to us by
        name is meant for another bot (or nobody): answering it would be noise."""
        return (
            inv.command is not None
            and not inv.is_private
            and not inv.addressed
            and inv.command not in self.by_name
            and inv.command != "cancel"
        )

    async def _run(self, inv: Invocation, messenger: Messenger) -> None:
        if inv.action is not None:
            call = await self._action(inv)
            ctx = await self._transaction(inv, messenger, call, organiser_only=False)
        elif inv.command is None or inv.command == "cancel":
            stepped = await self._form_step(inv, messenger)
            if stepped is None:
                return
            ctx = stepped
        else:
            spec = self.by_name.get(inv.command)
            if spec is None:
                raise UserError(strings.UNKNOWN_COMMAND.format(name=inv.command[:32]))
            if len(inv.args) > spec.max_args:
                raise UserError(strings.TOO_LONG.format(limit=spec.max_args), spec.example or None)
            if spec.form and not inv.args.strip():
                ctx = await self._transaction(inv, messenger, self._start_form, organiser_only=True)
            else:
                args = spec.parse(inv.args)
                if spec.prepare is not None:
                    await self._prepare(inv, spec.prepare, args)
                ctx = await self._transaction(
                    inv,
                    messenger,
                    lambda c: spec.handler(c, args),
                    organiser_only=spec.organiser and not (inv.is_private and spec.own_in_private),
                    rights=spec.shows_rights,
                )
        await self._deliver(inv, messenger, ctx.outbox)
        if ctx.erased:
            self.seen.forget()
            await self.db.keep_erasure_list()
            await self.db.scrub()
        if ctx.woken:
            await self.scheduler.run_due()
        for event_id in ctx.refreshed:
            self.live.touch(event_id)
        for event_id in ctx.changed:
            await self.mirrors.sync(event_id)

    async def _prepare(self, inv: Invocation, prepare: Preparer, args: Args) -> None:
        """A command's heavy checks, in a worker thread before its transaction."""
        async with self.db.read() as session:
            found = await chats.get(session, inv.chat) if not inv.is_private else None
        tz = ZoneInfo(found.timezone if found is not None else self.settings.timezone)
        await asyncio.to_thread(prepare, args, tz, self.clock.now())

    async def _action(self, inv: Invocation) -> Callable[[Context], Awaitable[None]]:
        assert inv.action is not None
        feature, verb, ids = parse_action(inv.action)
        if feature == "form":
            form = self.forms.get(Forms.key(inv.chat, inv.user))
            spec = self.form_spec
            if verb == "create" and form is not None and spec.prepare is not None:
                await self._prepare(inv, spec.prepare, spec.parse(form.line()))
            return lambda c: self._form_button(c, verb)
        action = self.actions.get(feature)
        if action is None:
            raise UserError(strings.STALE_BUTTON)
        return lambda c: action(c, verb, ids)

    async def _start_form(self, ctx: Context) -> None:
        ctx.reply(self.forms.start(Forms.key(ctx.inv.chat, ctx.inv.user)))

    async def _form_step(self, inv: Invocation, messenger: Messenger) -> Context | None:
        key = Forms.key(inv.chat, inv.user)
        form = self.forms.get(key)
        if inv.command == "cancel":
            text = strings.FORM_CANCELLED if self.forms.drop(key) else strings.NOTHING_TO_CANCEL
            raise UserError(text)
        if form is None or form.field is None:
            if inv.is_private:
                raise UserError(strings.NOT_A_COMMAND)
            return None  # a group chat's plain message is not for us

        async def step(ctx: Context) -> None:
            if form.field == "when":
                parse_when(inv.args, ctx.tz, ctx.now)  # refuse now, not at the last step
            ctx.reply(self.forms.answer(key, form, inv.args))

        return await self._transaction(inv, messenger, step, organiser_only=True)

    async def _form_button(self, ctx: Context, verb: str) -> None:
        key = Forms.key(ctx.inv.chat, ctx.inv.user)
        form = self.forms.get(key)
        if form is None or form.field is not None or verb not in ("create", "cancel"):
            raise UserError(strings.STALE_BUTTON)
        self.forms.drop(key)
        if verb == "cancel":
            ctx.toast(strings.FORM_CANCELLED)
            return
        spec = self.form_spec
        await spec.handler(ctx, spec.parse(form.line()))
        ctx.toast(strings.FORM_CREATED)

    async def _transaction(
        self,
        inv: Invocation,
        messenger: Messenger,
        call: Callable[[Context], Awaitable[None]],
        *,
        organiser_only: bool,
        rights: bool = False,
    ) -> Context:
        # Asked of the platform before the transaction: it may be a network call, so
        # only when the answer matters: an organiser command, or one (like /help) whose
        # answer depends on it. A button press or /events asks nothing.
        if organiser_only and inv.is_private:
            raise UserError(strings.GROUP_ONLY)
        rights = rights or organiser_only
        platform_says = (
            rights and not inv.is_private and await messenger.is_organiser(inv.user, inv.chat)
        )
        now = self.clock.now()

        async def work(session: AsyncSession) -> Context:
            chat = None
            organiser = platform_says
            if not inv.is_private:
                chat = await chats.get_or_create(
                    session, inv.chat, inv.chat_title, self.settings.timezone, now, inv.space
                )
                role = chat.organiser_role.lower()
                organiser = rights and (
                    organiser
                    or bool(role and role in inv.roles)
                    or await organisers.is_added(session, chat.id, inv.user)
                )
            if organiser_only and not organiser:
                raise NotOrganiser
            ctx = Context(
                inv=inv,
                session=session,
                settings=self.settings,
                now=now,
                chat=chat,
                is_organiser=organiser,
                commands=self.table,
                seen=self.seen,
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

        # Stored before anything is said: the press is answered once this has committed.
        ctx = await self.db.group_commit(work)
        self.seen.add(ctx.just_seen, now.date())  # committed: remembered
        return ctx

    async def suggest_events(self, chat: ChatRef, typed: str) -> list[tuple[int, str]]:
        """Upcoming events of a chat whose number or title starts with what was typed."""
        async with self.db.read() as session:
            found = await chats.get(session, chat)
            if found is None:
                return []
            upcoming = await events.upcoming(session, found.id, self.clock.now(), limit=50)
        typed = typed.strip().lstrip("#").lower()
        return [
            (e.id, shorten(f"#{e.id} {short_when(e.starts_at, e.timezone)} · {e.title}", 100))
            for e in upcoming
            if not typed or str(e.id).startswith(typed) or e.title.lower().startswith(typed)
        ][:25]

    async def chat_joined(self, chat: ChatRef, title: str) -> None:
        """The bot was added to a group: say hello, and mark the group active."""
        async with self.db.write() as session:
            await chats.get_or_create(
                session, chat, title, self.settings.timezone, self.clock.now()
            )
        messenger = self.messengers.for_platform(chat.platform)
        try:
            await messenger.send(chat, Card.text(strings.HELLO))
        except Exception as exc:
            log.warning("hello in a new group failed: %s", type(exc).__name__)

    async def chat_left(self, chat: ChatRef) -> None:
        """Removed from a group: stop posting there; the data stays for the retention rules."""
        async with self.db.write() as session:
            found = await chats.get(session, chat)
            if found is not None:
                found.active = False

    async def chat_moved(self, old: ChatRef, new: ChatRef) -> None:
        """A group got a new id (Telegram's upgrade to a supergroup): keep everything."""
        async with self.db.write() as session:
            await chats.move(session, old, new)

    async def _deliver(self, inv: Invocation, messenger: Messenger, outbox: list[Outgoing]) -> None:
        said_here = any(o.target != "private" for o in outbox)
        private_ok = True
        sent_private = False
        for out in outbox:
            if out.target == "toast" and inv.press is not None and out.card is not None:
                text, hint = out.card.plain(), messenger.private_hint()
                if out.reach_hint and hint:
                    text = strings.with_reach_hint(text, hint)
                await messenger.answer_press(inv.press, fit(text, out.shrink, messenger.max_toast))
            elif out.target == "private" and not inv.is_private:
                if not private_ok:
                    continue
                try:
                    if out.file is not None:
                        await messenger.send_file(inv.user, out.file)
                    elif out.card is not None:
                        await messenger.send_private(inv.user, out.card)
                    sent_private = True
                except CannotReachPrivately as exc:
                    private_ok = False
                    await self._answer(inv, messenger, strings.cannot_reach(exc.how))
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
