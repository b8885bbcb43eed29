"""A chat in the terminal, so Muster can be tried with no accounts at all.

You are an organiser of one local group. Buttons are shown as numbers in brackets; type
the number to press one. `/as <name>` lets you act as another (non-organiser) member, to
see what members see; `/chat <name>` moves you to another local group (to try /link).
A command line ending in `< file` sends that file with it (a motion's text). Lines can
be piped in for scripts and tests.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.messaging import (
    Card,
    ChatRef,
    EventMirror,
    InFile,
    Invocation,
    MessageRef,
    OutFile,
    Press,
    UserRef,
)
from bot.strings import console as words
from bot.textsplit import split_card

if TYPE_CHECKING:
    from bot.command_spec import CommandSpec

PLATFORM = "console"
CHAT = ChatRef(PLATFORM, "local")
ORGANISER_ID = "organiser"
PRIVATE = "private:"  # the chat id prefix of a member's private messages
_FILE = re.compile(r"\s<\s*(\S+)\s*$")
MAX_FILE = 100_000
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)


def _title(chat: ChatRef) -> str:
    return str(words.LOCAL_GROUP) if chat == CHAT else chat.id.replace("-", " ").capitalize()


class ConsoleMessenger:
    strangers = False  # one local user, trying the bot
    answers_alone = False
    updates_role: str | None = None
    max_toast = 4096
    platform = PLATFORM
    max_text = 4096

    def __init__(self, out: TextIO, files_dir: Path) -> None:
        self.out = out
        self.files_dir = files_dir
        self._messages = 0
        self._buttons: dict[int, tuple[str, MessageRef]] = {}
        self._lock = asyncio.Lock()

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _render(self, card: Card, ref: MessageRef) -> str:
        lines = [card.plain()]
        for row in card.buttons:
            labels = []
            for button in row:
                number = len(self._buttons) + 1
                self._buttons[number] = (button.action, ref)
                labels.append(f"[{number}] {button.label}")
            lines.append("  ".join(labels))
        return "\n".join(lines)

    async def send(self, chat: ChatRef, card: Card, *, key: str | None = None) -> MessageRef:
        ref = MessageRef(chat, "0")
        for piece in split_card(card, self.max_text):
            self._messages += 1
            ref = MessageRef(chat, str(self._messages))
            head = (
                words.MESSAGE.format(n=self._messages)
                if chat == CHAT
                else words.MESSAGE_IN.format(n=self._messages, chat=chat.id)
            )
            self.say(f"\n{head}\n" + self._render(piece, ref))
        return ref

    async def reply(self, inv: Invocation, card: Card, *, ephemeral: bool = False) -> None:
        if ephemeral:
            self.say("» " + card.plain())
        else:
            await self.send(inv.chat, card)

    async def edit(self, ref: MessageRef, card: Card) -> None:
        self.say("\n" + words.MESSAGE_UPDATED.format(n=ref.id) + "\n" + self._render(card, ref))

    async def answer_press(self, press: Press, text: str) -> None:
        if text:
            self.say("» " + text)

    async def send_private(self, user: UserRef, card: Card) -> MessageRef:
        ref = MessageRef(ChatRef(PLATFORM, f"{PRIVATE}{user.id}"), "0")
        for piece in split_card(card, self.max_text):
            self._messages += 1
            ref = MessageRef(ref.chat, str(self._messages))
            self.say(
                "\n"
                + words.PRIVATE_MESSAGE.format(n=self._messages)
                + "\n"
                + self._render(piece, ref)
            )
        return ref

    async def send_file(self, target: ChatRef | UserRef, file: OutFile) -> None:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / file.name
        path.write_bytes(file.data)
        head = words.FILE_PRIVATELY if isinstance(target, UserRef) else words.FILE_IN_GROUP
        self.say("\n" + head.format(name=path, size=len(file.data)) + "\n" + file.caption)

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
        return user.id == ORGANISER_ID

    def measure(self, text: str) -> int:
        return len(text)

    def private_hint(self) -> str:
        return ""  # the console's private chat is always open

    async def register_commands(self, table: Sequence[CommandSpec[Any, Any]]) -> None:
        return None

    async def start(self) -> None:
        return None

    async def receive(self) -> None:
        return None

    def connected(self) -> bool:
        return True

    async def pause(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def action_for(self, number: int) -> tuple[str, MessageRef] | None:
        return self._buttons.get(number)


class ConsoleChat:
    """Reads lines and turns them into invocations, one at a time, in order."""

    def __init__(self, messenger: ConsoleMessenger, name: str, source: TextIO) -> None:
        self.messenger = messenger
        self.source = source
        self.user = UserRef(PLATFORM, ORGANISER_ID)
        self.name = self.own_name = name
        self.handle = ORGANISER_ID  # "@organiser" names you; "/as Amy Jones" is @amy_jones
        self.chat = CHAT
        self._presses = 0

    async def run(self, handle: Callable[[Invocation], Awaitable[None]]) -> None:
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def pump() -> None:  # a daemon thread: a blocked read never holds up shutdown
            for line in self.source:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=pump, name="console-input", daemon=True).start()
        self.messenger.say(str(words.WELCOME))
        while (line := await lines.get()) is not None:
            inv = self.parse(line.strip())
            if inv is not None:
                await handle(inv)

    def parse(self, line: str) -> Invocation | None:
        if not line:
            return None
        if line.isdigit():
            found = self.messenger.action_for(int(line))
            if found is None:
                self.messenger.say(words.NO_BUTTON.format(n=line))
                return None
            self._presses += 1
            action, ref = found
            return Invocation(
                chat=ref.chat,
                user=self.user,
                user_name=self.name,
                handle=self.handle,
                is_private=ref.chat.id.startswith(PRIVATE),
                chat_title=_title(ref.chat),
                action=action,
                press=Press(str(self._presses), ref),
            )
        match = _COMMAND.match(line)
        if not match:
            self.messenger.say(str(words.NOT_A_COMMAND))
            return None
        command, args = match.group(1).lower(), (match.group(2) or "").strip()
        if command == "as":
            self._become(args)
            return None
        if command == "chat":
            self._move(args)
            return None
        attachment = None
        file_match = _FILE.search(args)
        if file_match:
            path = Path(file_match.group(1)).expanduser()
            try:
                attachment = InFile(path.name, path.read_bytes()[:MAX_FILE])
            except OSError as exc:
                self.messenger.say(words.CANNOT_READ.format(path=path, reason=exc.strerror))
                return None
            args = args[: file_match.start()].strip()
        return Invocation(
            chat=self.chat,
            user=self.user,
            user_name=self.name,
            handle=self.handle,
            chat_title=_title(self.chat),
            command=command,
            args=args,
            attachment=attachment,
        )

    def _move(self, name: str) -> None:
        slug = re.sub(r"\W+", "-", name.strip().lower()).strip("-")[:40]
        self.chat = ChatRef(PLATFORM, slug) if slug and slug != CHAT.id else CHAT
        self.messenger.say(words.NOW_IN_GROUP.format(title=_title(self.chat)))

    def _become(self, name: str) -> None:
        name = " ".join(name.split())[:60]
        if not name:
            self.user, self.name = UserRef(PLATFORM, ORGANISER_ID), self.own_name
            self.handle = ORGANISER_ID
            self.messenger.say(str(words.YOURSELF_AGAIN))
            return
        self.user = UserRef(PLATFORM, "member-" + re.sub(r"\W+", "-", name.lower()))
        self.handle = re.sub(r"\W+", "_", name.lower()).strip("_")
        self.name = name
        self.messenger.say(words.NOW_A_MEMBER.format(name=name, handle=self.handle))
