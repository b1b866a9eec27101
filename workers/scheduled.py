"""Periodic jobs: what changes with the clock rather than with one event.

    run_due(now)   run every job whose time has come. Safe to call often and from every worker:
                   each job is idempotent, its last run is kept in Postgres, and a Redis lock
                   (with a TTL) keeps two workers from running the same job at once.

    standings  every 10 s   top-100 stints (DroppedOutOfTop100), "Reached Top 100" and "Top 10 this
                            week" milestones, follow overtakes (OvertakenByFollowee) for the members
                            whose points moved since the last run
    periods    every min    archive the final standings of finished weeks and months, once each
    streaks    every 10 min drop streaks that broke at a local midnight (no event says so)
    snapshot   daily (UTC)  every ranked member's global and tier rank, for the rank-history chart

`flask leaderboards tick` runs what is due once (cron-friendly); `flask leaderboards scheduler`
loops. `standings_policy(events)` is the same standings check for the members a batch of events
moved, for registering in workers/policies so that it reacts within seconds.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import ClosedPeriod, Event, PointsEntry, StandingsCheck
from app.models.leaderboards import FLAIR_TOP, Period
from app.models.types import utcnow
from app.read import keys
from app.read.leaderboards import board_spec, ranked_ids, tier_floors, walk
from app.read.redis import RedisUnavailable, client, publish_all
from app.rules import TIERS, tier_for
from commands.leaderboards import (
    advance_check, check_overtakes, check_top100, close_period, note_weekly_top10, prune_rank_snapshots,
    record_rank_snapshot,
)
from workers.projectors.leaderboards import expire_streaks
from workers.views import flush_views

log = logging.getLogger(__name__)
CHUNK = 5_000
# Ledger rows can commit a little after their event's timestamp: look back this much further.
OVERLAP = timedelta(seconds=60)
CATCH_UP = 12  # at most this many missed weeks or months are archived in one run


def _moved_since(since: datetime) -> list[int]:
    return list(db.session.scalars(
        select(PointsEntry.user_id).join(Event, Event.id == PointsEntry.event_id)
        .where(Event.created_at >= since).distinct()))


def check_standings(now: datetime | None = None, user_ids: list[int] | None = None) -> dict[str, list]:
    """Top-100 stints and milestones, this week's top-10 milestones, overtakes among follows.

    Without `user_ids`, the members checked for overtakes are those whose points moved since the
    last run (and the run is remembered); with them, only those (a policy's batch).
    """
    now = now or utcnow()
    scheduled = user_ids is None
    if scheduled:
        last = db.session.scalar(select(StandingsCheck.checked_until).where(StandingsCheck.name == "standings"))
        user_ids = _moved_since((last or now - timedelta(minutes=10)) - OVERLAP)
    result = {"dropped": check_top100(), "weekly_top10": [], "overtaken": []}
    weekly = board_spec("weekly", now=now)
    try:
        ranked, population = ranked_ids(weekly, FLAIR_TOP)
    except RedisUnavailable:
        ranked, population = [], 0
    result["weekly_top10"] = note_weekly_top10(weekly.period.id, ranked, population)
    for i in range(0, len(user_ids), CHUNK):
        result["overtaken"] += check_overtakes(user_ids[i:i + CHUNK])
    if scheduled:
        advance_check("standings", now)
    return result


def standings_policy(events: list[Event]) -> None:
    """The standings check as a policy: for the members whose points these events moved."""
    moved = sorted(set(db.session.scalars(
        select(PointsEntry.user_id).where(PointsEntry.event_id.in_([e.id for e in events])))))
    if moved:
        check_standings(user_ids=moved)


def close_periods(now: datetime | None = None) -> list[str]:
    """Archive every finished week and month not archived yet (the latest few, if far behind)."""
    now = now or utcnow()
    closed = []
    for board in ("weekly", "monthly"):
        last = Period.containing(board, now).previous
        latest = db.session.scalar(select(ClosedPeriod.period).where(ClosedPeriod.board == board)
                                   .order_by(ClosedPeriod.starts_at.desc()).limit(1))
        period = Period.parse(board, latest).next if latest else last
        todo = []
        while period.starts_at <= last.starts_at:
            todo.append(period)
            period = period.next
        for period in todo[-CATCH_UP:]:
            if close_period(board, period.id):
                closed.append(f"{board}:{period.id}")
    return closed


def snapshot_ranks(now: datetime | None = None, day: date | None = None) -> int:
    """Record today's (UTC) global and tier rank of every member on the global board."""
    now = now or utcnow()
    day = day or now.date()
    floors = tier_floors()
    above_tier = {t.key: floors[TIERS[i + 1].key] if i + 1 < len(TIERS) else 0 for i, t in enumerate(TIERS)}
    written = 0
    for chunk in walk(keys.leaderboard_global(), CHUNK):
        rows = [(uid, rank, rank - above_tier[tier_for(points).key], points) for rank, uid, points in chunk]
        written += record_rank_snapshot(day, rows)
    prune_rank_snapshots(day)
    return written


def _expire_streaks(now: datetime) -> set[str]:
    topics = expire_streaks(now)
    publish_all(topics)
    return topics


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta | None  # None: once per UTC day
    run: Callable[[datetime], object]

    def due(self, last: datetime | None, now: datetime) -> bool:
        if last is None:
            return True
        return last.date() < now.date() if self.every is None else now - last >= self.every


JOBS = (
    Job("standings", timedelta(seconds=10), check_standings),
    Job("periods", timedelta(minutes=1), close_periods),
    Job("streaks", timedelta(minutes=10), _expire_streaks),
    Job("snapshot", None, snapshot_ranks),
    Job("views", timedelta(minutes=1), flush_views),
)
LOCK_SECONDS = 15 * 60


def run_due(now: datetime | None = None, force: tuple[str, ...] = ()) -> dict[str, object]:
    """Run every job that is due (and those named in `force`); return what each returned."""
    now = now or utcnow()
    last = dict(db.session.execute(select(StandingsCheck.name, StandingsCheck.checked_until)
                                   .where(StandingsCheck.name.in_([f"job:{j.name}" for j in JOBS]))).all())
    results = {}
    for job in JOBS:
        if job.name not in force and not job.due(last.get(f"job:{job.name}"), now):
            continue
        lock = keys.scheduled_lock(job.name)
        try:
            if not client().set(lock, now.isoformat(), nx=True, ex=LOCK_SECONDS):
                continue  # another worker is running it
        except RedisUnavailable:
            log.warning("Redis is away: scheduled job %s waits for it", job.name)
            continue
        try:
            results[job.name] = job.run(now)
            advance_check(f"job:{job.name}", now)
        except Exception:
            db.session.rollback()
            log.exception("scheduled job %s failed; it runs again when next due", job.name)
        finally:
            try:
                client().delete(lock)
            except RedisUnavailable:
                pass
    return results
