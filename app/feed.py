"""What counts as an activity in the feed, shared by the feed projector and its read side."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, Follow
from app.rules import FEED

ACTIVITY_TYPES = frozenset({
    "ProjectPublished", "AchievementUnlocked", "TierReached", "QuestCompleted", "StreakMilestoneReached",
})
VIRAL_RARITIES = frozenset({"Rare", "Epic", "Legendary"})


def is_activity(event: Event) -> bool:
    return event.type in ACTIVITY_TYPES and event.actor_id is not None


def is_viral(event: Event) -> bool:
    """Moments everyone may see (mixed into new members' feeds): tier ups, rare achievements."""
    return event.type == "TierReached" or (
        event.type == "AchievementUnlocked" and (event.payload or {}).get("rarity") in VIRAL_RARITIES)


def feed_ids_from_postgres(member_id: int, limit: int = FEED["cap"], before: int | None = None) -> list[int]:
    """The member's fanned-out feed computed from Postgres (own and non-celebrity followees')."""
    followees = select(Follow.followee_id).where(Follow.follower_id == member_id)
    counts = (select(Follow.followee_id.label("uid"), func.count().label("n"))
              .where(Follow.followee_id.in_(followees)).group_by(Follow.followee_id).subquery())
    ordinary = select(counts.c.uid).where(counts.c.n <= FEED["celebrity_followers"])
    query = select(Event.id).where(Event.type.in_(ACTIVITY_TYPES),
                                   (Event.actor_id == member_id) | Event.actor_id.in_(ordinary))
    if before:
        query = query.where(Event.id < before)
    return list(db.session.scalars(query.order_by(Event.id.desc()).limit(limit)))
