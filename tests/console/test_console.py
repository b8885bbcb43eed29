"""The console chat: in-process for the details, as a real `muster run` process for
start-up, piped scripts, clean exits and the one-owner rule."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.messaging import Button, Card, ChatRef, Invocation
from bot.platforms.console import ConsoleChat, ConsoleMessenger
from tests.harness import FakeClock, Harness, muster_env


def muster(tmp_path: Path) -> dict[str, str]:
    return muster_env(tmp_path / "console.db", MUSTER_EDIT_INTERVAL="0")


def run_script(
    tmp_path: Path, script: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        input=script,
        capture_output=True,
        text=True,
        env=muster(tmp_path),
        cwd=tmp_path,
        timeout=timeout,
    )


def test_a_piped_script_works_and_end_of_input_exits_zero(tmp_path: Path) -> None:
    done = run_script(
        tmp_path,
        "/newevent Branch meeting | tomorrow 7.30pm | Library, E2 0HL\n"
        "1\n/as Amy\n2\n/attendees 1\n/as\n/attendees 1\n/events\n",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Branch meeting · #1" in out
    assert "[1] Going  [2] Maybe  [3] Can't go" in out
    assert "» You're going to Branch meeting." in out
    assert "» You might go to Branch meeting." in out
    assert "» Only this group's organisers can do that." in out
    assert "Maybe (1): Amy" in out and "Going (1): You" in out
    tomorrow = datetime.now(ZoneInfo("Europe/London")) + timedelta(days=1)
    day = f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b}"
    assert f"#1 {day} 19:30 · Branch meeting · 1 going, 1 maybe" in out
    assert "Traceback" not in done.stderr


def test_the_state_survives_a_restart(tmp_path: Path) -> None:
    first = run_script(tmp_path, "/newevent Social | in 3 days | Pub\n")
    assert first.returncode == 0, first.stderr
    assert "Social · #1" in first.stdout
    second = run_script(tmp_path, "/events\n")
    assert "· Social · 0 going, 0 maybe" in second.stdout
    assert "Social · #1" not in second.stdout  # announced once, not again


def console(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """A `muster run` in the console, once it has greeted."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    assert process.stdout is not None
    assert "Muster console" in process.stdout.readline()
    return process


def test_sigterm_exits_zero(tmp_path: Path) -> None:
    first = console(muster(tmp_path), tmp_path)
    try:
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


@pytest.mark.sqlite_only  # processes share a PostgreSQL database (tests/multiprocess)
def test_a_second_process_is_refused_until_the_owner_dies(tmp_path: Path) -> None:
    """SQLite's file lock: released however the owner dies, SIGKILL included."""
    env = muster(tmp_path)
    first = console(env, tmp_path)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"],
            input="",
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
        )
        assert second.returncode == 1
        assert "another Muster process is using" in second.stderr
    finally:
        first.kill()
        first.wait()
    after = console(env, tmp_path)
    after.send_signal(signal.SIGTERM)
    assert after.wait(timeout=30) == 0


async def test_a_reminder_appears_in_the_console_as_it_falls_due(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    harness = Harness(tmp_path / "c.db", clock)
    out = io.StringIO()
    messenger = ConsoleMessenger(out, tmp_path / "files")
    harness.messenger = messenger  # type: ignore[assignment]
    await harness.start()
    try:
        chat = ConsoleChat(messenger, "You", io.StringIO(""))
        inv = chat.parse("/newevent Rally | tomorrow 18:00 | Square | remind=2h")
        assert inv is not None
        await harness.running.dispatcher.handle(inv)
        assert "Rally · #1" in out.getvalue() and "Reminder" not in out.getvalue()
        clock.set(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
        await harness.running.scheduler.run_due()
        assert "⏰ Reminder: Rally is in 2 hours." in out.getvalue()
    finally:
        await harness.stop()


async def test_buttons_are_numbered_and_can_be_typed() -> None:
    out = io.StringIO()
    messenger = ConsoleMessenger(out, Path("/nonexistent"))
    chat = ConsoleChat(messenger, "You", io.StringIO(""))
    card = Card(blocks=("Hello",)).with_buttons((Button("Going", "rsvp:going:1"),))
    await messenger.send(ChatRef("console", "local"), card)
    assert "[1] Going" in out.getvalue()
    inv = chat.parse("1")
    assert isinstance(inv, Invocation) and inv.action == "rsvp:going:1"
    assert chat.parse("7") is None and "no button [7]" in out.getvalue()
    assert chat.parse("hello") is None and "Commands start with /" in out.getvalue()
    cmd = chat.parse("/rsvp 1 yes +1")
    assert cmd is not None and cmd.command == "rsvp" and cmd.args == "1 yes +1"
