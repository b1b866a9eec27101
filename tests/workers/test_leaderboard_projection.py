"""Leaderboard projection: idempotent, rebuildable byte for byte, and healed by the relay."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from app.extensions import db, store
from app.models import Event, PointsEntry, User
from app.read import keys, leaderboards
from app.read.leaderboards import decode_points, encode_score
from commands.projects import publish_project
from commands.social import like_project, unlike_project
from tests.conftest import drain, make_member, redis_snapshot
from workers.jobs import apply_policies, project_events, rebuild, relay
from workers.projectors import PROJECTORS


def community(app, members=6):
    """A few members, projects and likes, all projected live through the real queue."""
    ids = [make_member(app, f"member{i}") for i in range(members)]
    with app.app_context():
        users = [db.session.get(User, i) for i in ids]
        projects = [publish_project(u, {"title": f"Notebook {u.username}"}) for u in users]
        for i, fan in enumerate(users):
            for project in projects[: i + 1]:
                like_project(fan, {"project_id": project.id})
        unlike_project(users[-1], {"project_id": projects[0].id})
    drain(app)
    return ids


def test_projection_reflects_points(app, ctx):
    ids = community(app)
    board = leaderboards.top()
    assert [row.points for row in board.rows] == sorted((row.points for row in board.rows), reverse=True)
    for row in board.rows:
        assert row.points == db.session.get(User, row.user_id).points
    assert board.total == len(ids)


def test_projecting_and_policing_every_event_twice_changes_nothing(app, ctx):
    community(app)
    once = redis_snapshot(app)
    all_ids = list(db.session.scalars(select(Event.id).order_by(Event.id)))
    ledger_rows = db.session.scalar(select(func.count()).select_from(PointsEntry))
    project_events(all_ids)
    apply_policies(all_ids)
    project_events(list(reversed(all_ids)))
    apply_policies(list(reversed(all_ids)))
    drain(app)
    assert redis_snapshot(app) == once
    assert db.session.scalar(select(func.count()).select_from(PointsEntry)) == ledger_rows  # no new awards
    assert {k.split(":")[1] for k in once} >= {"lb", "{u", "ach", "members"}  # every read model compared


def test_rebuild_after_flushall_equals_live(app, ctx):

    community(app)
    live = redis_snapshot(app)
    store(app).client.flushall()
    assert redis_snapshot(app) == {}
    result = app.test_cli_runner().invoke(args=["projections", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "leaderboards: rebuilt from 6 rows" in result.output
    assert redis_snapshot(app) == live


def test_ties_go_to_whoever_reached_the_score_first(app, ctx):
    ids = [make_member(app, name) for name in ("early", "late", "rich")]
    base = datetime(2026, 3, 1, tzinfo=timezone.utc)
    for uid, points, when in ((ids[0], 300, base), (ids[1], 300, base + timedelta(seconds=1)),
                              (ids[2], 301, base + timedelta(days=30))):
        db.session.execute(update(User).where(User.id == uid).values(points=points, points_updated_at=when))
    db.session.commit()
    rebuild(["leaderboards"])
    assert [row.member.username for row in leaderboards.top().rows] == ["rich", "early", "late"]
    assert decode_points(encode_score(300, base)) == 300
    assert encode_score(4_194_303, base) < 2**53  # exact in a double


def test_relay_heals_a_redis_outage(app, services, ctx):
    ids = community(app, members=3)
    redis_server = services["redis"]
    redis_server.stop()
    try:
        # Likes keep working while Redis is down; the events wait in Postgres.
        with app.app_context():
            users = [db.session.get(User, i) for i in ids]
            late = publish_project(users[0], {"title": "Written during the outage"})
            for fan in users[1:]:
                like_project(fan, {"project_id": late.id})
        assert db.session.scalar(select(Event.id).where(Event.projected_at.is_(None)))
    finally:
        redis_server.start()
    # Redis came back empty; the relay notices, rebuilds, and re-enqueues what is still missed.
    relay(grace_seconds=0)
    drain(app)
    db.session.expire_all()
    for uid in ids:
        assert leaderboards.standing_of([uid])[uid].points == db.session.get(User, uid).points
    assert db.session.scalar(select(Event.id).where(Event.projected_at.is_(None))) is None
    assert store(app).client.exists(keys.read_models_built())


def test_every_projector_can_rebuild(app, ctx):
    community(app, members=2)
    for name, projector in PROJECTORS.items():
        assert projector.rebuild() >= 0, name


def test_relay_reenqueues_a_lost_job(app, ctx):
    ids = community(app, members=2)
    with app.app_context():
        fan = db.session.get(User, ids[1])
        late = publish_project(db.session.get(User, ids[0]), {"title": "Lost in the queue"})
        like_project(fan, {"project_id": late.id})
    store(app).queue.empty()  # the job vanished (a worker crashed holding it)
    store(app).client.set(keys.read_models_built(), "yes")  # Redis itself kept its data
    assert leaderboards.standing_of([ids[0]])[ids[0]].points != db.session.get(User, ids[0]).points
    assert relay(grace_seconds=0) == 2  # ProjectPublished and ProjectLiked
    drain(app)
    db.session.expire_all()
    assert leaderboards.standing_of([ids[0]])[ids[0]].points == db.session.get(User, ids[0]).points
    assert relay(grace_seconds=0) == 0


def test_same_second_ties_go_to_the_earlier_member(app, ctx):
    ids = [make_member(app, name) for name in ("first", "second", "third")]
    moment = datetime(2026, 5, 1, tzinfo=timezone.utc)
    db.session.execute(update(User).values(points=500, points_updated_at=moment))
    db.session.commit()
    rebuild(["leaderboards"])
    assert [row.user_id for row in leaderboards.top().rows] == ids
    assert {uid: s.rank for uid, s in leaderboards.standing_of(ids).items()} == {ids[0]: 1, ids[1]: 2, ids[2]: 3}


def test_one_projection_job_goes_on_while_events_wait(app, ctx, monkeypatch):
    """A projection job takes the outbox in batches until it is empty (a burst costs one job, not
    one per batch), and past its time limit leaves the rest to a job it asks for."""
    import workers.jobs as jobs

    community(app, members=3)  # drained: nothing pending
    alice = make_member(app, "alice")
    project = publish_project(db.session.get(User, alice), {"title": "Agents in the loop"})
    for fan_id in [make_member(app, f"fan{i}") for i in range(5)]:
        like_project(db.session.get(User, fan_id), {"project_id": project.id})
    pending = select(func.count()).select_from(Event).where(Event.projected_at.is_(None))
    waiting = db.session.scalar(pending)
    assert waiting >= 6  # sign-ups, the publish, the likes
    monkeypatch.setattr(jobs, "PROJECT_CHUNK", 2)
    store(app).queue.empty()
    monkeypatch.setattr(jobs, "PROJECT_JOB_SECONDS", 0)  # time is up after the first batch
    assert jobs.project_pending() == 2
    assert db.session.scalar(pending) == waiting - 2
    assert store(app).queue.count == 1  # it asked for a job to go on
    monkeypatch.setattr(jobs, "PROJECT_JOB_SECONDS", 60)
    assert jobs.project_pending() == waiting - 2  # the rest, in batches of 2, in this one job
    assert db.session.scalar(pending) == 0
    shown = {row.user_id: row.points for row in leaderboards.top().rows}
    assert shown[alice] == db.session.get(User, alice).points > 0  # her likes are on the board


def test_a_failing_projection_leaves_its_batch_for_the_next_job(app, ctx, monkeypatch):
    """A batch is marked projected by the statement that claims it; if a projector fails, the
    mark is rolled back with the rest, and the next job projects the same events."""
    import workers.jobs as jobs

    community(app, members=3)
    alice, fan = make_member(app, "alice"), make_member(app, "fan")
    project = publish_project(db.session.get(User, alice), {"title": "Agents in the loop", "topics": "agents"})
    like_project(db.session.get(User, fan), {"project_id": project.id})
    pending = select(func.count()).select_from(Event).where(Event.projected_at.is_(None))
    waiting = db.session.scalar(pending)
    assert waiting >= 2

    def broken(events):
        raise RuntimeError("Redis said no")

    monkeypatch.setattr(PROJECTORS["leaderboards"], "project", broken)
    with pytest.raises(RuntimeError):
        jobs.project_pending()
    assert db.session.scalar(pending) == waiting  # nothing marked
    monkeypatch.undo()
    store(app).policy_queue.empty()
    store(app).client.delete(keys.policing_requested())
    pubsub = store(app).client.pubsub(ignore_subscribe_messages=True)
    pubsub.psubscribe(keys.push_pattern())
    assert jobs.project_pending() == waiting
    assert db.session.scalar(pending) == 0
    assert leaderboards.standing_of([alice])[alice].points == db.session.get(User, alice).points > 0
    channels, deadline = set(), time.monotonic() + 2
    while keys.push_channel("leaderboard.topic.agents") not in channels and time.monotonic() < deadline:
        if message := pubsub.get_message(timeout=0.2):
            channels.add(message["channel"])
    pubsub.close()
    # The topic boards' pushes go out after the batch, with the request for policing.
    assert {keys.push_channel("leaderboard.global"), keys.push_channel("leaderboard.topic.agents")} <= channels
    assert store(app).policy_queue.count == 1


def test_one_policing_job_at_a_time_takes_everything_waiting(app, ctx, monkeypatch):
    """Policing runs as one job at a time over whatever projected events wait, in batches, so a
    burst's events are policed together (each member's standing read once per batch). A second
    job that finds the first running ends at once; the first asks for another job if events are
    left when it stops."""
    import workers.jobs as jobs
    from app.models import Notification

    community(app, members=3)
    alice = make_member(app, "alice")
    project = publish_project(db.session.get(User, alice), {"title": "Agents in the loop"})
    fans = [make_member(app, f"fan{i}") for i in range(5)]
    for fan_id in fans:
        like_project(db.session.get(User, fan_id), {"project_id": project.id})
    store(app).queue.empty()
    jobs.project_pending()
    last = db.session.scalar(select(func.max(Event.id)))  # policing records events of its own
    unpoliced = select(func.count()).select_from(Event).where(Event.policed_at.is_(None), Event.id <= last)
    waiting = db.session.scalar(unpoliced)
    assert waiting >= 6
    assert store(app).policy_queue.count == 1  # the projection asked for one policing job, not one per batch
    store(app).policy_queue.empty()

    lock = store(app).client.lock(keys.policing_lock(), timeout=10)
    assert lock.acquire(blocking=False)
    assert jobs.police_pending() == 0  # another job is policing: this one leaves it to that one
    assert db.session.scalar(unpoliced) == waiting
    lock.release()

    monkeypatch.setattr(jobs, "POLICE_CHUNK", 2)
    monkeypatch.setattr(jobs, "POLICE_JOB_SECONDS", 0)  # time is up after the first batch
    assert jobs.police_pending() == 2
    assert store(app).policy_queue.count == 1  # it asked for a job to go on
    monkeypatch.setattr(jobs, "POLICE_JOB_SECONDS", 60)
    store(app).policy_queue.empty()
    assert jobs.police_pending() == waiting - 2
    assert db.session.scalar(unpoliced) == 0
    assert store(app).policy_queue.count == 0  # only unprojected events are left: no job asked for
    assert not store(app).client.exists(keys.policing_lock())
    likes = db.session.scalar(select(Notification).where(Notification.user_id == alice,
                                                         Notification.type == "project_like"))
    assert sorted(likes.actor_ids) == sorted(fans)  # every like policed into alice's notification


def test_a_workers_statements_stay_prepared_between_jobs(app, ctx):
    """Jobs that find nothing to do end their read with COMMIT, not ROLLBACK (on which psycopg
    forgets what it prepared): an idle worker's polling statements run prepared."""
    import workers.jobs as jobs
    from sqlalchemy import text

    community(app, members=2)
    for _ in range(7):  # psycopg prepares a statement on its fifth run
        assert jobs.project_pending() == 0
        assert jobs.police_pending() == 0
    prepared = db.session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("projected_at IS NULL" in s for s in prepared), prepared
    assert any("policed_at IS NULL" in s for s in prepared), prepared
