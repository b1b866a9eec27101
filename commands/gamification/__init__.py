"""Gamification's write side: points (with caps and boosts), daily rewards, streak days,
onboarding, achievements, side quests and weekly goals."""
from commands.gamification.definitions import load_definitions
from commands.gamification.points import (
    award_points,
    claim_daily_reward,
    reach_milestone,
    withdraw_points,
)
from commands.gamification.progress import count_activity_day, evaluate_progress, start_quest

__all__ = [
    "award_points", "claim_daily_reward", "count_activity_day", "evaluate_progress", "load_definitions",
    "reach_milestone", "start_quest", "withdraw_points",
]
