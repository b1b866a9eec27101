"""Gamification's domain logic, shared by commands (write side) and projectors (read side):
local days and weeks, the streak replay, and the counters achievements and quests measure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    ActiveDay, Follow, Like, MemberAchievement, MemberQuest, MemberTopic, Milestone, PointsEntry,
    Project, User,
)
from app.rules import STREAK

# Events whose actor has been active that day (counts for the streak).
ACTIVITY_EVENTS = frozenset({
    "ProjectPublished", "ProjectLiked", "MemberFollowed", "DailyRewardClaimed", "ProfileUpdated",
    "InterestsChosen", "QuestStarted",
})


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:
        return ZoneInfo("UTC")


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


def local_midnight_utc(day: date, tz: str) -> datetime:
    """The UTC instant at which `day` starts in the zone."""
    return datetime.combine(day, time(0), tzinfo=zone(tz)).astimezone(ZoneInfo("UTC"))


def week_start(moment: datetime, tz: str) -> date:
    """The Monday starting the member's local week that contains `moment`."""
    day = local_day(moment, tz)
    return day - timedelta(days=day.weekday())


def week_id(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Streak:
    current: int = 0
    longest: int = 0
    last_day: date | None = None
    freezes: int = 0
    freezes_used: int = 0
    reached: tuple[int, ...] = ()  # every streak length passed on the way (for milestones)

    def alive_on(self, today: date) -> int:
        """The streak as the member sees it today: broken if missed days exceed the freezes."""
        if self.last_day is None:
            return 0
        missed = (today - self.last_day).days - 1
        return self.current if missed <= self.freezes else 0


def replay_streak(days: list[date]) -> Streak:
    """Derive the streak from the member's active local days (order and repeats don't matter).

    A missed day is covered by a held freeze if there is one; a freeze is earned at every
    `freeze_every` consecutive days, up to `freezes_max` held.
    """
    current = longest = freezes = used = 0
    last: date | None = None
    reached: set[int] = set()
    for day in sorted(set(days)):
        if last is None:
            current = 1
        else:
            missed = (day - last).days - 1
            if missed <= freezes:
                freezes -= missed
                used += missed
                current += 1
            else:
                current = 1
        last = day
        longest = max(longest, current)
        reached.add(current)
        if current % STREAK["freeze_every"] == 0:
            freezes = min(STREAK["freezes_max"], freezes + 1)
    return Streak(current, longest, last, freezes, used, tuple(sorted(reached)))


def streak_of(user_id: int) -> Streak:
    return replay_streak(list(db.session.scalars(select(ActiveDay.day).where(ActiveDay.user_id == user_id))))


def _count(statement) -> int:
    return int(db.session.scalar(statement) or 0)


def _counter_queries(user_id: int) -> dict:
    count = func.count
    return {
        "projects_published": select(count()).select_from(Project).where(Project.author_id == user_id),
        "likes_given": select(count()).select_from(Like).where(Like.user_id == user_id),
        "likes_received": select(func.coalesce(func.sum(Project.likes_count), 0))
        .where(Project.author_id == user_id),
        "following": select(count()).select_from(Follow).where(Follow.follower_id == user_id),
        "followers": select(count()).select_from(Follow).where(Follow.followee_id == user_id),
        "topics_picked": select(count()).select_from(MemberTopic).where(MemberTopic.user_id == user_id),
        "achievements": select(count()).select_from(MemberAchievement).where(MemberAchievement.user_id == user_id),
        "daily_rewards": select(count()).select_from(PointsEntry)
        .where(PointsEntry.user_id == user_id, PointsEntry.rule == "daily_reward"),
        "onboarding_steps": select(count()).select_from(Milestone)
        .where(Milestone.user_id == user_id, Milestone.kind == "onboarding"),
        "quests_completed": select(count()).select_from(MemberQuest)
        .where(MemberQuest.user_id == user_id, MemberQuest.completed_at.is_not(None)),
        # Leaderboard milestones, recorded once by commands/leaderboards.py when the member is seen there.
        "best_global_rank_top100": select(count()).select_from(Milestone)
        .where(Milestone.user_id == user_id, Milestone.kind == "leaderboard", Milestone.value == "top100"),
        "weeks_in_top10": select(count()).select_from(Milestone)
        .where(Milestone.user_id == user_id, Milestone.kind == "weekly_top10"),
    }


def counters(user_id: int) -> dict[str, int]:
    """Everything achievements, onboarding and quests measure, from Postgres alone (one query
    for the counts, one for the member, one for the streak days)."""
    queries = _counter_queries(user_id)
    row = db.session.execute(select(*(q.scalar_subquery().label(k) for k, q in queries.items()))).one()
    c = {key: int(value or 0) for key, value in row._mapping.items()}
    # A fresh read, not the session's copy: points may have moved in this very transaction.
    user = db.session.execute(
        select(User.points, User.display_name, User.bio).where(User.id == user_id)).one_or_none()
    streak = streak_of(user_id)
    c.update({
        "profile_complete": int(bool(user and user.display_name and user.bio)),
        "streak_longest": streak.longest,
        "streak_freezes_used": streak.freezes_used,
        "points": user.points if user else 0,
        # Fed by later features (battles, Q&A); until then they stay at zero, never faked.
        "battles_won": 0,
        "answers_solved": 0,
    })
    return c


ONBOARDING_CHECKS = {
    "complete_profile": lambda c: c["profile_complete"] >= 1,
    "pick_topics": lambda c: c["topics_picked"] >= 3,
    "publish_project": lambda c: c["projects_published"] >= 1,
    "follow_members": lambda c: c["following"] >= 3,
    "like_projects": lambda c: c["likes_given"] >= 3,
}


def quest_progress(user_id: int, steps: list[dict], started_at: datetime) -> list[tuple[int, int]]:
    """(done, target) per quest step: the member's own events of the step's type since the start."""
    from app.models import Event

    result = []
    for step in steps:
        payloads = db.session.scalars(
            select(Event.payload).where(Event.actor_id == user_id, Event.type == step["event"],
                                        Event.created_at >= started_at)
        )
        topic = step.get("topic")
        done = sum(1 for p in payloads if not topic or topic in (p or {}).get("topics", []))
        result.append((min(done, step["count"]), step["count"]))
    return result


def weekly_stats(user_id: int, tz: str, now: datetime) -> dict[str, int]:
    """What the member did this local week (Monday 00:00 in their zone until now)."""
    start = local_midnight_utc(week_start(now, tz), tz)
    return {
        "points": _count(select(func.coalesce(func.sum(PointsEntry.amount), 0)).where(
            PointsEntry.user_id == user_id, PointsEntry.created_at >= start, PointsEntry.rule != "weekly_goal")),
        "projects": _count(select(func.count()).select_from(Project).where(
            Project.author_id == user_id, Project.created_at >= start)),
        "likes_given": _count(select(func.count()).select_from(Like).where(
            Like.user_id == user_id, Like.created_at >= start)),
    }


def progress_snapshot(user_id: int, now: datetime) -> dict | None:
    """Everything the dashboard shows about a member's progress, as plain JSON-able data."""
    from app.models import Achievement, Quest
    from app.rules import WEEKLY_GOALS

    user = db.session.execute(select(User.id, User.time_zone, User.points).where(User.id == user_id)).one_or_none()
    if user is None:
        return None
    c = counters(user_id)
    streak = streak_of(user_id)
    milestones = set(db.session.execute(
        select(Milestone.kind, Milestone.value).where(Milestone.user_id == user_id)).all())
    unlocked = dict(db.session.execute(
        select(MemberAchievement.achievement_key, MemberAchievement.unlocked_at)
        .where(MemberAchievement.user_id == user_id)).all())
    quests = {}
    for member_quest, quest in db.session.execute(
        select(MemberQuest, Quest).join(Quest, Quest.key == MemberQuest.quest_key)
        .where(MemberQuest.user_id == user_id)
    ):
        quests[quest.key] = {
            "started_at": member_quest.started_at.isoformat(),
            "completed_at": member_quest.completed_at.isoformat() if member_quest.completed_at else None,
            "steps": [list(p) for p in quest_progress(user_id, quest.steps, member_quest.started_at)],
        }
    monday = week_start(now, user.time_zone)
    week = week_id(monday)
    reward = db.session.execute(
        select(PointsEntry.award_key, PointsEntry.amount)
        .where(PointsEntry.user_id == user_id, PointsEntry.rule == "daily_reward")
        .order_by(PointsEntry.id.desc()).limit(1)).one_or_none()
    return {
        "points": user.points,
        "time_zone": user.time_zone,
        "counters": c,
        "streak": {"current": streak.current, "longest": streak.longest, "freezes": streak.freezes,
                   "last_day": streak.last_day.isoformat() if streak.last_day else None},
        "onboarding": sorted(v for k, v in milestones if k == "onboarding"),
        "achievements": {k: v.isoformat() for k, v in sorted(unlocked.items())},
        "quests": quests,
        "week": {"id": week, "monday": monday.isoformat(), "stats": weekly_stats(user_id, user.time_zone, now),
                 "met": sorted(g["key"] for g in WEEKLY_GOALS if ("weekly_goal", f"{week}:{g['key']}") in milestones)},
        "daily_reward": {"day": reward.award_key.rsplit(":", 1)[1], "amount": reward.amount} if reward else None,
    }
