"""Who follows whom, and what a member wants to learn (batched reads)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Follow, MemberTopic


def follows(viewer_id: int, member_ids: list[int]) -> set[int]:
    """Which of these members the viewer follows (one query)."""
    if not member_ids:
        return set()
    return set(db.session.scalars(
        select(Follow.followee_id).where(Follow.follower_id == viewer_id, Follow.followee_id.in_(member_ids))))


def interests(user_id: int) -> list[str]:
    return list(db.session.scalars(select(MemberTopic.topic).where(MemberTopic.user_id == user_id)
                                   .order_by(MemberTopic.topic)))
