"""What Muster shows and reads on Telegram besides the adapter's plumbing: cards as HTML
with every user string escaped, inline keyboards, and messages and presses put in the
core's terms (who by id, the members a message mentions)."""

from __future__ import annotations

import html
from typing import Any

from telegram import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)

from bot.messaging import Card, ChatRef, Invocation, Mention, MessageRef, Press, UserRef

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


def from_message(update: Update, **what: Any) -> Invocation | None:
    """An Invocation for a message, or None when it is not a member speaking.

    A forwarded message is someone else's words passed on: never run as a command.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or message.forward_origin is not None:
        return None
    handle, language = "", None
    if message.sender_chat is not None:
        if message.sender_chat.id != chat.id:
            return None  # a channel posting into the group: not a member
        # An anonymous administrator speaks as the group itself.
        user, name = UserRef(PLATFORM, f"chat:{chat.id}"), chat.title or "Admin"
    else:
        sender = update.effective_user
        if sender is None or sender.is_bot:
            return None
        user, name = UserRef(PLATFORM, str(sender.id)), sender.full_name
        handle = (sender.username or "").lower()
        language = sender.language_code
    replied = message.reply_to_message
    author = None
    if replied is not None and replied.sender_chat is None and replied.from_user is not None:
        author = None if replied.from_user.is_bot else replied.from_user
    return Invocation(
        chat=ChatRef(PLATFORM, str(chat.id)),
        user=user,
        user_name=name,
        is_private=chat.type == "private",
        chat_title=chat.title or "",
        origin=str(message.message_id),
        handle=handle,
        mentions=mentions(message),
        replied_to=UserRef(PLATFORM, str(author.id)) if author is not None else None,
        replied_name=author.full_name if author is not None else "",
        language=language,
        **what,
    )


def from_press(query: CallbackQuery, action: str) -> Invocation:
    """An Invocation for a button pressed; `action` is its data (the button's whole
    action)."""
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    chat = ChatRef(PLATFORM, str(chat_id))
    ref = MessageRef(chat, str(message.message_id)) if message is not None else None
    return Invocation(
        chat=chat,
        user=UserRef(PLATFORM, str(query.from_user.id)),
        user_name=query.from_user.full_name,
        handle=(query.from_user.username or "").lower(),
        is_private=message is not None and message.chat.type == "private",
        chat_title=getattr(message.chat, "title", "") if message is not None else "",
        action=action,
        press=Press(query.id, ref),
        language=query.from_user.language_code,
    )
