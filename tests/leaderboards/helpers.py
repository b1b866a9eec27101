"""Building a small community for leaderboard tests, through the app's own commands."""
from __future__ import annotations

from datetime import datetime, timezone
from fnmatch import fnmatchcase

from sqlalchemy import insert, select, update

from app import events
from app.extensions import db
from app.models import User
from app.models.types import frozen_time
from app.read import keys
from commands.base import handler
from commands.gamification import award_points
from commands.projects import publish_project
from commands.social import follow_member, like_project
from tests.conftest import make_member, redis_snapshot

BOARD_MODELS = ["leaderboards", "leaderboard_streaks"]  # the read models of the boards (two projectors)
# A Wednesday, well inside week 2026-W48 and November 2026.
WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def user(user_id: int) -> User:
    return db.session.get(User, user_id)


def members(app, *names: str, at: datetime = WEDNESDAY) -> list[int]:
    with frozen_time(at):
        return [make_member(app, name) for name in names]


def publish(app, author_id: int, title: str, topics: str = "", at: datetime = WEDNESDAY) -> int:
    with app.app_context(), frozen_time(at):
        return publish_project(db.session.get(User, author_id), {"title": title, "topics": topics}).id


def like(app, fan_id: int, project_id: int, at: datetime = WEDNESDAY) -> None:
    with app.app_context(), frozen_time(at):
        assert like_project(db.session.get(User, fan_id), {"project_id": project_id})


def follow(app, follower_id: int, followee_id: int, at: datetime = WEDNESDAY) -> None:
    with app.app_context(), frozen_time(at):
        follow_member(db.session.get(User, follower_id), {"user_id": followee_id})


@handler
def _grant(user_id: int, amount: int) -> None:
    event = events.record("TestPointsGranted", user_id, user_id=user_id, amount=amount)
    award_points(user_id, "quest_completed", event, "test grant", amount=amount)


def grant(app, user_id: int, amount: int, at: datetime = WEDNESDAY) -> None:
    """Give a member points through a real ledger row (no cap, no boost)."""
    with app.app_context(), frozen_time(at):
        _grant(user_id, amount)


@handler
def _win(winner_id: int, loser_id: int, battle_id: int) -> None:
    events.record("BattleWon", winner_id, battle_id=battle_id, winner_id=winner_id, loser_id=loser_id)


def win_battle(app, winner_id: int, loser_id: int, battle_id: int, at: datetime = WEDNESDAY) -> None:
    """What the battles feature will record when a battle is won."""
    with app.app_context(), frozen_time(at):
        _win(winner_id, loser_id, battle_id)


def crowd(app, count: int, points: int, at: datetime = WEDNESDAY, prefix: str = "crowd") -> list[int]:
    """Many members at once, written straight to the users table (for top-100 checks only)."""
    with app.app_context():
        rows = [{"username": f"{prefix}{i}", "email": f"{prefix}{i}@example.com", "password_hash": "x",
                 "display_name": "", "bio": "", "time_zone": "UTC", "role": "member", "points": points,
                 "points_updated_at": at, "created_at": at} for i in range(count)]
        db.session.execute(insert(User), rows)
        db.session.commit()
        return list(db.session.scalars(select(User.id).where(User.username.like(f"{prefix}%")).order_by(User.id)))


def set_points(app, user_id: int, points: int, at: datetime) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(points=points, points_updated_at=at))
        db.session.commit()


def points_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(User.points).where(User.id == user_id))


def boards_snapshot(app) -> dict:
    """`redis_snapshot` of the leaderboards' own read models (other read models have their own tests)."""
    patterns = keys.read_model_patterns()["leaderboards"] + keys.read_model_patterns()["leaderboard_streaks"]
    return {k: v for k, v in redis_snapshot(app).items() if any(fnmatchcase(k, p) for p in patterns)}
