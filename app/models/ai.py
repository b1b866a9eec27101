"""What calls to AI vendors cost: one ledger row per call, and a running total per day and scope."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


class AiUsage(db.Model):
    """One call that reached a vendor, with the tokens its response reported and what they cost."""

    __tablename__ = "ai_usage"
    __table_args__ = (Index("ix_ai_usage_day_member", "day", "member_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # None: work the site does for itself (a worker's moderation pass), not for a member.
    member_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    day: Mapped[date] = mapped_column(Date)  # UTC
    provider: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(80))
    operation: Mapped[str] = mapped_column(String(20))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_micros: Mapped[int] = mapped_column(BigInteger, default=0)  # millionths of a US dollar
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AiSpend(db.Model):
    """Today's spend of one scope ("site", or "member:<id>"), checked against its cap.

    `reserved_micros` is what calls in flight may still cost: a call reserves its worst case
    before it goes out and settles to the real cost when it returns, so calls running at the
    same time cannot together pass a cap (see docs/ai.md).
    """

    __tablename__ = "ai_spend"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    spent_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    reserved_micros: Mapped[int] = mapped_column(BigInteger, default=0)
