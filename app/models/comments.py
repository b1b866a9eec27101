"""Comments on projects, threaded, and the moderation queue that reviews what the checks flag."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON, BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow

# pending: waiting for the automatic checks; flagged: waiting for a moderator (a case is open);
# approved: visible to everyone who may see the project; rejected: hidden for good; deleted: by its author.
COMMENT_STATUSES = ("pending", "approved", "flagged", "rejected", "deleted")
# superseded: the author edited or deleted the text before a moderator decided (the new text is
# checked afresh).
CASE_STATUSES = ("open", "approved", "rejected", "superseded")


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'flagged', 'rejected', 'deleted')",
                        name="status_known"),
        # A thread is read by project; counts read its approved slice.
        Index("ix_comments_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("projects.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The comment this one replies to (same project); None for a top-level comment.
    parent_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("comments.id", ondelete="CASCADE"), nullable=True, index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    # Bumped by every edit: a verdict applies only to the revision it checked.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The first approval: the project's author hears of a comment once, however often it is edited.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ModerationCase(db.Model):
    """A queue item: something the checks flagged, what flagged it, and who decided what (audit)."""

    __tablename__ = "moderation_cases"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'approved', 'rejected', 'superseded')", name="status_known"),
        CheckConstraint("via IN ('web', 'cli')", name="via_known"),
        # One case per checked revision: two workers checking the same text open one case.
        UniqueConstraint("subject_type", "subject_id", "revision"),
        Index("ix_moderation_cases_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    revision: Mapped[int] = mapped_column(Integer)
    # The text as it was checked, so the decision is audited against what the moderator saw.
    text: Mapped[str] = mapped_column(Text)
    # {"profanity": {"profanity": 0.97}, "ai": {"harassment": 0.7, ...}}: scores 0..1 per source.
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    # Why, in words: one line per source that flagged it.
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None with a decision: an operator at the console (`flask moderation decide`).
    decided_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    via: Mapped[str | None] = mapped_column(String(8), nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")


class CommentMention(db.Model):
    """A member a comment mentioned and notified: once per comment, however often it is approved."""

    __tablename__ = "comment_mentions"

    comment_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
