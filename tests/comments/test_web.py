"""Comments over HTTP: who sees what in the thread, the counts, bad input, private projects (404)."""
import re

import pytest

from tests.comments.helpers import CLEAN, INSULT, cases, comment, decide, flagged_comment, publish, status_of
from tests.conftest import WebClient, drain, make_member


def client(app, username):
    return WebClient(app).login(username)


def thread(web, project_id):
    response = web.get(f"/projects/{project_id}/comments", htmx=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def count_in(html):
    return int(re.search(r'data-count="(\d+)"', html).group(1))


def test_a_flagged_comment_is_seen_only_by_its_author_until_approved(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    make_member(app, "carol")
    mod = make_member(app, "mod", role="moderator")
    project = publish(app, author)
    comment(app, bob, project, "Nice one @carol")
    rude = comment(app, bob, project, INSULT)
    drain(app)
    carol, bobs = client(app, "carol"), client(app, "bob")
    for html in (thread(carol, project), thread(WebClient(app), project), thread(client(app, "mod"), project)):
        assert "Nice one" in html and INSULT not in html and count_in(html) == 1
        assert '<a class="mention" href="/@carol">@carol</a>' in html
    own = thread(bobs, project)
    assert INSULT in own and "pending review" in own and count_in(own) == 1
    decide(app, cases(app)[0].id, "approve", mod)
    drain(app)
    html = thread(carol, project)
    assert INSULT in html and "pending review" not in html and count_in(html) == 2
    assert status_of(app, rude) == "approved"


def test_a_rejected_comment_shows_removed_to_its_author_only(app):
    author, bob, mod, project, _ = flagged_comment(app)
    decide(app, cases(app)[0].id, "reject", mod)
    drain(app)
    assert INSULT not in thread(client(app, "author"), project)
    own = thread(client(app, "bob"), project)
    assert INSULT in own and "removed by moderators" in own and count_in(own) == 0


def test_posting_answers_with_the_thread_and_a_pending_comment(app):
    author = make_member(app, "author")
    make_member(app, "bob")
    project = publish(app, author)
    bob = client(app, "bob")
    response = bob.post(f"/projects/{project}/comments", {"body": "  *Really* neat  "})
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#comment-thread-{project}"
    html = response.get_data(as_text=True)
    assert "<em>Really</em> neat" in html and "pending review" in html and "Others see it once" in html
    assert INSULT not in thread(client(app, "author"), project) and "neat" not in thread(client(app, "author"), project)
    drain(app)
    assert "<em>Really</em> neat" in thread(client(app, "author"), project)


def test_replies_nest_and_deep_replies_stay_at_the_deepest_level(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    project = publish(app, author)
    parent = None
    for depth in range(7):
        parent = comment(app, bob if depth % 2 else author, project, f"level {depth}", parent_id=parent)
        drain(app)
    html = thread(WebClient(app), project)
    assert html.count('<ol class="replies">') == 4  # levels 1..4 nest; 5 and 6 sit beside level 4
    assert html.count("replying to") == 2
    assert all(f"level {d}" in html for d in range(7))


def test_markup_is_sanitised(app):
    author = make_member(app, "author")
    project = publish(app, author)
    comment(app, author, project, 'Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))')
    drain(app)
    html = thread(WebClient(app), project)
    assert "Hi" in html and "<script>alert" not in html and "onerror" not in html and "javascript:" not in html


@pytest.mark.parametrize("form, status, message", [
    ({"body": "   "}, 422, "Write something first."),
    ({"body": "x" * 1_000_000}, 422, "Comments are 1 to 5,000 characters."),
    ({"body": "Hi", "parent_id": "999999"}, 404, "The comment you reply to does not exist."),
    ({"body": "Hi", "parent_id": "abc"}, 422, "Which comment? The id must be a number."),
])
def test_bad_input_gets_a_clear_message(app, form, status, message):
    author = make_member(app, "author")
    project = publish(app, author)
    response = client(app, "author").post(f"/projects/{project}/comments", form)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_a_reply_to_a_comment_on_another_project_is_refused(app):
    author = make_member(app, "author")
    first, second = publish(app, author), publish(app, author, "Another one")
    elsewhere = comment(app, author, second)
    drain(app)
    response = client(app, "author").post(f"/projects/{first}/comments", {"body": "Hi", "parent_id": elsewhere})
    assert response.status_code == 422
    assert "You can only reply to a comment on the same project." in response.get_data(as_text=True)


@pytest.mark.parametrize("state", [{"status": "draft"}, {"visibility": "private"}])
def test_comments_of_a_project_you_may_not_see_do_not_exist_for_you(app, state):
    author = make_member(app, "author")
    make_member(app, "bob")
    make_member(app, "mod", role="moderator")
    project = publish(app, author, **state)
    comment_id = comment(app, author, project, "Draft notes")
    drain(app)
    for web in (WebClient(app), client(app, "bob")):
        logged_in = web.client.get_cookie("session") is not None
        assert web.get(f"/projects/{project}/comments", htmx=True).status_code == 404
        routes = [("POST", f"/projects/{project}/comments", {"body": "hello"}),
                  ("GET", f"/comments/{comment_id}/reply", None), ("GET", f"/comments/{comment_id}/edit", None),
                  ("POST", f"/comments/{comment_id}/edit", {"body": "x"}), ("DELETE", f"/comments/{comment_id}", None)]
        for method, url, data in routes:
            response = web.post(url, data, method=method)
            assert response.status_code == (404 if logged_in else 401) or (
                not logged_in and response.status_code == 302), (method, url, response.status_code)
    for allowed in ("author", "mod"):
        assert "Draft notes" in thread(client(app, allowed), project)


def test_edit_and_delete_your_own_comment_only(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    project = publish(app, author)
    comment_id = comment(app, bob, project)
    drain(app)
    assert client(app, "author").post(f"/comments/{comment_id}/edit", {"body": "mine now"}).status_code == 403
    assert client(app, "author").post(f"/comments/{comment_id}", method="DELETE").status_code == 403
    bobs = client(app, "bob")
    assert CLEAN in bobs.get(f"/comments/{comment_id}/edit", htmx=True).get_data(as_text=True)
    edited = bobs.post(f"/comments/{comment_id}/edit", {"body": "Edited: how did you chunk it?"})
    assert edited.status_code == 200 and "pending review" in edited.get_data(as_text=True)
    assert "Edited:" not in thread(client(app, "author"), project)  # hidden again until re-checked
    drain(app)
    assert "Edited:" in thread(client(app, "author"), project)
    deleted = bobs.post(f"/comments/{comment_id}", method="DELETE")
    assert deleted.status_code == 200 and "Comment deleted." in deleted.get_data(as_text=True)
    drain(app)
    html = thread(client(app, "author"), project)
    assert "Edited:" not in html and count_in(html) == 0
    assert bobs.post(f"/comments/{comment_id}/edit", {"body": "back"}).status_code == 404


def test_the_project_page_includes_the_live_thread(app):
    author = make_member(app, "author")
    project = publish(app, author)
    html = WebClient(app).get("/@author/speech-to-checklist").get_data(as_text=True)
    assert f'hx-get="/projects/{project}/comments"' in html and f"/ws?topics=comments.{project}" in html


def test_someone_elses_unapproved_comment_does_not_exist_for_you(app):
    author, bob, mod, project, comment_id = flagged_comment(app)
    other = client(app, "author")
    for method, url, data in (("GET", f"/comments/{comment_id}/reply", None),
                              ("GET", f"/comments/{comment_id}/edit", None),
                              ("DELETE", f"/comments/{comment_id}", None)):
        assert other.post(url, data, method=method).status_code == 404
    response = other.post(f"/projects/{project}/comments", {"body": "Hi", "parent_id": comment_id})
    assert response.status_code == 404 and "The comment you reply to does not exist." in response.get_data(as_text=True)
    assert client(app, "bob").get(f"/comments/{comment_id}/edit", htmx=True).status_code == 200
