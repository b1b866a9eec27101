"""Policies' commands: count a streak day; evaluate onboarding, follow milestones, side quests,
weekly goals and achievements for a member. Each is idempotent: what was reached stays reached
once (milestone and unlock keys), so running them again for the same event changes nothing."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime

from marshmallow import fields, validate
from sqlalchemy import select

from app import events
from app.extensions import db
from app.gamification import (
    ONBOARDING_CHECKS,
    counters,
    counters_of,
    local_day,
    quest_progress,
    streak_of,
    week_id,
    week_start,
    weekly_stats_of,
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
    """The member, locked against other evaluations and awards (FOR NO KEY UPDATE, as award_points
    takes it): not against rows that merely point at them, so a like or an event of theirs inserted
    meanwhile (a foreign-key check, FOR KEY SHARE) does not wait for the evaluation."""
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update(key_share=True))


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


@dataclass(frozen=True)
class Standing:
    """What a member has and has done, as far as the progress rules are concerned."""

    counters: dict[str, int]
    have: set[tuple[str, str]]  # milestones reached (kind, value)
    unlocked: set[str]  # achievement keys
    week: str  # the member's local week
    stats: dict[str, int]  # what they did this week
    open_quests: bool


def standings(user_ids: list[int], now: datetime) -> dict[int, Standing]:
    """Each member's standing, every part read for all the members at once."""
    zones = dict(db.session.execute(select(User.id, User.time_zone).where(User.id.in_(user_ids))).all())
    ids = list(zones)
    counts = counters_of(ids)
    have: dict[int, set] = defaultdict(set)
    for uid, kind, value in db.session.execute(
            select(Milestone.user_id, Milestone.kind, Milestone.value).where(Milestone.user_id.in_(ids))):
        have[uid].add((kind, value))
    unlocked: dict[int, set] = defaultdict(set)
    for uid, key in db.session.execute(select(MemberAchievement.user_id, MemberAchievement.achievement_key)
                                       .where(MemberAchievement.user_id.in_(ids))):
        unlocked[uid].add(key)
    questing = set(db.session.scalars(select(MemberQuest.user_id).where(
        MemberQuest.user_id.in_(ids), MemberQuest.completed_at.is_(None))))
    stats = weekly_stats_of(zones, now)
    return {uid: Standing(counts[uid], have[uid], unlocked[uid], week_id(week_start(now, tz)), stats[uid],
                          uid in questing) for uid, tz in zones.items()}


def _onboarding_due(s: Standing) -> list[tuple[str, str]]:
    return [(step, title) for step, title in ONBOARDING_STEPS
            if ONBOARDING_CHECKS[step](s.counters) and ("onboarding", step) not in s.have]


def _onboarding_done_due(s: Standing) -> bool:
    return all(ONBOARDING_CHECKS[step](s.counters) for step, _ in ONBOARDING_STEPS) and (
        "onboarding_done", "all") not in s.have


def _follows_due(s: Standing) -> list[tuple[int, int]]:
    return [(count, points) for count, points in FOLLOW_MILESTONES.items()
            if s.counters["following"] >= count and ("follows", str(count)) not in s.have]


def _goals_due(s: Standing) -> list[dict]:
    return [goal for goal in WEEKLY_GOALS if ("weekly_goal", f"{s.week}:{goal['key']}") not in s.have
            and s.stats[goal["measure"]] >= goal["target"]]


def _achievements_due(c: dict[str, int], unlocked: set[str], achievements: list) -> list:
    return [a for a in achievements if a.key not in unlocked and c.get(a.counter, 0) >= a.threshold]


_ACHIEVEMENTS = select(Achievement.key, Achievement.name, Achievement.rarity, Achievement.points,
                       Achievement.counter, Achievement.threshold).order_by(Achievement.position)


def achievement_definitions() -> list:
    """The definitions, as plain rows (a commit does not expire them: a batch reads them once)."""
    return list(db.session.execute(_ACHIEVEMENTS))


def needing_evaluation(user_ids: list[int]) -> dict[int, Standing]:
    """The members evaluate_progress would record something for now, with their standing, read
    for all at once and without locks: a policy then locks and evaluates only those. A change
    committed after this read has its own event, which is evaluated in its turn."""
    achievements = achievement_definitions()
    return {uid: s for uid, s in sorted(standings(user_ids, utcnow()).items())
            if s.open_quests or _onboarding_due(s) or _onboarding_done_due(s) or _follows_due(s)
            or _goals_due(s) or _achievements_due(s.counters, s.unlocked, achievements)}


@handler
def evaluate_progress(user_id: int, cause_event_id: int, standing: Standing | None = None,
                      achievements: list | None = None) -> list[str]:
    """Check everything a member can reach; record and reward what is reached for the first time.

    A policy passes the standing needing_evaluation read for its batch (and the definitions),
    instead of reading them again under the lock: a standing read before the lock can only be
    older, so it may miss what a later commit made reachable (that commit's event is evaluated in
    its turn) or try again what was just reached (the unique keys refuse it)."""
    user = _lock_member(user_id)
    if user is None:
        return []
    reached: list[str] = []
    # What the member already has: only try to record what is new (the keys still guard races).
    s = standing or standings([user_id], utcnow())[user_id]

    for step, title in _onboarding_due(s):
        if reach_milestone(user_id, "onboarding", step, cause_event_id):
            event = events.record("OnboardingStepCompleted", user_id, user_id=user_id, step=step)
            award_points(user_id, "onboarding_step", event, title)
            reached.append(f"onboarding:{step}")
    if _onboarding_done_due(s) and reach_milestone(user_id, "onboarding_done", "all", cause_event_id):
        event = events.record("OnboardingCompleted", user_id, user_id=user_id)
        award_points(user_id, "onboarding_complete", event)
        reached.append("onboarding:done")

    for count, points in _follows_due(s):
        if reach_milestone(user_id, "follows", str(count), cause_event_id):
            event = events.record("FollowMilestoneReached", user_id, user_id=user_id, follows=count)
            award_points(user_id, "follow_milestone", event, f"Followed {count} members", amount=points)
            reached.append(f"follows:{count}")

    if s.open_quests:
        reached += _complete_quests(user_id)

    if reached:  # the points just awarded count towards this week's goals
        s = replace(s, stats=weekly_stats_of({user_id: user.time_zone}, utcnow())[user_id])
    for goal in _goals_due(s):
        if reach_milestone(user_id, "weekly_goal", f"{s.week}:{goal['key']}", cause_event_id):
            event = events.record("WeeklyGoalMet", user_id, user_id=user_id, goal=goal["key"],
                                  title=goal["title"], week=s.week)
            award_points(user_id, "weekly_goal", event, f"Weekly goal: {goal['title']}", amount=goal["reward"])
            reached.append(f"weekly:{goal['key']}")

    c = counters(user_id) if reached else s.counters
    achievements = achievement_definitions() if achievements is None else achievements
    for achievement in _achievements_due(c, s.unlocked, achievements):
        if insert_ignoring_duplicates(MemberAchievement, user_id=user_id, achievement_key=achievement.key,
                                      event_id=cause_event_id, unlocked_at=utcnow()):
            event = events.record("AchievementUnlocked", user_id, user_id=user_id, achievement=achievement.key,
                                  name=achievement.name, rarity=achievement.rarity)
            if achievement.points:
                award_points(user_id, "achievement", event, f"Achievement: {achievement.name}",
                             amount=achievement.points)
            reached.append(f"achievement:{achievement.key}")
    return reached


def _complete_quests(user_id: int) -> list[str]:
    """Complete the member's open side quests whose steps are all done."""
    reached = []
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
