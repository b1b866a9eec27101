"""`flask users`, `flask projections`, `flask outbox`, `flask worker`."""
from __future__ import annotations

import contextlib
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.models.accounts import ROLES
from commands.accounts import sign_up_member
from commands.base import CommandRejected

users = AppGroup("users", help="Manage member accounts.")
projections = AppGroup("projections", help="Manage the Redis read models.")
outbox = AppGroup("outbox", help="The event outbox: hand unprojected events to the workers.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--email", prompt=True, help="The member's e-mail address.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--time-zone", default="UTC", show_default=True)
def create_user(username: str, role: str, email: str, password: str, time_zone: str) -> None:
    """Create a member, moderator or admin."""
    try:
        user = sign_up_member(
            {"username": username, "email": email, "password": password, "time_zone": time_zone}, role=role
        )
    except CommandRejected as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created @{user.username} ({user.role}), id {user.id}.")


def _progress(name: str, total: int):
    return click.progressbar(length=total, label=f"Rebuilding {name:<14}", show_pos=True,
                             show_percent=True, file=sys.stderr)


@projections.command("rebuild")
@click.argument("names", nargs=-1)
def rebuild_projections(names: tuple[str, ...]) -> None:
    """Clear and rebuild read models from Postgres (all of them, or the NAMES given)."""
    from workers.jobs import rebuild
    from workers.projectors import PROJECTORS

    unknown = set(names) - set(PROJECTORS)
    if unknown:
        raise click.BadParameter(f"unknown read model(s): {', '.join(sorted(unknown))}; "
                                 f"choose from {', '.join(PROJECTORS)}")
    counts = rebuild(list(names) or None, progress_factory=_progress)
    for name, n in counts.items():
        click.echo(f"{name}: rebuilt from {n:,} rows")


@outbox.command("relay")
@click.option("--inline", is_flag=True, help="Project here instead of enqueueing for workers.")
@click.option("--grace", default=None, type=float, help="Only events older than this (seconds).")
def relay_outbox(inline: bool, grace: float | None) -> None:
    """Re-enqueue every committed event not yet projected (rebuilds first if Redis lost data)."""
    from workers.jobs import relay

    grace = current_app.config["RELAY_GRACE_SECONDS"] if grace is None else grace
    handed = relay(grace, inline=inline)
    click.echo(f"{'Projected' if inline else 'Re-enqueued'} {handed:,} event(s).")


@outbox.command("status")
def outbox_status() -> None:
    """Show how many events wait for projection."""
    from workers.jobs import unprojected_ids

    click.echo(f"{len(unprojected_ids(0)):,} event(s) not yet projected.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--relay-interval", default=5.0, show_default=True,
              help="Seconds between outbox relay passes (0 disables the relay and the scheduler).")
@click.option("--queues", default="projections,policies", show_default=True,
              type=click.Choice(["projections,policies", "projections", "policies"]),
              help="Which queues this worker takes, in priority order.")
@click.option("--nice", default=0, show_default=True, type=click.IntRange(0, 19),
              help="Lower this worker's CPU priority by this much (os.nice): on a shared machine, web "
                   "requests and pushes then go first and policy work (notifications, achievements) "
                   "catches up when they are idle.")
def worker(burst: bool, relay_interval: float, queues: str, nice: int) -> None:
    """Run a worker (RQ) for projections and/or policies, with the outbox relay beside it."""
    from workers.runner import run_worker

    if nice:
        click.echo(f"Worker at CPU priority nice {os.nice(nice)} ({queues}).")
    with contextlib.suppress(KeyboardInterrupt):
        run_worker(current_app._get_current_object(), burst=burst, relay_interval=relay_interval,
                   queues=tuple(queues.split(",")))


COMMANDS = (users, projections, outbox, worker)
