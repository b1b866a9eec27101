"""Projects members publish, and their topics."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("author_id", "slug"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    author_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    # Kept with each like/unlike in the same transaction as the likes row.
    likes_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    author = relationship("User", lazy="joined")
    topic_rows = relationship(
        "ProjectTopic", lazy="selectin", cascade="all, delete-orphan", order_by="ProjectTopic.position"
    )

    @property
    def topics(self) -> list[str]:
        return [t.topic for t in self.topic_rows]


class ProjectTopic(db.Model):
    __tablename__ = "project_topics"

    project_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
