"""The AI tool directory's read model: per-tool stats (review count, rating sum, projects using
it) and the "top rated" and "most used" sorted sets. Every write is the tool's absolute state,
re-read from Postgres, so replays, out-of-order events and rebuilds all agree."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, ProjectTool, Tool
from app.read import keys
from app.read.redis import clear_read_model, client
from app.read.tools import stats_in_postgres

NAME = "tools"
STAGE = "live"
CHUNK = 500
REVIEW_EVENTS = frozenset({"ToolReviewed", "ToolReviewDeleted"})
# Events that may list or unlist a project, and so change its tools' "projects using it" counts.
# Events that may list or unlist a project (ProjectEdited: only its "visibility" change matters,
# but recounting a project's tools is cheap and idempotent).
LISTING_EVENTS = frozenset({"ProjectPublished", "ProjectEdited"})


def _write(tool_ids: Iterable[int]) -> None:
    ids = sorted(set(tool_ids))
    if not ids:
        return
    stats = stats_in_postgres(ids)
    pipe = client().pipeline(transaction=True)
    for tid in ids:
        s = stats[tid]
        key = keys.tool_stats(tid)
        pipe.delete(key)
        if s.reviews or s.projects:
            pipe.hset(key, mapping={"reviews": s.reviews, "rating_sum": s.rating_sum, "projects": s.projects})
        if s.reviews:
            pipe.zadd(keys.tools_by_rating(), {str(tid): s.rating_score})
        else:
            pipe.zrem(keys.tools_by_rating(), str(tid))
        if s.projects:
            pipe.zadd(keys.tools_by_usage(), {str(tid): s.projects})
        else:
            pipe.zrem(keys.tools_by_usage(), str(tid))
    pipe.execute()


def _affected(events: list[Event]) -> set[int]:
    tool_ids: set[int] = set()
    listing_projects: set[int] = set()
    for event in events:
        payload = event.payload or {}
        if event.type in REVIEW_EVENTS:
            tool_ids.add(payload["tool_id"])
        elif event.type == "ProjectToolsChanged":
            tool_ids.update(payload.get("tool_ids", []), payload.get("removed", []))
        elif event.type == "ProjectDeleted":
            # Its tool links went with it: recount every tool some project uses.
            tool_ids.update(int(t) for t in client().zrange(keys.tools_by_usage(), 0, -1))
        elif event.type in LISTING_EVENTS and payload.get("project_id"):
            listing_projects.add(payload["project_id"])
    if listing_projects:
        tool_ids.update(db.session.scalars(
            select(ProjectTool.tool_id).where(ProjectTool.project_id.in_(sorted(listing_projects)))))
    return tool_ids


def project(events: list[Event]) -> set[str]:
    tool_ids = _affected(events)
    _write(tool_ids)
    return set()


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    clear_read_model(NAME)
    total, last_id = 0, 0
    while ids := list(db.session.scalars(select(Tool.id).where(Tool.id > last_id).order_by(Tool.id).limit(CHUNK))):
        _write(ids)
        last_id, total = ids[-1], total + len(ids)
        progress(len(ids))
    return total


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Tool)) or 0
