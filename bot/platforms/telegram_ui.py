"""What Muster shows and reads on Telegram besides the adapter's plumbing: cards as HTML
with every user string escaped, inline keyboards, and the members a message mentions."""

from __future__ import annotations

import html

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
)

from bot.messaging import Card, Mention, UserRef

PLATFORM = "telegram"


def render(card: Card) -> str:
    """A card as Telegram HTML: every user-supplied character escaped."""
    parts = [f"<b>{html.escape(card.title, quote=False)}</b>"] if card.title else []
    parts += [html.escape(block, quote=False) for block in card.blocks]
    return "\n\n".join(parts)


def keyboard(card: Card) -> InlineKeyboardMarkup | ForceReply | None:
    if card.buttons:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.label, callback_data=b.action) for b in row]
                for row in card.buttons
            ]
        )
    if card.expects_reply:
        return ForceReply(selective=True)
    return None


def mentions(message: Message) -> tuple[Mention, ...]:
    """Members the text names by mention: a `text_mention` carries the user itself (a
    member without a username); a plain @username is matched against handles."""
    found = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    found |= message.parse_caption_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    return tuple(
        Mention(text, UserRef(PLATFORM, str(entity.user.id)) if entity.user else None)
        for entity, text in found.items()
    )
