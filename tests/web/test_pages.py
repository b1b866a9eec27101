"""Pages read Redis and hydrate in one query; they never write to Postgres."""
import re

from tests.conftest import WRITES, WebClient, drain, make_member, statements


def test_read_pages_do_not_write_and_hydrate_in_batches(app, web):
    for name in ("ada", "bob", "cyd", "dee", "eve"):
        make_member(app, name)
    web.login("ada")
    for i in range(5):
        web.post("/projects/new", {"title": f"Project {i}"})
    bob = WebClient(app).login("bob")
    for pid in range(1, 6):
        bob.post(f"/projects/{pid}/like")
    drain(app)

    with statements(app) as ran:
        for url in ("/", "/leaderboard", "/@ada", "/@ada/project-1"):
            assert bob.get(url).status_code == 200, url
            assert bob.get(url, htmx=True).status_code == 200, url
    assert ran and not [s for s in ran if s in WRITES]
    # The leaderboard fragment hydrates five members with one query, not five.
    with statements(app) as ran:
        bob.get("/leaderboard", htmx=True)
    assert len(ran) <= 3, ran  # session user, board hydration, own rank card


def test_leaderboard_shows_top_and_own_rank(app, web):
    make_member(app, "ada")
    make_member(app, "bob")
    web.login("bob")
    assert 'data-my-rank' not in web.get("/leaderboard").get_data(as_text=True)  # not projected yet
    drain(app)
    html = web.get("/leaderboard").get_data(as_text=True)
    assert 'id="leaderboard-global"' in html
    mine = re.search(r'<p id="leaderboard-me".*?</p>', html, re.S).group(0)
    assert 'data-my-rank="2"' in mine, mine  # equal points: ada signed up first
    assert 'ws-connect="/ws?topics=leaderboard.global"' in html


def test_leaderboard_survives_redis_being_down(app, services, web):
    make_member(app, "ada")
    services["redis"].stop()
    try:
        response = web.get("/leaderboard")
        assert response.status_code == 200
        assert "catching up" in response.get_data(as_text=True)
    finally:
        services["redis"].start()


def test_get_and_head_read_through_the_read_only_bind(app):
    """GET and HEAD use the "read" bind (autocommit, read-only); other methods the default one."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from app.extensions import db

    for method, bind in (("GET", "read"), ("HEAD", "read"), ("POST", None)):
        with app.test_request_context("/", method=method):
            app.preprocess_request()
            assert db.session.get_bind() is db.engines[bind], method
            db.session.remove()
    with app.test_request_context("/"):
        app.preprocess_request()
        with pytest.raises(DBAPIError, match="read-only transaction"):
            db.session.execute(text("UPDATE users SET points = points WHERE false"))
        db.session.remove()
    with app.app_context():  # outside a request (workers, pushes): the default bind
        assert db.session.get_bind() is db.engines[None]
