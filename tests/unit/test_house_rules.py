"""The shape of the code that engineering.md promises."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.commands import TABLE
from bot.messaging import ACTION_MAX_BYTES

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
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


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
        assert 0 < len(spec.summary) <= 100


def test_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for spec in TABLE:
        assert re.search(rf"`/{spec.name}\b", readme), spec.name


def test_action_limit_is_telegrams() -> None:
    assert ACTION_MAX_BYTES == 64
