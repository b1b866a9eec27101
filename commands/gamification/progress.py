"""Policies' commands: count a streak day; evaluate onboarding, follow milestones, side quests,
weekly goals and achievements for a member. Each is idempotent: what was reached stays reached
once (milestone and unlock keys), so running them again for the same event changes nothing."""
from __future__ import annotations

from marshmallow import fields, validate
from sqlalchemy import select

from app import events
from app.extensions import db
from app.gamification import (
    ONBOARDING_CHECKS,
    counters,
    local_day,
    quest_progress,
    streak_of,
    week_id,
    week_start,
    weekly_stats,
)
from app.models import (
    Achievement,
    ActiveDay,
    Event,
    MemberAchievement,
    MemberQuest,
    MemberStreak,
    Milestone,
    Quest,
    User,
)
from app.models.types import utcnow
from app.rules import FOLLOW_MILESTONES, ONBOARDING_STEPS, QUEST_REWARDS, STREAK, WEEKLY_GOALS
from commands.base import CommandRejected, CommandSchema, handler, insert_ignoring_duplicates, parse
from commands.gamification.points import award_points, reach_milestone


def _lock_member(user_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update())


@handler
def count_activity_day(user_id: int, event_id: int) -> bool:
    """Count the event's local day as active for the streak. Return whether the day was new."""
    event = db.session.get(Event, event_id)
    user = _lock_member(user_id)
    if event is None or user is None:
        return False
    day = local_day(event.created_at, user.time_zone)
    if not insert_ignoring_duplicates(ActiveDay, user_id=user_id, day=day):
        return False
    streak = streak_of(user_id)
    cached = db.session.get(MemberStreak, user_id) or MemberStreak(user_id=user_id)
    cached.current, cached.longest, cached.last_day = streak.current, streak.longest, streak.last_day
    cached.freezes, cached.freezes_used = streak.freezes, streak.freezes_used
    db.session.add(cached)
    for days, points in STREAK["milestones"].items():
        if days in streak.reached and reach_milestone(user_id, "streak", str(days), event_id):
            milestone = events.record("StreakMilestoneReached", user_id, user_id=user_id, days=days)
            award_points(user_id, "streak_milestone", milestone, f"{days}-day streak", amount=points)
    return True


@handler
def evaluate_progress(user_id: int, cause_event_id: int) -> list[str]:
    """Check everything a member can reach; record and reward what is reached for the first time."""
    user = _lock_member(user_id)
    if user is None:
        return []
    reached: list[str] = []
    c = counters(user_id)
    # What the member already has: only try to record what is new (the keys still guard races).
    have = set(db.session.execute(
        select(Milestone.kind, Milestone.value).where(Milestone.user_id == user_id)).all())
    unlocked = set(db.session.scalars(
        select(MemberAchievement.achievement_key).where(MemberAchievement.user_id == user_id)))

    def new(kind: str, value: str) -> bool:
        return (kind, value) not in have and reach_milestone(user_id, kind, value, cause_event_id)

    for step, title in ONBOARDING_STEPS:
        if ONBOARDING_CHECKS[step](c) and new("onboarding", step):
            event = events.record("OnboardingStepCompleted", user_id, user_id=user_id, step=step)
            award_points(user_id, "onboarding_step", event, title)
            reached.append(f"onboarding:{step}")
    if all(ONBOARDING_CHECKS[s](c) for s, _ in ONBOARDING_STEPS) and new("onboarding_done", "all"):
        event = events.record("OnboardingCompleted", user_id, user_id=user_id)
        award_points(user_id, "onboarding_complete", event)
        reached.append("onboarding:done")

    for count, points in FOLLOW_MILESTONES.items():
        if c["following"] >= count and new("follows", str(count)):
            event = events.record("FollowMilestoneReached", user_id, user_id=user_id, follows=count)
            award_points(user_id, "follow_milestone", event, f"Followed {count} members", amount=points)
            reached.append(f"follows:{count}")

    for member_quest, quest in db.session.execute(
        select(MemberQuest, Quest).join(Quest, Quest.key == MemberQuest.quest_key)
        .where(MemberQuest.user_id == user_id, MemberQuest.completed_at.is_(None))
    ):
        steps = quest_progress(user_id, quest.steps, member_quest.started_at)
        if all(done >= target for done, target in steps):
            member_quest.completed_at = utcnow()
            event = events.record("QuestCompleted", user_id, user_id=user_id, quest=quest.key,
                                  title=quest.title, difficulty=quest.difficulty)
            award_points(user_id, "quest_completed", event, f"Side quest: {quest.title}",
                         amount=QUEST_REWARDS[quest.difficulty])
            reached.append(f"quest:{quest.key}")

    now = utcnow()
    week = week_id(week_start(now, user.time_zone))
    open_goals = [g for g in WEEKLY_GOALS if ("weekly_goal", f"{week}:{g['key']}") not in have]
    stats = weekly_stats(user_id, user.time_zone, now) if open_goals else {}
    for goal in open_goals:
        if stats[goal["measure"]] >= goal["target"] and new("weekly_goal", f"{week}:{goal['key']}"):
            event = events.record("WeeklyGoalMet", user_id, user_id=user_id, goal=goal["key"],
                                  title=goal["title"], week=week)
            award_points(user_id, "weekly_goal", event, f"Weekly goal: {goal['title']}", amount=goal["reward"])
            reached.append(f"weekly:{goal['key']}")

    c = counters(user_id) if reached else c
    for achievement in db.session.scalars(select(Achievement).order_by(Achievement.position)):
        if achievement.key in unlocked:
            continue
        if c.get(achievement.counter, 0) >= achievement.threshold and insert_ignoring_duplicates(
                MemberAchievement, user_id=user_id, achievement_key=achievement.key,
                event_id=cause_event_id, unlocked_at=utcnow()):
            event = events.record("AchievementUnlocked", user_id, user_id=user_id, achievement=achievement.key,
                                  name=achievement.name, rarity=achievement.rarity)
            if achievement.points:
                award_points(user_id, "achievement", event, f"Achievement: {achievement.name}",
                             amount=achievement.points)
            reached.append(f"achievement:{achievement.key}")
    return reached


class StartQuestSchema(CommandSchema):
    quest = fields.String(required=True, validate=validate.Length(1, 64))


@handler
def start_quest(actor: User, data: dict) -> MemberQuest:
    """Take on a side quest; its steps then complete from what the member really does."""
    key = parse(StartQuestSchema, data)["quest"]
    quest = db.session.get(Quest, key)
    if quest is None:
        raise CommandRejected("quest", "That side quest does not exist.", status=404)
    if not insert_ignoring_duplicates(MemberQuest, user_id=actor.id, quest_key=key, started_at=utcnow()):
        raise CommandRejected("quest", "You have already taken on this side quest.", status=409)
    events.record("QuestStarted", actor.id, user_id=actor.id, quest=key)
    return db.session.get(MemberQuest, (actor.id, key))
