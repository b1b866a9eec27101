"""Achievement and side-quest definitions, loaded from data files into their tables."""
from __future__ import annotations

import tomllib
from pathlib import Path

from marshmallow import Schema, ValidationError, fields, validate

from app.config import ROOT
from app.extensions import db
from app.models import Achievement, Quest
from app.rules import QUEST_REWARDS

DATA = ROOT / "app" / "data"
RARITIES = ("Common", "Uncommon", "Rare", "Epic", "Legendary")
COUNTERS = (
    "projects_published", "likes_given", "likes_received", "following", "followers", "topics_picked",
    "profile_complete", "achievements", "daily_rewards", "onboarding_steps", "quests_completed",
    "streak_longest", "streak_freezes_used", "points", "battles_won", "answers_solved",
    "best_global_rank_top100", "weeks_in_top10",
)
QUEST_EVENTS = ("ProjectPublished", "ProjectLiked", "MemberFollowed", "DailyRewardClaimed", "ProfileUpdated",
                "InterestsChosen")


class AchievementSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{2,64}$"))
    name = fields.String(required=True, validate=validate.Length(1, 80))
    description = fields.String(required=True, validate=validate.Length(1, 300))
    rarity = fields.String(required=True, validate=validate.OneOf(RARITIES))
    counter = fields.String(required=True, validate=validate.OneOf(COUNTERS))
    threshold = fields.Integer(required=True, validate=validate.Range(min=1))
    points = fields.Integer(load_default=0, validate=validate.Range(min=0, max=5000))


class StepSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(1, 120))
    event = fields.String(required=True, validate=validate.OneOf(QUEST_EVENTS))
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    topic = fields.String(load_default=None)


class QuestSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{2,64}$"))
    title = fields.String(required=True, validate=validate.Length(1, 120))
    description = fields.String(required=True, validate=validate.Length(1, 1000))
    difficulty = fields.String(required=True, validate=validate.OneOf(tuple(QUEST_REWARDS)))
    topics = fields.List(fields.String(), load_default=list)
    steps = fields.List(fields.Nested(StepSchema), required=True, validate=validate.Length(min=1, max=10))


class DefinitionsInvalid(Exception):
    pass


def _load(path: Path, table: str, schema: Schema) -> list[dict]:
    with open(path, "rb") as handle:
        raw = tomllib.load(handle).get(table, [])
    try:
        items = schema.load(raw, many=True)
    except ValidationError as exc:
        raise DefinitionsInvalid(f"{path.name}: {exc.messages}") from None
    keys = [item["key"] for item in items]
    if len(keys) != len(set(keys)):
        raise DefinitionsInvalid(f"{path.name}: duplicate keys")
    return items


def load_definitions(achievements: Path | None = None, quests: Path | None = None) -> dict[str, int]:
    """Upsert every definition from the data files (in one transaction); return the counts."""
    achievement_items = _load(achievements or DATA / "achievements.toml", "achievement", AchievementSchema())
    quest_items = _load(quests or DATA / "quests.toml", "quest", QuestSchema())
    for position, item in enumerate(achievement_items):
        db.session.merge(Achievement(position=position, **item))
    for position, item in enumerate(quest_items):
        db.session.merge(Quest(position=position, **item))
    db.session.commit()
    return {"achievements": len(achievement_items), "quests": len(quest_items)}
