"""Locations are free text; a UK postcode in one earns a map link."""

from __future__ import annotations

import re
from urllib.parse import quote

_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)


def find_postcode(location: str) -> str | None:
    match = _POSTCODE.search(location)
    if not match:
        return None
    return f"{match.group(1).upper()} {match.group(2).upper()}"


def map_link(location: str) -> str | None:
    postcode = find_postcode(location)
    if postcode is None:
        return None
    return f"https://www.openstreetmap.org/search?query={quote(postcode)}"
