"""The moderation queue as moderators read it: open cases oldest first, and counts per status."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Comment, ModerationCase, Project, User
from app.models.comments import CASE_STATUSES

QUEUE_TOPIC = "moderation.queue"


@dataclass(frozen=True)
class CaseView:
    id: int
    text: str
    reasons: list[str]
    scores: dict[str, dict[str, float]]
    created_at: datetime
    comment_id: int
    author: str
    project_title: str
    project_link: str


def open_cases(limit: int = 100) -> list[CaseView]:
    """Open cases, oldest first, with their comment's author and project (one query)."""
    author, owner = aliased(User), aliased(User)
    rows = db.session.execute(
        select(ModerationCase, Comment.id, author.username, Project.title, Project.slug, owner.username)
        .join(Comment, (ModerationCase.subject_type == "comment") & (Comment.id == ModerationCase.subject_id))
        .join(author, author.id == Comment.author_id)
        .join(Project, Project.id == Comment.project_id)
        .join(owner, owner.id == Project.author_id)
        .where(ModerationCase.status == "open")
        .order_by(ModerationCase.created_at, ModerationCase.id).limit(limit))
    return [CaseView(case.id, case.text, list(case.reasons or []), dict(case.scores or {}), case.created_at,
                     comment_id, username, title, f"/@{owner_name}/{slug}#comment-{comment_id}")
            for case, comment_id, username, title, slug, owner_name in rows]


def counts() -> dict[str, int]:
    """How many cases are in each status (every status present, zero included)."""
    found = dict(db.session.execute(
        select(ModerationCase.status, func.count()).group_by(ModerationCase.status)).all())
    return {status: found.get(status, 0) for status in CASE_STATUSES}
