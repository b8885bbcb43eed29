"""Logging set-up: levels, quiet libraries, and secrets that can never be printed.

httpx logs request URLs at INFO, and a Telegram request URL holds the bot token; it is
held at WARNING, and as a second guard every record is scrubbed of the configured
secrets before any handler writes it. The platform libraries are never let down to
DEBUG, where they print members' messages.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        scrubbed = self._scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        return True

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure(level: str, secrets: Iterable[str] = (), stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # The platform libraries log whole updates at DEBUG: members' names and what they
    # wrote. That never goes in a log, whatever level the operator asks for.
    for chatty in ("telegram", "discord"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, root.level))
