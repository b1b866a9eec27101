"""Jobs the workers run: project events, relay the outbox, rebuild read models."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from redis.exceptions import LockError
from sqlalchemy import select, update

from app.events import (
    POLICY_JOB,
    PROJECT_JOB,
    clear_policing_request,
    clear_projection_request,
    request_policing,
    request_projection,
)
from app.extensions import db, store
from app.models import Event
from app.models.types import utcnow
from app.read import keys
from app.read.redis import client, publish_all
from workers.policies import POLICIES
from workers.projectors import PROJECTORS, stage

log = logging.getLogger(__name__)
RELAY_CHUNK = 200
# The most events one projection batch takes on (a burst's backlog is split into such batches).
PROJECT_CHUNK = 500
# A projection job goes on with the next batch while events are waiting, for this long at most.
PROJECT_JOB_SECONDS = 2.0
# The most events one policing batch takes on, and how long a policing job goes on with the
# next batch; the lock that keeps policing to one job at a time outlives a stuck job this long.
POLICE_CHUNK = 500
POLICE_JOB_SECONDS = 5.0
POLICE_LOCK_SECONDS = 120
# Don't pile the queue up while workers are away: the relay tops it up to this many jobs.
RELAY_MAX_QUEUED = 50


def project_events(event_ids: list[int]) -> int:
    """Project these committed events through every projector, then mark them projected (the
    relay's jobs and a rebuild's replay).

    Projectors are idempotent, so an event projected twice (relay + original job) is harmless.
    """
    return _project(select(Event).where(Event.id.in_(event_ids)))


def project_pending() -> int:
    """Project the events not projected yet, oldest first, in batches of up to a chunk, until
    none is left: the job a commit asks for (app.events.request_projection).

    Under load, likes commit while a batch is projected; going on with them in the same job
    saves an RQ job's bookkeeping per batch (a dozen Redis round trips, a fifth of a busy
    projection worker's time). Commits during the job ask for one more job (the flag is
    cleared first), which finds what this one left, if anything. After PROJECT_JOB_SECONDS the
    job ends and asks for another, so a worker's other queues and the relay get their turn.
    """
    clear_projection_request()
    deadline, total = time.monotonic() + PROJECT_JOB_SECONDS, 0
    while projected := _project(pending=True):
        total += projected
        if time.monotonic() > deadline:
            request_projection()  # more may be waiting
            break
    return total


def _project(query=None, pending: bool = False) -> int:
    """Project the events a query selects (or, pending, the oldest unprojected ones, up to a
    chunk), skipping those another worker is projecting (locked until it commits), so concurrent
    jobs share the work; then hand them to the policies."""
    try:
        if pending:
            events = _claim_pending()
        else:
            events = list(db.session.scalars(query.order_by(Event.id).with_for_update(skip_locked=True)))
        if not events:
            _end_read()
            return 0
        topics: set[str] = set()
        for projector in stage("live"):
            topics |= projector.project(events)
        ids = [e.id for e in events]
        if not pending:
            # synchronize_session=False: the ORM would otherwise match the criteria against every
            # event loaded (a tenth of a busy projection worker's time); they are not read again.
            db.session.execute(
                update(Event).where(Event.id.in_(ids), Event.projected_at.is_(None)).values(projected_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    finally:
        db.session.remove()
    try:
        request_policing(publishing=topics)
    except Exception:
        log.warning("could not push %d topic(s) nor ask for policing of %d event(s); the relay will",
                    len(topics), len(ids))
    return len(ids)


def _claim_pending() -> list[Event]:
    """The oldest unprojected events not locked by another job, marked projected by the same
    statement (one round trip less a batch: under load the projection's latency is its round
    trips). The mark commits with the batch's projection or not at all: a failing projector
    rolls it back, and the events stay for the next job or the relay."""
    claimed = (select(Event.id).where(Event.projected_at.is_(None)).order_by(Event.id).limit(PROJECT_CHUNK)
               .with_for_update(skip_locked=True).scalar_subquery())
    statement = (update(Event).where(Event.id.in_(claimed)).values(projected_at=utcnow()).returning(Event)
                 .execution_options(synchronize_session=False))
    return sorted(db.session.scalars(statement), key=lambda e: e.id)


def police_pending() -> int:
    """Police the projected, unpoliced events, oldest first, in batches of up to POLICE_CHUNK,
    until none is left: the job a projection asks for (app.events.request_policing).

    One policing job runs at a time (a lock in Redis), so the events waiting while it works
    become its next batch, not jobs of their own: under load a batch holds hundreds of events,
    and the policies' fixed cost (each concerned member's standing, read once per batch) is
    spread over them. A job that finds the lock taken ends at once: the holder looks again for
    waiting events after it lets go, and asks for a job if it finds any.
    """
    clear_policing_request()
    lock = client().lock(keys.policing_lock(), timeout=POLICE_LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        return 0
    deadline, total = time.monotonic() + POLICE_JOB_SECONDS, 0
    try:
        while ids := _unpoliced(POLICE_CHUNK):
            total += apply_policies(ids)
            if time.monotonic() > deadline:
                break
    finally:
        try:
            lock.release()
        except LockError:  # held past POLICE_LOCK_SECONDS: another job may have policed meanwhile
            log.warning("the policing lock expired before the job let go of it")
    if _unpoliced(1):
        request_policing()
    return total


def _unpoliced(limit: int) -> list[int]:
    """Projected events not policed yet, oldest first (policies run after projection)."""
    try:
        ids = list(db.session.scalars(select(Event.id).where(
            Event.policed_at.is_(None), Event.projected_at.is_not(None)).order_by(Event.id).limit(limit)))
        _end_read()
        return ids
    finally:
        db.session.remove()


def _end_read() -> None:
    """End a transaction that only read with COMMIT: on ROLLBACK (what closing the session does
    with an open transaction) psycopg forgets every statement it prepared on the connection, and a
    worker's next job would parse and prepare its statements all over again."""
    db.session.commit()


def apply_policies(event_ids: list[int]) -> int:
    """Apply the rules that react to these events (streak days, achievements, ...); then mark them.

    Policies call command handlers, whose new events are enqueued like any others. They are
    idempotent, so an event policed twice (relay + original job) changes nothing more.
    """
    try:
        events = list(db.session.scalars(select(Event).where(Event.id.in_(event_ids)).order_by(Event.id)))
        # Detached, so the policies' commits don't expire them (and reload each one, one by one).
        db.session.expunge_all()
        for policy in POLICIES:
            policy(events)
        topics: set[str] = set()
        for projector in stage("after_policies"):
            topics |= projector.project(events)
        db.session.execute(
            update(Event).where(Event.id.in_([e.id for e in events]), Event.policed_at.is_(None))
            .values(policed_at=utcnow()).execution_options(synchronize_session=False)
        )
        db.session.commit()
    finally:
        db.session.remove()
    publish_all(topics)
    return len(events)


def read_models_built() -> bool:
    return bool(client().exists(keys.read_models_built()))


def rebuild(names: list[str] | None = None,
            progress_factory: Callable[[str, int], object] | None = None) -> dict[str, int]:
    """Clear and rebuild read models from Postgres; then re-project what committed meanwhile."""
    started = utcnow()
    counts = {}
    for name in names or list(PROJECTORS):
        projector = PROJECTORS[name]
        if progress_factory:
            with progress_factory(name, projector.count()) as bar:
                counts[name] = projector.rebuild(bar.update)
        else:
            counts[name] = projector.rebuild()
    # A live projection may have raced the rebuild: replay the recent events, idempotently.
    recent = list(db.session.scalars(
        select(Event.id).where(Event.created_at >= started - timedelta(seconds=5)).order_by(Event.id)
    ))
    for i in range(0, len(recent), RELAY_CHUNK):
        project_events(recent[i:i + RELAY_CHUNK])
    if names is None or set(names) == set(PROJECTORS):
        client().set(keys.read_models_built(), started.isoformat())
    publish_all(("leaderboard.global", "leaderboard.top10", "achievements"))
    return counts


def unprojected_ids(grace_seconds: float, limit: int = 10_000, column=None) -> list[int]:
    """Events older than the grace period still missing a checkpoint (projected_at by default)."""
    column = Event.projected_at if column is None else column
    cutoff = utcnow() - timedelta(seconds=grace_seconds)
    return list(db.session.scalars(
        select(Event.id).where(column.is_(None), Event.created_at <= cutoff).order_by(Event.id).limit(limit)
    ))


def _busy(queue) -> bool:
    """Whether jobs wait in the queue or are running (a lost job leaves it idle)."""
    return queue.count > 0 or queue.started_job_registry.count > 0


def relay(grace_seconds: float = 5.0, inline: bool = False) -> int:
    """Re-enqueue (or, inline, project here) committed events no projector has handled yet.

    Only to an idle queue: while jobs wait or run, the events may be theirs (under load the
    backlog is older than the grace period), and the relay is for lost jobs, not slow ones.
    If Redis lost its data (the built marker is gone), rebuild every read model first.
    Returns how many events were handed on.
    """
    if not read_models_built():
        log.warning("read models missing in Redis: rebuilding from Postgres")
        rebuild()
    handed = 0
    for column, queue, job, run in (
        (Event.projected_at, store().queue, PROJECT_JOB, project_events),
        # Events still waiting for projection get policed after it; only relay the others.
        (Event.policed_at, store().policy_queue, POLICY_JOB, apply_policies),
    ):
        if not inline and _busy(queue):
            continue  # its jobs may cover these events: re-enqueueing them would multiply the backlog
        ids = unprojected_ids(grace_seconds, column=column)
        if ids and column is Event.projected_at and not inline:
            clear_projection_request()
        if column is Event.policed_at:
            waiting = set(unprojected_ids(0, column=Event.projected_at))
            ids = [i for i in ids if i not in waiting]
        db.session.remove()
        for i in range(0, len(ids), RELAY_CHUNK):
            chunk = ids[i:i + RELAY_CHUNK]
            if inline:
                run(chunk)
            else:
                if queue.count >= RELAY_MAX_QUEUED:
                    break
                queue.enqueue(job, chunk, job_timeout=300, result_ttl=0, failure_ttl=24 * 3600)
            handed += len(chunk)
    return handed
