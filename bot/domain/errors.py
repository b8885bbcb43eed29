"""The two errors a person can cause, answered in one line by the dispatcher."""

from __future__ import annotations

import re

from bot import strings
from bot.strings import Msg

_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


class UserError(Exception):
    """Bad input: a one-line reason and an example of the right form."""

    def __init__(self, reason: str | Msg, example: str | Msg | None = None) -> None:
        # Read now, in the language of whoever caused it (see bot.i18n).
        super().__init__(str(reason))
        self.reason = str(reason)
        self.example = None if example is None else str(example)

    def line(self) -> str:
        """One line, whatever the reason quotes of what the member typed."""
        if self.example:
            text = strings.WITH_EXAMPLE.format(reason=self.reason, example=self.example)
        else:
            text = self.reason
        return _ONE_LINE.sub(" ", text)


class NotOrganiser(Exception):
    """A member tried something only the group's organisers may do."""
