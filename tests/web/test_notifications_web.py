"""Notifications over HTTP: bell, menu, pages, settings, digest e-mail, unsubscribe without log-in."""
import re
from datetime import datetime, timezone

from app.extensions import db
from app.models import NotificationSettings, User
from commands.projects import publish_project
from commands.social import follow_member, like_project
from tests.conftest import WebClient, drain, make_member
from workers import nudges


def test_bell_menu_and_mark_all_read(app, web):
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    with app.app_context():
        follow_member(db.session.get(User, bob), {"user_id": alice})
    drain(app)
    web.login("alice")
    page = web.get("/").get_data(as_text=True)
    assert 'data-unread="1"' in page
    menu = web.get("/notifications/menu", htmx=True).get_data(as_text=True)
    assert "@bob followed you" in menu and 'hx-post="/members/%d/follow"' % bob in menu  # follow back
    cleared = web.post("/notifications/read-all").get_data(as_text=True)
    assert "1 notification(s) marked read." in cleared and 'data-unread' not in cleared
    drain(app)
    assert 'data-unread' not in web.get("/").get_data(as_text=True)


def test_opening_a_notification_marks_it_read_and_goes_there(app, web):
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    with app.app_context():
        project = publish_project(db.session.get(User, alice), {"title": "Go there"})
        like_project(db.session.get(User, bob), {"project_id": project.id})
    drain(app)
    web.login("alice")
    page = web.get("/notifications").get_data(as_text=True)
    notification_id = re.search(r'data-type="project_like" id="notification-(\d+)"', page).group(1)
    response = web.post(f"/notifications/{notification_id}/open")
    assert response.headers["HX-Redirect"] == "/@alice/go-there"
    assert WebClient(app).login("bob").post(f"/notifications/{notification_id}/open").status_code == 404


def test_settings_validate_and_save(app, web):
    uid = make_member(app, "alice")
    web.login("alice")
    bad = web.post("/settings/notifications", {"quiet_start": "25:00", "quiet_end": "08:00"}, htmx=False)
    assert bad.status_code == 422 and "Use a time like 22:00." in bad.get_data(as_text=True)
    ok = web.post("/settings/notifications", {"quiet_start": "23:30", "quiet_end": "07:00",
                                              "enabled": ["project_like:in_app"]}, htmx=False)
    assert ok.status_code == 200
    with app.app_context():
        settings = db.session.get(NotificationSettings, uid)
        assert (settings.quiet_start, settings.quiet_end, settings.email_enabled) == (23 * 60 + 30, 7 * 60, False)
        assert settings.channels["project_like"] == {"in_app": True, "email": False}


def test_daily_digest_by_smtp_and_one_click_unsubscribe(app, web, mailbox):
    alice, bob = make_member(app, "alice", time_zone="Europe/Paris"), make_member(app, "bob")
    with app.app_context():
        project = publish_project(db.session.get(User, alice), {"title": "Digest me"})
        like_project(db.session.get(User, bob), {"project_id": project.id})
        follow_member(db.session.get(User, bob), {"user_id": alice})
    drain(app)
    with app.app_context():
        nudges.run(datetime(2026, 11, 24, 6, 59, tzinfo=timezone.utc))  # 07:59 in Paris: not yet
        assert mailbox.messages == []
        nudges.run(datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc))   # 08:00 in Paris
        nudges.run(datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc))  # once a day
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == "alice <alice@example.com>"
    assert re.fullmatch(r"\d+ things you missed on AllThrive", message["Subject"])
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "@bob liked your project “Digest me”" in text and "@bob followed you" in html
    assert "http://allthrive.test/@alice/digest-me" in text
    link = re.search(r"(http://allthrive\.test/unsubscribe/\S+)", text).group(1)
    assert message["List-Unsubscribe"] == f"<{link}>"

    anonymous = WebClient(app)
    path = link.replace("http://allthrive.test", "")
    assert "Stop all e-mails?" in anonymous.get(path).get_data(as_text=True)
    assert "You're unsubscribed" in anonymous.client.post(path).get_data(as_text=True)  # no log-in, no CSRF
    with app.app_context():
        assert db.session.get(NotificationSettings, alice).email_enabled is False
    assert anonymous.get("/unsubscribe/forged-token").status_code == 404


def test_follower_lists_show_follows_you_and_mutual(app, web):
    alice, bob, cyd = make_member(app, "alice"), make_member(app, "bob"), make_member(app, "cyd")
    with app.app_context():
        follow_member(db.session.get(User, bob), {"user_id": alice})
        follow_member(db.session.get(User, alice), {"user_id": bob})
        follow_member(db.session.get(User, cyd), {"user_id": alice})
    web.login("alice")
    html = web.get("/@alice/followers").get_data(as_text=True)
    bob_row = re.search(rf'data-user-id="{bob}".*?</li>', html, re.S).group(0)
    cyd_row = re.search(rf'data-user-id="{cyd}".*?</li>', html, re.S).group(0)
    assert "mutual" in bob_row and "follows you" in cyd_row
    profile = web.get("/@alice").get_data(as_text=True)
    assert "<strong>2</strong> followers" in profile and "<strong>1</strong> following" in profile


def test_suggestions_skip_self_followed_and_blocked(app, web):
    ids = {n: make_member(app, n) for n in ("alice", "bob", "cyd", "dee", "eve")}
    from commands.accounts import choose_interests
    from commands.notifications import block_member

    with app.app_context():
        for name in ("alice", "cyd", "dee", "eve"):
            choose_interests(db.session.get(User, ids[name]), {"topics": ["rag", "agents", "ocr"]})
        follow_member(db.session.get(User, ids["alice"]), {"user_id": ids["bob"]})
        follow_member(db.session.get(User, ids["bob"]), {"user_id": ids["eve"]})
        block_member(db.session.get(User, ids["alice"]), {"user_id": ids["dee"]})
    web.login("alice")
    html = web.get("/people/suggested").get_data(as_text=True)
    shown = set(re.findall(r'class="connection" data-user-id="(\d+)"', html))
    assert shown == {str(ids["cyd"]), str(ids["eve"])}
    assert "followed by 1 member you follow" in html and "3 topics in common" in html


def test_block_and_mute_buttons(app, web):
    make_member(app, "alice")
    bob = make_member(app, "bob")
    web.login("alice")
    assert "Unblock" in web.post(f"/members/{bob}/block").get_data(as_text=True)
    assert "Unmute" in web.post(f"/members/{bob}/mute").get_data(as_text=True)
    assert web.post(f"/members/{bob}/follow").status_code == 403
    assert web.post("/members/999/block").status_code == 404


def test_the_site_is_installable(app, web):
    manifest = web.get("/static/manifest.webmanifest")
    assert manifest.status_code == 200 and b'"display": "standalone"' in manifest.data
    worker = web.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/"


def test_critical_alerts_are_emailed_at_once_but_not_in_quiet_hours(app, mailbox):
    from sqlalchemy import select

    from app.models import Event, Notification
    from app.models.types import frozen_time
    from commands.notifications import notify

    alice = make_member(app, "alice", time_zone="UTC")
    bob = make_member(app, "bob")
    with app.app_context():
        cause = db.session.scalar(select(Event.id).order_by(Event.id.desc()))
        with frozen_time(datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)):
            notify(alice, "battle_challenge", cause, actor_id=bob, link="/battles/1")
            drain(app)
    assert [m["Subject"] for m in mailbox.messages] == ["@bob challenged you to a battle"]
    mailbox.clear()
    with app.app_context():
        with frozen_time(datetime(2026, 11, 24, 23, 0, tzinfo=timezone.utc)):  # quiet hours
            notify(alice, "battle_challenge", cause - 1, actor_id=bob, link="/battles/2")
            drain(app)
        assert mailbox.messages == []
        waiting = db.session.scalar(select(Notification).where(Notification.link == "/battles/2"))
        assert waiting.emailed_at is None  # the morning digest will carry it


def test_weekly_recap_on_monday_morning(app, mailbox):
    make_member(app, "alice", time_zone="Asia/Tokyo")
    drain(app)
    with app.app_context():
        nudges.run(datetime(2026, 11, 23, 0, 30, tzinfo=timezone.utc))  # Monday 09:30 in Tokyo
        nudges.run(datetime(2026, 11, 23, 1, 30, tzinfo=timezone.utc))  # once a week
    recaps = [m for m in mailbox.messages if m["Subject"].startswith("Your week on AllThrive")]
    assert len(recaps) == 1
    assert "You're #1 on the global leaderboard." in recaps[0].get_body(("plain",)).get_content()
