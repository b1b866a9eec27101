"""Gamification pages: the dashboard (progress, streak, goals, quests), achievements, rewards."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from app.gamification import local_midnight_utc, zone
from app.models.types import utcnow
from app.read import definitions
from app.read.members import cards_by_id
from app.read.progress import achievement_shares, member_progress
from app.realtime import hub
from app.rules import ONBOARDING_STEPS, QUEST_REWARDS, WEEKLY_GOALS, level_for, tier_progress
from app.web.htmx import toast
from commands.gamification import claim_daily_reward, start_quest

bp = Blueprint("gamification", __name__)

RARITY_ORDER = ("Common", "Uncommon", "Rare", "Epic", "Legendary")


def panel_context(user_id: int, time_zone: str) -> dict:
    """What the progress panel shows, from the member's Redis snapshot (None while building)."""
    snapshot = member_progress(user_id)
    now = utcnow()
    today = now.astimezone(zone(time_zone)).date()
    monday = today - timedelta(days=today.weekday())
    reset_at = local_midnight_utc(monday + timedelta(days=7), time_zone)
    context = {
        "snapshot": snapshot, "steps": ONBOARDING_STEPS, "goals": WEEKLY_GOALS, "today": today.isoformat(),
        "quests": definitions.quests(), "quest_rewards": QUEST_REWARDS,
        "reset_in": _countdown(reset_at - now), "time_zone": time_zone,
    }
    if snapshot:
        streak = snapshot["streak"]
        last = date.fromisoformat(streak["last_day"]) if streak["last_day"] else None
        missed = (today - last).days - 1 if last else None
        context["streak_alive"] = streak["current"] if last and missed <= streak["freezes"] else 0
        context["active_today"] = last == today
        context["progress"] = tier_progress(snapshot["points"])
        context["level"] = level_for(snapshot["points"])
        week_is_current = snapshot["week"]["monday"] == monday.isoformat()
        context["week_stats"] = snapshot["week"]["stats"] if week_is_current else {}
        context["week_met"] = snapshot["week"]["met"] if week_is_current else []
        reward = snapshot.get("daily_reward")
        context["reward_today"] = reward if reward and reward["day"] == today.isoformat() else None
    return context


def _countdown(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h {int(delta.total_seconds() % 3600 // 60)}m"


@bp.route("/dashboard")
@login_required
def dashboard():
    """Show the member's progress: onboarding, streak, weekly goals, quests, achievements."""
    return render_template("pages/gamification/dashboard.html", topics=["panel.progress"],
                           **panel_context(current_user.id, current_user.time_zone))


@bp.route("/achievements")
def achievements():
    """Every achievement, how rare it is, and the viewer's progress towards each."""
    snapshot = member_progress(current_user.id) if current_user.is_authenticated else None
    ordered = sorted(definitions.achievements(), key=lambda a: (RARITY_ORDER.index(a.rarity), a.threshold))
    return render_template("pages/gamification/achievements.html", achievements=ordered,
                           shares=achievement_shares(), snapshot=snapshot)


@bp.route("/rewards/daily", methods=["POST"])
@login_required
def daily_reward():
    """Open today's surprise reward."""
    reward = claim_daily_reward(current_user)
    html = render_template("fragments/gamification/daily_reward.html", reward_today={
        "day": reward.day.isoformat(), "amount": reward.amount}, just_opened=reward.new)
    message = f"+{reward.amount} points! See you tomorrow." if reward.new else "Already opened today."
    return html + toast(message)


@bp.route("/quests/<key>/start", methods=["POST"])
@login_required
def begin_quest(key: str):
    """Take on a side quest; answer with its card, now in progress."""
    start_quest(current_user, {"quest": key})
    quest = next((q for q in definitions.quests() if q.key == key), None) or abort(404)
    state = {"started_at": utcnow().isoformat(), "completed_at": None,
             "steps": [[0, step["count"]] for step in quest.steps]}
    return render_template("fragments/gamification/quest.html", quest=quest, state=state,
                           quest_rewards=QUEST_REWARDS) + toast(f"Side quest started: {quest.title}")


@hub.topic("panel.progress", personal=True)
def push_progress_panel(user_ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User

    zones = dict(db.session.execute(select(User.id, User.time_zone).where(User.id.in_(user_ids))).all())
    return {uid: render_template("fragments/gamification/panel.html", oob=True, **panel_context(uid, tz))
            for uid, tz in zones.items()}


CELEBRATION_TEXT = {
    "TierReached": lambda p: (f"You reached {p['name']}!", "A new tier. Your badge has changed everywhere."),
    "LevelReached": lambda p: (f"Level up: {p['name']}", "Keep going."),
    "AchievementUnlocked": lambda p: (f"Achievement unlocked: {p['name']}", f"{p['rarity']} achievement."),
    "StreakMilestoneReached": lambda p: (f"{p['days']}-day streak!", "Showing up is the skill."),
    "QuestCompleted": lambda p: (f"Side quest complete: {p['title']}", "Rewards added to your points."),
    "OnboardingCompleted": lambda p: ("You're all set!", "Onboarding complete."),
}


@hub.message("celebration")
def render_celebration(message: dict) -> str:
    title, detail = CELEBRATION_TEXT[message["type"]](message["payload"])
    card = cards_by_id([message["payload"].get("user_id")]).get(message["payload"].get("user_id"))
    return render_template("fragments/gamification/celebration.html", title=title, detail=detail,
                           kind=message["type"], event_id=message["event_id"], card=card)


