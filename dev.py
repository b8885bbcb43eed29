#!/usr/bin/env python3
"""Everything a developer runs, needing nothing but Python 3.11+.

    python3 dev.py run     run Muster (the console when no platform token is set)
    python3 dev.py test    run the whole test suite, then its database tiers on PostgreSQL
    python3 dev.py lint    pybabel extract against the catalogues, ruff, mypy
    python3 dev.py reliability   the reliability tests, then docs/reliability.md
    python3 dev.py bench   the benchmarks (bench/), figures and targets printed
    python3 dev.py messages   write the translation template (bot/locale/muster.pot)

The first use creates .venv and installs the project with its dev extra; later uses
reinstall only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".muster-installed"
# Most tests wait on loopback servers, not the CPU: four workers fit two cores. An idle
# worker takes tests queued behind a long one (the crash test's two minutes).
WORKERS = ["-n", "4", "--dist", "worksteal"]
# The tiers that touch the database: `test` runs them on SQLite and on PostgreSQL.
DATABASE_TIERS = [
    "tests/storage",
    "tests/handlers",
    "tests/console",
    "tests/e2e",
    "tests/reliability",
    "tests/security",
]
# Several processes on one PostgreSQL database: they load the machine on purpose, so
# they run by themselves, after the rest.
MULTIPROCESS = "tests/multiprocess"


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Muster needs Python 3.11 or newer")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing Muster and its development tools …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def test_on_postgresql(py: str) -> int:
    """The tiers that touch the database, again on a throwaway PostgreSQL cluster. Where
    the server binaries are missing they are skipped with a line saying how to get them,
    unless MUSTER_REQUIRE_POSTGRESQL is set (CI sets it: there they must run)."""
    sys.path.insert(0, str(ROOT))
    from tests.postgres import HOW_TO_GET, server_bin

    if server_bin() is None:
        if os.environ.get("MUSTER_REQUIRE_POSTGRESQL"):
            print(f"error: {HOW_TO_GET}", file=sys.stderr)
            return 1
        print(f"PostgreSQL tests skipped. {HOW_TO_GET}.", flush=True)
        return 0
    print("the database tiers again, on PostgreSQL …", flush=True)
    status = subprocess.call(
        [py, "-m", "pytest", *WORKERS, "--database", "postgresql", *DATABASE_TIERS], cwd=ROOT
    )
    if status:
        return status
    print("several processes on one PostgreSQL database, by themselves …", flush=True)
    return subprocess.call(
        [py, "-m", "pytest", "-p", "no:xdist", "--database", "postgresql", MULTIPROCESS],
        cwd=ROOT,
    )


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in ("run", "test", "lint", "reliability", "bench", "messages"):
        print(__doc__)
        return 0 if task == "help" else 2
    ensure_env()
    py = str(BIN / "python")
    if task == "run":
        return subprocess.call([str(BIN / "muster"), "run", *rest], cwd=ROOT)
    if task == "test":
        if rest:  # the developer's own choice of tests and options
            return subprocess.call([py, "-m", "pytest", *rest], cwd=ROOT)
        status = subprocess.call([py, "-m", "pytest", *WORKERS], cwd=ROOT)
        if status:
            return status
        return test_on_postgresql(py)
    if task == "messages":
        return subprocess.call([py, "-m", "bot.messages"], cwd=ROOT)
    if task == "bench":
        return subprocess.call([py, "-m", "bench", *rest], cwd=ROOT)
    if task == "reliability":
        figures = ROOT / "build" / "figures"
        env = {**os.environ, "MUSTER_FIGURES": str(figures)}
        status = subprocess.call(
            [py, "-m", "pytest", *WORKERS, "tests/reliability", "tests/storage", "tests/security"],
            cwd=ROOT,
            env=env,
        )
        if status:
            return status
        # Several processes share the work only on PostgreSQL.
        status = subprocess.call(
            [py, "-m", "pytest", "-p", "no:xdist", "--database", "postgresql", MULTIPROCESS],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        if status:
            return status
        return subprocess.call([py, "-m", "tests.reliability.report", str(figures)], cwd=ROOT)
    for command in (
        # gettext's extraction against the template and every shipped language.
        [py, "-m", "bot.messages", "--check", str(BIN / "pybabel")],
        [py, "-m", "ruff", "check", "."],
        [py, "-m", "ruff", "format", "--check", "."],
        [py, "-m", "mypy"],
    ):
        status = subprocess.call(command, cwd=ROOT)
        if status:
            return status
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
