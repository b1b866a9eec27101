"""Fold the project views counted in Redis into Postgres, exactly once per batch."""
from __future__ import annotations

import uuid
from datetime import datetime

import redis as redis_lib

from app.read import keys
from app.read.redis import client
from commands.projects import record_views


def flush_views(now: datetime | None = None) -> int:
    """Move the pending counts aside under a batch id, commit them with that id, then drop them.

    A batch left behind by a worker that died is finished first; its id is already in Postgres
    if its counts were committed, so it is never counted twice. Returns the views folded in.
    """
    r = client()
    total = 0
    for key in list(r.scan_iter(keys.views_flushing_pattern())):
        total += _fold(key)
    batch_key = keys.views_flushing(uuid.uuid4().hex)
    try:
        r.rename(keys.views_pending(), batch_key)
    except redis_lib.ResponseError:
        return total  # nothing viewed since the last flush
    return total + _fold(batch_key)


def _fold(batch_key: str) -> int:
    counts = {int(project): int(n) for project, n in client().hgetall(batch_key).items()}
    batch_id = batch_key.rsplit(":", 1)[1]
    record_views({"batch_id": batch_id, "counts": counts})
    client().delete(batch_key)
    return sum(counts.values())
