"""A throwaway PostgreSQL cluster on loopback, from the distribution's server binaries.

Each test process starts its own (`initdb` and `pg_ctl`, a second or two), migrates one
template database in it, and gives each test a copy of that template: a fresh database
in tens of milliseconds. For tests durability is off (fsync, full pages), as it would
be wasted on data thrown away at the end of the run; benchmarks keep it on.

PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user
the distribution's package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

# Where Debian and Ubuntu put each major version's server binaries.
SERVER_DIRS = "/usr/lib/postgresql/*/bin"
HOW_TO_GET = (
    "PostgreSQL's server binaries (initdb, pg_ctl) were not found: install the "
    "distribution's `postgresql` package (apt-get install postgresql) to run these tests"
)
USER = "muster"


def server_bin() -> Path | None:
    """The directory holding initdb and pg_ctl, newest version first; None if absent."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for directory in sorted(glob.glob(SERVER_DIRS), reverse=True):
        if (Path(directory) / "initdb").exists():
            return Path(directory)
    return None


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    def __init__(self, binaries: Path, durable: bool = False) -> None:
        """`durable`: the server's own defaults (fsync, full page writes, synchronous
        commit), for benchmarks, which measure what a deployment would do."""
        self.bin = binaries
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="muster-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_owner: Callable[[], None] | None = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "PostgreSQL refuses to run as root, and there is no `postgres` user "
                    "to run it as (the `postgresql` package creates one)"
                ) from None
            os.chown(self.root, owner.pw_uid, owner.pw_gid)

            def as_owner() -> None:
                os.setgid(owner.pw_gid)
                os.setuid(owner.pw_uid)

            self._as_owner = as_owner

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            command,
            preexec_fn=self._as_owner,
            capture_output=True,
            text=True,
            cwd=self.root,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")

    def start(self) -> Cluster:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        settings = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.root}",
            "-c max_connections=200",
        ]
        if not self.durable:
            settings += ["-c fsync=off", "-c full_page_writes=off", "-c synchronous_commit=off"]
        options = " ".join(settings)
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{USER}@127.0.0.1:{self.port}/{database}"

    def create(self, database: str, template: str = "template0") -> bool:
        """A new database copied from `template`; False if it existed already."""
        result = subprocess.run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                USER,
                "-T",
                template,
                database,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            return True
        if "already exists" in result.stderr:
            return False
        raise RuntimeError(f"createdb failed: {result.stderr}")
