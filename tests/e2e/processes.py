"""Every `muster` process a test starts is killed when the test ends, pass or fail, so a
failing test never leaves a bot running against a fake that is gone."""

from __future__ import annotations

import asyncio
import contextlib

_SPAWNED: list[asyncio.subprocess.Process] = []


def track(proc: asyncio.subprocess.Process) -> asyncio.subprocess.Process:
    _SPAWNED.append(proc)
    return proc


async def reap() -> None:
    while _SPAWNED:
        proc = _SPAWNED.pop()
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(proc.wait(), 10)
