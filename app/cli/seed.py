"""`flask seed demo`: a believable community, deterministic for a given --seed.

Everything goes through the real command handlers, so the demo has the same events, ledger rows
and read models as real use. Dates are then spread over the past weeks so the community has a
history; at the end the read models are rebuilt from Postgres.
"""
from __future__ import annotations

import random
import re
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Event, Like, Project, User
from app.models.types import utcnow
from app.cli.demo_tools import seed_tools, spread_reviews
from commands.accounts import choose_interests, sign_up_member, update_profile
from commands.projects import create_project
from commands.social import follow_member, like_project

DEMO_PASSWORD = "demo-password-2026"
seed = AppGroup("seed", help="Fill the database with demo content.")


def _usernames(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Distinct (username, display name) pairs built from the name lists."""
    from app.cli import demo_content as content

    seen, out = set(), []
    while len(out) < n:
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        style = rng.random()
        if style < 0.4:
            username = f"{first}{last}".lower()
        elif style < 0.7:
            username = f"{first}_{last[0]}".lower()
        else:
            username = f"{first.lower()}{rng.randint(2, 99)}"
        username = username[:30]
        if username in seen:
            continue
        seen.add(username)
        out.append((username, f"{first} {last}"))
    return out


def seed_demo(users: int, seed_value: int = 2026, progress=None) -> dict[str, int]:
    """Create `users` members with projects, follows and likes. Return what was created."""
    # The demo's events are projected and policed here at the end, not one job at a time.
    previous = current_app.config.get("EVENTS_ENQUEUE", True)
    current_app.config["EVENTS_ENQUEUE"] = False
    try:
        return _seed(users, seed_value, progress or (lambda n: None))
    finally:
        current_app.config["EVENTS_ENQUEUE"] = previous


def _seed(users: int, seed_value: int, step) -> dict[str, int]:
    from app.cli import demo_content as content

    rng = random.Random(seed_value)
    # One hash for every demo account: hashing is deliberately slow, and the password is public.
    password_hash = generate_password_hash(DEMO_PASSWORD)
    people = []
    for username, display in _usernames(rng, users):
        tz = rng.choice(content.TIME_ZONES)
        member = sign_up_member({"username": username, "email": f"{username}@example.com",
                                 "password": DEMO_PASSWORD, "time_zone": tz}, password_hash=password_hash)
        update_profile(member, {"display_name": display, "bio": rng.choice(content.BIOS), "time_zone": tz})
        if rng.random() < 0.7:
            choose_interests(member, {"topics": rng.sample(content.TOPICS, rng.randint(3, 6))})
        people.append(member)
        step(1)
    ideas = list(content.PROJECTS)
    rng.shuffle(ideas)
    projects, started = [], 0
    for member in people:
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            idea = ideas[started % len(ideas)]
            started += 1
            draft = rng.random() < 0.08  # some members are still writing theirs up
            project = create_project(member, {**_project_page(idea), "status": "draft" if draft else "published"})
            if not draft:
                projects.append(project)
    # Popularity is uneven in real communities: weight by a heavy-tailed "charisma".
    charisma = {m.id: rng.paretovariate(1.5) for m in people}
    follows = likes = 0
    for member in people:
        others = [p for p in people if p.id != member.id]
        weights = [charisma[p.id] for p in others]
        for target in _distinct(rng.choices(others, weights, k=min(len(others), rng.randint(3, 15)))):
            follows += follow_member(member, {"user_id": target.id})
        if projects:
            weights = [charisma[p.author_id] for p in projects]
            for project in _distinct(rng.choices(projects, weights, k=min(len(projects), rng.randint(2, 25)))):
                likes += like_project(member, {"project_id": project.id}).changed
        step(1)
    talk = random.Random(seed_value + 1)
    comments, replies = _seed_comments(talk, people, projects)
    tools = seed_tools(seed_value, people, projects)
    _spread_history(rng, days=45)
    spread_reviews(seed_value)
    _apply_policies_inline()  # moderation approves the comments; authors then answer some
    comments += _seed_replies(talk, replies)
    _apply_policies_inline()
    return {"members": len(people), "projects": len(projects), "follows": follows, "likes": likes,
            "comments": comments, **tools}


def _seed_comments(rng: random.Random, people: list, projects: list) -> tuple[int, list]:
    """A few comments on some projects (moderated like any); returns how many, and which the
    project's author will answer once they are approved."""
    from app.cli import demo_content as content
    from commands.comments import post_comment

    by_id = {m.id: m for m in people}
    posted, replies = 0, []
    for project in projects:
        if rng.random() > 0.35:
            continue
        author = by_id[project.author_id]
        for commenter in rng.sample([m for m in people if m.id != author.id], rng.randint(1, 3)):
            comment = post_comment(commenter, {"project_id": project.id,
                                               "body": rng.choice(content.COMMENTS).format(author=author.username)})
            posted += 1
            if rng.random() < 0.3:
                replies.append((author.id, project.id, comment.id))
    return posted, replies


def _seed_replies(rng: random.Random, replies: list) -> int:
    from app.cli import demo_content as content
    from commands.comments import post_comment

    for author_id, project_id, comment_id in replies:
        post_comment(db.session.get(User, author_id), {"project_id": project_id, "parent_id": comment_id, "body": rng.choice(content.REPLIES)})
    return len(replies)


def _project_page(idea: dict) -> dict:
    """The idea's opening sentence as the summary; the rest of its story as the page's blocks
    (how it works, then what was learned, when the story has a second paragraph)."""
    first, *rest = [p.strip() for p in idea["description"].split("\n\n") if p.strip()]
    opening, *more = re.split(r"(?<=[.!?])\s+", first)
    blocks = []
    for heading, paragraphs in (("How it works", [" ".join(more)] if more else []), ("What I learned", rest)):
        if paragraphs:
            blocks.append({"kind": "heading", "data": {"text": heading, "level": 2}})
            blocks += [{"kind": "text", "data": {"markdown": para}} for para in paragraphs]
    return {"title": idea["title"], "description": opening, "topics": idea["topics"], "blocks": blocks}


def _apply_policies_inline() -> None:
    """Police every demo event (and what that in turn records) so the demo has achievements."""
    from app.models import Event
    from workers.jobs import apply_policies, unprojected_ids

    while ids := unprojected_ids(0, column=Event.policed_at):
        for i in range(0, len(ids), 500):
            apply_policies(ids[i:i + 500])


def _distinct(items: list) -> list:
    """Drop repeats, keeping the (seeded) order: sets of objects iterate in memory order."""
    return list({id(item): item for item in items}.values())


def _spread_history(rng: random.Random, days: int) -> None:
    """Move the demo's timestamps back over the past weeks, in the order things happened."""
    now = utcnow()
    users = list(db.session.scalars(select(User).order_by(User.id)))
    for i, user in enumerate(users):
        user.created_at = now - timedelta(days=days * (1 - i / max(1, len(users))), hours=rng.random() * 12)
        user.points_updated_at = now - timedelta(hours=rng.random() * 24 * 7)
    for project in db.session.scalars(select(Project).order_by(Project.id)):
        author_age = (now - project.author.created_at).total_seconds()
        project.created_at = now - timedelta(seconds=rng.random() * author_age)
    db.session.flush()
    for like in db.session.scalars(select(Like).order_by(Like.id)):
        project = db.session.get(Project, like.project_id)
        age = (now - project.created_at).total_seconds()
        like.created_at = now - timedelta(seconds=rng.random() * age)
    db.session.commit()


@seed.command("demo")
@click.option("--users", default=60, show_default=True, help="How many members to create.")
@click.option("--seed", "seed_value", default=2026, show_default=True, help="Random seed (same seed, same demo).")
@click.option("--if-empty", is_flag=True, help="Do nothing when members already exist.")
def demo(users: int, seed_value: int, if_empty: bool) -> None:
    """Create a believable demo community (members, projects, follows, likes, tools used, reviews)."""
    from workers.jobs import rebuild

    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("Members already exist; not seeding.")
        _hint()
        return
    with click.progressbar(length=users * 2, label="Seeding the demo community",
                           file=sys.stderr) as bar:
        created = seed_demo(users, seed_value, bar.update)
    rebuild()
    # Every demo event is now reflected in the rebuilt read models: nothing left to relay.
    db.session.execute(update(Event).where(Event.projected_at.is_(None)).values(projected_at=utcnow()))
    db.session.commit()
    click.echo(", ".join(f"{n:,} {what}" for what, n in created.items()) + ".")
    _hint()


def _hint() -> None:
    top = db.session.scalar(select(User.username).order_by(User.points.desc(), User.id).limit(1))
    if top:
        click.echo(f"Log in as any demo member, e.g. @{top}, with the password {DEMO_PASSWORD}")
