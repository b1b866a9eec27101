"""The append-only event log, which is also the outbox the relay reads."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        # The relay's question, "what is not projected yet?", reads only this small index.
        Index(
            "ix_events_unprojected",
            "id",
            postgresql_where=text("projected_at IS NULL"),
            sqlite_where=text("projected_at IS NULL"),
        ),
        Index(
            "ix_events_unpoliced",
            "id",
            postgresql_where=text("policed_at IS NULL"),
            sqlite_where=text("policed_at IS NULL"),
        ),
        # Quest steps count a member's own events of a type since the quest started.
        Index("ix_events_actor_type_created", "actor_id", "type", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Two checkpoints: read models updated (projectors), rules applied (policies).
    projected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    policed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def members(self) -> set[int]:
        """The members this event concerns (actor and those named in its payload)."""
        ids = {self.actor_id} if self.actor_id else set()
        for key in ("user_id", "author_id", "followee_id", "follower_id"):
            value = (self.payload or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
        return ids

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.type}>"
