"""Achievement and quest definitions (static data in Postgres), cached per process briefly."""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Achievement, Quest

TTL = 60.0
_cache: dict[str, tuple[float, list]] = {}


@dataclass(frozen=True)
class AchievementDef:
    key: str
    name: str
    description: str
    rarity: str
    counter: str
    threshold: int
    points: int


@dataclass(frozen=True)
class QuestDef:
    key: str
    title: str
    description: str
    difficulty: str
    steps: list
    topics: list


def _cached(name: str, load):
    hit = _cache.get(name)
    if hit and time.monotonic() - hit[0] < TTL:
        return hit[1]
    value = load()
    _cache[name] = (time.monotonic(), value)
    return value


def achievements() -> list[AchievementDef]:
    return _cached("achievements", lambda: [
        AchievementDef(a.key, a.name, a.description, a.rarity, a.counter, a.threshold, a.points)
        for a in db.session.scalars(select(Achievement).order_by(Achievement.position))
    ])


def quests() -> list[QuestDef]:
    return _cached("quests", lambda: [
        QuestDef(q.key, q.title, q.description, q.difficulty, q.steps, q.topics or [])
        for q in db.session.scalars(select(Quest).order_by(Quest.position))
    ])


def forget() -> None:
    """Drop the cache (after `flask gamification load`)."""
    _cache.clear()
