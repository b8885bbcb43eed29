"""The schema. Alembic migrations in migrations/versions must match it (a test checks).

Instants are stored in UTC; an event also keeps its zone so its local wall time can be
shown and recomputed. Nothing here is specific to SQLite.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class Chat(Base):
    """A group the bot serves: one Telegram group or one Discord channel."""

    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("platform", "platform_chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200), default="")
    display_name: Mapped[str] = mapped_column(String(100), default="")
    clp: Mapped[str] = mapped_column(String(100), default="")
    branch: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    reminder_offsets: Mapped[str] = mapped_column(String(100), default="7d,1d,2h")
    show_names: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The platform's grouping of chats (a Discord server); new chats start from its settings.
    space: Mapped[str] = mapped_column(String(64), default="", server_default="")
    organiser_role: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # What is posted in the group is written in: one code, or two for a bilingual
    # group ("cy+en", Welsh first). See bot/i18n.py.
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    # When the week's digest is posted ("mon 09:00" in the group's zone), or "" for none.
    digest: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # Linked chats share a circle number: an event announced in one is posted in all.
    circle: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatOrganiser(Base):
    """A member an organiser made an organiser of this group, beyond the platform's admins."""

    __tablename__ = "chat_organisers"
    __table_args__ = (UniqueConstraint("chat_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))


class Member(Base):
    """A platform identity and the facts the member chose to tell us."""

    __tablename__ = "members"
    # AUTOINCREMENT: an erased member's id is never given to a newcomer, so nothing kept
    # by id (an audit entry, a backup's row) can ever be read as someone else's.
    __table_args__ = (
        UniqueConstraint("platform", "platform_user_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    # The platform's unique handle (Telegram's username), lower-cased: what an @mention
    # names. Empty where the member has none.
    handle: Mapped[str] = mapped_column(String(64), default="", server_default="")
    clp: Mapped[str] = mapped_column(String(100), default="")
    branch: Mapped[str] = mapped_column(String(100), default="")
    facts_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    notice_shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # When we last asked the member to re-confirm their facts (at most once a month).
    facts_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    private_reminders: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The language the member chose (/settings language=… in a private chat), and the
    # one their platform last said they use; what they alone read uses the first given.
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    platform_language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # Bumped by /calendar revoke: every feed URL made before it stops working.
    feed_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatMember(Base):
    """That a member has used the bot in a group: who a nudge may reach, who counts."""

    __tablename__ = "chat_members"
    __table_args__ = (UniqueConstraint("chat_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Series(Base):
    """A repeating event: the rule and the template its occurrences are made from.

    The rule is read in local wall time (`local_start` is naive, in `timezone`), so a
    weekly 19:30 meeting stays at 19:30 across clock changes.
    """

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(300))
    local_start: Mapped[str] = mapped_column(String(19))
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reminder_offsets: Mapped[str] = mapped_column(String(100))
    motion_slug: Mapped[str | None] = mapped_column(String(60), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_chat_start", "chat_id", "starts_at"),
        UniqueConstraint("series_id", "occurrence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reminder_offsets: Mapped[str] = mapped_column(String(100))
    motion_slug: Mapped[str | None] = mapped_column(String(60), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    # An occurrence of a series keeps the local start it was made for, even when moved.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), nullable=True
    )
    occurrence: Mapped[str | None] = mapped_column(String(19), nullable=True)
    # revision counts changes of time (reminders belong to one); edits counts the changes
    # members were told of; change_note says what the last one changed.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    edits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    change_note: Mapped[str] = mapped_column(String(100), default="", server_default="")
    checkin_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Rsvp(Base):
    """One member's answer for one event; member_id is NULL once anonymised."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("event_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True, index=True
    )
    answer: Mapped[str] = mapped_column(String(8))
    guests: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Motion(Base):
    """A model motion: shipped (chat_id NULL, from seeds/) or a group's own."""

    __tablename__ = "motions"
    __table_args__ = (UniqueConstraint("chat_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), nullable=True
    )
    slug: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MotionTranslation(Base):
    """A shipped motion's text in another language (seeds/<slug>.<language>.md)."""

    __tablename__ = "motion_translations"
    __table_args__ = (UniqueConstraint("motion_id", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    digest: Mapped[str] = mapped_column(String(64), default="")


class SignupSheet(Base):
    __tablename__ = "signup_sheets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SignupSlot(Base):
    __tablename__ = "signup_slots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("signup_sheets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(60), default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Signup(Base):
    __tablename__ = "signups"
    __table_args__ = (UniqueConstraint("slot_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("signup_slots.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    waiting: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attendance(Base):
    """Who came, kept apart from who said they would; member_id is NULL once anonymised."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("event_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Who marked the member present (an organiser), kept without a key: the member's
    # own check-in has none. `info["member"]` tells /mydata it holds a member's id.
    marked_by: Mapped[int | None] = mapped_column(Integer, nullable=True, info={"member": True})
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class MotionStatus(Base):
    """Where a motion stands in one group, as recorded; the latest row is the current one."""

    __tablename__ = "motion_status"
    __table_args__ = (Index("ix_motion_status_slug_chat", "slug", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), nullable=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class LinkCode(Base):
    """A one-time code that links the chat which asked for it with the chat that uses it."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used: Mapped[bool] = mapped_column(Boolean, default=False)


class Outbox(Base):
    """One message the scheduler owes a chat or one member, sent exactly once.

    A row is for a chat (`chat_id`) or for a member (`member_id`), never both. The
    unique keys make "exactly once" a property of the table: a row written twice by
    mistake still exists once. For a chat: an event's (chat, purpose, offset, revision,
    edition); `revision` is the version of the event's time, so a meeting that moves owes
    its reminders again, and `edition` counts its edits, so each change is told once.
    For a member: (member, purpose, key), the key naming what the message is about.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint(
            "event_id",
            "chat_id",
            "purpose",
            "offset_minutes",
            "revision",
            "edition",
            name="uq_outbox_chat_message",
        ),
        UniqueConstraint("member_id", "purpose", "key", name="uq_outbox_member_message"),
        # A chat's message about no one event (the week's digest): once per key.
        Index(
            "uq_outbox_chat_key",
            "chat_id",
            "purpose",
            "key",
            unique=True,
            sqlite_where=text("event_id IS NULL AND chat_id IS NOT NULL"),
            postgresql_where=text("event_id IS NULL AND chat_id IS NOT NULL"),
        ),
        CheckConstraint("(chat_id IS NULL) <> (member_id IS NULL)", name="one_recipient"),
        Index("ix_outbox_status_due", "status", "due_at"),
        # "The events shown in a chat" reads announcements by chat.
        Index("ix_outbox_chat_purpose", "chat_id", "purpose"),
        Index("ix_outbox_member_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(24))  # a domain.outbox.Purpose
    status: Mapped[str] = mapped_column(String(16), default="pending")  # a Status
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), nullable=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), nullable=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), nullable=True
    )
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("signup_slots.id", ondelete="CASCADE"), nullable=True
    )
    offset_minutes: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    edition: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(64), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Which process is sending it, and until when that claim holds unless renewed: a
    # process that dies leaves its claims to expire and be taken over by another.
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditEntry(Base):
    """One organiser action. Holds the actor's internal id only: no names, no member data."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_chat_at", "chat_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True, info={"member": True})
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Mirror(Base):
    """A platform's own copy of an event (a Discord scheduled event), kept in step."""

    __tablename__ = "mirrors"
    __table_args__ = (UniqueConstraint("event_id", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))


class Erasure(Base):
    """A member who asked to be forgotten, as a one-way hash of their platform identity.

    Applied again after a backup is restored, so a restore never brings an erased member
    back. Only the hash is kept: the list says nothing about who asked, though whoever
    holds the database and already knows a platform id can test it against the list.
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarFeed(Base):
    """A member's calendar subscription: a group's calendar (`chat_id`) or their own
    events across groups (`chat_id` NULL). Only the token's hash is kept: the URL is
    made again from the deployment's secret when asked for (`services/feeds.py`)."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), nullable=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# Tables of the deployment as a whole (pacing, cards' edits, its identity): registered
# with the same metadata whenever these are.
from bot.storage import shared_tables  # noqa: E402, F401
