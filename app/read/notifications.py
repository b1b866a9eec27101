"""Notifications as members read them: text with batched actors, and the unread count."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import Follow, Notification
from app.read import keys
from app.read.members import MemberCard, cards_by_id
from app.read.redis import RedisUnavailable, client


@dataclass(frozen=True)
class NotificationView:
    id: int
    type: str
    text: str
    link: str
    actor: MemberCard | None
    count: int
    unread: bool
    when: datetime
    follow_back: bool = False


def _names(cards: list[MemberCard], count: int) -> str:
    if not cards:
        return "Someone"
    first = f"@{cards[0].username}"
    others = count - 1
    return first if others == 0 else f"{first} and {others} other{'s' if others > 1 else ''}"


def _text(n: Notification, who: str) -> str:
    data = n.data or {}
    return {
        "project_like": f"{who} liked your project “{data.get('title', '')}”",
        "project_comment": f"{who} commented on “{data.get('title', '')}”",
        "mention": f"{who} mentioned you",
        "new_follower": f"{who} followed you",
        "achievement": f"Achievement unlocked: {data.get('name')} ({data.get('rarity')})",
        "tier_up": f"You reached {data.get('name')}!",
        "level_up": f"Level up: {data.get('name')}",
        "battle_challenge": f"{who} challenged you to a battle",
        "battle_result": data.get("text", "Your battle has a result"),
        "streak_at_risk": f"Your {data.get('days')}-day streak is at risk: do one thing today to keep it",
        "weekly_goal": f"Weekly goal met: {data.get('title')}",
        "new_quests": f"{data.get('count')} new side quests match your interests",
        "tier_almost": f"You are {data.get('missing')} points from {data.get('tier')}",
        "dropped_top100": f"You dropped out of the top 100 (now #{data.get('rank')}): "
                          f"{data.get('gap')} points to get back in",
        "overtaken": f"{who} overtook you on the leaderboard (you're #{data.get('rank')} now)",
    }.get(n.type, "Something happened")


def describe(notifications: list[Notification], viewer_id: int | None = None) -> list[NotificationView]:
    """Render notifications for display; actors hydrated in one query, follow-backs in one more."""
    actor_ids = {a for n in notifications for a in (n.actor_ids or [])[:1]}
    cards = cards_by_id(list(actor_ids))
    follows_back = set()
    if viewer_id and actor_ids:
        follows_back = set(db.session.scalars(select(Follow.followee_id).where(
            Follow.follower_id == viewer_id, Follow.followee_id.in_(actor_ids))))
    views = []
    for n in notifications:
        first = (n.actor_ids or [None])[0]
        card = cards.get(first) if first else None
        count = len(n.actor_ids or [])
        views.append(NotificationView(
            n.id, n.type, _text(n, _names([card] if card else [], count)), n.link, card, count,
            n.read_at is None, n.updated_at,
            follow_back=n.type == "new_follower" and card is not None and card.id not in follows_back))
    return views


def recent(user_id: int, limit: int = 20, before_id: int | None = None) -> list[Notification]:
    """The member's notifications, newest first, keyset-paginated by id."""
    query = select(Notification).where(Notification.user_id == user_id)
    if before_id:
        query = query.where(Notification.id < before_id)
    return list(db.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))


def unread_count(user_id: int) -> int | None:
    """From the read model (no key: nothing unread); None while Redis is away or not built."""
    try:
        pipe = client().pipeline(transaction=False)
        pipe.get(keys.unread_notifications(user_id))
        pipe.exists(keys.read_models_built())
        value, built = pipe.execute()
    except RedisUnavailable:
        return None
    if value is not None:
        return int(value)
    return 0 if built else None


def count_unread_in_postgres(user_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(select(Notification.user_id, func.count()).where(
        Notification.user_id.in_(user_ids), Notification.read_at.is_(None)).group_by(Notification.user_id))
    counts = dict(rows.all())
    return {uid: counts.get(uid, 0) for uid in user_ids}
