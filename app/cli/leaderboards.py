"""`flask leaderboards`: fair play (disqualify, reinstate), snapshots and the periodic jobs."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.types import utcnow
from commands.base import CommandRejected
from commands.leaderboards import disqualify_member, reinstate_member

leaderboards = AppGroup("leaderboards", help="Leaderboards: fair play, rank snapshots, periodic jobs.")


def _moderator(username: str | None) -> User | None:
    if not username:
        return None
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise click.ClickException(f"No member @{username}.")
    return user


def _moderate(command, username: str, reason: str, by: str | None) -> None:
    try:
        command(_moderator(by), {"username": username, "reason": reason}, via="cli")
    except CommandRejected as exc:
        raise click.ClickException(exc.message) from None


@leaderboards.command("disqualify")
@click.argument("username")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@click.option("--by", "by", default=None, help="The moderator acting (default: the operator).")
def disqualify(username: str, reason: str, by: str | None) -> None:
    """Take a member off every leaderboard (their points stay)."""
    _moderate(disqualify_member, username, reason, by)
    click.echo(f"@{username.lower()} is disqualified from the leaderboards.")


@leaderboards.command("reinstate")
@click.argument("username")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@click.option("--by", "by", default=None, help="The moderator acting (default: the operator).")
def reinstate(username: str, reason: str, by: str | None) -> None:
    """Put a disqualified member back on the leaderboards."""
    _moderate(reinstate_member, username, reason, by)
    click.echo(f"@{username.lower()} is back on the leaderboards.")


@leaderboards.command("snapshot")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Record under this UTC day (default: today).")
def snapshot(day) -> None:
    """Record every ranked member's rank for today (what the daily job does)."""
    from workers.scheduled import snapshot_ranks

    day = day.date() if day else utcnow().date()
    written = snapshot_ranks(day=day)
    click.echo(f"Recorded the rank of {written:,} member(s) for {day}.")


@leaderboards.command("tick")
@click.option("--force", multiple=True, help="Run this job even if it is not due (repeatable).")
def tick(force: tuple[str, ...]) -> None:
    """Run every periodic leaderboard job that is due, once (for cron)."""
    from workers.scheduled import run_due

    for name, result in run_due(force=force).items():
        click.echo(f"{name}: {_summary(result)}")


@leaderboards.command("scheduler")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
def scheduler(interval: float) -> None:
    """Run the periodic leaderboard jobs forever (beside `flask worker`)."""
    from workers.scheduled import run_due

    try:
        while True:
            run_due()
            db.session.remove()
            time.sleep(interval)
    except KeyboardInterrupt:
        pass


def _summary(result) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{k} {len(v)}" for k, v in result.items())
    if isinstance(result, (list, set, tuple)):
        return f"{len(result)}"
    return str(result)
