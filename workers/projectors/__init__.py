"""Projectors, each owning one read model. A projector module declares:

    NAME                        the read model's name (`flask projections rebuild NAME`)
    project(events) -> topics   apply committed events idempotently; return push topics changed
    rebuild(progress)           rebuild its keys from Postgres alone (atomic swap)
"""
from workers.projectors import leaderboards

PROJECTORS = {module.NAME: module for module in (leaderboards,)}
