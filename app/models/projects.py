"""Projects members publish, and their topics."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


STATUSES = ("draft", "published")
VISIBILITIES = ("public", "private")


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("author_id", "slug"),
        CheckConstraint("status IN ('draft', 'published')", name="status_known"),
        CheckConstraint("visibility IN ('public', 'private')", name="visibility_known"),
        # The public listings (home, sitemap, tool pages) read only this slice.
        Index("ix_projects_listed", "status", "visibility", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    author_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    # Kept with each like/unlike in the same transaction as the likes row.
    likes_count: Mapped[int] = mapped_column(Integer, default=0)
    # Views are counted in Redis and folded in here by a scheduled job, never per view.
    view_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(12), default="published", server_default="published")
    visibility: Mapped[str] = mapped_column(String(12), default="public", server_default="public")
    # Where an imported project came from (a GitHub repository URL), and what the AI made of it.
    source_url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    ai_summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author = relationship("User", lazy="joined")
    topic_rows = relationship(
        "ProjectTopic", lazy="selectin", cascade="all, delete-orphan", order_by="ProjectTopic.position"
    )
    blocks = relationship(
        "ProjectBlock", lazy="select", cascade="all, delete-orphan", order_by="ProjectBlock.position"
    )

    @property
    def topics(self) -> list[str]:
        return [t.topic for t in self.topic_rows]

    @property
    def is_listed(self) -> bool:
        """Anyone may see it: published and public."""
        return self.status == "published" and self.visibility == "public"

    def visible_to(self, user) -> bool:
        """The one rule for every route, feed, search result and listing: a draft or private
        project is seen only by its author and by moderators."""
        return self.is_listed or manages(user, self.author_id)


def manages(user, author_id: int) -> bool:
    """Whether this member may see and change an author's projects whatever their state: the
    author, or a moderator (None or an anonymous visitor never)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.id == author_id or user.is_moderator


class ProjectTopic(db.Model):
    __tablename__ = "project_topics"

    project_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


BLOCK_KINDS = ("text", "heading", "image", "code", "mermaid", "link")


class ProjectBlock(db.Model):
    """One block of a project page, in order. `data` holds the kind's fields (see commands/projects.py)."""

    __tablename__ = "project_blocks"
    __table_args__ = (
        CheckConstraint("kind IN ('text', 'heading', 'image', 'code', 'mermaid', 'link')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(12))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ViewTally(db.Model):
    """One flushed batch of view counts from Redis: its id makes the flush count exactly once,
    even when a worker dies between committing the counts and deleting the batch from Redis."""

    __tablename__ = "view_tallies"

    batch_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    views: Mapped[int] = mapped_column(Integer)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
