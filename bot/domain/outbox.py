"""What the bot owes: the kinds of message in the outbox and the states each passes.

One table holds every message the bot owes a chat (an announcement, a reminder, word of
a change) or one member (a private reminder, a place from the waiting list). Each row
is claimed, sent and recorded once, by one loop in the scheduler.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class Purpose(StrEnum):
    # Owed to a chat.
    ANNOUNCE = "announce"
    REMIND = "remind"
    UPDATE = "update"  # the time or place changed
    CANCEL = "cancel"
    # The moment private reminders fall due: sends nothing itself, but owes one
    # MEMBER_REMIND to each member going who asked for them.
    PRIVATE_REMINDERS = "private_reminders"
    # Owed to one member.
    MEMBER_REMIND = "member_remind"
    MEMBER_CHANGE = "member_change"
    MEMBER_CANCEL = "member_cancel"
    NUDGE = "nudge"
    PROMOTED = "promoted"  # a place on an event's waiting list came free
    SLOT = "slot"  # a place on a sign-up slot came free
    RECONFIRM = "reconfirm"  # a question about a member's old facts
    AFTER_MEETING = "after_meeting"  # an organiser's figures an hour after a meeting
    # Owed to a chat, about no one event.
    DIGEST = "digest"  # the week ahead, on the day and time the group chose


FOR_CHAT = frozenset(
    {Purpose.ANNOUNCE, Purpose.REMIND, Purpose.UPDATE, Purpose.CANCEL, Purpose.PRIVATE_REMINDERS}
)
LIVE_CARDS = (Purpose.ANNOUNCE, Purpose.REMIND)  # messages edited as answers come in


class Status(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed; a process that died here leaves it to be sent again
    SENT = "sent"
    SKIPPED = "skipped"  # no longer applied when due
    CANCELLED = "cancelled"  # withdrawn before it was due
    FAILED = "failed"
    UNLINKED = "unlinked"  # posted in a chat since unlinked: no longer shown there


SHOWN = (Status.PENDING, Status.SENDING, Status.SENT)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """How long a failed send waits before the next try: doubling, at most five minutes."""
    return timedelta(seconds=min(300, 2 ** min(attempts, 8)))
