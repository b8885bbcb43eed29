"""Sentences of answering events."""

from __future__ import annotations

from bot.strings import N_

GUESTS_NEED_YES = N_("Guests come with a yes or a maybe.")
COUNTS = N_("Going {going} · Maybe {maybe} · Can't go {no}")
COUNTS_WAITING = N_("Going {going} · Maybe {maybe} · Can't go {no} · Waiting list {waiting}")
