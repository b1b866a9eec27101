"""The points ledger: the truth from which every member's total is derived."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


class PointsEntry(db.Model):
    __tablename__ = "points_ledger"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("events.id"), index=True)
    # event id + rule + member: awarding for the same cause twice is refused by the database.
    award_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
