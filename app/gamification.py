"""Gamification's domain logic, shared by commands (write side) and projectors (read side):
local days and weeks, the streak replay, and the counters achievements and quests measure."""
from __future__ import annotations

from collections import defaultdict
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


def streaks_of(user_ids: list[int]) -> dict[int, Streak]:
    """Each member's streak, from one query for all their active days."""
    days: dict[int, list[date]] = defaultdict(list)
    for uid, day in db.session.execute(
            select(ActiveDay.user_id, ActiveDay.day).where(ActiveDay.user_id.in_(user_ids))):
        days[uid].append(day)
    return {uid: replay_streak(days[uid]) for uid in user_ids}


def streak_of(user_id: int) -> Streak:
    return streaks_of([user_id])[user_id]


def _counter_queries(user_id) -> dict:
    """The counts, for one member id or, given the `User.id` column, correlated to each row."""
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


def counters_of(user_ids: list[int], streaks: dict[int, Streak] | None = None) -> dict[int, dict[str, int]]:
    """Everything achievements, onboarding and quests measure, per member, from Postgres alone:
    one query for every member's counts, one for their streak days (unless given), so a batch of
    events costs the same few queries whatever the number of members it concerns."""
    queries = _counter_queries(User.id)
    # A fresh read, not the session's copies: points may have moved in this very transaction.
    rows = db.session.execute(
        select(User.id, User.points, User.display_name, User.bio,
               *(q.scalar_subquery().label(k) for k, q in queries.items())).where(User.id.in_(user_ids))).all()
    streaks = streaks if streaks is not None else streaks_of([row.id for row in rows])
    result = {}
    for row in rows:
        c = {key: int(row._mapping[key] or 0) for key in queries}
        c.update({
            "profile_complete": int(bool(row.display_name and row.bio)),
            "streak_longest": streaks[row.id].longest,
            "streak_freezes_used": streaks[row.id].freezes_used,
            "points": row.points,
            # Fed by later features (battles, Q&A); until then they stay at zero, never faked.
            "battles_won": 0,
            "answers_solved": 0,
        })
        result[row.id] = c
    return result


def counters(user_id: int) -> dict[str, int]:
    """One (existing) member's counters."""
    return counters_of([user_id])[user_id]


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


def _weekly_queries(user_ids: list[int], start: datetime) -> dict:
    return {
        "points": select(PointsEntry.user_id, func.sum(PointsEntry.amount)).where(
            PointsEntry.user_id.in_(user_ids), PointsEntry.created_at >= start, PointsEntry.rule != "weekly_goal")
        .group_by(PointsEntry.user_id),
        "projects": select(Project.author_id, func.count()).where(
            Project.author_id.in_(user_ids), Project.created_at >= start).group_by(Project.author_id),
        "likes_given": select(Like.user_id, func.count()).where(
            Like.user_id.in_(user_ids), Like.created_at >= start).group_by(Like.user_id),
    }


def weekly_stats_of(zones: dict[int, str], now: datetime) -> dict[int, dict[str, int]]:
    """What each member did this local week (Monday 00:00 in their zone until now); members
    whose week starts at the same instant share one query per measure."""
    by_start: dict[datetime, list[int]] = defaultdict(list)
    for uid, tz in zones.items():
        by_start[local_midnight_utc(week_start(now, tz), tz)].append(uid)
    stats = {uid: {"points": 0, "projects": 0, "likes_given": 0} for uid in zones}
    for start, user_ids in by_start.items():
        for measure, statement in _weekly_queries(user_ids, start).items():
            for uid, value in db.session.execute(statement):
                stats[uid][measure] = int(value or 0)
    return stats


def weekly_stats(user_id: int, tz: str, now: datetime) -> dict[str, int]:
    return weekly_stats_of({user_id: tz}, now)[user_id]


def _grouped(statement) -> dict[int, list]:
    """Rows whose first column is a member id, grouped by it (the rest of each row kept)."""
    groups: dict[int, list] = defaultdict(list)
    for uid, *rest in db.session.execute(statement):
        groups[uid].append(tuple(rest))
    return groups


def progress_snapshots(user_ids: list[int], now: datetime) -> dict[int, dict]:
    """Everything the dashboard shows about each member's progress, as plain JSON-able data;
    each part is read for all the members at once."""
    from app.models import Quest

    users = db.session.execute(
        select(User.id, User.time_zone, User.points).where(User.id.in_(user_ids))).all()
    ids = [u.id for u in users]
    streaks = streaks_of(ids)
    counts = counters_of(ids, streaks)
    milestones = _grouped(select(Milestone.user_id, Milestone.kind, Milestone.value).where(Milestone.user_id.in_(ids)))
    unlocked = _grouped(select(MemberAchievement.user_id, MemberAchievement.achievement_key,
                               MemberAchievement.unlocked_at).where(MemberAchievement.user_id.in_(ids)))
    quests = _grouped(select(MemberQuest.user_id, MemberQuest, Quest).join(Quest, Quest.key == MemberQuest.quest_key)
                      .where(MemberQuest.user_id.in_(ids)))
    stats = weekly_stats_of({u.id: u.time_zone for u in users}, now)
    latest_reward = select(func.max(PointsEntry.id)).where(
        PointsEntry.user_id.in_(ids), PointsEntry.rule == "daily_reward").group_by(PointsEntry.user_id)
    rewards = {uid: (key, amount) for uid, key, amount in db.session.execute(
        select(PointsEntry.user_id, PointsEntry.award_key, PointsEntry.amount).where(PointsEntry.id.in_(latest_reward)))}
    return {u.id: _snapshot(u, now, counts[u.id], streaks[u.id], set(milestones[u.id]), dict(unlocked[u.id]),
                            quests[u.id], stats[u.id], rewards.get(u.id)) for u in users}


def _snapshot(user, now: datetime, c: dict, streak: Streak, milestones: set, unlocked: dict, quests: list,
              stats: dict, reward: tuple | None) -> dict:
    from app.rules import WEEKLY_GOALS

    monday = week_start(now, user.time_zone)
    week = week_id(monday)
    return {
        "points": user.points,
        "time_zone": user.time_zone,
        "counters": c,
        "streak": {"current": streak.current, "longest": streak.longest, "freezes": streak.freezes,
                   "last_day": streak.last_day.isoformat() if streak.last_day else None},
        "onboarding": sorted(v for k, v in milestones if k == "onboarding"),
        "achievements": {k: v.isoformat() for k, v in sorted(unlocked.items())},
        "quests": {quest.key: {
            "started_at": member_quest.started_at.isoformat(),
            "completed_at": member_quest.completed_at.isoformat() if member_quest.completed_at else None,
            "steps": [list(p) for p in quest_progress(user.id, quest.steps, member_quest.started_at)],
        } for member_quest, quest in quests},
        "week": {"id": week, "monday": monday.isoformat(), "stats": stats,
                 "met": sorted(g["key"] for g in WEEKLY_GOALS if ("weekly_goal", f"{week}:{g['key']}") in milestones)},
        "daily_reward": {"day": reward[0].rsplit(":", 1)[1], "amount": reward[1]} if reward else None,
    }
