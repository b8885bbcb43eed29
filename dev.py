#!/usr/bin/env python3
"""Everything a developer runs, needing nothing but Python 3.11+.

    python3 dev.py run     run Muster (the console when no platform token is set)
    python3 dev.py test    run the whole test suite
    python3 dev.py lint    ruff check, ruff format --check, mypy
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


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task not in ("run", "test", "lint", "reliability", "bench"):
        print(__doc__)
        return 0 if task == "help" else 2
    ensure_env()
    py = str(BIN / "python")
    if task == "run":
        return subprocess.call([str(BIN / "muster"), "run", *rest], cwd=ROOT)
    if task == "test":
        return subprocess.call([py, "-m", "pytest", *(rest or WORKERS)], cwd=ROOT)
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
        return subprocess.call([py, "-m", "tests.reliability.report", str(figures)], cwd=ROOT)
    for command in (
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
