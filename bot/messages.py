"""The translation template (`bot/locale/muster.pot`): every sentence of the catalogue,
extracted the way gettext's tools extract them, for translators to start from.

The catalogue's house rule keeps every sentence a member reads in `bot/strings/`; a
test keeps this template equal to what extraction finds there, so neither falls behind.
`python3 dev.py messages` writes it anew.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).parent / "strings"
TEMPLATE = Path(__file__).parent / "locale" / "muster.pot"
# `N_("…")` marks a sentence, `Plural("one", "other")` a sentence with plural forms.
KEYWORDS: dict[str, tuple[int, ...] | None] = {"N_": None, "Plural": (1, 2)}

Message = str | tuple[str, ...]


def extract() -> Catalog:
    catalog = Catalog(
        project="Muster", version="1", copyright_holder="Muster's contributors", fuzzy=False
    )
    found = extract_from_dir(
        CATALOGUE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    for filename, line, message, _comments, _context in found:
        catalog.add(message, locations=[(f"bot/strings/{filename}", line)])
    return catalog


def ids(catalog: Catalog) -> set[Message]:
    """What each entry stands for: its English sentence (both forms for a plural)."""
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def written() -> Catalog:
    with TEMPLATE.open("rb") as handle:
        return read_po(handle)


def write() -> int:
    catalog = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False)
    return len(catalog)


if __name__ == "__main__":
    print(f"{write()} messages written to {TEMPLATE}")
