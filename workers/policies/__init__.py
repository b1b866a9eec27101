"""Policies: rules that turn committed events into new commands (see ARCHITECTURE.md).

A policy is a function taking the events of a job; it calls command handlers, which commit
their own changes and events, idempotently.
"""
from workers.policies.comments import apply_comment_moderation
from workers.policies.gamification import apply_gamification
from workers.policies.notifications import apply_notifications

# Leaderboard standings (top-100 stints, overtakes by followees) are checked by the scheduler
# every 10 seconds (workers/scheduled.py) rather than on every policy job.
POLICIES = (apply_comment_moderation, apply_gamification, apply_notifications)
