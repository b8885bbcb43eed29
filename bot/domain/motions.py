"""Model motions: reading the shipped files and filling their blanks for a group."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import UserError
from bot.strings import motions as words

MAX_SLUG = 60
MAX_NOTE = 300  # what a recorded status says beside it
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
PLACEHOLDER = re.compile(r"\{(branch|clp|group|date)\}")
PROMPTS = {
    "branch": words.BLANK_BRANCH,
    "clp": words.BLANK_CLP,
    "group": words.BLANK_GROUP,
    "date": words.BLANK_DATE,
}


class Status(StrEnum):
    """Where a motion stands in one group."""

    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    DEBATED = "debated"
    PASSED = "passed"
    FELL = "fell"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class MotionText:
    slug: str
    title: str
    body: str
    source: str
    # A shipped translation names its language in the front matter (`language: cy`)
    # and keeps the English one's slug.
    language: str = "en"

    @property
    def digest(self) -> str:
        joined = "\x00".join((self.slug, self.title, self.body, self.source, self.language))
        return hashlib.sha256(joined.encode()).hexdigest()


def parse_slug(text: str) -> str:
    slug = text.strip().lower()
    if not SLUG.match(slug):
        raise UserError(words.BAD_SLUG, "/motion mandatory-reselection")
    return slug


def parse_motion_file(text: str) -> MotionText:
    """A seed file: `---` front matter of `key: value` lines, then the body."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("a motion file starts with a --- front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration as exc:
        raise ValueError("the front matter is not closed with ---") from exc
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if line.strip():
            key, sep, value = line.partition(":")
            if not sep:
                raise ValueError(f"front matter line without a colon: {line!r}")
            meta[key.strip().lower()] = value.strip()
    body = "\n".join(lines[end + 1 :]).strip()
    for key in ("slug", "title", "source"):
        if not meta.get(key):
            raise ValueError(f"front matter lacks {key}")
    if not SLUG.match(meta["slug"]) or not body:
        raise ValueError("bad slug or empty body")
    language = meta.get("language", "en").lower()
    return MotionText(meta["slug"], meta["title"], body, meta["source"], language)


def fill(body: str, values: dict[str, str]) -> str:
    """Blanks filled from the group's settings; an unknown one stays a bracketed prompt."""

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        return values.get(key) or PROMPTS[key].format()

    return PLACEHOLDER.sub(one, body)
