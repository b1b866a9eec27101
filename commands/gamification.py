"""Points: ledger rows and the derived totals they keep, written inside the caller's transaction."""
from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models import Event, PointsEntry, User
from app.models.types import utcnow
from app.rules import POINTS_RULES
from commands.base import insert_ignoring_duplicates


def award_points(user_id: int, rule_key: str, event: Event, reason: str | None = None) -> bool:
    """Apply a points rule for an event; the same (event, rule, member) is only ever applied once.

    The ledger row and the total move together in the caller's transaction. The total is updated
    with `points = points + n` (row-locked by PostgreSQL), so concurrent awards never lose one.
    """
    rule = POINTS_RULES[rule_key]
    inserted = insert_ignoring_duplicates(
        PointsEntry,
        user_id=user_id,
        amount=rule.points,
        rule=rule.key,
        reason=(reason or rule.description)[:200],
        event_id=event.id,
        award_key=f"{event.id}:{rule.key}:{user_id}",
        created_at=utcnow(),
    )
    if inserted:
        db.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(points=User.points + rule.points, points_updated_at=utcnow())
        )
    return inserted
