"""Every MUSTER_* setting, read here and nowhere else.

Keeping configuration in one typed object means a typo in a variable name is a test
failure rather than a silently ignored setting, and no other module touches os.environ.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/muster.db"


class Settings(BaseSettings):
    """Process-wide settings; group settings live in the database."""

    model_config = SettingsConfigDict(
        env_prefix="MUSTER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_token: SecretStr | None = None
    telegram_base_url: str | None = None
    # The public URL Telegram posts updates to (webhook mode, served on http_listen at
    # this URL's path); unset: long polling.
    telegram_webhook_url: str | None = None
    # Telegram's published flood limit for one group; a self-hosted Bot API may allow more.
    telegram_group_rate: float = Field(default=20.0, gt=0)
    discord_token: SecretStr | None = None
    discord_api_base: str = "https://discord.com/api/v10"
    # This process's gateway shards of a bot in many servers: "0,1/4" is shards 0 and 1
    # of 4. Unset: one gateway connection for every server.
    discord_shards: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    timezone: str = "Europe/London"
    log_level: str = "INFO"
    # How often, at most, a card showing live counts is edited (seconds).
    edit_interval: float = Field(default=3.0, ge=0.0)
    # Name the console user is shown under.
    console_name: str = "You"
    # Answers to events older than this are reduced to anonymous counts (UK GDPR).
    retention_days: int = Field(default=365, ge=1)
    # Members whose CLP/branch were confirmed longer ago than this are asked again.
    reconfirm_months: int = Field(default=6, ge=1, le=60)
    # Commands and button presses one member may make a minute, on Telegram and Discord,
    # after a burst of 15; 0 lifts the limit (a benchmark playing one busy organiser).
    member_rate: float = Field(default=30.0, ge=0.0)
    # host:port of the operator's HTTP endpoints (/healthz, /readyz, /metrics); unset:
    # none are served.
    http_listen: str | None = None
    # Where members reach the HTTP port from outside (the start of calendar feed links);
    # unset: http:// and the listen address.
    public_url: str | None = None
    # Shipped model motions; the Docker image points this at its copy.
    seeds_dir: Path = Path(__file__).resolve().parent.parent / "seeds"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("discord_shards")
    @classmethod
    def _shards(cls, value: str | None) -> str | None:
        if value:
            Shards.parse(value)  # raises with what was expected
        return value or None

    @field_validator("http_listen")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value:
            parse_listen(value)  # raises with what was expected
        return value or None

    @model_validator(mode="after")
    def _webhook_is_served(self) -> Settings:
        if self.telegram_webhook_url:
            url = urlsplit(self.telegram_webhook_url)
            if url.scheme not in ("https", "http") or not url.netloc:
                raise ValueError("MUSTER_TELEGRAM_WEBHOOK_URL must be an https:// URL")
            if not self.http_listen:
                raise ValueError(
                    "MUSTER_TELEGRAM_WEBHOOK_URL needs MUSTER_HTTP_LISTEN: where to serve it"
                )
        return self

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    def sqlite_path(self) -> Path | None:
        """The database file when the URL names an SQLite file, else None."""
        return sqlite_path(self.database_url)

    def shards(self) -> Shards | None:
        return Shards.parse(self.discord_shards) if self.discord_shards else None


@dataclass(frozen=True)
class Shards:
    """Which of a bot's gateway shards a process runs: `ids` of `count`."""

    ids: tuple[int, ...]
    count: int

    @classmethod
    def parse(cls, value: str) -> Shards:
        ids, sep, count = value.replace(" ", "").partition("/")
        try:
            parsed = cls(tuple(int(i) for i in ids.split(",")), int(count))
        except ValueError:
            parsed = None
        if (
            not sep
            or parsed is None
            or parsed.count < 1
            or not all(0 <= i < parsed.count for i in parsed.ids)
            or len(set(parsed.ids)) != len(parsed.ids)
        ):
            raise ValueError(f"expected shard ids out of a count, as 0,1/4; got {value!r}")
        return parsed

    def __str__(self) -> str:
        return f"{','.join(map(str, self.ids))}/{self.count}"


def sqlite_path(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def parse_listen(value: str) -> tuple[str, int]:
    """ "host:port" (an IPv6 host in brackets) into its parts."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected host:port, got {value!r}")
    return host.strip("[]") or "0.0.0.0", int(port)  # noqa: S104 (the operator's choice)
