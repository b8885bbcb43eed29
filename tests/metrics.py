"""Reading a figure back out of an app's /metrics text, as Prometheus would."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics


def sample(metrics: Metrics | str, name: str, **labels: str) -> float:
    """The value of one sample (0 when absent, as Prometheus treats a missing counter)."""
    text = metrics if isinstance(metrics, str) else metrics.render().decode()
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return 0.0
