"""A card in a group's languages: one, or two for a bilingual group (`cy+en`).

A bilingual group's announcements and reminders carry both languages in one message,
the first language first, each within half the platform's length, so the whole still
fits one message (and an edit never loses its head). The buttons are shared: one
press counts once, whichever language its label is read in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot import i18n
from bot.messaging import Button, Card
from bot.textsplit import Measure

# Between the two languages' texts.
DIVIDER = "· · ·"
Render = Callable[[int | None], Awaitable[Card]]


async def in_languages(
    codes: Sequence[str], render: Render, limit: int | None = None, measure: Measure = len
) -> Card:
    """`render(limit)` in each language of `codes`, joined."""
    if len(codes) == 1:
        with i18n.speaking(codes[0]):
            return await render(limit)
    room = None if limit is None else max((limit - measure(DIVIDER) - 4) // len(codes), 0)
    cards = []
    for code in codes:
        with i18n.speaking(code):
            cards.append(await render(room))
    return joined(cards)


def joined(cards: Sequence[Card]) -> Card:
    first, *others = cards
    blocks = list(first.blocks)
    for other in others:
        blocks += [DIVIDER, *other.blocks]
    rows = tuple(
        tuple(_label(buttons) for buttons in zip(*row_set, strict=True))
        for row_set in zip(*(c.buttons for c in cards), strict=True)
    )
    return Card(
        blocks=tuple(blocks), title=first.title, buttons=rows, expects_reply=first.expects_reply
    )


def _label(buttons: tuple[Button, ...]) -> Button:
    """One button for the same action, its label in each language (once if alike)."""
    labels: list[str] = []
    for button in buttons:
        if button.label not in labels:
            labels.append(button.label)
    return Button(" / ".join(labels), buttons[0].action)
