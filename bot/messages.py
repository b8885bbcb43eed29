"""The translation template (`bot/locale/muster.pot`): every sentence of the catalogue,
extracted the way gettext's tools extract them, for translators to start from.

The catalogue's house rule keeps every sentence a member reads in `bot/strings/`; a
test keeps this template equal to what extraction finds there, so neither falls behind.
`python3 dev.py messages` writes it anew.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.strings import Msg, Plural

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


def declared() -> dict[Message, Msg | Plural]:
    """Every sentence the catalogue's modules hold, as the program sees them, by what it
    stands for (a check on extraction: a sentence it cannot read is missing from the
    template; and what a test renders in every language)."""
    import importlib
    import pkgutil

    import bot.strings as catalogue

    found: dict[Message, Msg | Plural] = {}

    def walk(value: object) -> None:
        if isinstance(value, Msg):
            found[value.id] = value
        elif isinstance(value, Plural):
            found[(value.one, value.other)] = value
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    modules = [catalogue] + [
        importlib.import_module(f"bot.strings.{m.name}")
        for m in pkgutil.iter_modules(catalogue.__path__)
    ]
    for module in modules:
        for value in vars(module).values():
            walk(value)
    return found


def written() -> Catalog:
    with TEMPLATE.open("rb") as handle:
        return read_po(handle)


def write() -> int:
    """The template anew, and each language's file brought in step with it (as
    `pybabel update` does): new sentences appear there untranslated, for its
    translator; a sentence the code no longer has is dropped."""
    from bot.i18n import LANGUAGES, po_file

    catalog = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False)
    for code in LANGUAGES[1:]:
        with po_file(code).open("rb") as handle:
            translated = read_po(handle, locale=code)
        translated.update(catalog, no_fuzzy_matching=True)
        with po_file(code).open("wb") as handle:
            write_po(handle, translated, width=100, sort_output=False, ignore_obsolete=True)
    return len(catalog)


def check(pybabel: str) -> int:
    """What gettext's own `pybabel extract` finds in the code, against the template and
    every shipped translation: 1, with what is missing, when any falls behind."""
    from bot.i18n import LANGUAGES, po_file

    keywords = [arg for k, v in KEYWORDS.items() for arg in ("-k", k if v is None else f"{k}:1,2")]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "extracted.pot"
        command = [pybabel, "extract", "--no-default-keywords", *keywords, "-o", str(out)]
        # A developer's tool on the repository's own files.
        subprocess.run([*command, str(CATALOGUE)], check=True, capture_output=True)  # noqa: S603
        with out.open("rb") as handle:
            extracted = ids(read_po(handle))
    missing = {"the template": extracted - ids(written())}
    for code in LANGUAGES[1:]:
        with po_file(code).open("rb") as handle:
            shipped = read_po(handle, locale=code)
        missing[code] = {
            m.id if isinstance(m.id, str) else tuple(m.id) for m in shipped if not m.string
        } | (extracted - ids(shipped))
    for where, sentences in missing.items():
        for sentence in sorted(map(str, sentences)):
            print(f"missing from {where}: {sentence}")
    return 1 if any(missing.values()) else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(check(sys.argv[2] if len(sys.argv) > 2 else "pybabel"))
    print(f"{write()} messages written to {TEMPLATE}")
