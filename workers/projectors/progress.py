"""Progress: one JSON snapshot per member (dashboard, onboarding, streak, quests, goals), written
whole from Postgres each time, so projecting twice or rebuilding gives the same bytes."""
from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.gamification import progress_snapshots
from app.models import Event, User
from app.models.types import utcnow
from app.read import keys
from app.read.redis import clear_read_model, client

NAME = "progress"
STAGE = "after_policies"
CHUNK = 500


def _write(pipe, user_ids, now) -> None:
    """Every member's snapshot read in one go (a batch's members or a rebuild's chunk)."""
    for uid, snapshot in sorted(progress_snapshots(user_ids, now).items()):
        pipe.set(keys.member_progress(uid), json.dumps(snapshot, sort_keys=True, separators=(",", ":")))


def project(events: list[Event]) -> set[str]:
    members = sorted({m for e in events for m in e.members()})
    if not members:
        return set()
    pipe = client().pipeline(transaction=False)
    _write(pipe, members, utcnow())
    pipe.execute()
    return {f"member.{uid}" for uid in members}


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    r = client()
    clear_read_model(NAME)
    now, total, last_id = utcnow(), 0, 0
    while ids := list(db.session.scalars(select(User.id).where(User.id > last_id).order_by(User.id).limit(CHUNK))):
        pipe = r.pipeline(transaction=False)
        _write(pipe, ids, now)
        pipe.execute()
        last_id, total = ids[-1], total + len(ids)
        progress(len(ids))
    return total


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
