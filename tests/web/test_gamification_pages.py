"""The dashboard, daily reward, side quests, achievements, follows and interests over HTTP."""
import re

from app.extensions import db
from app.models import Follow, MemberTopic
from tests.conftest import WebClient, drain, make_member


def test_dashboard_shows_onboarding_streak_goals_and_quests(app, web):
    make_member(app, "ada", time_zone="Asia/Kathmandu")
    web.login("ada")
    assert "being tallied" in web.get("/dashboard").get_data(as_text=True)  # before projection
    web.post("/projects/new", {"title": "Tiny agent", "topics": "agents"})
    drain(app)
    html = web.get("/dashboard").get_data(as_text=True)
    assert 'id="progress-panel"' in html and "Get started" in html
    assert 'data-step="publish_project"' in html and re.search(r'class="done" data-step="publish_project"', html)
    assert 'data-streak="1"' in html
    assert "Monday 00:00, Asia/Kathmandu" in html
    assert 'ws-connect="/ws?topics=panel.progress"' in html


def test_daily_reward_opens_once(app, web):
    make_member(app, "ada")
    web.login("ada")
    first = web.post("/rewards/daily")
    amount = re.search(r'class="big reveal">\+(\d+)<', first.get_data(as_text=True)).group(1)
    second = web.post("/rewards/daily").get_data(as_text=True)
    assert f"+{amount}</p>" in second and "Already opened today." in second


def test_start_a_side_quest(app, web):
    make_member(app, "ada")
    web.login("ada")
    html = web.post("/quests/say_hello/start").get_data(as_text=True)
    assert 'id="quest-say_hello"' in html and "0/3" in html and "Side quest started" in html
    assert web.post("/quests/say_hello/start").status_code == 409
    assert web.post("/quests/nope/start").status_code == 404


def test_achievements_page_shows_rarity_share_and_progress(app, web):
    make_member(app, "ada")
    make_member(app, "bob")
    web.login("ada")
    web.post("/projects/new", {"title": "Hello project"})
    drain(app)
    html = web.get("/achievements").get_data(as_text=True)
    card = re.search(r'data-achievement="hello_world".*?</li>', html, re.S).group(0)
    assert "Unlocked" in card and "50% of members have this" in card
    builder = re.search(r'data-achievement="builder".*?</li>', html, re.S).group(0)
    assert 'data-progress="1/5"' in builder and "Nobody has this yet" in builder
    anonymous = WebClient(app).get("/achievements").get_data(as_text=True)
    assert "Legendary" in anonymous and "data-progress" not in anonymous


def test_follow_and_unfollow_from_a_profile(app, web):
    make_member(app, "ada")
    bob = make_member(app, "bob")
    web.login("ada")
    assert 'hx-post="/members/%d/follow"' % bob in web.get("/@bob").get_data(as_text=True)
    assert "Following" in web.post(f"/members/{bob}/follow").get_data(as_text=True)
    assert 'aria-pressed="true"' in web.get("/@bob").get_data(as_text=True)
    assert ">Follow<" in web.post(f"/members/{bob}/follow", method="DELETE").get_data(as_text=True)
    assert web.post("/members/999/follow").status_code == 404
    with app.app_context():
        assert db.session.query(Follow).count() == 0


def test_interests_must_come_from_the_list(app, web):
    uid = make_member(app, "ada")
    web.login("ada")
    bad = web.post("/settings/interests", {"topics": ["rag", "<script>"]})
    assert bad.status_code == 422 and "Pick topics from the list." in bad.get_data(as_text=True)
    ok = web.post("/settings/interests", {"topics": ["rag", "agents", "ocr"]})
    assert ok.status_code == 200 and "3 topic(s) saved." in ok.get_data(as_text=True)
    with app.app_context():
        assert {t.topic for t in db.session.query(MemberTopic).filter_by(user_id=uid)} == {"rag", "agents", "ocr"}


def test_dashboard_needs_a_login(app, web):
    assert web.get("/dashboard").status_code == 302
