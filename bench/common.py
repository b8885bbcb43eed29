"""What every benchmark needs: a fake Bot API that enforces Telegram's limits, the real
`muster` process started against it, a database seeded fast, and figures printed.

Figures are measured at the fake (when a request arrives), so they include everything a
member would wait for: polling, our processing, the HTTP round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.storage.copy import copy
from bot.storage.database import Database
from tests import databases
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import spawn_muster

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "build" / "bench"
ORGANISER = 1
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a UTC instant in SQLite


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).replace(tzinfo=None).strftime(STAMP)


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" {platform.system()} {platform.release()}"
    )


async def eventually(check: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        # Checks read the fake's records: polling often would take the CPU the fake and
        # the bot need, and slow what is being measured.
        await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def bare_app(
    tg: FakeTelegram, transport: str = "httpx"
) -> AsyncIterator[Callable[[], float]]:
    """The bare python-telegram-bot application (`bench/bare_ptb.py`) polling `tg`;
    yields what reads its CPU time so far, to set a press's cost beside Muster's."""
    polls = tg.count("getupdates")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bare_ptb", tg.token, tg.base_url, transport, cwd=ROOT
    )
    try:
        await eventually(lambda: tg.count("getupdates") > polls, 60, "the bare bot")
        yield lambda: _cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        await proc.wait()


async def strict_telegram(admins: dict[int, set[int]] | None = None) -> FakeTelegram:
    fake = FakeTelegram(admins=admins or {}, enforce_limits=True)
    await fake.start()
    return fake


@dataclass
class Process:
    proc: asyncio.subprocess.Process
    log: Path

    async def stop(self) -> int:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode or 0

    def cpu_seconds(self) -> float:
        """The process's CPU time so far, user and system (Linux): steadier than a rate
        on a shared machine, whose pace moves by a third within the hour."""
        return _cpu_seconds(self.proc.pid)

    def rss_mb(self) -> float:
        """Resident memory of the process, from /proc (Linux)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024


async def start_muster(
    tg: FakeTelegram, db: Path, *, edit_interval: float = 3.0, **env: str
) -> tuple[Process, float]:
    """The real `muster run` against the fake; returns it and the seconds it took until
    it asked for updates (it is ready to answer)."""
    log = db.with_suffix(".log")
    started = time.monotonic()
    polls = tg.count("getupdates")
    proc = await spawn_muster(
        db,
        log,
        MUSTER_TELEGRAM_TOKEN=tg.token,
        MUSTER_TELEGRAM_BASE_URL=tg.base_url,
        MUSTER_EDIT_INTERVAL=str(edit_interval),
        MUSTER_LOG_LEVEL="WARNING",
        # A benchmark plays a few tireless organisers: each member's budget of actions
        # would be measured instead of Muster.
        MUSTER_MEMBER_RATE="0",
        **env,
    )
    await eventually(lambda: tg.count("getupdates") > polls, 120, "muster to start")
    return Process(proc, log), time.monotonic() - started


def on_postgresql() -> bool:
    """Whether this run measures PostgreSQL (`python -m bench --database postgresql`)."""
    return databases.on_postgresql()


async def onto_chosen_database(seeded: Path) -> None:
    """A benchmark seeds an SQLite file (a million rows go faster by sqlite3 than any
    other way); on PostgreSQL that file is then moved by `muster db copy`, as a group
    moving would, into the database the process under test is given for the path."""
    if not on_postgresql():
        return
    source = Database.from_url(f"sqlite+aiosqlite:///{seeded}")
    try:
        await copy(source.reader, databases.url_for(seeded), lambda _: None)
    finally:
        await source.close()


def database_name() -> str:
    return "PostgreSQL" if on_postgresql() else "SQLite"


async def empty_database(path: Path) -> None:
    """A database at the current schema, as `muster run` would make it."""
    db = Database.from_url(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    await db.close()


def insert(path: Path, table: str, rows: Iterable[dict[str, Any]], chunk: int = 20_000) -> int:
    """Bulk rows straight into SQLite: seeding a million rows through the ORM would take
    longer than the benchmark."""
    connection = sqlite3.connect(path)
    count = 0
    try:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                count += _flush(connection, table, batch)
                batch = []
        if batch:
            count += _flush(connection, table, batch)
        connection.commit()
    finally:
        connection.close()
    return count


def _flush(connection: sqlite3.Connection, table: str, batch: list[dict[str, Any]]) -> int:
    columns = list(batch[0])
    marks = ", ".join(f":{c}" for c in columns)
    connection.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
        batch,
    )
    return len(batch)


def chat_row(
    chat_id: int,
    platform_id: str,
    now: datetime,
    circle: int | None = None,
    platform: str = "telegram",
) -> dict[str, Any]:
    return {
        "id": chat_id,
        "platform": platform,
        "platform_chat_id": platform_id,
        "title": f"Branch {chat_id}",
        "display_name": f"Branch {chat_id}",
        "clp": "",
        "branch": "",
        "timezone": "Europe/London",
        "reminder_offsets": "7d,1d,2h",
        "show_names": 0,
        "active": 1,
        "space": "",
        "organiser_role": "",
        "circle": circle,
        "created_at": stamp(now),
    }


def event_row(
    event_id: int, chat_id: int, start: datetime, now: datetime, **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": event_id,
        "chat_id": chat_id,
        "kind": "meeting",
        "title": f"Meeting {event_id}",
        "starts_at": stamp(start),
        "ends_at": None,
        "timezone": "Europe/London",
        "location": "Library",
        "description": "",
        "capacity": None,
        "reminder_offsets": "none",
        "motion_slug": None,
        "status": "scheduled",
        "cancel_reason": "",
        "series_id": None,
        "occurrence": None,
        "revision": 0,
        "edits": 0,
        "change_note": "",
        "checkin_until": None,
        "created_by": None,
        "created_at": stamp(now),
    }
    row.update(extra)
    return row


def delivery_row(
    delivery_id: int,
    event_id: int,
    chat_id: int,
    purpose: str,
    due: datetime,
    status: str = "pending",
    offset: int = 0,
    message_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": delivery_id,
        "event_id": event_id,
        "chat_id": chat_id,
        "purpose": purpose,
        "offset_minutes": offset,
        "revision": 0,
        "edition": 0,
        "key": "",
        "due_at": stamp(due),
        "status": status,
        "attempts": 0,
        "claimed_at": None,
        "sent_at": stamp(due) if status == "sent" else None,
        "message_id": message_id,
    }


def report(
    name: str, figures: dict[str, Any], targets: dict[str, tuple[float, str, float]]
) -> dict[str, Any]:
    """Print a benchmark's figures and its targets (value, op, limit), and keep them."""
    name = f"{name} on {database_name()}"
    print(f"\n== {name} ==")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"  {key}: {shown}")
    verdicts = {}
    for label, (value, op, limit) in targets.items():
        met = value <= limit if op == "<=" else value >= limit
        verdicts[label] = met
        print(f"  target {label}: {value:.3f} {op} {limit} — {'met' if met else 'MISSED'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"name": name, "figures": figures, "targets": verdicts, "machine": machine()}
    with (RESULTS / "results.jsonl").open("a") as out:
        out.write(json.dumps(record, default=str) + "\n")
    return record


def _cpu_seconds(pid: int) -> float:
    # The command's name may hold spaces: the fields are counted after its ")".
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds() -> float:
    """CPU time so far of every PostgreSQL server process on the machine (0 on SQLite):
    what a press costs the server, on the same cores as the bot."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            text = stat.read_text()
            if text.split("(", 1)[1].startswith("postgres)"):
                total += _cpu_seconds(int(stat.parent.name))
    return total
