"""Invocation → handler: the one place where rights are checked, transactions are
opened and closed, what handlers return is delivered, and every error becomes a
one-line answer. It holds no product rule: those are the services'."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import actions, i18n, strings
from bot.actions import FormPress, FormVerb
from bot.arguments import Args
from bot.clock import Clock
from bot.command_spec import CommandSpec, Preparer
from bot.commands import ACTIONS, BY_NAME, BY_NUMBER, TABLE, ActionHandler
from bot.config import Settings
from bot.context import Context, SeenToday
from bot.domain.errors import NotOrganiser, UserError
from bot.forms import Filling, Forms
from bot.live import LiveCards
from bot.messaging import (
    CannotReachPrivately,
    Card,
    ChatRef,
    Invocation,
    Messenger,
    Messengers,
    handled,
)
from bot.metrics import Metrics
from bot.mirrors import Mirrors
from bot.ratelimit import MemberLimits, Verdict
from bot.render import notice_card, short_when
from bot.results import Outgoing, Result
from bot.scheduler import Scheduler
from bot.services import groups, privacy
from bot.services.effects import Effects, Tx
from bot.services.feeds import NO_IDENTITY
from bot.storage import chats, organisers
from bot.storage.arrival import arrive
from bot.storage.database import Database
from bot.textsplit import fit, shorten
from bot.voices import Voices, member_language

log = logging.getLogger(__name__)

Call = Callable[[Context], Awaitable[Result]]


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
        table: Sequence[CommandSpec[Context, Result]] = TABLE,
        actions: Mapping[type[actions.Action], ActionHandler] = ACTIONS,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics or Metrics()
        self.messengers = messengers
        self.settings = settings
        self.clock = clock
        self.scheduler = scheduler
        self.live = live
        self.mirrors = mirrors
        self.table = table
        self.by_name = BY_NAME if table is TABLE else {s.name: s for s in table}
        self.actions = actions
        self.forms = Forms()
        self.voices = Voices(db)
        # The deployment's identity, read when the database is prepared.
        self.identity = NO_IDENTITY
        # The commands that stop a form part-way, as the forms declare them.
        self.stops = frozenset(s.form.stop for s in table if s.form is not None)
        self.seen = SeenToday()
        self.limits = MemberLimits(settings.member_rate)

    async def handle(self, inv: Invocation) -> None:
        kind = "press" if inv.action is not None else "command" if inv.command else "reply"
        began = time.perf_counter()
        try:
            await self._handle(inv.without_nul())
        finally:
            self.metrics.updates.labels(kind).inc()
            self.metrics.handling.labels(kind).observe(time.perf_counter() - began)

    def rate_limited(self, platform: str) -> None:
        self.metrics.rate_limited.labels(platform).inc()

    async def _handle(self, inv: Invocation) -> None:
        messenger = self.messengers.for_platform(inv.platform)
        if self._not_ours(inv):
            return  # another bot's command in a group: not a word from us
        if messenger.strangers:
            verdict = self.limits.check(inv.user, self.clock.now().timestamp())
            if verdict is not Verdict.ALLOW:
                if verdict is Verdict.WARN:
                    # No lookup for a member over their limit: their app's language.
                    with i18n.speaking(member_language(None, inv.language)):
                        await self._answer(inv, messenger, str(strings.SLOW_DOWN))
                elif inv.press is not None:
                    await messenger.answer_press(inv.press, "")  # stop the spinner, quietly
                return
        spec = self.by_name.get(inv.command) if inv.command else None
        public, private = (spec.public, spec.private) if spec is not None else (False, False)
        reader = self.voices.of(inv).of(inv, public, private, messenger.answers_alone)
        with i18n.speaking(reader):
            try:
                await self._run(inv, messenger)
            except UserError as exc:
                await self._answer(inv, messenger, exc.line())
            except NotOrganiser:
                await self._answer(inv, messenger, str(strings.NOT_ORGANISER))
            except Exception as exc:
                error_id = secrets.token_hex(4)
                # The exception's message may quote what the member typed: log its type
                # and where it happened, never its text.
                frames = "".join(traceback.format_tb(exc.__traceback__))
                log.error("handler failed [%s] %s\n%s", error_id, _kind(exc), frames)
                await self._answer(inv, messenger, strings.APOLOGY.format(error_id=error_id))

    def _not_ours(self, inv: Invocation) -> bool:
        """A command in a group that is not in our table and was not addressed to us by
        name is meant for another bot (or nobody): answering it would be noise."""
        return (
            inv.command is not None
            and not inv.is_private
            and not inv.addressed
            and inv.command not in self.by_name
            and inv.command not in self.stops
        )

    async def _run(self, inv: Invocation, messenger: Messenger) -> None:
        if inv.action is not None:
            call, on_event = await self._action(inv)
            result = await self._transaction(
                inv, messenger, call, organiser_only=False, on_event=on_event
            )
        elif inv.command is None or inv.command in self.stops:
            stepped = await self._form_step(inv, messenger)
            if stepped is None:
                return
            result = stepped
        else:
            spec = self.by_name.get(inv.command)
            if spec is None:
                raise UserError(strings.UNKNOWN_COMMAND.format(name=inv.command[:32]))
            if len(inv.args) > spec.max_args:
                raise UserError(strings.TOO_LONG.format(limit=spec.max_args), spec.example or None)
            if spec.form is not None and not inv.args.strip():
                result = await self._transaction(
                    inv, messenger, self._start_form(spec), organiser_only=spec.organiser
                )
            else:
                args = spec.parse(inv.args)
                if spec.prepare is not None:
                    await self._prepare(inv, spec.prepare, args)
                result = await self._transaction(
                    inv,
                    messenger,
                    lambda c: spec.handler(c, args),
                    organiser_only=spec.organiser and not (inv.is_private and spec.own_in_private),
                    rights=spec.shows_rights,
                )
        await self._deliver(inv, messenger, result.out)
        await self._carry_out(result.effects)

    async def _carry_out(self, effects: Effects) -> None:
        """What the handler's transaction owes the world, now that it has committed."""
        if effects.erased:
            self.seen.forget()
            await self.db.keep_erasure_list()
            await self.db.scrub()
        if effects.languages or effects.erased:  # an erased member's choice goes too
            await self.voices.load()
        if effects.send:
            await self.scheduler.run_due()
        for event_id in effects.refresh:
            self.live.touch(event_id)
        for event_id in effects.changed:
            await self.mirrors.sync(event_id)

    async def _prepare(self, inv: Invocation, prepare: Preparer, args: Args) -> None:
        """A command's heavy checks, in a worker thread before its transaction."""
        tz = await self._zone(inv)
        await asyncio.to_thread(prepare, args, tz, self.clock.now())

    async def _zone(self, inv: Invocation) -> ZoneInfo:
        async with self.db.read() as session:
            found = await chats.get(session, inv.chat) if not inv.is_private else None
        return ZoneInfo(found.timezone if found is not None else self.settings.timezone)

    async def _action(self, inv: Invocation) -> tuple[Call, int | None]:
        """The press's handler, and for one that reads its group by its number only, the
        event it is on."""
        assert inv.action is not None
        action = actions.parse(inv.action)
        if action is None:
            raise UserError(strings.STALE_BUTTON)
        if isinstance(action, FormPress):
            form = self.forms.get(Forms.key(inv.chat, inv.user))
            if action.verb is FormVerb.CREATE and form is not None:
                prepare = form.spec.prepare
                if prepare is not None:
                    await self._prepare(inv, prepare, form.spec.parse(form.line()))
            return (lambda c: self._form_button(c, action)), None
        handler = self.actions.get(type(action))
        if handler is None:
            raise UserError(strings.STALE_BUTTON)
        on_event = BY_NUMBER.get(type(action))
        return (lambda c: handler(c, action)), on_event(action) if on_event else None

    def _start_form(self, spec: CommandSpec[Context, Result]) -> Call:
        async def start(ctx: Context) -> Result:
            return Result((Outgoing("here", card=self.forms.start(self._key(ctx), spec)),))

        return start

    @staticmethod
    def _key(ctx: Context) -> tuple[str, str, str]:
        return Forms.key(ctx.inv.chat, ctx.inv.user)

    async def _form_step(self, inv: Invocation, messenger: Messenger) -> Result | None:
        key = Forms.key(inv.chat, inv.user)
        form = self.forms.get(key)
        if inv.command in self.stops:
            text = strings.FORM_CANCELLED if self.forms.drop(key) else strings.NOTHING_TO_CANCEL
            raise UserError(text)
        if form is None or form.question is None:
            if inv.is_private:
                raise UserError(strings.NOT_A_COMMAND)
            return None  # a group chat's plain message is not for us
        question = form.question

        async def step(ctx: Context) -> Result:
            if question.check is not None:
                question.check(inv.args, ctx.tz, ctx.now)  # refuse now, not at the end
            card = self.forms.answer(key, form, inv.args)
            return Result((Outgoing("here", card=card),))

        return await self._transaction(inv, messenger, step, organiser_only=form.spec.organiser)

    async def _form_button(self, ctx: Context, action: FormPress) -> Result:
        key = self._key(ctx)
        form: Filling | None = self.forms.get(key)
        if form is None or form.question is not None:
            raise UserError(strings.STALE_BUTTON)
        self.forms.drop(key)
        if action.verb is FormVerb.CANCEL:
            return _toast(str(strings.FORM_CANCELLED))
        result: Result = await form.spec.handler(ctx, form.spec.parse(form.line()))
        return result + _toast(str(strings.FORM_CREATED))

    async def _transaction(
        self,
        inv: Invocation,
        messenger: Messenger,
        call: Call,
        *,
        organiser_only: bool,
        rights: bool = False,
        on_event: int | None = None,
    ) -> Result:
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
        # A press by number in a group: the group, the member and the event read in one
        # statement, or with the other presses of its transaction (`storage.arrival`).
        pressed = None if on_event is None or inv.is_private else (inv.chat, inv.user, on_event)

        async def work(session: AsyncSession) -> tuple[Result, list[tuple[int, int]]]:
            chat = None
            group_id = None
            arrival = None
            organiser = platform_says
            if pressed is not None:  # no rights asked: none read
                arrival = await arrive(session, *pressed)
                group_id = await chats.touched(
                    session,
                    inv.chat,
                    inv.chat_title,
                    self.settings.timezone,
                    now,
                    inv.space,
                    found=arrival.chat,
                )
            elif not inv.is_private:
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
                tx=Tx(session, now),
                settings=self.settings,
                chat=chat,
                is_organiser=organiser,
                commands=self.table,
                seen=self.seen,
                voice=self.voices.of(inv),
                identity=self.identity,
                group_id=group_id,
                arrival=arrival,
            )
            result = await call(ctx)
            if result.goes_private(inv.is_private):
                member = await ctx.known_member()
                if privacy.notice_owed(ctx.tx, member):
                    notice = Outgoing("private", card=notice_card())
                    result = Result((notice, *result.out), result.effects)
            return result, ctx.just_seen

        # Stored before anything is said: the press is answered once this has committed.
        # One lane per group (PostgreSQL): its presses commit in the order they came, so
        # the first to press takes the first place.
        result, just_seen = await self.db.group_commit(
            work, plain=on_event is not None, key=inv.chat, press=pressed
        )
        self.seen.add(just_seen, now.date())  # committed: remembered
        return result

    async def suggest_events(self, chat: ChatRef, typed: str) -> list[tuple[int, str]]:
        """Upcoming events of a chat whose number or title starts with what was typed."""
        async with self.db.read() as session:
            upcoming = await groups.upcoming(Tx(session, self.clock.now()), chat)
        typed = typed.strip().lstrip("#").lower()
        return [
            (e.id, shorten(f"#{e.id} {short_when(e.starts_at, e.timezone)} · {e.title}", 100))
            for e in upcoming
            if not typed or str(e.id).startswith(typed) or e.title.lower().startswith(typed)
        ][:25]

    async def chat_joined(self, chat: ChatRef, title: str) -> None:
        """The bot was added to a group: say hello, and mark the group active."""
        async with self.db.write() as session:
            await groups.joined(Tx(session, self.clock.now()), chat, title, self.settings.timezone)
        messenger = self.messengers.for_platform(chat.platform)
        try:
            await messenger.send(chat, Card.text(str(strings.HELLO)))
        except Exception as exc:
            log.warning("hello in a new group failed: %s", type(exc).__name__)

    async def chat_left(self, chat: ChatRef) -> None:
        """Removed from a group: stop posting there; the data stays for the retention rules."""
        async with self.db.write() as session:
            await groups.left(Tx(session, self.clock.now()), chat)

    async def chat_moved(self, old: ChatRef, new: ChatRef) -> None:
        """A group got a new id (Telegram's upgrade to a supergroup): keep everything."""
        async with self.db.write() as session:
            await groups.moved(Tx(session, self.clock.now()), old, new)

    async def _deliver(
        self, inv: Invocation, messenger: Messenger, out: Sequence[Outgoing]
    ) -> None:
        handled()  # stored (or nothing to store): the replies may follow
        said_here = any(o.target != "private" for o in out)
        private_ok = True
        sent_private = False
        out = [await _made(item) for item in out]
        for item in out:
            if item.target == "toast" and inv.press is not None and item.card is not None:
                text, hint = item.card.plain(), messenger.private_hint()
                if item.reach_hint and hint:
                    text = strings.WITH_REACH_HINT.format(text=text, how=hint)
                await messenger.answer_press(inv.press, fit(text, item.shrink, messenger.max_toast))
            elif item.target == "private" and not inv.is_private:
                if not private_ok:
                    continue
                try:
                    if item.file is not None:
                        await messenger.send_file(inv.user, item.file)
                    elif item.card is not None:
                        await messenger.send_private(inv.user, item.card)
                    sent_private = True
                except CannotReachPrivately as exc:
                    private_ok = False
                    await self._answer(inv, messenger, strings.cannot_reach(exc.how))
            elif item.file is not None:
                await messenger.send_file(inv.chat, item.file)
            elif item.card is not None:
                await messenger.reply(inv, item.card, ephemeral=item.target == "answer")
        if sent_private and private_ok and not said_here:
            await self._answer(inv, messenger, str(strings.SENT_PRIVATELY))

    async def _answer(self, inv: Invocation, messenger: Messenger, line: str) -> None:
        """One line to the person who acted: a toast for a press, else an ephemeral reply."""
        handled()
        if inv.press is not None:
            await messenger.answer_press(inv.press, line)
        else:
            await messenger.reply(inv, Card.text(line), ephemeral=True)


async def _made(item: Outgoing) -> Outgoing:
    """A file drawn when sent (a chart): drawn now, off the event loop, after the commit."""
    if item.file is None or item.file.make is None:
        return item
    data = await asyncio.to_thread(item.file.make)
    return replace(item, file=replace(item.file, data=data, make=None))


def _toast(text: str) -> Result:
    return Result((Outgoing("toast", card=Card.text(text)),))


def _kind(exc: Exception) -> str:
    """The exception's type, and the database's error code where there is one (which
    rule refused: a code, never the values)."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
    return f"{type(exc).__name__} {code}" if isinstance(code, str) else type(exc).__name__
