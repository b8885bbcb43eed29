"""Guided forms: a command given no arguments asks its questions one at a time.

A small state machine in the core, keyed by (platform, chat, user), so every platform
that can deliver a plain reply (the console, Telegram) shares it; Discord fills the
same questions from a modal. The questions are declared with the command
(`CommandSpec.form`). Forms live in memory with a timeout: an abandoned form simply
expires, and a restart forgets it, which costs the organiser one retyped answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bot.actions import FormPress, FormVerb
from bot.command_spec import CommandSpec, Question
from bot.domain.events import clean_line
from bot.messaging import Button, Card, ChatRef, UserRef
from bot.strings import commands as words

TIMEOUT_SECONDS = 10 * 60
# Forms held at once: strangers may start forms in every chat, so memory is bounded;
# past it, expired forms go first, then the longest idle.
MAX_FORMS = 10_000

Key = tuple[str, str, str]


@dataclass
class Filling:
    """One member's form in one chat: which command, and the answers so far."""

    spec: CommandSpec[Any, Any]
    step: int = 0
    values: dict[str, str] = field(default_factory=dict)
    expires: float = 0.0

    @property
    def questions(self) -> tuple[Question, ...]:
        assert self.spec.form is not None
        return self.spec.form.in_chat()

    @property
    def question(self) -> Question | None:
        """The question waiting for an answer; None once all are answered."""
        return self.questions[self.step] if self.step < len(self.questions) else None

    def line(self) -> str:
        assert self.spec.form is not None
        return self.spec.form.line(self.values)


class Forms:
    def __init__(self, timeout: float = TIMEOUT_SECONDS, most: int = MAX_FORMS) -> None:
        self.timeout = timeout
        self.most = most
        self._forms: dict[Key, Filling] = {}

    @staticmethod
    def key(chat: ChatRef, user: UserRef) -> Key:
        return (chat.platform, chat.id, user.id)

    def start(self, key: Key, spec: CommandSpec[Any, Any]) -> Card:
        now = time.monotonic()
        self._forms.pop(key, None)
        if len(self._forms) >= self.most:
            self._forms = {k: f for k, f in self._forms.items() if f.expires >= now}
            while len(self._forms) >= self.most:
                del self._forms[min(self._forms, key=lambda k: self._forms[k].expires)]
        filling = Filling(spec, expires=now + self.timeout)
        self._forms[key] = filling
        question = filling.question
        assert question is not None
        return prompt(question)

    def get(self, key: Key) -> Filling | None:
        form = self._forms.get(key)
        if form is not None and form.expires < time.monotonic():
            del self._forms[key]
            return None
        return form

    def drop(self, key: Key) -> bool:
        return self._forms.pop(key, None) is not None

    def answer(self, key: Key, form: Filling, text: str) -> Card:
        """Take one answer (already checked by the caller) and ask the next question,
        or, when all are answered, whether to go ahead."""
        question = form.question
        assert question is not None and form.spec.form is not None
        if not question.separators:
            text = text.replace("|", "/")  # an answer cannot break the command's line
        form.values[question.name] = clean_line(
            text, question.max_length, question.label, form.spec.example
        )
        form.step += 1
        form.expires = time.monotonic() + self.timeout
        following = form.question
        if following is not None:
            return prompt(following)
        confirm = form.spec.form.confirm.format(**form.values)
        return Card(blocks=(confirm,)).with_buttons(
            (
                Button(str(words.CREATE), FormPress(FormVerb.CREATE).pack()),
                Button(str(words.CANCEL), FormPress(FormVerb.CANCEL).pack()),
            )
        )


def prompt(question: Question) -> Card:
    return Card(blocks=(question.prompt.format(),), expects_reply=True)
