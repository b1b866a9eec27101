"""Approved comment counts per project (absolute, from Postgres), and the live comment pushes:
each project's thread (`comments.<project id>`) and the moderators' queue (`moderation.queue`)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import distinct, func, select

from app.extensions import db
from app.models import Comment, Event
from app.read import keys
from app.read.comments import approved_counts_in_postgres, thread_topic
from app.read.moderation import QUEUE_TOPIC
from app.read.redis import clear_read_model, client

NAME = "comments"
STAGE = "live"
TRIGGERS = frozenset({"CommentPosted", "CommentEdited", "CommentDeleted", "CommentFlagged", "CommentApproved",
                      "CommentRejected", "ProjectDeleted"})
QUEUE_TRIGGERS = frozenset({"CommentFlagged", "CommentApproved", "CommentRejected",
                            "ModerationCaseSuperseded"})
CHUNK = 1000


def _write(project_ids: list[int]) -> None:
    """Absolute counts; a project with no approved comment has no field (so live and rebuilt agree)."""
    counts = approved_counts_in_postgres(project_ids)
    pipe = client().pipeline(transaction=False)
    for pid in project_ids:
        if counts.get(pid):
            pipe.hset(keys.comment_counts(), str(pid), counts[pid])
        else:
            pipe.hdel(keys.comment_counts(), str(pid))
    pipe.execute()


def project(events: list[Event]) -> set[str]:
    projects = sorted({e.payload["project_id"] for e in events if e.type in TRIGGERS})
    topics = {thread_topic(pid) for pid in projects}
    if projects:
        _write(projects)
    if any(e.type in QUEUE_TRIGGERS for e in events):
        topics.add(QUEUE_TOPIC)
    return topics


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    clear_read_model(NAME)
    total, last_id = 0, 0
    while ids := list(db.session.scalars(
            select(Comment.project_id).distinct()
            .where(Comment.project_id > last_id, Comment.status == "approved")
            .order_by(Comment.project_id).limit(CHUNK))):
        _write(ids)
        last_id, total = ids[-1], total + len(ids)
        progress(len(ids))
    return total


def count() -> int:
    return db.session.scalar(
        select(func.count(distinct(Comment.project_id))).where(Comment.status == "approved")) or 0
