"""Gamification policy: count streak days, then evaluate what each concerned member reached.

It runs once per batch of events: each member's new local day is counted once, and only the
members who can reach something now are locked and evaluated (found for all of them at once).
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.gamification import ACTIVITY_EVENTS, local_day
from app.models import ActiveDay, Event, User
from commands.gamification import count_activity_day, evaluate_progress
from commands.gamification.progress import achievement_definitions, needing_evaluation

# Events that change nothing a member can reach.
IGNORED = frozenset({"MemberLoggedIn", "MemberUnfollowed", "NotificationSent", "NotificationsChanged",
                     "NudgeDue", "NotificationSettingsChanged", "EmailUnsubscribed", "MemberMuted",
                     "MemberUnmuted", "MemberBlocked", "MemberUnblocked"})


def apply_gamification(events: list[Event]) -> None:
    _count_activity_days(events)
    latest: dict[int, int] = {}
    for event in events:
        if event.type not in IGNORED:
            for member in event.members():
                latest[member] = event.id
    # One evaluation per member per batch, attributed to the latest event that concerned them,
    # from the standing read for the whole batch.
    due = needing_evaluation(sorted(latest))
    achievements = achievement_definitions() if due else []
    for member, standing in due.items():
        evaluate_progress(member, latest[member], standing, achievements)


def _count_activity_days(events: list[Event]) -> None:
    """Count each member's local day once, with its first event, unless it is counted already
    (count_activity_day would then change nothing: skip its lock and transaction)."""
    active = [e for e in events if e.type in ACTIVITY_EVENTS and e.actor_id]
    if not active:
        return
    actors = sorted({e.actor_id for e in active})
    zones = dict(db.session.execute(select(User.id, User.time_zone).where(User.id.in_(actors))).all())
    first: dict[tuple[int, object], int] = {}
    for event in active:
        if event.actor_id in zones:
            first.setdefault((event.actor_id, local_day(event.created_at, zones[event.actor_id])), event.id)
    counted = set(db.session.execute(select(ActiveDay.user_id, ActiveDay.day).where(
        ActiveDay.user_id.in_(actors), ActiveDay.day.in_({day for _, day in first}))).all())
    for (user_id, day), event_id in sorted(first.items()):
        if (user_id, day) not in counted:
            count_activity_day(user_id, event_id)
