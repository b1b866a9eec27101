"""Gamification's write model: the points ledger (the truth behind every total), achievements,
streaks, milestones reached once, side quests, and the topics a member wants to learn."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import BigId, UTCDateTime, utcnow


class PointsEntry(db.Model):
    __tablename__ = "points_ledger"
    __table_args__ = (Index("ix_points_ledger_user_rule_created", "user_id", "rule", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    event_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("events.id"), index=True)
    # event id + rule + member (or a rule's own key, e.g. the daily reward's member + local day):
    # awarding for the same cause twice is refused by the database.
    award_key: Mapped[str] = mapped_column(String(120), unique=True)
    # What earned it ("like:17"), so taking it back removes exactly what was given.
    subject: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Achievement(db.Model):
    """A definition, loaded from app/data/achievements.toml by `flask gamification load`."""

    __tablename__ = "achievements"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300))
    rarity: Mapped[str] = mapped_column(String(16))
    counter: Mapped[str] = mapped_column(String(64))
    threshold: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)


class MemberAchievement(db.Model):
    """An unlock: the primary key makes it happen exactly once per member."""

    __tablename__ = "member_achievements"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    achievement_key: Mapped[str] = mapped_column(
        String(64), ForeignKey("achievements.key", ondelete="CASCADE"), primary_key=True, index=True
    )
    event_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("events.id"))
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MemberStreak(db.Model):
    __tablename__ = "member_streaks"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    current: Mapped[int] = mapped_column(Integer, default=0)
    longest: Mapped[int] = mapped_column(Integer, default=0)
    # The member's local calendar day of the last qualifying action.
    last_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    freezes: Mapped[int] = mapped_column(Integer, default=0)
    freezes_used: Mapped[int] = mapped_column(Integer, default=0)


class Milestone(db.Model):
    """Something reached once per member (a tier, a level, a streak length, an onboarding step,
    a follow milestone, a weekly goal of one week). The primary key refuses a second time."""

    __tablename__ = "member_milestones"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("events.id"), nullable=True)
    reached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Quest(db.Model):
    """A side quest definition, loaded from app/data/quests.toml."""

    __tablename__ = "quests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[str] = mapped_column(String(16))
    # [{"title": ..., "event": "ProjectPublished", "count": 2, "topic": "rag"?}, ...]
    steps: Mapped[list] = mapped_column(JSON)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class MemberQuest(db.Model):
    __tablename__ = "member_quests"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    quest_key: Mapped[str] = mapped_column(
        String(64), ForeignKey("quests.key", ondelete="CASCADE"), primary_key=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MemberTopic(db.Model):
    """A topic a member wants to learn (feeds onboarding, quests and later the feed)."""

    __tablename__ = "member_topics"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)


class ActiveDay(db.Model):
    """A local calendar day on which a member did something that counts for the streak.

    The streak is derived by replaying these days (see app/gamification.py), so counting an
    action twice, or late, or out of order, gives the same streak.
    """

    __tablename__ = "member_active_days"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
