"""How `muster run` runs: on uvloop's event loop where it is installed (a dependency
everywhere but Windows); the process tests (tests/e2e, tests/console) run it so."""

from __future__ import annotations

import asyncio
import builtins
from typing import Any

import pytest
import uvloop

from bot import cli


def test_muster_run_runs_on_uvloop() -> None:
    assert cli.loop_runner() is uvloop.run

    async def loop_type() -> int:
        assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
        return 7

    assert cli.loop_runner()(loop_type()) == 7


def test_without_uvloop_it_runs_on_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_uvloop(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "uvloop":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvloop)
    assert cli.loop_runner() is asyncio.run
