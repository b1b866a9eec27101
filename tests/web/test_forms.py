"""Every form: empty, oversized, malformed and duplicate input get a clear message and a 4xx."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Project, User
from tests.conftest import STRONG_PASSWORD, WebClient, make_member

MEGABYTE = "x" * (1024 * 1024)


def signup(web, **fields):
    data = {"username": "newbie", "email": "newbie@example.com", "password": STRONG_PASSWORD,
            "time_zone": "Europe/Berlin"}
    data.update(fields)
    return web.post("/signup", data)


def test_sign_up_logs_in_and_redirects(app, web):
    response = signup(web)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/@newbie?welcome=1"
    page = web.get("/@newbie?welcome=1").get_data(as_text=True)
    assert "You start with 100 points" in page and "@newbie" in page


@pytest.mark.parametrize("fields,status,message", [
    ({"username": ""}, 422, "Usernames are 3 to 30 characters."),
    ({"username": MEGABYTE}, 422, "Usernames are 3 to 30 characters."),
    ({"username": "no spaces"}, 422, "Use only letters, digits and underscores."),
    ({"email": "@nope"}, 422, "That does not look like an e-mail address."),
    ({"password": "password123"}, 422, "This password is too easy to guess."),
    ({"password": MEGABYTE}, 422, "Passwords are 10 to 200 characters."),
    ({"time_zone": "Atlantis/Capital"}, 422, "Choose a time zone from the list"),
])
def test_sign_up_form_errors(app, web, fields, status, message):
    response = signup(web, **fields)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="signup-form"' in html  # the form comes back, with what was typed
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_sign_up_duplicate_username(app, web):
    make_member(app, "newbie")
    response = signup(web, email="second@example.com")
    assert response.status_code == 422
    assert "That username is taken." in response.get_data(as_text=True)


def test_bad_log_in_is_a_401_with_a_message(app, web):
    make_member(app, "ada")
    response = web.post("/login", {"username": "ada", "password": "not-the-password"})
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)
    response = web.post("/login", {"username": "", "password": ""})
    assert response.status_code == 422


def publish(web, **fields):
    data = {"title": "Tiny RAG over my notes", "description": "Chunked Markdown, local embeddings.",
            "topics": "rag, embeddings"}
    data.update(fields)
    return web.post("/projects/new", data)


def test_publish_project(app, web):
    make_member(app, "ada")
    web.login("ada")
    response = publish(web)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/@ada/tiny-rag-over-my-notes"
    # The same title again gets its own address instead of an error.
    assert publish(web).headers["HX-Redirect"] == "/@ada/tiny-rag-over-my-notes-2"
    page = web.get("/@ada/tiny-rag-over-my-notes").get_data(as_text=True)
    assert "Tiny RAG over my notes" in page and "embeddings" in page


@pytest.mark.parametrize("fields,message", [
    ({"title": ""}, "Titles are 1 to 120 characters."),
    ({"title": "   "}, "Titles are 1 to 120 characters."),
    ({"title": MEGABYTE}, "Titles are 1 to 120 characters."),
    ({"description": MEGABYTE[:5001]}, "Descriptions are at most 5000 characters."),
    ({"topics": "a, b, c, d, e, f"}, "At most 5 topics."),
    ({"topics": "<script>"}, "Topics are short tags"),
])
def test_publish_project_errors(app, web, fields, message):
    make_member(app, "ada")
    web.login("ada")
    response = publish(web, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Project)) == 0


def test_profile_edit_errors_keep_the_saved_profile(app, web):
    uid = make_member(app, "ada")
    web.login("ada")
    ok = web.post("/settings/profile", {"display_name": "Ada L.", "bio": "Poet of engines.",
                                        "time_zone": "Europe/London"})
    assert ok.status_code == 200 and "Profile saved." in ok.get_data(as_text=True)
    bad = web.post("/settings/profile", {"display_name": MEGABYTE, "bio": "", "time_zone": "Europe/London"})
    assert bad.status_code == 422
    assert "Display names are at most 60 characters." in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, uid).display_name == "Ada L."


def test_like_button_round_trip(app, web):
    make_member(app, "ada")
    make_member(app, "bob")
    web.login("ada")
    publish(web)
    bob = WebClient(app).login("bob")
    liked = bob.post("/projects/1/like")
    assert liked.status_code == 200
    assert 'aria-pressed="true"' in liked.get_data(as_text=True)
    assert 'data-likes="1"' in liked.get_data(as_text=True)
    unliked = bob.post("/projects/1/like", method="DELETE")
    assert 'aria-pressed="false"' in unliked.get_data(as_text=True)
    assert bob.post("/projects/999/like").status_code == 404


def test_a_like_reads_the_member_in_its_own_statement(app, web):
    """The like's command reads the session's member (no SELECT of the member before it), and a
    member deleted since logging in is refused at once: nothing written, like or unlike."""
    from sqlalchemy import text

    from app.models import Event, Like
    from tests.conftest import statements

    make_member(app, "ada")
    bob_id = make_member(app, "bob")
    web.login("ada")
    publish(web)
    publish(web, title="Second notebook")
    bob = WebClient(app).login("bob")
    bob.token()
    with statements(app) as seen:
        assert bob.post("/projects/1/like").status_code == 200
    assert seen == ["WITH", "WITH"], seen  # the like (member, project, like, event, lock), the award
    with app.app_context():
        db.session.execute(text("DELETE FROM users WHERE id = :id"), {"id": bob_id})
        db.session.commit()
        likes = db.session.scalar(select(func.count()).select_from(Like))
        liked = db.session.scalar(select(func.count()).select_from(Event).where(Event.type == "ProjectLiked"))
    for method, pid in (("POST", 2), ("DELETE", 2), ("DELETE", 1)):
        refused = bob.post(f"/projects/{pid}/like", method=method)
        assert refused.status_code == 401 and "Please log in" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Like)) == likes
        assert db.session.scalar(select(func.count()).select_from(Event).where(
            Event.type.in_(("ProjectLiked", "ProjectUnliked")))) == liked


def test_an_id_only_member_reads_the_rest_when_asked(app):
    """What a view marked member_checked_by_command gets: the id at once, anything else read when
    first asked for, and a member who is gone by then refused (401)."""
    from werkzeug.exceptions import Unauthorized

    from app.web import UncheckedMember

    uid = make_member(app, "ada", role="moderator")
    with app.test_request_context("/"):
        member = UncheckedMember(uid)
        assert member.is_authenticated and member.get_id() == str(uid)
        assert (member.username, member.is_moderator) == ("ada", True)
        with pytest.raises(Unauthorized):
            UncheckedMember(uid + 1000).username  # noqa: B018


def test_state_changes_need_a_csrf_token(app, web):
    make_member(app, "ada")
    web.login("ada")
    response = web.client.post("/projects/new", data={"title": "No token"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#toasts"


def test_anonymous_members_are_sent_to_log_in(app, web):
    response = web.get("/projects/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_pages_are_friendly_404s(app, web):
    response = web.get("/@nobody")
    assert response.status_code == 404
    assert "We could not find that page." in response.get_data(as_text=True)
    assert web.get("/@nobody/thing", htmx=True).headers["HX-Retarget"] == "#toasts"


def test_a_too_large_request_is_a_413_not_a_500(app, web):
    make_member(app, "ada")
    web.login("ada")
    response = publish(web, description="y" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_log_in_is_rate_limited(app, web):
    make_member(app, "ada")
    app.config["RATELIMIT_AUTH"] = "3 per minute"
    try:
        statuses = [web.post("/login", {"username": "ada", "password": "guess-number-x"}).status_code
                    for _ in range(5)]
    finally:
        app.config["RATELIMIT_AUTH"] = "1000 per minute"
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]
