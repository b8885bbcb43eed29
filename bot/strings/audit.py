"""What the audit log says an organiser did (the detail after the action's name)."""

from __future__ import annotations

from bot.strings import N_, Plural

EVENT = N_("#{id} {title}")
EVENT_BECAUSE = N_("#{id} {title}: {reason}")
EDITED = N_("#{id} {keys}")
CODE_ISSUED = N_("code issued")
WRONG_CODE = N_("a wrong, used or expired code")
LINKED_WITH = N_("linked with chat {id}")
LEFT_CHATS = Plural("left {n} chat", "left {n} chats")
COUNTS_BY_BRANCH = N_("counts by branch")
NUDGED = Plural("#{id} {n} member", "#{id} {n} members")
CHECKIN_OPENED = N_("#{id} opened")
MARKED = N_("#{id} marked {n}")
MOTION_FOR_EVENT = N_("{slug} for #{id}")
ERASED_MEMBER = N_("(erased member)")
LINE = N_("{at} · {actor} · {action} · {detail}")
