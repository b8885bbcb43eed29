"""Guided forms: `/newevent` with no arguments asks one question at a time.

A small state machine in the core, keyed by (platform, chat, user), so every platform
that can deliver a plain reply (the console, Telegram) shares it; Discord fills the same
fields from a modal. Forms live in memory with a timeout: an abandoned form simply
expires, and a restart forgets it, which costs the organiser one retyped answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.domain.events import MAX_LOCATION, MAX_TITLE, clean_line
from bot.domain.timeparse import EXAMPLE as WHEN_EXAMPLE
from bot.messaging import Button, Card, ChatRef, UserRef

TIMEOUT_SECONDS = 10 * 60
STEPS = ("title", "when", "where")
PROMPTS = {
    "title": "New event (1/3): what is it called? (send /cancel to stop)",
    "when": f"When is it? For example: {WHEN_EXAMPLE}, tomorrow 18:00, in 2 hours",
    "where": "Where is it? (an address, a postcode, or “online”)",
}

Key = tuple[str, str, str]


@dataclass
class Form:
    step: int = 0
    values: dict[str, str] = field(default_factory=dict)
    expires: float = 0.0

    @property
    def field(self) -> str | None:
        return STEPS[self.step] if self.step < len(STEPS) else None

    def line(self) -> str:
        return " | ".join(self.values[s] for s in STEPS)


class Forms:
    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._forms: dict[Key, Form] = {}

    @staticmethod
    def key(chat: ChatRef, user: UserRef) -> Key:
        return (chat.platform, chat.id, user.id)

    def start(self, key: Key) -> Card:
        self._forms[key] = Form(expires=time.monotonic() + self.timeout)
        return prompt("title")

    def get(self, key: Key) -> Form | None:
        form = self._forms.get(key)
        if form is not None and form.expires < time.monotonic():
            del self._forms[key]
            return None
        return form

    def drop(self, key: Key) -> bool:
        return self._forms.pop(key, None) is not None

    def answer(self, key: Key, form: Form, text: str) -> Card:
        """Take one answer (already validated by the caller) and ask the next question."""
        step = form.field
        assert step is not None
        limit = MAX_TITLE if step == "title" else MAX_LOCATION
        form.values[step] = clean_line(text.replace("|", "/"), limit, step, PROMPTS[step])
        form.step += 1
        form.expires = time.monotonic() + self.timeout
        if form.field is not None:
            return prompt(form.field)
        return Card(
            blocks=(
                f"Create “{form.values['title']}” — {form.values['when']} — "
                f"{form.values['where']}?",
            )
        ).with_buttons((Button("Create", "form:create:0"), Button("Cancel", "form:cancel:0")))


def prompt(step: str) -> Card:
    return Card(blocks=(PROMPTS[step],), expects_reply=True)
