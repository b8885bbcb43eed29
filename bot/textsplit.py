"""Split long texts to fit a platform's message limit without breaking paragraphs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.messaging import Card

Measure = Callable[[str], int]


def utf16(text: str) -> int:
    """A text's length as Telegram counts it: in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def _fitting(text: str, limit: int, measure: Measure) -> int:
    """How many characters from the start of `text` measure at most `limit`."""
    if measure is len or measure(text[:limit]) <= limit:
        return limit
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Pieces of at most `limit` (as `measure` counts), cut at paragraph, then line,
    then word ends."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text
    while measure(rest) > limit:
        size = max(_fitting(rest, limit, measure), 1)
        window = rest[: size + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep, 0, size + 1)
            if cut > 0:
                break
        if cut <= 0:
            pieces.append(rest[:size])
            rest = rest[size:]
            continue
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def split_card(card: Card, limit: int, measure: Measure = len) -> list[Card]:
    """Cards that each fit `limit`; only the last carries the buttons."""
    text = card.plain()
    if measure(text) <= limit:
        return [card]
    parts = split_text(text, limit, measure)
    cards = [Card(blocks=(p,)) for p in parts]
    cards[-1] = replace(cards[-1], buttons=card.buttons)
    return cards


ELLIPSIS = "…"
WORD_SLACK = 10  # characters given up, at most, to cut between words
MIN_PART = 12  # a title shortened to fit keeps at least this much


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut from the middle: a title keeps its start and a
    place its end (its postcode): "Oxford House, Derbyshire Street … E2 6HG"."""
    if len(text) <= limit:
        return text
    if limit <= 4:
        return text[:limit]
    room = limit - 3  # " … "
    tail_len = max(room // 3, 1)
    head, tail = text[: room - tail_len], text[len(text) - tail_len :]
    space = head.rfind(" ")
    if space > len(head) - WORD_SLACK:
        head = head[:space]  # end on a whole word where that costs little
    space = tail.find(" ")
    if 0 <= space < WORD_SLACK:
        tail = tail[space + 1 :]
    return f"{head.rstrip()} {ELLIPSIS} {tail.lstrip()}"


def fit(text: str, part: str, limit: int) -> str:
    """The text within `limit`, shortening `part` (a title within it) rather than the
    sentence around it, so its key words ("You're going", "waiting list, number 3")
    always survive."""
    if len(text) <= limit:
        return text
    if part and part in text:
        keep = max(len(part) - (len(text) - limit), MIN_PART)
        text = text.replace(part, shorten_end(part, keep), 1)
    return text if len(text) <= limit else shorten_end(text, limit)


def shorten_end(text: str, limit: int) -> str:
    """At most `limit` characters, cut at the end with an ellipsis (a title in a
    sentence: its start is what a reader knows it by)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    if " " in cut and len(cut) - cut.rfind(" ") < 12:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-") + ELLIPSIS
