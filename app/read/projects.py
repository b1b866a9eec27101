"""Project listings and a member's likes, read in batches."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Like, Project, User
from app.read import keys
from app.read.redis import RedisUnavailable, client


def liked_by(user_id: int | None, project_ids: list[int]) -> set[int]:
    """Which of these projects the member has liked (one query)."""
    if not user_id or not project_ids:
        return set()
    return set(db.session.scalars(
        select(Like.project_id).where(Like.user_id == user_id, Like.project_id.in_(project_ids))
    ))


def recent(limit: int = 12) -> list[Project]:
    return list(db.session.scalars(select(Project).order_by(Project.created_at.desc(), Project.id.desc()).limit(limit)))


def by_author(author_id: int, limit: int = 50) -> list[Project]:
    return list(db.session.scalars(
        select(Project).where(Project.author_id == author_id).order_by(Project.created_at.desc()).limit(limit)
    ))


def find(username: str, slug: str) -> Project | None:
    return db.session.scalar(
        select(Project).join(User, User.id == Project.author_id)
        .where(User.username == username.lower(), Project.slug == slug)
    )


def member(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.lower()))


VIEW_DEDUPE_SECONDS = 30 * 60


def count_view(project_id: int, viewer: str) -> None:
    """Count a view in Redis (once per viewer per half hour); Postgres hears of it at the next flush."""
    try:
        if client().set(keys.view_seen(project_id, viewer), 1, nx=True, ex=VIEW_DEDUPE_SECONDS):
            client().hincrby(keys.views_pending(), str(project_id), 1)
    except RedisUnavailable:
        pass  # a view not counted is better than a page not shown


def views(project: Project) -> int:
    """Views so far: those in Postgres plus those still waiting in Redis."""
    try:
        r = client()
        waiting = [r.hget(keys.views_pending(), str(project.id))]
        waiting += [r.hget(key, str(project.id)) for key in r.scan_iter(keys.views_flushing_pattern())]
    except RedisUnavailable:
        waiting = []
    return project.view_count + sum(int(n) for n in waiting if n)
