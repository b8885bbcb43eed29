"""What every process on one database shares beyond the organising data: the
platforms' pacing, live cards' edits, and the deployment's own identity."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class Pace(Base):
    """When the next message may go (to one chat, or to a platform at all), shared by
    every process on the database: a platform counts a bot's messages, not a process's.
    Instants are seconds since the epoch by the database's own clock."""

    __tablename__ = "pacing"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)


class CardEdit(Base):
    """A live card's edits, shared by every process: when it was last edited, and which
    process owes its next edit and when (seconds since the epoch, the database's clock)."""

    __tablename__ = "card_edits"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    edited_at: Mapped[float] = mapped_column(Float, default=0.0)
    owed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Deployment(Base):
    """This deployment's identity, made once on first start: `instance` (in calendar
    UIDs, so two Muster servers never collide in one calendar application) and
    `secret` (the key calendar feed URLs are made with)."""

    __tablename__ = "deployment"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
