"""`flask ai usage`: what AI vendors cost today (or on a given UTC day), against the caps."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db
from app.models import AiUsage, User
from app.models.types import utcnow
from commands.ai import SITE, caps_micros

ai = AppGroup("ai", help="AI providers: spend per provider and member, and the daily caps.")
BAR_WIDTH = 30


def dollars(micros: int) -> str:
    return f"${micros / 1_000_000:,.4f}"


def bar(micros: int, cap: int) -> str:
    """A text bar of spend against a cap, with the share in percent."""
    share = micros / cap if cap else 1.0
    filled = min(BAR_WIDTH, round(share * BAR_WIDTH))
    return f"{'█' * filled}{'·' * (BAR_WIDTH - filled)} {share:6.1%}"


def usage_report(day: date) -> list[str]:
    """The lines of the report: the site total, then per provider and per member, largest first."""
    caps = caps_micros()
    spend = func.coalesce(func.sum(AiUsage.cost_micros), 0)
    calls, tokens_in, tokens_out = func.count(AiUsage.id), func.sum(AiUsage.input_tokens), func.sum(AiUsage.output_tokens)
    providers = db.session.execute(
        select(AiUsage.provider, spend, calls, tokens_in, tokens_out).where(AiUsage.day == day)
        .group_by(AiUsage.provider).order_by(spend.desc())).all()
    members = db.session.execute(
        select(User.username, spend, calls).select_from(AiUsage).outerjoin(User, User.id == AiUsage.member_id)
        .where(AiUsage.day == day).group_by(User.username).order_by(spend.desc(), User.username)).all()
    total = sum(row[1] for row in providers)
    lines = [f"AI spend on {day.isoformat()} (UTC)",
             f"caps: site {dollars(caps[SITE])} a day, each member {dollars(caps['member'])} a day",
             "", f"{'site':<24}{dollars(total):>12}  {bar(total, caps[SITE])}"]
    if not providers:
        return lines + ["", "No calls reached a vendor that day."]
    lines += ["", "by provider (share of the site cap)"]
    for name, cost, count, used_in, used_out in providers:
        lines.append(f"  {name:<22}{dollars(cost):>12}  {bar(cost, caps[SITE])}  "
                     f"{count} calls, {used_in:,} in / {used_out:,} out tokens")
    lines += ["", "by member (share of the member cap)"]
    for username, cost, count in members:
        who, cap = (f"@{username}", caps["member"]) if username else ("(the site itself)", caps[SITE])
        lines.append(f"  {who:<22}{dollars(cost):>12}  {bar(cost, cap)}  {count} calls")
    return lines


@ai.command("usage")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="A UTC day (default: today).")
def usage(day) -> None:
    """Show AI spend per provider and per member against the daily caps."""
    for line in usage_report(day.date() if day else utcnow().date()):
        click.echo(line)
