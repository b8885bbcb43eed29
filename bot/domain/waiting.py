"""Waiting lists: who takes the places that come free.

One rule for an event's waiting list and a sign-up slot's: strict order, first come
first served; when the first in line needs more places than are free (she brings
guests), those behind her wait too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def next_in_line(line: Sequence[tuple[T, int]], free: int | None) -> list[T]:
    """Those of the line (who, places needed), in order, who take the free places
    (`None`: no limit)."""
    admitted: list[T] = []
    for who, needed in line:
        if free is not None and needed > free:
            break
        admitted.append(who)
        if free is not None:
            free -= needed
    return admitted
