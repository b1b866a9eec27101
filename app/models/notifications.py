"""Notifications, their delivery settings, and who blocks or mutes whom."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


class Notification(db.Model):
    """One notification; a batched one is updated in place as more actors join it."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_created", "user_id", "created_at"),
        # At most one unread notification per batch group: likes on a project pile into it.
        Index("uq_notifications_unread_group", "user_id", "group_key", unique=True,
              postgresql_where=text("read_at IS NULL AND group_key IS NOT NULL"),
              sqlite_where=text("read_at IS NULL AND group_key IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    group_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # Latest actor first; the count is len(actor_ids).
    actor_ids: Mapped[list] = mapped_column(JSON, default=list)
    object_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    object_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="/")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class NotificationCause(db.Model):
    """Which event already notified which member: policing an event twice notifies once."""

    __tablename__ = "notification_causes"

    event_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    notification_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("notifications.id", ondelete="CASCADE"))


class NotificationSettings(db.Model):
    """A member's choices; absent rows mean the defaults (everything on, e-mail as digest)."""

    __tablename__ = "notification_settings"
    __table_args__ = (
        CheckConstraint("quiet_start BETWEEN 0 AND 1439 AND quiet_end BETWEEN 0 AND 1439", name="quiet"),
    )

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # {"project_like": {"in_app": true, "email": false}, ...}; missing entries are on.
    channels: Mapped[dict] = mapped_column(JSON, default=dict)
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet_start: Mapped[int] = mapped_column(Integer, default=22 * 60)
    quiet_end: Mapped[int] = mapped_column(Integer, default=8 * 60)


class Block(db.Model):
    __tablename__ = "blocks"
    __table_args__ = (CheckConstraint("blocker_id <> blocked_id", name="not_self"),)

    blocker_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Mute(db.Model):
    __tablename__ = "mutes"
    __table_args__ = (CheckConstraint("muter_id <> muted_id", name="not_self"),)

    muter_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    muted_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
