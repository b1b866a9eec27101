"""Project listings and a member's likes, read in batches."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Like, Project, User
from app.models.projects import manages
from app.read import keys
from app.read.redis import RedisUnavailable, client


def liked_by(user_id: int | None, project_ids: list[int]) -> set[int]:
    """Which of these projects the member has liked (one query)."""
    if not user_id or not project_ids:
        return set()
    return set(db.session.scalars(
        select(Like.project_id).where(Like.user_id == user_id, Like.project_id.in_(project_ids))
    ))


def listed():
    """The condition for projects anyone may see: published and public."""
    return (Project.status == "published") & (Project.visibility == "public")


def recent(limit: int = 12) -> list[Project]:
    """The newest projects anyone may see."""
    return list(db.session.scalars(select(Project).where(listed())
                                   .order_by(Project.created_at.desc(), Project.id.desc()).limit(limit)))


def by_author(author_id: int, viewer=None, limit: int = 50) -> list[Project]:
    """A member's projects as this viewer may see them: drafts and private ones only for the
    author (and moderators)."""
    query = select(Project).where(Project.author_id == author_id)
    if not manages(viewer, author_id):
        query = query.where(listed())
    return list(db.session.scalars(query.order_by(Project.created_at.desc()).limit(limit)))


def sitemap_page(page: int, size: int) -> list[tuple[str, str, object]]:
    """(username, slug, updated_at) of listed projects with ids in the page's range (no OFFSET)."""
    low, high = (page - 1) * size, page * size
    return list(db.session.execute(
        select(User.username, Project.slug, Project.updated_at).join(User, User.id == Project.author_id)
        .where(listed(), Project.id > low, Project.id <= high).order_by(Project.id)).all())


def sitemap_pages(size: int) -> int:
    """How many id ranges of `size` the sitemap index lists (at least one)."""
    from sqlalchemy import func

    top = db.session.scalar(select(func.max(Project.id)).where(listed())) or 0
    return max(1, -(-top // size))


def find(username: str, slug: str, viewer=None) -> Project | None:
    """The project at /@username/slug if this viewer may see it (None otherwise: a 404 either way,
    so a private project's existence doesn't leak)."""
    project = _at(username, slug)
    return project if project is not None and project.visible_to(viewer) else None


def _at(username: str, slug: str) -> Project | None:
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
        pipe = client().pipeline(transaction=False)
        pipe.hget(keys.views_pending(), str(project.id))
        pipe.hget(keys.views_flushing(), str(project.id))
        waiting = pipe.execute()
    except RedisUnavailable:
        waiting = []
    return project.view_count + sum(int(n) for n in waiting if n)
