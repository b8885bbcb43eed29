"""Text from members made safe to store, show and name files with.

A member controls their display name, a group's admin its title, an organiser every
title and place. None of that may steer how other text is shown: right-to-left
overrides and zero-width characters can make "Going" read as another word or hide a
name inside another; control characters and newlines can break a file's header.
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates; marks; zero-width characters; the
# byte-order mark; soft hyphen. None of them is needed in a title, a place or a name.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """The text without invisible formatting characters (newlines kept)."""
    return _INVISIBLE.sub("", text)


def one_line(text: str) -> str:
    """One line: invisible characters removed, control characters and runs of white
    space folded into single spaces."""
    return " ".join(_CONTROL.sub(" ", visible(text)).split())


def paragraph(text: str) -> str:
    """Several lines allowed (a description); every other control character removed."""
    kept = visible(text).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", " ", kept).strip()


def spreadsheet_safe(value: str) -> str:
    """A cell of a CSV file as text: a spreadsheet reads one starting with = + - @ as a
    formula ("=HYPERLINK(…)" in a name), so such a cell is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
