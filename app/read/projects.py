"""Project listings and a member's likes, read in batches."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Like, Project, User


def liked_by(user_id: int | None, project_ids: list[int]) -> set[int]:
    """Which of these projects the member has liked (one query)."""
    if not user_id or not project_ids:
        return set()
    return set(db.session.scalars(
        select(Like.project_id).where(Like.user_id == user_id, Like.project_id.in_(project_ids))
    ))


def like_button(project_id: int):
    """What a like button shows of a project (id, title, likes_count), or None if it is gone."""
    return db.session.execute(
        select(Project.id, Project.title, Project.likes_count).where(Project.id == project_id)).one_or_none()


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
