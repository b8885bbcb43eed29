"""A modest budget of commands and presses for each member.

On Telegram and Discord any member, of any group, shares this process with every other
group: one member sending /events 25 times kept an organiser's announcement waiting a
minute. Each member gets a token bucket; past it, the first refused action is answered
once with a word to slow down, and the rest are dropped quietly until the bucket has
refilled.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from enum import Enum

from bot.messaging import UserRef

BURST = 15  # actions a member may take at once
MAX_TRACKED = 50_000  # members remembered at once; the longest-idle are forgotten first


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first refusal: say so, once
    DROP = "drop"  # later refusals: nothing is said


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class MemberLimits:
    def __init__(self, per_minute: float, burst: int = BURST) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: OrderedDict[UserRef, _Bucket] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def check(self, user: UserRef, now: float) -> Verdict:
        if not self.enabled:
            return Verdict.ALLOW
        bucket = self._buckets.pop(user, None)
        if bucket is None:
            bucket = _Bucket(self.burst, now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        self._buckets[user] = bucket  # most recently seen last
        while len(self._buckets) > MAX_TRACKED:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN
