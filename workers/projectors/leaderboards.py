"""Leaderboards: a sorted set of members by points, written as absolute values (idempotent)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, PointsEntry, User
from app.read import keys
from app.read.leaderboards import scores_for
from app.read.redis import client

NAME = "leaderboards"
STAGE = "live"
CHUNK = 5_000


def _scores(user_ids) -> dict[str, int]:
    return scores_for(db.session.execute(
        select(User.id, User.points, User.points_updated_at).where(User.id.in_(user_ids))
    ))


def project(events: list[Event]) -> set[str]:
    """Re-read the current total of every member these events awarded points to; write it."""
    event_ids = [e.id for e in events]
    user_ids = list(db.session.scalars(
        select(PointsEntry.user_id).where(PointsEntry.event_id.in_(event_ids)).distinct()
    ))
    if not user_ids:
        return set()
    client().zadd(keys.leaderboard_global(), _scores(user_ids))
    return {"leaderboard.global", "leaderboard.top10"} | {f"member.{uid}" for uid in user_ids}


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    """Rebuild every board from Postgres into a scratch key, then swap it in atomically."""
    r = client()
    final = keys.leaderboard_global()
    scratch = f"{final}:rebuild"
    r.delete(scratch)
    total, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(User.id, User.points, User.points_updated_at)
            .where(User.id > last_id).order_by(User.id).limit(CHUNK)
        ).all()
        if not rows:
            break
        r.zadd(scratch, scores_for(rows))
        last_id = rows[-1].id
        total += len(rows)
        progress(len(rows))
    if total:
        r.rename(scratch, final)
    else:
        r.delete(final)
    return total


def count() -> int:
    """How many rows a rebuild will walk (for the progress bar)."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0
