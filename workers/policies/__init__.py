"""Policies: rules that turn committed events into new commands (see ARCHITECTURE.md).

A policy is a function taking the events of a job; it calls command handlers, which commit
their own changes and events, idempotently.
"""
from workers.policies.gamification import apply_gamification
from workers.policies.notifications import apply_notifications

POLICIES = (apply_gamification, apply_notifications)
