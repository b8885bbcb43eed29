"""What the console says around the bot's own messages (it plays every platform's part)."""

from __future__ import annotations

from bot.strings import N_

LOCAL_GROUP = N_("Local group")
MESSAGE = N_("── message {n} ──")
MESSAGE_IN = N_("── message {n} in {chat} ──")
MESSAGE_UPDATED = N_("── message {n} updated ──")
PRIVATE_MESSAGE = N_("── privately to you, message {n} ──")
FILE_PRIVATELY = N_("── file privately to you: {name} ({size} bytes) ──")
FILE_IN_GROUP = N_("── file in the group: {name} ({size} bytes) ──")
WELCOME = N_(
    "Muster console: you are an organiser of a local group. Try /help, or /newevent. Ctrl-D"
    " to quit."
)
NO_BUTTON = N_("» There is no button [{n}].")
NOT_A_COMMAND = N_("» Commands start with /. Try /help.")
CANNOT_READ = N_("» Cannot read {path}: {reason}.")
NOW_IN_GROUP = N_("» You are now in the group “{title}”.")
YOURSELF_AGAIN = N_("» You are yourself again (organiser).")
NOW_A_MEMBER = N_("» You are now {name} (@{handle}), a member. Send /as alone to be yourself.")
