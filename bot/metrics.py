"""What an operator's Prometheus scrapes from `/metrics`.

Each App has a registry of its own rather than prometheus_client's global one, so that
several apps in one process (the tests) count apart. Every label takes a bounded set of
values (kinds of update, purposes, platform and lock names): nothing a member typed
ever becomes a label, or a stranger could grow the registry without end.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST as CONTENT_TYPE
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["CONTENT_TYPE", "Metrics"]

# Seconds: a press is answered in milliseconds, a slow command in a second or two.
FAST = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Seconds late: a reminder is due to the second, a backlog may take minutes.
LATE = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("muster_updates", "Updates handled, by kind", ["kind"], registry=r)
        self.handling = Histogram(
            "muster_handling_seconds",
            "Time from an update's arrival to its answer, by kind",
            ["kind"],
            buckets=FAST,
            registry=r,
        )
        self.outbox_due = Gauge(
            "muster_outbox_due", "Messages due now and not yet sent", registry=r
        )
        self.outbox_sent = Counter(
            "muster_outbox_sent",
            "Messages sent from the outbox, by purpose",
            ["purpose"],
            registry=r,
        )
        self.outbox_failed = Counter(
            "muster_outbox_failed",
            "Messages given up on (or failed for this attempt), by purpose",
            ["purpose"],
            registry=r,
        )
        self.lateness = Histogram(
            "muster_outbox_lateness_seconds",
            "How long after its due moment a message was sent",
            buckets=LATE,
            registry=r,
        )
        self.rate_limited = Counter(
            "muster_platform_rate_limited",
            "Answers of 429 (too many requests) from a platform",
            ["platform"],
            registry=r,
        )
        self.transaction = Histogram(
            "muster_transaction_seconds",
            "Time a write transaction held the database, by kind",
            ["kind"],
            buckets=FAST,
            registry=r,
        )
        self.locks = Gauge(
            "muster_lock_held", "Locks this process holds (1) or not (0)", ["lock"], registry=r
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
