"""The two errors a person can cause, answered in one line by the dispatcher."""

from __future__ import annotations


class UserError(Exception):
    """Bad input: a one-line reason and an example of the right form."""

    def __init__(self, reason: str, example: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.example = example

    def line(self) -> str:
        if self.example:
            return f"{self.reason} Example: {self.example}"
        return self.reason


class NotOrganiser(Exception):
    """A member tried something only the group's organisers may do."""
