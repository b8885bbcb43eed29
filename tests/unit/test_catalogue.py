"""Every sentence a member reads comes from the catalogue (`bot/strings/`), whole and
marked, so a translation is a file to fill in rather than a hunt through the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot import messages

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "bot" / "strings"

# Read by whoever runs the bot, never by a member: the command line, logs, the database's
# own statements and the files that guard it.
FOR_OPERATORS = {
    "bot/app.py",
    "bot/cli.py",
    "bot/logs.py",
    "bot/messages.py",  # writes the translators' template
    "bot/metrics.py",  # Prometheus's help texts
    "bot/storage/backup.py",
    "bot/storage/copy.py",  # `muster db copy`
    "bot/storage/database.py",
    "bot/storage/engine.py",
    "bot/storage/quick.py",  # SQL, and errors for whoever writes a statement
    "bot/storage/erasures.py",
    "bot/storage/lock.py",
    "bot/storage/tables.py",
    "bot/web.py",  # health and readiness, for the operator's probes
}
# Text that reads like words but is not a sentence: each was looked at.
NOT_SENTENCES = {
    ("bot/calendar_file.py", "-//Muster//Organising calendar//EN"),  # iCalendar's PRODID
    ("bot/domain/events.py", "time and place"),  # a stored code (`Changed`)
    ("bot/messaging.py", "cannot reach the member privately"),  # an exception's own text
    ("bot/services/signups.py", " wait"),  # the word a member types: /signup 3 2 wait
    # How dates are written (CLDR patterns that Babel fills in each language).
    ("bot/i18n.py", "EEE d MMM y, HH:mm"),
    ("bot/i18n.py", "EEE d MMM, HH:mm"),
    ("bot/i18n.py", "EEE d MMM HH:mm"),
    ("bot/i18n.py", "d MMM y HH:mm"),
    ("bot/i18n.py", "dd MMM HH:mm"),
    # matplotlib's names for where a legend or a label goes.
    ("bot/charts.py", "upper center"),
    ("bot/charts.py", "lower right"),
    ("bot/charts.py", "offset points"),
}
# What a member types, not what they read: `/signup 3`, `remind=`.
_TYPED = re.compile(r"/[a-z]+|\b[A-Za-z_]+=")
_WORDS = re.compile(r"[A-Za-z']{2,}[\s,:;]+[A-Za-z']{2,}")
_WORD = re.compile(r"[A-Za-z']{2,}")
# Calls whose strings are for the program or its operator, not for a member.
_NOT_READ = {
    "AssertionError",
    "KeyError",
    "NotImplementedError",
    "RuntimeError",
    "SystemExit",
    "TypeError",
    "ValueError",
    "compile",
    "execute",
    "fullmatch",
    "match",
    "search",
    "split",
    "strftime",
    "strptime",
    "sub",
    "text",
}
_LOGGERS = {"log", "logger", "logging"}


def _quiet(tree: ast.AST) -> set[int]:
    """The string nodes no member reads: docstrings, logs, program errors, comparisons
    with what was typed, and mapping keys."""
    quiet: set[int] = set()

    def hush(node: ast.AST) -> None:
        quiet.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            hush(node)  # a docstring, or a string standing alone
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
            if name in _NOT_READ or owner in _LOGGERS:
                hush(node)
        elif isinstance(node, ast.Compare | ast.Assert):
            hush(node)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    hush(key)
    return quiet


def sentences_outside(source: str) -> list[str]:
    """The pieces of a module's text that read as sentences for a member."""
    tree = ast.parse(source)
    quiet = _quiet(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in quiet:
            continue
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                quiet.add(id(part))
                if isinstance(part, ast.Constant):
                    words = _TYPED.sub("", str(part.value))
                    if " " in words and _WORD.search(words):
                        found.append(str(part.value))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _WORDS.search(_TYPED.sub("", node.value))
        ):
            found.append(node.value)
    return found


def unmarked_in_catalogue(source: str) -> list[str]:
    """A catalogue module's text that is not a whole sentence marked with `N_`: an
    unmarked string, or one assembled with an f-string."""
    tree = ast.parse(source)
    marked: set[int] = set()
    quiet = _quiet(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("N_", "Plural"):
            marked.update(id(arg) for arg in node.args)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in quiet:
            found.append(f"line {node.lineno}: an assembled sentence")
            quiet.update(id(part) for part in node.values)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _WORD.search(node.value)
            and id(node) not in marked | quiet
        ):
            found.append(node.value)
    return found


def test_the_rule_finds_a_sentence_in_code_and_lets_the_rest_be() -> None:
    assert sentences_outside('raise UserError("That time is in the past.")') == [
        "That time is in the past."
    ]
    assert sentences_outside('x = f"{n} going, {m} maybe"') == [" going, ", " maybe"]
    assert sentences_outside('log.info("message %d skipped", 1)') == []
    assert sentences_outside('EXAMPLE = "/signup 3 2"') == []
    assert sentences_outside('if text in ("every week", "weekly"): pass') == []
    assert sentences_outside('def f():\n    """Why it is so."""') == []


def test_the_rule_finds_an_unmarked_or_assembled_catalogue_entry() -> None:
    assert unmarked_in_catalogue('GOING = N_("Going")') == []
    assert unmarked_in_catalogue('GOING = "Going"') == ["Going"]
    assert unmarked_in_catalogue('N = Plural("{n} person", "{n} people")') == []
    assert unmarked_in_catalogue('def f(n):\n    return f"{n} people"') == [
        "line 2: an assembled sentence"
    ]


def test_no_sentence_for_members_outside_the_catalogue() -> None:
    offenders = []
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if CATALOGUE in path.parents or "migrations" in path.parts or name in FOR_OPERATORS:
                continue
            for text in sentences_outside(path.read_text("utf-8")):
                if (name, text) not in NOT_SENTENCES:
                    offenders.append((name, text))
    assert offenders == []


def test_the_translation_template_holds_every_sentence_of_the_catalogue() -> None:
    """`python3 dev.py messages` writes it anew when this fails."""
    found, template = messages.ids(messages.extract()), messages.ids(messages.written())
    assert sorted(map(str, found - template)) == []  # in the code, not in the template
    assert sorted(map(str, template - found)) == []  # in the template, gone from the code
    assert ("{n} person", "{n} people") in found  # a plural is one entry with both forms
    # Extraction reads the source; the program holds the sentences: the two agree (a
    # plural whose forms were wrapped in parentheses was once read as nothing).
    assert sorted(map(str, messages.declared().keys() - found)) == []


def test_every_catalogue_entry_is_whole_and_marked() -> None:
    offenders = {
        path.name: found
        for path in sorted(CATALOGUE.glob("*.py"))
        if (found := unmarked_in_catalogue(path.read_text("utf-8")))
    }
    assert offenders == {}
