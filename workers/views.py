"""Fold the project views counted in Redis into Postgres, exactly once per batch."""
from __future__ import annotations

import uuid
from datetime import datetime

import redis as redis_lib

from app.read import keys
from app.read.redis import client
from commands.projects import record_views


def flush_views(now: datetime | None = None) -> int:
    """Move the pending counts aside as a batch with an id, commit them with that id, drop the batch.

    A batch left behind by a worker that died is finished first; if its counts were committed,
    its id is already in Postgres and it is not counted twice. One flusher runs at a time (the
    scheduler's lock). Returns the views folded in.
    """
    r = client()
    total = _fold() if r.exists(keys.views_flushing()) else 0
    try:
        r.rename(keys.views_pending(), keys.views_flushing())
    except redis_lib.ResponseError:
        return total  # nothing viewed since the last flush
    return total + _fold()


def _fold() -> int:
    r = client()
    r.hsetnx(keys.views_flushing(), "batch", uuid.uuid4().hex)
    batch = r.hgetall(keys.views_flushing())
    batch_id = batch.pop("batch")
    counts = {int(project): int(n) for project, n in batch.items()}
    counted = record_views({"batch_id": batch_id, "counts": counts})
    r.delete(keys.views_flushing())
    return sum(counts.values()) if counted else 0
