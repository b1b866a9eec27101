"""Operator commands: thin click wrappers around plain functions that tests call directly."""
from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from app.cli import ai, gamification, leaderboards, moderation, operations, seed, tools

    for command in (*operations.COMMANDS, seed.seed, gamification.gamification, leaderboards.leaderboards, ai.ai,
                    tools.tools, moderation.moderation):
        app.cli.add_command(command)
