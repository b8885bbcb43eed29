"""The harness that tests and benchmarks share."""

from __future__ import annotations

from pathlib import Path

from tests.harness import muster_env


def test_a_callers_settings_win_over_the_harness_defaults(tmp_path: Path) -> None:
    # The benchmarks lift the member budget this way; it once raised instead.
    env = muster_env(tmp_path / "x.db", MUSTER_MEMBER_RATE="0", MUSTER_LOG_LEVEL="WARNING")
    assert env["MUSTER_MEMBER_RATE"] == "0"
    assert env["MUSTER_LOG_LEVEL"] == "WARNING"
    assert env["MUSTER_DATABASE_URL"].endswith("x.db")
