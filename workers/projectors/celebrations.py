"""Celebrations: push a moment (tier up, level up, achievement, streak milestone, quest done)
live to the member's open pages. A push, not a read model: replays of old events stay quiet."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from app.models import Event
from app.models.types import utcnow
from app.read.redis import publish_messages

NAME = "celebrations"
STAGE = "live"
CELEBRATED = frozenset({"TierReached", "LevelReached", "AchievementUnlocked", "StreakMilestoneReached",
                        "QuestCompleted", "OnboardingCompleted"})
FRESH_FOR = timedelta(minutes=2)


def project(events: list[Event]) -> set[str]:
    """Publish a batch's fresh moments in one round trip."""
    now = utcnow()
    publish_messages([
        (f"member.{event.actor_id}", json.dumps({"kind": "celebration", "type": event.type, "payload": event.payload,
                                                 "event_id": event.id}, sort_keys=True))
        for event in events
        if event.type in CELEBRATED and event.actor_id and now - event.created_at < FRESH_FOR])
    return set()


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    return 0


def count() -> int:
    return 0
