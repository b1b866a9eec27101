"""Scheduled re-engagement, run every minute by the worker: nudges at the right local hour,
the daily digest and the weekly recap. Each is sent at most once per member per period (a
milestone row guards it), respects quiet hours, the per-type settings and the daily nudge cap."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.gamification import streak_of, week_id, week_start, zone
from app.models import MemberQuest, MemberTopic, Milestone, Quest, User
from app.read import leaderboards
from app.rules import NOTIFICATIONS, tier_progress
from commands.base import handler, insert_ignoring_duplicates
from commands.notifications import send_nudge
from workers.mailer import send_digest, send_weekly_recap

log = logging.getLogger(__name__)


@handler
def _once(user_id: int, kind: str, value: str, now: datetime) -> bool:
    return insert_ignoring_duplicates(Milestone, user_id=user_id, kind=kind, value=value, reached_at=now)


def _members_by_zone():
    zones = db.session.scalars(select(User.time_zone).distinct()).all()
    for tz in zones:
        yield tz, list(db.session.scalars(select(User.id).where(User.time_zone == tz).order_by(User.id)))


def streak_nudge(user_id: int, now: datetime, today) -> bool:
    streak = streak_of(user_id)
    alive = streak.alive_on(today)
    if alive < NOTIFICATIONS["streak_nudge_min_days"] or streak.last_day == today:
        return False
    return send_nudge(user_id, "streak_at_risk", f"streak:{today.isoformat()}", now,
                      data={"days": alive}, link="/dashboard") is not None


def tier_nudge(user_id: int, now: datetime) -> bool:
    points = db.session.scalar(select(User.points).where(User.id == user_id)) or 0
    progress = tier_progress(points)
    low, high = NOTIFICATIONS["tier_almost_range"]
    if progress.next_tier is None or not low <= progress.percent <= high:
        return False
    missing = progress.next_tier.threshold - points
    return send_nudge(user_id, "tier_almost", f"tier_almost:{progress.next_tier.key}", now,
                      data={"missing": missing, "tier": progress.next_tier.name}, link="/dashboard") is not None


def quests_nudge(user_id: int, now: datetime, week: str) -> bool:
    interests = set(db.session.scalars(select(MemberTopic.topic).where(MemberTopic.user_id == user_id)))
    started = set(db.session.scalars(select(MemberQuest.quest_key).where(MemberQuest.user_id == user_id)))
    matching = [q for q in db.session.scalars(select(Quest)) if q.key not in started and interests & set(q.topics or [])]
    if not matching:
        return False
    return send_nudge(user_id, "new_quests", f"quests:{week}", now, data={"count": len(matching)},
                      link="/dashboard") is not None


def run(now: datetime) -> dict[str, int]:
    """Do whatever is due now, for every member whose local clock says so."""
    sent = {"streak_at_risk": 0, "tier_almost": 0, "new_quests": 0, "digest": 0, "recap": 0}
    for tz, ids in _members_by_zone():
        local = now.astimezone(zone(tz))
        today = local.date()
        week = week_id(week_start(now, tz))
        for uid in ids:
            try:
                if local.hour == NOTIFICATIONS["streak_nudge_hour"]:
                    sent["streak_at_risk"] += streak_nudge(uid, now, today)
                sent["tier_almost"] += tier_nudge(uid, now)
                if local.weekday() == 0 and 9 <= local.hour < 12:
                    sent["new_quests"] += quests_nudge(uid, now, week)
                    if _once(uid, "recap", week, now):
                        rank = leaderboards.standing_of([uid]).get(uid)
                        sent["recap"] += send_weekly_recap(db.session.get(User, uid), now, rank.rank if rank else None)
                if local.hour >= NOTIFICATIONS["digest_hour"] and _once(uid, "digest", today.isoformat(), now):
                    sent["digest"] += bool(send_digest(db.session.get(User, uid), now))
            except Exception:
                db.session.rollback()
                log.exception("scheduled notifications failed for member %s", uid)
    db.session.remove()
    return sent


