"""Concurrency is real: racing likes and unlikes never double-count or lose points."""
import random
import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Like, PointsEntry, Project, User
from app.read import leaderboards
from app.rules import BEGINNERS_LUCK, POINTS_RULES
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
        assert points == ledger
        # Per like: a live like holds what it earned (the boosted amount, or 0 past the daily
        # cap); a removed like holds nothing, because its unlike took back exactly that.
        earned = dict(db.session.execute(
            select(PointsEntry.subject, func.sum(PointsEntry.amount))
            .where(PointsEntry.user_id == author, PointsEntry.subject.like("like:%"))
            .group_by(PointsEntry.subject)).all())
        live = {f"like:{i}" for i in db.session.scalars(select(Like.id))}
        value = POINTS_RULES["like_received"].points * BEGINNERS_LUCK["multiplier"]
        assert all(earned.get(s, 0) in (0, value) for s in live)
        assert all(total == 0 for s, total in earned.items() if s not in live)
        awards = db.session.scalar(select(func.count()).select_from(PointsEntry).where(
            PointsEntry.user_id == author, PointsEntry.rule == "like_received"))
        assert awards <= POINTS_RULES["like_received"].daily_cap  # the cap held under the race
        for pid in projects:
            counted = db.session.scalar(select(func.count()).select_from(Like).where(Like.project_id == pid))
            assert db.session.get(Project, pid).likes_count == counted
        assert leaderboards.standing_of([author])[author].points == points
        assert likes > 0


def test_a_member_being_evaluated_can_still_like(app):
    """The evaluation's lock on a member (progress, achievements) keeps other evaluations and awards out,
    not their own likes: the like's foreign-key check on them does not wait for it."""
    from sqlalchemy import text

    from commands.gamification.progress import _lock_member

    author, fan = make_member(app, "author"), make_member(app, "fan")
    with app.app_context():
        project = publish_project(db.session.get(User, author), {"title": "Eval harness"}).id
    locked, done = threading.Event(), threading.Event()

    def evaluate():
        with app.app_context():
            try:
                assert _lock_member(fan) is not None
                locked.set()
                done.wait(10)
            finally:
                db.session.rollback()
                db.session.remove()

    evaluation = threading.Thread(target=evaluate)
    evaluation.start()
    try:
        assert locked.wait(10)
        with app.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
            assert like_project(db.session.get(User, fan), {"project_id": project}).changed
            db.session.remove()
    finally:
        done.set()
        evaluation.join()
