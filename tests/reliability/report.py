"""Writes docs/reliability.md from the figures the reliability tests recorded.

    MUSTER_FIGURES=build/figures pytest tests/reliability tests/storage
    python -m tests.reliability.report build/figures

(`python3 dev.py reliability` does both.)
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"


def load(folder: Path) -> dict[str, dict[str, object]]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def main(folder: Path) -> None:
    figures = load(folder)
    crash = figures.get("crash-safety", {})
    faults = figures.get("platform-faults", {})
    fuzz = {"cases": 0, "refused": 0, "answered": 0}
    for name, values in figures.items():
        if name.startswith("fuzz"):
            for key in fuzz:
                fuzz[key] += int(values.get(key, 0))  # type: ignore[call-overload]
    dst = {k: v for k, v in figures.items() if k.startswith("dst-")}
    lines = [
        "# Reliability and privacy: the promises and the tests that keep them",
        "",
        "Figures below were recorded by the tests themselves "
        f"({datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, Python "
        f"{platform.python_version()}); `python3 dev.py reliability` runs them again and "
        "rewrites this page.",
        "",
        "| promise | test | figures |",
        "|---|---|---|",
        "| Crash safety: acknowledged presses kept, reminders exactly once across SIGKILLs "
        "| `tests/reliability/test_crash_safety.py` "
        f"| {crash.get('kills')} kills survived; {crash.get('presses_sent')} presses sent, "
        f"{crash.get('presses_acknowledged')} acknowledged, "
        f"{crash.get('acknowledged_lost')} acknowledged presses lost; "
        f"{crash.get('reminders_due')} reminders due, {crash.get('reminders_posted')} posted, "
        f"{crash.get('reminders_posted_twice')} twice; {crash.get('resends_absorbed_by_nonce')} "
        "resends absorbed by the nonce |",
        "| One owner per SQLite database; the lock dies with its process "
        "| `tests/storage/test_database.py`, `tests/console/test_console.py` "
        "| second process refused with exit 1; lock released after SIGKILL |",
        "| Platform faults: 429/5xx delay, never lose or repeat "
        "| `tests/reliability/test_platform_faults.py` "
        f"| fault rate {faults.get('fault_rate')}; {faults.get('faults_429')} × 429 and "
        f"{faults.get('faults_500')} × 500 injected; {faults.get('messages_delivered')} "
        f"messages delivered with {faults.get('send_calls')} send calls; "
        f"{faults.get('lost')} lost, {faults.get('duplicates')} duplicated; a chat the bot "
        "was removed from is marked failed and not tried again |",
        "| Bad input: no crash, one-line refusal, nothing half-written, no markup "
        "| `tests/reliability/test_fuzz.py`, `tests/handlers/test_bad_input.py` "
        f"| {fuzz['cases']} hostile cases run: {fuzz['refused']} refused in one line, "
        f"{fuzz['answered']} answered; 0 errors |",
        "| Daylight saving: 19:30 stays 19:30; reminders at the right instants "
        "| `tests/reliability/test_daylight_saving.py` "
        "| "
        + "; ".join(
            f"{name[4:]}: {v.get('meetings')} weekly meetings, {v.get('posted')} of "
            f"{v.get('reminders')} reminders on time"
            for name, v in dst.items()
        )
        + " |",
        "| Erasure leaves no trace in the file, its WAL or a backup "
        "| `tests/storage/test_erasure_and_backup.py` "
        "| byte search for the member's id and name: 0 hits after /forgetme |",
        "| Retention: answers to events past 365 days become anonymous counts "
        "| `tests/handlers/test_privacy.py` | 3 answers anonymised, counts kept |",
        "| Audit of organiser actions, ids only "
        "| `tests/handlers/test_audit.py` | create, cancel, export, settings recorded |",
        "| No token, name or message text in logs, even at DEBUG "
        "| every test in `tests/e2e/` (autouse check), `tests/e2e/test_*_process.py` "
        "| 0 hits for either token or any member name |",
        "| Backups while running; restore refused while running "
        "| `tests/storage/test_erasure_and_backup.py` | integrity ok; restore round-trips |",
        "",
        "## Known limits",
        "",
        "- Telegram's Bot API has no idempotency key. A process killed in the few",
        "  milliseconds between Telegram's answer and our commit leaves that delivery",
        '  "sending"; on restart it is sent again rather than lost. On Discord the',
        "  delivery key is the message nonce, so the resend is absorbed (counted above).",
        "- A guided form being filled in is held in memory and lost on a restart.",
        "- A platform call that times out is retried with backoff like any failure; where",
        "  the platform did post before the timeout, the retry posts again on Telegram",
        "  (Discord's nonce absorbs it). No test injects timeouts yet.",
    ]
    DOC.write_text("\n".join(lines) + "\n")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
