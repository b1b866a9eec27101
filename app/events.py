"""The event log: record events inside a command's transaction, enqueue them after commit."""
from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import insert

from app.extensions import db, store
from app.models.events import Event
from app.models.types import utcnow
from app.read import keys
from app.read.redis import queue_publish

log = logging.getLogger(__name__)

PROJECT_JOB = "workers.jobs.project_events"
PENDING_JOB = "workers.jobs.project_pending"
POLICY_JOB = "workers.jobs.apply_policies"
POLICING_JOB = "workers.jobs.police_pending"
# A lost projection job only delays the next one this long (and the relay covers its events).
REQUEST_TTL_SECONDS = 30


def flush_pending() -> None:
    """Flush what the session holds unwritten, before a statement that skips the ORM's autoflush."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        session.flush()


_INSERT_EVENT = insert(Event.__table__).returning(Event.__table__.c.id)


def record(type_: str, actor_id: int | None = None, **payload) -> Event:
    """Append an event to the log in the current transaction; return it with its id.

    One INSERT ... RETURNING, not a unit-of-work flush of a new object (a like's hottest cost).
    What the command added to the session before is flushed first, so the log's order and the
    rows an event names stay as they were. The Event returned is not in the session."""
    flush_pending()
    created_at = utcnow()
    event_id = db.session.connection().execute(_INSERT_EVENT, {
        "type": type_, "actor_id": actor_id, "payload": payload, "created_at": created_at}).scalar_one()
    return recorded(event_id, type_, actor_id, payload, created_at)


def recorded(event_id: int, type_: str, actor_id: int | None, payload: dict, created_at) -> Event:
    """An event a command's own statement inserted (in this transaction): projected after commit,
    as record()'s are."""
    db.session.info.setdefault("pending_event_ids", []).append(event_id)
    return Event(id=event_id, type=type_, actor_id=actor_id, payload=payload, created_at=created_at)


def take_pending() -> list[int]:
    """Forget and return the ids recorded in the current (now finished) transaction."""
    return db.session.info.pop("pending_event_ids", [])


def enqueue(event_ids: Iterable[int]) -> bool:
    """Ask for the projection of committed events; the relay covers any failure here."""
    ids = list(event_ids)
    if not ids or not current_app.config.get("EVENTS_ENQUEUE", True):
        return True
    try:
        request_projection()
        return True
    except Exception:  # Redis down or unreachable: the events are safe in Postgres.
        log.warning("could not enqueue events %s; the outbox relay will", ids[:10], exc_info=True)
        current_app.logger.warning("projection queue unavailable; %d event(s) left to the relay", len(ids))
        return False


def request_projection() -> None:
    """Queue one job projecting every unprojected event, unless one already waits: it will see
    these events too (it clears the flag before it reads), so a burst of commits costs one job."""
    _request(keys.projection_requested(), store().queue, PENDING_JOB)


def request_policing(publishing: Iterable[str] = ()) -> None:
    """Queue one job policing every projected, unpoliced event, unless one already waits (the
    same flag rule as request_projection); first publish these push topics, in the same round
    trip (a projection batch's last word: under load its latency is its round trips)."""
    _request(keys.policing_requested(), store().policy_queue, POLICING_JOB, publishing)


def _request(flag: str, queue, job: str, publishing: Iterable[str] = ()) -> None:
    r = store().client
    pipe = r.pipeline(transaction=False)
    queue_publish(pipe, publishing)
    pipe.set(flag, "1", nx=True, ex=REQUEST_TTL_SECONDS)
    if not pipe.execute()[-1]:
        return
    try:
        queue.enqueue(job, job_timeout=300, result_ttl=0, failure_ttl=24 * 3600)
    except Exception:
        r.delete(flag)
        raise


def clear_projection_request() -> None:
    """Commits from now on ask for a new projection job: one is about to read the outbox, or the
    relay found events overdue (the job that was asked for got lost)."""
    store().client.delete(keys.projection_requested())


def clear_policing_request() -> None:
    """Commits from now on ask for a new policing job: one is about to read what waits."""
    store().client.delete(keys.policing_requested())
