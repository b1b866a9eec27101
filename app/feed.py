"""What counts as an activity in the feed, shared by the feed projector and its read side."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, Follow
from app.rules import FEED

ACTIVITY_TYPES = frozenset({
    "ProjectPublished", "AchievementUnlocked", "TierReached", "QuestCompleted", "StreakMilestoneReached",
    "ActivityReposted", "ToolReviewed",
})
VIRAL_RARITIES = frozenset({"Rare", "Epic", "Legendary"})


def is_activity(event: Event) -> bool:
    """Feed-worthy: Common achievements (everyone gets them early) stay notifications only."""
    payload = event.payload or {}
    return (event.type in ACTIVITY_TYPES and event.actor_id is not None
            and not (event.type == "AchievementUnlocked" and payload.get("rarity") == "Common")
            and not (event.type == "ToolReviewed" and payload.get("edited")))  # an edit is not news


def still_shown(events: list[Event]) -> list[Event]:
    """Drop activities whose subject is gone or hidden: deleted, draft or private projects,
    deleted reviews, withdrawn reposts (a query each)."""
    from app.models import Project, Repost

    project_ids = {(e.payload or {}).get("project_id") for e in events if e.type == "ProjectPublished"}
    existing = set(db.session.scalars(select(Project.id).where(
        Project.id.in_(project_ids), Project.status == "published", Project.visibility == "public"))) if project_ids else set()
    repost_keys = {(e.actor_id, (e.payload or {}).get("activity_id")) for e in events if e.type == "ActivityReposted"}
    reposted = set()
    if repost_keys:
        reposted = set(db.session.execute(select(Repost.user_id, Repost.activity_id).where(
            Repost.user_id.in_({u for u, _ in repost_keys}))).all())
    from app.models import ToolReview

    review_ids = {(e.payload or {}).get("review_id") for e in events if e.type == "ToolReviewed"}
    reviews = set(db.session.scalars(select(ToolReview.id).where(ToolReview.id.in_(review_ids)))) if review_ids else set()
    return [e for e in events if is_activity(e)
            and (e.type != "ProjectPublished" or (e.payload or {}).get("project_id") in existing)
            and (e.type != "ToolReviewed" or (e.payload or {}).get("review_id") in reviews)
            and (e.type != "ActivityReposted" or (e.actor_id, (e.payload or {}).get("activity_id")) in reposted)]


def is_viral(event: Event) -> bool:
    """Moments everyone may see (mixed into new members' feeds): tier ups, rare achievements."""
    return event.type == "TierReached" or (
        event.type == "AchievementUnlocked" and (event.payload or {}).get("rarity") in VIRAL_RARITIES)


def feed_ids_from_postgres(member_id: int, limit: int | None = None, before: int | None = None) -> list[int]:
    """The member's fanned-out feed computed from Postgres (own and non-celebrity followees'): the
    newest `limit` (the feed's cap, as it is when called)."""
    limit = FEED["cap"] if limit is None else limit
    followees = select(Follow.followee_id).where(Follow.follower_id == member_id)
    counts = (select(Follow.followee_id.label("uid"), func.count().label("n"))
              .where(Follow.followee_id.in_(followees)).group_by(Follow.followee_id).subquery())
    ordinary = select(counts.c.uid).where(counts.c.n <= FEED["celebrity_followers"])
    query = select(Event).where(Event.type.in_(ACTIVITY_TYPES),
                                (Event.actor_id == member_id) | Event.actor_id.in_(ordinary))
    if before:
        query = query.where(Event.id < before)
    rows = list(db.session.scalars(query.order_by(Event.id.desc()).limit(limit * 2)))
    return [e.id for e in still_shown(rows)][:limit]
