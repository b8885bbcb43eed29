"""The one reader of `key=value` text: /newevent's details, /editevent, /settings, /iam
and /newsignup's parts all take it, with one set of refusals.

A value runs to the next `key=` (so a place or a description may hold spaces), within
its segment: /newevent and /newsignup separate segments with `|`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain.errors import UserError
from bot.strings import Msg
from bot.strings import input as refuse

_KEY_AT = re.compile(r"(?:^|\s)([a-z_]+)=", re.IGNORECASE)


# What a refused key is called, by the reader's noun: whole sentences for each.
_UNKNOWN = {"setting": refuse.UNKNOWN_SETTING, "fact": refuse.UNKNOWN_FACT}


def read_pairs(
    segments: Iterable[str], keys: tuple[str, ...], example: str | Msg, noun: str = "option"
) -> dict[str, str]:
    """The pairs, each key known and given once; anything else is refused in one line."""
    pairs: dict[str, str] = {}
    for segment in (s.strip() for s in segments):
        if not segment:
            continue
        matches = list(_KEY_AT.finditer(segment))
        if not matches or matches[0].start() != 0:
            raise UserError(refuse.NOT_KEY_VALUE.format(segment=segment[:30]), example)
        for i, match in enumerate(matches):
            key = match.group(1).lower()
            if key not in keys:
                unknown = _UNKNOWN.get(noun, refuse.UNKNOWN_OPTION)
                raise UserError(unknown.format(key=key[:20], keys=", ".join(keys)), example)
            if key in pairs:
                raise UserError(refuse.GIVEN_TWICE.format(key=key), example)
            end = matches[i + 1].start() if i + 1 < len(matches) else len(segment)
            pairs[key] = segment[match.end() : end].strip()
    return pairs
