"""Who reads what an update makes Muster say, and in which language.

Two readers can differ: what is posted in a group is read by all its members, in the
group's language (`/settings language=cy`, or `cy+en` for both); what only the
member who acted reads (a private message, a button's toast, Discord's answers only
they see) is in their own language: the one they chose with `/settings language=…`
in a private chat, else the one their app is set to, as the platform says.

Every group and member that chose a language other than the default is held in
memory, read whole at start and every `TTL` seconds (and at once after a change made
here), so finding an update's languages costs no statement and no wait: updates keep
the order they came in (the last place goes to the first press), and a refusal said
before any transaction is already in the right language. A change made in another
process shows within `TTL`. The maps hold only rows that chose something, one entry
a group or member, as the database does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bot import i18n
from bot.messaging import ChatRef, Invocation, UserRef
from bot.storage import chats, members
from bot.storage.database import Database

TTL = 30.0  # seconds between two readings of every choice


@dataclass(frozen=True)
class Voice:
    """The languages of one update's readers."""

    group: tuple[str, ...]  # the group's, first the one it reads first; () in private
    member: str

    @property
    def here(self) -> str:
        """What is said in the group in answer to this member: their language when the
        group reads it (a bilingual group's English speaker is answered in English),
        else the group's first."""
        if not self.group:
            return self.member
        return self.member if self.member in self.group else self.group[0]

    def of(self, inv: Invocation, public: bool, private: bool, answers_alone: bool) -> str:
        """The language an update's answers are written in: the member's where only
        they read them (a press's toast, a private chat, a command that answers
        privately, the platform's answers for one), the group's where the chat reads
        them."""
        alone = private or (answers_alone and not public)
        if inv.is_private or inv.press is not None or alone:
            return self.member
        return self.here

    @contextmanager
    def privately(self) -> Iterator[None]:
        with i18n.speaking(self.member):
            yield


ENGLISH = Voice((), i18n.ENGLISH)


def group_languages(setting: str | None) -> tuple[str, ...]:
    return i18n.parse_language(setting or "") or (i18n.ENGLISH,)


def member_language(chosen: str | None, platform: str | None, group: tuple[str, ...] = ()) -> str:
    """A member's own language: the one they chose, else their app's, else their
    group's. An app in English says little where the group reads no English: Telegram
    and Discord have no Welsh, so a Welsh speaker's app says English; there the
    group's language is theirs until they choose otherwise."""
    if chosen in i18n.LANGUAGES:
        return chosen
    told = i18n.from_platform(platform)
    if group and i18n.ENGLISH not in group and told in (None, i18n.ENGLISH):
        return group[0]
    return told or (group[0] if group else i18n.ENGLISH)


class Voices:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._groups: dict[ChatRef, tuple[str, ...]] = {}
        self._chosen: dict[UserRef, str] = {}

    def of(self, inv: Invocation) -> Voice:
        group = () if inv.is_private else self._groups.get(inv.chat, (i18n.ENGLISH,))
        return Voice(group, member_language(self._chosen.get(inv.user), inv.language, group))

    async def load(self) -> None:
        """Every choice of language, read anew."""
        async with self.db.read() as session:
            groups = await chats.languages(session)
            chosen = await members.languages(session)
        self._groups = {ref: group_languages(setting) for ref, setting in groups}
        self._chosen = dict(chosen)
