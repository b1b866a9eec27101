"""`flask gamification rules` and `flask gamification load`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.rules import (
    BEGINNERS_LUCK,
    DAILY_REWARD_TABLE,
    FOLLOW_MILESTONES,
    POINTS_RULES,
    QUEST_REWARDS,
    STREAK,
    TIERS,
    WEEKLY_GOALS,
)

gamification = AppGroup("gamification", help="Points rules, achievements and side quests.")


def rules_table() -> str:
    """The points rules as an aligned text table, with the other rules beneath."""
    lines = [f"{'rule':<20} {'points':>7} {'daily cap':>10} {'diminishing':<16} {'boost':<6} description"]
    for rule in POINTS_RULES.values():
        points = "varies" if rule.points == 0 else f"{rule.points:+d}"
        cap = "-" if rule.daily_cap is None else str(rule.daily_cap)
        diminishing = "-" if len(rule.diminishing) == 1 else "/".join(f"{m:g}" for m in rule.diminishing)
        boost = f"x{BEGINNERS_LUCK['multiplier']}" if rule.boosted else "-"
        lines.append(f"{rule.key:<20} {points:>7} {cap:>10} {diminishing:<16} {boost:<6} {rule.description}")
    lines += [
        "",
        f"Beginner's luck: x{BEGINNERS_LUCK['multiplier']} on boosted rules during a member's first "
        f"{BEGINNERS_LUCK['days']} days.",
        "Daily reward: " + ", ".join(f"{a} ({w}%)" for a, w in DAILY_REWARD_TABLE) + ", once per local day.",
        "Follow milestones: " + ", ".join(f"{n} follows → {p}" for n, p in FOLLOW_MILESTONES.items()) + " (once ever).",
        "Streak milestones: " + ", ".join(f"{d} days → {p}" for d, p in STREAK["milestones"].items())
        + f"; a freeze every {STREAK['freeze_every']} days, at most {STREAK['freezes_max']} held.",
        "Side quests: " + ", ".join(f"{k} {v}" for k, v in QUEST_REWARDS.items()) + ".",
        "Weekly goals: " + ", ".join(f"{g['title']} (+{g['reward']})" for g in WEEKLY_GOALS) + "; reset Monday 00:00 local.",
        "Tiers: " + ", ".join(f"{t.name} {t.threshold:,}" for t in TIERS) + "; 5 levels per tier, Evergreen a level per 2,500.",
    ]
    return "\n".join(lines)


@gamification.command("rules")
def show_rules() -> None:
    """Print the points rules table."""
    click.echo(rules_table())


@gamification.command("load")
@click.option("--achievements", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quests", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load(achievements: Path | None, quests: Path | None) -> None:
    """Load achievement and side-quest definitions from data files (app/data by default)."""
    from app.read.definitions import forget
    from commands.gamification.definitions import DefinitionsInvalid, load_definitions

    try:
        counts = load_definitions(achievements, quests)
    except DefinitionsInvalid as exc:
        raise click.ClickException(str(exc)) from None
    forget()
    click.echo(f"Loaded {counts['achievements']} achievements and {counts['quests']} side quests.")
