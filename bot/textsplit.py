"""Split long texts to fit a platform's message limit without breaking paragraphs."""

from __future__ import annotations

from dataclasses import replace

from bot.messaging import Card


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, then line, then word ends."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep, 0, limit + 1)
            if cut > 0:
                break
        if cut <= 0:
            pieces.append(rest[:limit])
            rest = rest[limit:]
            continue
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def split_card(card: Card, limit: int) -> list[Card]:
    """Cards that each fit `limit`; only the last carries the buttons."""
    text = card.plain()
    if len(text) <= limit:
        return [card]
    parts = split_text(text, limit)
    cards = [Card(blocks=(p,)) for p in parts]
    cards[-1] = replace(cards[-1], buttons=card.buttons)
    return cards
