"""Consistent copies of an SQLite database while the bot runs, and putting one back.

SQLite's online backup API copies a snapshot page by page under a read transaction, so
the bot keeps writing (WAL) while the copy is made and the copy is never half a write.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.storage.engine import owner_only


class BackupError(Exception):
    pass


def backup(database: Path, target: Path) -> int:
    """Copy `database` to `target`; returns the number of pages copied."""
    if not database.exists():
        raise BackupError(f"no database at {database}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file")
    # Made owner-only before SQLite writes a byte into it: it holds members' data.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
    finally:
        copy.close()
        source.close()
    return pages


def check(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.execute("SELECT count(*) FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Muster database: {exc}") from exc
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")


def restore(source: Path, database: Path) -> None:
    """Replace the database's content with a backup (the bot must not be running)."""
    check(source)
    owner_only(database)
    backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = sqlite3.connect(database)
    try:
        backup_conn.backup(live)
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        live.close()
        backup_conn.close()
