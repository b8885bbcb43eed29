"""Sentences of linked chats."""

from __future__ import annotations

from bot.strings import N_

CHAT_NAME = N_("{title} ({platform})")
A_CHAT = N_("a chat")
CODE = N_(
    "Link code: {code}\nIn the other chat (Telegram or Discord), an organiser sends /link"
    " {code} within 10 minutes. The code works once."
)
LINKED = N_(
    "Linked. New events announced here or in {names} are posted in all of them, with one set"
    " of answers. Each chat's organisers keep their own rights. /unlink undoes it."
)
NOT_LINKED = N_("This chat is not linked with any other.")
UNLINKED = N_(
    "Unlinked from {names}. Events are no longer shared; cards already posted stay, but"
    " answer there only for the chat that made the event."
)
