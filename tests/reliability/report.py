"""Writes docs/reliability.md from the figures the reliability tests recorded.

    MUSTER_FIGURES=build/figures pytest tests/reliability tests/storage tests/security
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
    rules = figures.get("rule-bounds", {})
    quota = figures.get("quota", {})
    fair = figures.get("fairness", {})
    kept = figures.get("retention", {})
    shared = figures.get("shared-work", {})
    polled = figures.get("takeover-telegram", {})
    gateway = figures.get("takeover-discord", {})
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
        "| Several processes on one PostgreSQL database share the work through SIGKILLs "
        "| `tests/multiprocess/test_shared_work.py` "
        f"| {shared.get('processes')} processes behind a round-robin proxy (webhook), "
        f"{shared.get('kills')} kills in {shared.get('seconds')} s; "
        f"{shared.get('presses_sent')} presses sent, {shared.get('presses_acknowledged')} "
        f"acknowledged, {shared.get('acknowledged_lost')} acknowledged lost; "
        f"{shared.get('reminders_due')} reminders due, {shared.get('reminders_posted')} "
        f"posted, {shared.get('reminders_posted_twice')} a second time (each accepted by "
        f"Telegram just before a kill); {shared.get('rate_limited')} × 429; "
        f"{shared.get('edits')} card edits, the closest two "
        f"{shared.get('shortest_edit_gap')} s apart (interval 1 s); posts per process "
        f"{shared.get('posts_by_process')} |",
        "| One process polls / holds the gateway; another takes over when it dies "
        "| `tests/multiprocess/test_takeover.py` "
        f"| {polled.get('processes')} processes; from the holder's SIGKILL to the next "
        f"update handled: Telegram polling {polled.get('gaps_seconds')} s, Discord gateway "
        f"{gateway.get('gaps_seconds')} s; each update handled once; shards 0/2 and 1/2 "
        "in two processes |",
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
        "| Retention covers everything on the schedule of answers "
        "| `tests/security/test_retention.py`, `tests/handlers/test_privacy.py` | "
        + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in kept.items())
        + " taken or made anonymous a year on; counts kept |",
        "| Audit of organiser actions, ids only "
        "| `tests/handlers/test_audit.py` | create, cancel, export, settings recorded |",
        "| No token, name or message text in logs, even at DEBUG "
        "| every test in `tests/e2e/` (autouse check), `tests/e2e/test_*_process.py` "
        "| 0 hits for either token or any member name |",
        "| Backups while running; restore refused while running "
        "| `tests/storage/test_erasure_and_backup.py` | integrity ok; restore round-trips |",
        "",
        "## Attacks that stay closed",
        "",
        "On Telegram anyone can make a group, add the bot and be its administrator: an",
        "organiser is a stranger to every other group. Each attack below was reproduced",
        "once; its test (`tests/security/`) fails if it opens again.",
        "",
        "| attack | test | figures |",
        "|---|---|---|",
        "| Copying a member's display name to be made organiser; finding members of "
        "other groups by id or name (`/settings organisers=`, `/checkin <names>`) "
        "| `test_identity.py`, `test_telegram_identity.py` "
        "| members named by mention, reply, id or @handle, a name only when one member "
        "of the group has it; the same refusal whether or not the person exists; "
        "nothing written |",
        "| A repeat rule that never occurs (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) froze "
        "every group for 4–8 s | `test_repeat_rules.py` "
        f"| refused in {rules.get('impossible_rule_refused_seconds')} s, in a worker "
        "thread before the transaction, while another group was answered |",
        "| A `BYHOUR`/`BYMINUTE` rule made 47,619 events | `test_repeat_rules.py` "
        f"| refused with a reason; 15 daily series made {quota.get('events_made')} events "
        f"({quota.get('deliveries_owed')} deliveries), the group's quota |",
        "| A linked chat showing names a group hides; attaching a motion to another "
        "group's event | `test_linked_chats.py` "
        "| names only where both groups allow them; organiser commands change only the "
        "chat's own events |",
        "| 200 events in one group delaying another group's announcement; one member's "
        "25 `/events` | `test_fairness.py` "
        f"| the other group's announcement was send number {fair.get('quiet_chat_place')} "
        f"of {int(fair.get('busy_chat_due', 0) or 0) + 1}; 15 answered, one word to slow "
        "down, then silence; another bot's `/command` unanswered |",
        "| `/mydata` missing tables | `test_mydata.py` "
        "| a schema walk finds every column holding a member id in the export |",
        "| Erasure undone by a restore; a newcomer shown as the author of an erased "
        "member's actions; places not passed on | `test_erasure.py` "
        "| restore from before an erasure: member erased again at start; ids never "
        "reused; the first in line moved in and told; database, WAL, lock, list and "
        "backups 0600 |",
        "| A forwarded command; `/start <payload>` refused; guessing `/link` codes "
        "| `test_telegram_identity.py`, `test_input_hygiene.py` "
        "| forwarded messages never run; the start link welcomed; 5 wrong codes per "
        "chat in 10 minutes, each audited |",
        "| Right-to-left overrides, zero-width and control characters in titles, "
        "places, names and chat titles | `test_input_hygiene.py` "
        "| stripped; a chat title with CR LF cannot add a line to the calendar |",
        "| Pressing Going on a full event asked the member to type | "
        "`test_telegram_waiting_list.py` | one tap joins the waiting list and says the "
        "place; the start link shown where the bot cannot reach the member |",
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
