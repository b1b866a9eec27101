"""Gamification policy: count streak days, then evaluate what each concerned member reached."""
from __future__ import annotations

from app.gamification import ACTIVITY_EVENTS
from app.models import Event
from commands.gamification import count_activity_day, evaluate_progress

# Events that change nothing a member can reach.
IGNORED = frozenset({"MemberLoggedIn", "MemberUnfollowed", "NotificationSent", "NotificationsChanged",
                     "NudgeDue", "NotificationSettingsChanged", "EmailUnsubscribed", "MemberMuted",
                     "MemberUnmuted", "MemberBlocked", "MemberUnblocked"})


def apply_gamification(events: list[Event]) -> None:
    latest: dict[int, int] = {}
    for event in events:
        if event.type in ACTIVITY_EVENTS and event.actor_id:
            count_activity_day(event.actor_id, event.id)
        if event.type not in IGNORED:
            for member in event.members():
                latest[member] = event.id
    # One evaluation per member per batch, attributed to the latest event that concerned them.
    for member, event_id in sorted(latest.items()):
        evaluate_progress(member, event_id)
