"""Figures the reliability tests measure, gathered into docs/reliability.md.

Each test records what it counted; `python3 dev.py reliability` runs them and rewrites
the document from what was recorded, so the figures are the tests' own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

OUT = Path(os.environ.get("MUSTER_FIGURES", "")) if os.environ.get("MUSTER_FIGURES") else None


def record(name: str, **figures: object) -> None:
    if OUT is None:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str))
