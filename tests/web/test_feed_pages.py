"""The feed page over HTTP: tabs, next pages by cursor, why-lines, reads without writes."""
import re

from sqlalchemy import text

from app.extensions import db
from app.models import User
from app.rules import FEED
from commands.projects import publish_project
from commands.social import follow_member
from tests.conftest import WRITES, drain, make_member, statements


def test_feed_tabs_and_cursor_pages(app, web, monkeypatch):
    monkeypatch.setitem(FEED, "page_size", 4)
    author, reader = make_member(app, "author"), make_member(app, "reader")
    with app.app_context():
        follow_member(db.session.get(User, reader), {"user_id": author})
        for i in range(6):
            publish_project(db.session.get(User, author), {"title": f"Build log {i}", "topics": "rag"})
    drain(app)
    web.login("reader")
    page = web.get("/feed").get_data(as_text=True)
    assert 'ws-connect="/ws?topics=panel.feed"' in page and "You follow @author" in page
    first_ids = re.findall(r'class="feed-item[^"]*" data-id="(\d+)"', page)
    assert len(first_ids) == 4
    loader = re.search(r'hx-get="(/feed\?tab=following&amp;before=\d+)"', page).group(1).replace("&amp;", "&")
    more = web.get(loader, htmx=True).get_data(as_text=True)
    more_ids = re.findall(r'data-id="(\d+)"', more)
    assert more_ids and not set(more_ids) & set(first_ids)
    assert int(max(more_ids, key=int)) < int(min(first_ids, key=int))
    ranked = web.get("/feed?tab=for-you", htmx=True).get_data(as_text=True)
    assert 'id="feed"' in ranked and "Because" in ranked


def test_feed_reads_do_not_write(app, web):
    make_member(app, "reader")
    web.login("reader")
    drain(app)
    with statements(app) as ran:
        assert web.get("/feed").status_code == 200
        assert web.get("/feed?tab=for-you", htmx=True).status_code == 200
    assert ran and not [s for s in ran if s in WRITES]


def test_feed_statements_are_prepared_across_requests(app, web):
    """A page's statements keep their text whatever it shows, and the read bind never rolls back
    (which would make psycopg forget them): after a few pages they run as prepared statements."""
    from sqlalchemy import text

    make_member(app, "reader")
    web.login("reader")
    drain(app)
    for _ in range(7):
        assert web.get("/feed", htmx=True).status_code == 200
    with app.app_context(), db.engines["read"].connect() as conn:
        prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("FROM follows" in s for s in prepared), prepared


def test_feed_needs_a_login(app, web):
    assert web.get("/feed").status_code == 302


def test_a_deleted_member_is_logged_out_at_once(app, web):
    make_member(app, "leaving")
    web.login("leaving")
    assert web.get("/feed", htmx=True).status_code == 200
    with app.app_context():
        db.session.execute(text("TRUNCATE users CASCADE"))
        db.session.commit()
    response = web.get("/feed", htmx=True)
    assert response.status_code != 200 and 'id="feed"' not in response.get_data(as_text=True)
