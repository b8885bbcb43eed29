"""The shape of the code that engineering.md promises."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.commands import TABLE
from bot.messaging import ACTION_MAX_BYTES, Button

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_COMMANDS = [
    "start",
    "help",
    "events",
    "event",
    "rsvp",
    "my",
    "motions",
    "motion",
    "signups",
    "signup",
    "unsignup",
    "iam",
    "whoami",
    "calendar",
    "mydata",
    "forgetme",
    "newevent",
    "editevent",
    "cancelevent",
    "attendees",
    "export",
    "checkin",
    "postmotion",
    "newmotion",
    "motionstatus",
    "motiontally",
    "newsignup",
    "settings",
    "link",
    "unlink",
    "audit",
    "stats",
]


def _imports(path: Path) -> set[str]:
    return imported(path.read_text("utf-8"))


def imported(source: str) -> set[str]:
    """Every module a source imports, with each of its parents: `from bot.storage import
    x` gives "bot", "bot.storage" and "bot.storage.x", so a ban on any of them matches."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return found


def test_the_import_reader_sees_what_the_rules_ban() -> None:
    """The rules below would pass on any tree if this reader missed imports."""
    assert "bot.storage" in imported("from bot.storage import events")
    assert "bot.storage" in imported("from bot.storage.events import get")
    assert "bot.storage" in imported("import bot.storage.tables")
    assert "telegram" in imported("from telegram.ext import Application")
    assert "discord" in imported("import discord")
    assert "bot.storage" not in imported("from bot.domain import events")


def test_only_platform_adapters_import_telegram_or_discord() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
        if "platforms" not in path.parts and _imports(path) & {"telegram", "discord"}
    ]
    assert offenders == []


def test_domain_does_no_io() -> None:
    banned = {"sqlalchemy", "asyncio", "aiosqlite", "os", "socket", "httpx", "bot.storage"}
    for path in (ROOT / "bot" / "domain").rglob("*.py"):
        assert not (_imports(path) & banned), path


def test_settings_are_read_in_config_only() -> None:
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "config.py":
                continue
            text = path.read_text("utf-8")
            assert "os.environ" not in text and "os.getenv" not in text, path


def test_the_table_holds_every_command_of_the_contract() -> None:
    names = [spec.name for spec in TABLE]
    assert sorted(names) == sorted(PRODUCT_COMMANDS)
    for spec in TABLE:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", spec.name)
        assert 0 < len(spec.summary.id) <= 100


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for spec in TABLE:
        assert re.search(rf"`/{spec.name}\b", readme), spec.name


def test_a_button_action_is_refused_over_telegrams_64_bytes() -> None:
    """Telegram refuses callback data over 64 bytes: a button cannot be built with more,
    and the longest real action (an id at its largest, a sheet and slot) fits."""
    assert ACTION_MAX_BYTES == 64
    Button("Waiting list", f"signup:wait:{2**31 - 1}:20")
    Button("Waiting list", f"rsvp:waiting:{2**31 - 1}")
    with pytest.raises(ValueError):
        Button("x", "rsvp:going:" + "9" * 54)  # 65 bytes
    with pytest.raises(ValueError):
        Button("x", "rsvp:going:" + "é" * 27)  # 65 bytes in 38 characters


def _module_graph() -> dict[str, set[str]]:
    """Our modules and the ones of ours each imports, type-only imports included."""
    files = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for folder in ("bot", "handlers")
        for path in (ROOT / folder).rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        graph[module] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                wanted = [f"{node.module}.{alias.name}" for alias in node.names]
                wanted = [w if w in files else node.module for w in wanted]
            else:
                continue
            graph[module].update(w for w in wanted if w in files and w != module)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle, or [] when there is none (depth-first, colouring)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_import_circle() -> None:
    assert _cycle(_module_graph()) == []


def test_the_circle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []
    assert "bot.context" in _module_graph()["bot.commands"]  # the reader sees imports


def test_no_adapter_or_dispatcher_names_a_command() -> None:
    """What a platform needs is declared on the table's entries, not switched on names."""
    names = {spec.name for spec in TABLE} - {"start", "help"}  # words in prose, too
    names |= {spec.form.stop for spec in TABLE if spec.form is not None}
    places = [ROOT / "bot" / "dispatch.py", *(ROOT / "bot" / "platforms").glob("*.py")]
    for path in places:
        source = path.read_text("utf-8")
        for name in names:
            assert f'"{name}"' not in source and f"'{name}'" not in source, (path, name)


def touches_storage(source: str) -> list[str]:
    """What in a handler's source reaches past the services: a repository or engine
    import (row types from `bot.storage.tables` are allowed), or a session."""
    found = sorted(
        name
        for name in imported(source)
        if name.startswith("bot.storage.")
        and name not in ("bot.storage.tables",)
        and not name.startswith("bot.storage.tables.")
    )
    found += [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]
    return found


def test_the_handler_rule_catches_a_session_and_a_repository() -> None:
    assert touches_storage("from bot.storage import events") == ["bot.storage.events"]
    assert touches_storage("x = ctx.tx.session") == ["line 1: .session"]
    assert touches_storage("from bot.storage.tables import Member") == []


def test_handlers_touch_no_session_and_no_repository() -> None:
    """A handler parses, calls one service, and turns its result into cards."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "handlers").rglob("*.py")
        if (found := touches_storage(path.read_text("utf-8")))
    }
    assert offenders == {}


def test_repositories_raise_no_answer_for_people() -> None:
    """Storage only queries and stores: refusals a member reads are the services'."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot" / "storage").rglob("*.py")
        if "bot.domain.errors" in _imports(path) or "UserError" in path.read_text("utf-8")
    ]
    assert offenders == []
