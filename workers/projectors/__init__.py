"""Projectors, each owning one read model. A projector module declares:

    NAME                        the read model's name (`flask projections rebuild NAME`)
    STAGE                       "live": in the projection job, pushed at once; "after_policies":
                                in the policy job, after the rules it reflects have been applied
    project(events) -> topics   apply committed events idempotently; return push topics changed
    rebuild(progress)           rebuild its keys from Postgres alone (atomic swap)
    count()                     how many rows a rebuild walks (for the progress bar)
"""
from workers.projectors import (
    achievements, celebrations, comments, feed_cards, feeds, leaderboards, notifications, progress, tools,
)

PROJECTORS = {module.NAME: module for module in (
    leaderboards, leaderboards.StreakBoard, celebrations, notifications, feeds, feed_cards, progress, achievements,
    tools, comments)}


def stage(name: str) -> list:
    return [p for p in PROJECTORS.values() if p.STAGE == name]
