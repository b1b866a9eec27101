"""Leaderboards' write model: who may appear on public boards (privacy, disqualification and its
audit), the archived standings of closed weeks and months, daily rank snapshots, and the state
behind loss-aversion notices (top-100 stints, follow rivalries, one notice per occurrence).

Also the two rules every layer shares: the board calendar (UTC ISO weeks, UTC calendar months)
and `visible(...)`, the one SQL condition that keeps hidden and disqualified members off boards.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, and_, case, exists, select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.accounts import User
from app.models.types import BigId, UTCDateTime, utcnow
from app.rules import LIMITS

# How many rows each board shows (and a closed period archives); the around-me half window.
BOARD_SIZES = {"global": LIMITS["leaderboard_top"], "weekly": 50, "monthly": 100, "tier": 20, "streak": 50,
               "battle": 50, "topic": 50}
AROUND = 5
FLAIR_TOP = 10  # this week's top N wear flair next to their name
HISTORY_DAYS = 90  # rank snapshots kept (and charted)
BATTLE_WON = "BattleWon"  # the event the battle board counts: actor_id is the winner


class BoardPrivacy(db.Model):
    """A member's choice to stay off public boards (they still see their own private rank)."""

    __tablename__ = "leaderboard_privacy"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Disqualification(db.Model):
    """A member a moderator took off the boards (their points ledger is untouched)."""

    __tablename__ = "leaderboard_disqualifications"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))
    moderator_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    disqualified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ModerationEntry(db.Model):
    """The audit trail of disqualifications and reinstatements: who, when, why (append-only)."""

    __tablename__ = "leaderboard_moderation_log"
    __table_args__ = (CheckConstraint("action IN ('disqualified', 'reinstated')", name="action"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    # None: an operator at the console (`flask leaderboards disqualify`).
    moderator_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    via: Mapped[str] = mapped_column(String(8))
    event_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("events.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClosedPeriod(db.Model):
    """A week or month whose final standings are archived; the key makes closing it happen once."""

    __tablename__ = "leaderboard_periods"

    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("events.id"), nullable=True)


class ArchivedStanding(db.Model):
    """One row of a closed period's final standings."""

    __tablename__ = "leaderboard_archive"

    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    reached_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RankSnapshot(db.Model):
    """A member's global (and tier) rank as the board showed it on a UTC day."""

    __tablename__ = "leaderboard_rank_snapshots"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    rank: Mapped[int] = mapped_column(Integer)
    tier_rank: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)


class TopStint(db.Model):
    """A stay in the global top 100: closing it (once) is what "dropped out" means."""

    __tablename__ = "leaderboard_top100_stints"
    __table_args__ = (
        # At most one open stint per member.
        Index("uq_leaderboard_top100_stints_open", "user_id", unique=True,
              postgresql_where=text("left_at IS NULL"), sqlite_where=text("left_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Rivalry(db.Model):
    """Whether a member's followee is ahead of them, and how many times the followee overtook them."""

    __tablename__ = "leaderboard_rivalries"

    follower_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"),
                                             primary_key=True)
    followee_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"),
                                             primary_key=True, index=True)
    followee_ahead: Mapped[bool] = mapped_column(Boolean)
    overtakes: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notice(db.Model):
    """A loss-aversion notice recorded once per occurrence: the key refuses a second one."""

    __tablename__ = "leaderboard_notices"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("events.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StandingsCheck(db.Model):
    """Where the scheduled standings check got to (and the row it locks so checks run one at a time)."""

    __tablename__ = "leaderboard_checks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    checked_until: Mapped[datetime] = mapped_column(UTCDateTime)


# The top-100 and rank queries order members by points; without this they scan every member.
Index("ix_users_points", User.points)


# -- the board calendar ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A UTC ISO week ("2026-W48", Monday 00:00 UTC to the next) or calendar month ("2026-11")."""

    board: str
    id: str
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def containing(cls, board: str, moment: datetime) -> "Period":
        moment = moment.astimezone(timezone.utc)
        if board == "weekly":
            day = moment.date() - timedelta(days=moment.weekday())
            start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            year, week, _ = day.isocalendar()
            return cls(board, f"{year}-W{week:02d}", start, start + timedelta(days=7))
        if board == "monthly":
            start = datetime(moment.year, moment.month, 1, tzinfo=timezone.utc)
            end = datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=timezone.utc)
            return cls(board, f"{moment.year}-{moment.month:02d}", start, end)
        raise ValueError(f"not a period board: {board}")

    @classmethod
    def parse(cls, board: str, period_id: str) -> "Period | None":
        """The period an id names ("2026-W48", "2026-11"), or None if it names none."""
        try:
            if board == "weekly":
                year, week = period_id.split("-W")
                start = datetime.fromisocalendar(int(year), int(week), 1).replace(tzinfo=timezone.utc)
            elif board == "monthly":
                year, month = period_id.split("-")
                start = datetime(int(year), int(month), 1, tzinfo=timezone.utc)
            else:
                return None
        except ValueError:
            return None
        period = cls.containing(board, start)
        return period if period.id == period_id else None

    @property
    def previous(self) -> "Period":
        return Period.containing(self.board, self.starts_at - timedelta(seconds=1))

    @property
    def next(self) -> "Period":
        return Period.containing(self.board, self.ends_at)

    @property
    def label(self) -> str:
        if self.board == "weekly":
            last = self.ends_at - timedelta(days=1)
            return f"Week {self.id[-2:].lstrip('0')}, {self.starts_at:%d %b} – {last:%d %b %Y}"
        return f"{self.starts_at:%B %Y}"


# -- who may appear on public boards --------------------------------------------------------------

def visible(user_id_column):
    """SQL condition: the member is neither hidden nor disqualified (used by every board query)."""
    return and_(
        ~exists().where(BoardPrivacy.user_id == user_id_column, BoardPrivacy.hidden.is_(True)),
        ~exists().where(Disqualification.user_id == user_id_column),
    )


def exclusion(user_id_column):
    """SQL expression: why the member is kept off public boards ("disqualified", "hidden"), or NULL."""
    return case((exists().where(Disqualification.user_id == user_id_column), "disqualified"),
                (exists().where(BoardPrivacy.user_id == user_id_column, BoardPrivacy.hidden.is_(True)), "hidden"),
                else_=None)


def excluded_among(user_ids) -> set[int]:
    """Which of these members are kept off public boards (one query)."""
    ids = list(set(user_ids))
    if not ids:
        return set()
    hidden = select(BoardPrivacy.user_id).where(BoardPrivacy.user_id.in_(ids), BoardPrivacy.hidden.is_(True))
    banned = select(Disqualification.user_id).where(Disqualification.user_id.in_(ids))
    return set(db.session.scalars(hidden.union(banned)))
