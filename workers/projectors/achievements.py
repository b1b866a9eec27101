"""Achievement shares: how many members hold each achievement, and how many members there are
(absolute counts from Postgres, so replays and rebuilds agree)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, MemberAchievement, User
from app.read import keys
from app.read.redis import client

NAME = "achievements"
STAGE = "after_policies"
TRIGGERS = frozenset({"AchievementUnlocked", "MemberSignedUp"})


def _write() -> None:
    holders = dict(db.session.execute(
        select(MemberAchievement.achievement_key, func.count()).group_by(MemberAchievement.achievement_key)).all())
    members = db.session.scalar(select(func.count()).select_from(User)) or 0
    pipe = client().pipeline(transaction=True)
    pipe.delete(keys.achievement_holders())
    if holders:
        pipe.hset(keys.achievement_holders(), mapping={k: str(v) for k, v in sorted(holders.items())})
    pipe.set(keys.member_count(), members)
    pipe.execute()


def project(events: list[Event]) -> set[str]:
    if any(e.type in TRIGGERS for e in events):
        _write()
        return {"achievements"}
    return set()


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    _write()
    progress(1)
    return 1


def count() -> int:
    return 1
