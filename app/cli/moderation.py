"""`flask moderation`: the comment moderation queue from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.read import moderation as read
from commands.base import CommandRejected
from commands.comments import decide_case

moderation = AppGroup("moderation", help="The moderation queue: list open cases, decide one.")


@moderation.command("queue")
def queue() -> None:
    """List open cases, oldest first, with what flagged them."""
    cases = read.open_cases()
    counts = read.counts()
    click.echo(" · ".join(f"{status}: {n}" for status, n in counts.items()))
    for case in cases:
        text = " ".join(case.text.split())
        click.echo(f"#{case.id}  {case.created_at:%Y-%m-%d %H:%M}  @{case.author} on {case.project_title!r}")
        click.echo(f"    {text[:200]}{'…' if len(text) > 200 else ''}")
        click.echo(f"    flagged by: {'; '.join(case.reasons)}")


@moderation.command("decide")
@click.argument("case_id", type=int)
@click.argument("decision", type=click.Choice(["approve", "reject"]))
@click.option("--note", default="", help="Why (kept in the audit log).")
def decide(case_id: int, decision: str, note: str) -> None:
    """Approve (the comment becomes visible) or reject (hidden for good) one case."""
    try:
        case = decide_case(None, {"case_id": case_id, "decision": decision, "note": note}, via="cli")
    except CommandRejected as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Case {case.id} {case.status}.")
