"""Unread notification counts per member (absolute, from Postgres), pushed to the bell."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, User
from app.read import keys
from app.read.notifications import count_unread_in_postgres
from app.read.redis import clear_read_model, client

NAME = "notifications"
STAGE = "live"
TRIGGERS = frozenset({"NotificationSent", "NotificationsChanged"})
CHUNK = 1000


def _write(user_ids: list[int]) -> None:
    """Absolute counts; a member with nothing unread has no key (so live and rebuilt agree)."""
    pipe = client().pipeline(transaction=False)
    for uid, count in count_unread_in_postgres(user_ids).items():
        if count:
            pipe.set(keys.unread_notifications(uid), count)
        else:
            pipe.delete(keys.unread_notifications(uid))
    pipe.execute()


def project(events: list[Event]) -> set[str]:
    members = sorted({e.payload["user_id"] for e in events if e.type in TRIGGERS and e.payload.get("user_id")})
    if not members:
        return set()
    _write(members)
    return {f"member.{uid}" for uid in members}


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    clear_read_model(NAME)
    total, last_id = 0, 0
    while ids := list(db.session.scalars(select(User.id).where(User.id > last_id).order_by(User.id).limit(CHUNK))):
        _write(ids)
        last_id, total = ids[-1], total + len(ids)
        progress(len(ids))
    return total


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
