"""A project's comment thread as one viewer may see it, and approved comment counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func, select

from app.comments import mentioned_usernames, render
from app.extensions import db
from app.models import Comment, User
from app.read import keys
from app.read.members import MemberCard, cards_by_id
from app.read.redis import RedisUnavailable, client
from app.rules import COMMENTS

# What a comment's own author reads on it while others cannot see it.
OWN_LABELS = {"pending": "pending review", "flagged": "pending review", "rejected": "removed by moderators"}
# Shown in place of a comment nobody (else) may read, when visible replies hang under it.
STUB = "This comment is not available."


@dataclass
class CommentView:
    id: int
    parent_id: int | None
    author: MemberCard | None
    body: Markup
    created_at: datetime
    edited: bool
    # "" when everyone sees it; otherwise what its author sees ("pending review", ...).
    label: str = ""
    # A placeholder for a hidden comment that visible replies hang under.
    stub: bool = False
    # Set when a reply is shown one level up (the thread is at its deepest): whom it answers.
    replying_to: str | None = None
    replies: list[CommentView] = field(default_factory=list)


@dataclass
class Thread:
    project_id: int
    count: int
    comments: list[CommentView]


def thread_topic(project_id: int) -> str:
    """The push topic of a project's thread."""
    return f"comments.{project_id}"


def thread(project_id: int, viewer_id: int | None) -> Thread:
    """The thread as `viewer_id` sees it: approved comments, plus the viewer's own pending, flagged or
    removed ones (labelled). Callers check the viewer may see the project. Three queries in all."""
    rows = list(db.session.scalars(
        select(Comment).where(Comment.project_id == project_id).order_by(Comment.created_at, Comment.id)))
    shown = {c.id for c in rows if c.status == "approved"
             or (viewer_id is not None and c.author_id == viewer_id and c.status in OWN_LABELS)}
    by_id = {c.id: c for c in rows}
    kept = set(shown)
    for c in rows:  # a hidden comment stays as a stub while any shown reply hangs under it
        if c.id in shown:
            parent = by_id.get(c.parent_id)
            while parent is not None and parent.id not in kept:
                kept.add(parent.id)
                parent = by_id.get(parent.parent_id)
    visible = [c for c in rows if c.id in shown]
    cards = cards_by_id([c.author_id for c in visible])
    members = _members([name for c in visible for name in mentioned_usernames(c.body)])
    views: dict[int, CommentView] = {}
    roots: list[CommentView] = []
    depth: dict[int, int] = {}
    for c in rows:
        if c.id not in kept:
            continue
        if c.id in shown:
            view = CommentView(c.id, c.parent_id, cards.get(c.author_id), render(c.body, members), c.created_at,
                               c.edited_at is not None, OWN_LABELS.get(c.status, ""))
        else:
            view = CommentView(c.id, c.parent_id, None, Markup(""), c.created_at, False, stub=True)
        views[c.id] = view
        parent = views.get(c.parent_id)
        if parent is None:
            depth[c.id] = 0
            roots.append(view)
            continue
        depth[c.id] = min(depth[parent.id] + 1, COMMENTS["max_depth"])
        if depth[parent.id] == COMMENTS["max_depth"]:
            # As deep as threads go: shown beside the comment it answers, saying whom it answers.
            view.replying_to = parent.author.username if parent.author else None
            parent = views[_parent_at_depth(parent, views, depth)]
        parent.replies.append(view)
    return Thread(project_id, approved_count(project_id), roots)


def _parent_at_depth(view: CommentView, views: dict[int, CommentView], depth: dict[int, int]) -> int:
    """The comment a too-deep reply attaches to: the parent of the deepest-level comment it answers."""
    while depth[view.id] == COMMENTS["max_depth"]:
        view = views[view.parent_id]
    return view.id


def _members(usernames: list[str]) -> set[str]:
    if not usernames:
        return set()
    return set(db.session.scalars(select(User.username).where(User.username.in_(set(usernames)))))


def authors_of_unapproved(project_id: int, user_ids: list[int]) -> list[int]:
    """Which of these members have comments on the project only they can see (one query)."""
    return sorted(set(db.session.scalars(select(Comment.author_id).where(
        Comment.project_id == project_id, Comment.author_id.in_(user_ids), Comment.status.in_(OWN_LABELS)))))


def approved_count(project_id: int) -> int:
    """Approved comments on a project (the read model; Postgres when Redis is away)."""
    try:
        value = client().hget(keys.comment_counts(), str(project_id))
    except RedisUnavailable:
        return approved_counts_in_postgres([project_id]).get(project_id, 0)
    return int(value or 0)


def approved_counts_in_postgres(project_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(select(Comment.project_id, func.count()).where(
        Comment.project_id.in_(project_ids), Comment.status == "approved").group_by(Comment.project_id))
    return {pid: n for pid, n in rows}
