"""Concurrency is real: racing likes and unlikes never double-count or lose points."""
import random
import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Like, PointsEntry, Project, User
from app.read import leaderboards
from commands.projects import publish_project
from commands.social import like_project, unlike_project
from tests.conftest import drain, make_member

THREADS = 50


def test_fifty_threads_liking_and_unliking_stay_consistent(app):
    author = make_member(app, "author")
    fans = [make_member(app, f"fan{i}") for i in range(10)]
    with app.app_context():
        projects = [publish_project(db.session.get(User, author), {"title": f"Project {i}"}).id for i in range(3)]

    barrier = threading.Barrier(THREADS)
    errors = []

    def hammer(seed):
        rng = random.Random(seed)
        with app.app_context():
            try:
                barrier.wait()
                for _ in range(20):
                    fan = db.session.get(User, rng.choice(fans))
                    command = like_project if rng.random() < 0.6 else unlike_project
                    command(fan, {"project_id": rng.choice(projects)})
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    drain(app)

    with app.app_context():
        likes = db.session.scalar(select(func.count()).select_from(Like))
        points = db.session.get(User, author).points
        ledger = db.session.scalar(select(func.sum(PointsEntry.amount)).where(PointsEntry.user_id == author))
        assert points == ledger == 100 + 5 * likes
        for pid in projects:
            counted = db.session.scalar(select(func.count()).select_from(Like).where(Like.project_id == pid))
            assert db.session.get(Project, pid).likes_count == counted
        assert leaderboards.standing_of([author])[author].points == points
        assert likes > 0
