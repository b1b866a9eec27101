"""The embedded default runs on SQLite: the live projection's statements work there too, and give
the boards Postgres would (the run command's demo depends on them)."""
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, store
from app.models import User
from app.read import keys, leaderboards
from app.read.leaderboards import decode_points, member_for
from tests.conftest import STRONG_PASSWORD


def test_likes_reach_the_global_and_topic_boards_on_sqlite(tmp_path, services):
    from commands.accounts import sign_up_member
    from commands.gamification import load_definitions
    from commands.projects import publish_project
    from commands.social import like_project, unlike_project
    from workers.jobs import project_pending

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'embedded.db'}",
                      "REDIS_URL": services["redis"].url, "INPROCESS_WORKER": False, "SECRET_KEY": "t"})
    with app.app_context():
        upgrade()
        load_definitions()
        store(app).client.flushdb()
        ids = [sign_up_member({"username": name, "email": f"{name}@example.com", "password": STRONG_PASSWORD,
                               "time_zone": "UTC"}).id for name in ("ada", "grace", "linus")]
        ada = db.session.get(User, ids[0])
        project = publish_project(ada, {"title": "Agents that test themselves", "topics": "agents, evals"})
        for fan in ids[1:]:
            like_project(db.session.get(User, fan), {"project_id": project.id})
        unlike_project(db.session.get(User, ids[2]), {"project_id": project.id})
        assert project_pending() > 0
        db.session.expire_all()
        points = {uid: db.session.get(User, uid).points for uid in ids}
        assert {uid: s.points for uid, s in leaderboards.standing_of(ids).items()} == points
        r = store(app).client
        for topic in ("agents", "evals"):
            shown = r.zscore(keys.leaderboard_topic(topic), member_for(ids[0]))
            assert shown is not None and decode_points(shown) > 0
        store(app).client.flushdb()
        db.session.remove()
