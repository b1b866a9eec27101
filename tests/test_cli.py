"""Operator commands, called the way an operator types them."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Follow, Like, Project, User
from app.read import leaderboards


def run(app, *args, input=None):
    result = app.test_cli_runner().invoke(args=list(args), input=input)
    return result


def test_users_create_with_each_role(app):
    result = run(app, "users", "create", "modmary", "--role", "moderator",
                 "--email", "mary@example.com", "--password", "orbit-lantern-quarry-77")
    assert result.exit_code == 0, result.output
    assert "Created @modmary (moderator)" in result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "modmary")) == "moderator"
    again = run(app, "users", "create", "modmary", "--email", "m2@example.com", "--password", "orbit-lantern-quarry-77")
    assert again.exit_code != 0 and "That username is taken." in again.output
    weak = run(app, "users", "create", "weakling", "--email", "w@example.com", "--password", "password")
    assert weak.exit_code != 0 and "Passwords are 10 to 200 characters." in weak.output


def snapshot_demo(app):
    with app.app_context():
        return (
            list(db.session.execute(select(User.username, User.display_name, User.time_zone, User.points).order_by(User.id))),
            list(db.session.execute(select(Project.author_id, Project.title).order_by(Project.id))),
            db.session.scalar(select(func.count()).select_from(Like)),
            db.session.scalar(select(func.count()).select_from(Follow)),
        )


def test_seed_demo_is_believable_and_deterministic(app, services):
    result = run(app, "seed", "demo", "--users", "12", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "12 members" in result.output
    first = snapshot_demo(app)
    users, projects, likes, follows = first
    assert len({u.time_zone for u in users}) > 3 and all(u.display_name for u in users)
    assert projects and likes and follows
    assert not any("lorem" in title.lower() for _, title in projects)
    with app.app_context():  # the read models were rebuilt: the board shows everyone
        assert leaderboards.top().total == 12
        from sqlalchemy import func, select

        from app.models import Comment, Project, ProjectBlock

        # Every project has a page of blocks; comments passed moderation, and some are answered.
        assert db.session.scalar(select(func.count(func.distinct(ProjectBlock.project_id)))) == \
            db.session.scalar(select(func.count()).select_from(Project))
        statuses = dict(db.session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all())
        assert statuses.get("approved") and set(statuses) == {"approved"}, statuses
        assert db.session.scalar(select(func.count()).where(Comment.parent_id.is_not(None)))
    assert "not seeding" in run(app, "seed", "demo", "--if-empty").output

    with app.app_context():
        from sqlalchemy import text

        from tests.conftest import DEFINITION_TABLES

        tables = ", ".join(t.name for t in db.metadata.sorted_tables if t.name not in DEFINITION_TABLES)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
    assert run(app, "seed", "demo", "--users", "12", "--seed", "7").exit_code == 0
    assert snapshot_demo(app) == first


def test_outbox_relay_and_status(app):
    from tests.conftest import drain, make_member

    make_member(app, "ada")
    assert "1 event(s) not yet projected" in run(app, "outbox", "status").output
    result = run(app, "outbox", "relay", "--inline", "--grace", "0")
    assert result.exit_code == 0, result.output
    assert "0 event(s) not yet projected" in run(app, "outbox", "status").output
    drain(app)


def test_rebuild_rejects_unknown_read_models(app):
    result = run(app, "projections", "rebuild", "nonsense")
    assert result.exit_code != 0 and "unknown read model" in result.output


def test_worker_nice_lowers_its_priority_and_still_projects(app, services):
    """`flask worker --nice` runs in a process of its own at lower priority and does the work."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from commands.projects import publish_project
    from tests.conftest import make_member

    with app.app_context():
        author = make_member(app, "nicenora")
        project_id = publish_project(db.session.get(User, author), {
            "title": "Niced worker", "description": "Projected by a niced worker.", "topics": "rag"}).id
    flask = Path(sys.executable).with_name("flask")
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": services["redis"].url, "SECRET_KEY": "test-secret", "INPROCESS_WORKER": "0"}
    done = subprocess.run([str(flask), "worker", "--burst", "--relay-interval", "0", "--nice", "7"],
                          env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert f"nice {os.nice(0) + 7}" in done.stdout
    with app.app_context():
        from app.models import Event

        assert db.session.scalar(select(func.count()).select_from(Event).where(
            Event.projected_at.is_(None))) == 0  # the niced worker projected the publish
        assert leaderboards.standing_of([author])[author].points > 0  # publishing's points, on the board
        assert db.session.get(Project, project_id).status == "published"
    bad = run(app, "worker", "--nice", "20")
    assert bad.exit_code == 2 and "20" in bad.output
