"""Each Telegram group's administrators, remembered for a minute.

Telegram has no cheap way to ask "is this user an administrator here?", and an
organiser command would otherwise cost a getChatAdministrators call each time. A
promotion or demotion drops the group's list at once (the adapter hears of it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

ADMIN_CACHE_SECONDS = 60.0


class AdminCache:
    def __init__(
        self, seconds: float = ADMIN_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        # chat → (when it expires, administrators' ids), in order of expiry.
        self._lists: dict[int, tuple[float, set[int]]] = {}

    def get(self, chat_id: int) -> set[int] | None:
        """The group's administrators, or None when they must be asked for again."""
        now = self.clock()
        # Entries all live as long, so the oldest come first: drop those that expired,
        # or every chat that ever had an organiser command would stay here.
        while self._lists and next(iter(self._lists.values()))[0] < now:
            del self._lists[next(iter(self._lists))]
        cached = self._lists.get(chat_id)
        return cached[1] if cached is not None and cached[0] >= now else None

    def put(self, chat_id: int, ids: set[int]) -> None:
        self._lists.pop(chat_id, None)  # to the end: the order is of expiry
        self._lists[chat_id] = (self.clock() + self.seconds, ids)

    def forget(self, chat_id: int) -> None:
        self._lists.pop(chat_id, None)

    def chats(self) -> set[int]:
        """The groups whose lists are held now."""
        return set(self._lists)
