"""Project pages: blocks edited in place, drafts and private projects kept private, SEO, views."""
import re

import pytest

from tests.conftest import WebClient, drain, make_member

SCRIPT = "<script>window.pwned = 1</script>"


@pytest.fixture
def ada(app):
    make_member(app, "ada")
    make_member(app, "bob")
    make_member(app, "mod", role="moderator")
    return WebClient(app).login("ada")


def new_project(client, title="Retrieval notebook", **extra):
    response = client.post("/projects/new", {"title": title, "description": "What I built.", **extra})
    assert response.status_code == 204, response.get_data(as_text=True)
    return response.headers["HX-Redirect"]


def project_id(client, url) -> int:
    return int(re.search(r'id="project-(\d+)"', client.get(url).get_data(as_text=True)).group(1))


def add(client, pid, kind, **fields):
    return client.post(f"/projects/{pid}/blocks", {"kind": kind, **fields})


def block_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="block-(\d+)"', html)]


def test_blocks_are_added_edited_reordered_and_deleted_in_place(app, ada):
    url = new_project(ada)
    pid = project_id(ada, url)
    form = ada.get(f"/projects/{pid}/blocks/new?kind=code").get_data(as_text=True)
    assert 'name="code"' in form and 'name="language"' in form
    assert add(ada, pid, "heading", text="How it works", level="2").status_code == 200
    assert add(ada, pid, "text", markdown="It **retrieves** first.").status_code == 200
    listing = add(ada, pid, "code", language="python", code="print('<b>hi</b>')").get_data(as_text=True)
    first, second, third = block_ids(listing)
    assert 'class="nn"' in listing or 'class="nb"' in listing  # highlighted by Pygments
    assert "&lt;b&gt;hi&lt;/b&gt;" in listing

    edited = ada.post(f"/projects/blocks/{second}", {"markdown": "It *ranks* then answers."}, method="PUT")
    assert edited.status_code == 200 and "<em>ranks</em>" in edited.get_data(as_text=True)

    moved = ada.post(f"/projects/{pid}/blocks/order", {"order": [str(third), str(first), str(second)]})
    assert block_ids(moved.get_data(as_text=True)) == [third, first, second]
    nudged = ada.post(f"/projects/{pid}/blocks/order", {"move": str(second), "direction": "up"})
    assert block_ids(nudged.get_data(as_text=True)) == [third, second, first]

    assert ada.post(f"/projects/blocks/{third}", method="DELETE").status_code == 200
    page = ada.get(url).get_data(as_text=True)
    assert block_ids(page) == [second, first]  # the order survives a reload
    assert "It <em>ranks</em> then answers." in page


def test_bad_blocks_are_refused_with_a_message_and_nothing_changes(app, ada):
    pid = project_id(ada, new_project(ada))
    add(ada, pid, "heading", text="Keep me")
    cases = [
        ({"kind": "text", "markdown": ""}, "Write some text"),
        ({"kind": "text", "markdown": "x" * 1_000_000}, "at most 20000"),
        ({"kind": "image", "url": "javascript:alert(1)", "alt": "x"}, "http(s)"),
        ({"kind": "image", "url": "https://example.org/a.png", "alt": ""}, "Describe the image"),
        ({"kind": "heading", "text": "Big", "level": "1"}, "level 2 or 3"),
        ({"kind": "video", "url": "https://example.org"}, "a block is one of"),
    ]
    for form, message in cases:
        response = ada.post(f"/projects/{pid}/blocks", form)
        assert 400 <= response.status_code < 500, form
        assert message in response.get_data(as_text=True), (form, response.get_data(as_text=True)[:300])
    ids = block_ids(ada.get(f"/projects/{pid}/blocks/new?kind=text").get_data(as_text=True) +
                    ada.get("/@ada/retrieval-notebook").get_data(as_text=True))
    assert len(ids) == 1
    stale = ada.post(f"/projects/{pid}/blocks/order", {"order": [str(ids[0]), "999"]})
    assert stale.status_code == 409 and "reload" in stale.get_data(as_text=True)


def test_markdown_and_diagrams_never_run_scripts(app, ada):
    pid = project_id(ada, new_project(ada))
    add(ada, pid, "text", markdown=f"Hello {SCRIPT} [click](javascript:alert(1)) <img src=x onerror=alert(1)>")
    add(ada, pid, "mermaid", source=f"flowchart LR\n  A[{SCRIPT}] --> B\n  click A call alert()")
    add(ada, pid, "link", url="https://example.org", label=SCRIPT)
    html = ada.get("/@ada/retrieval-notebook").get_data(as_text=True)
    assert "<script>window.pwned" not in html
    assert "onerror" not in html and "javascript:" not in html
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html  # shown as text, in the diagram source


def test_drafts_and_private_projects_are_private_on_every_route(app, ada):
    url = new_project(ada, "Secret draft", status="draft", topics="agents")
    pid = project_id(ada, url)
    add(ada, pid, "text", markdown="hidden words")
    bob, anonymous, mod = WebClient(app).login("bob"), WebClient(app), WebClient(app).login("mod")
    drain(app)

    def hidden_from(client):
        assert client.get(url).status_code == 404
        assert "Secret draft" not in client.get("/").get_data(as_text=True)
        assert "Secret draft" not in client.get("/@ada").get_data(as_text=True)
        assert url not in client.get("/sitemaps/projects-1.xml").get_data(as_text=True)
        if client is not anonymous:
            assert client.post(f"/projects/{pid}/like").status_code == 404
            assert client.post(f"/projects/{pid}/blocks", {"kind": "text", "markdown": "x"}).status_code == 404
            assert client.get(f"/projects/{pid}/details").status_code == 404
            assert client.post(f"/projects/{pid}/visibility", {"visibility": "public"}).status_code == 404
            assert client.post(f"/projects/{pid}", method="DELETE").status_code == 404
            assert "Secret draft" not in client.get("/feed", htmx=True).get_data(as_text=True)

    for client in (bob, anonymous):
        hidden_from(client)
    assert "Secret draft" in ada.get("/@ada").get_data(as_text=True)
    assert "hidden words" in mod.get(url).get_data(as_text=True)  # moderators see it

    # Published but private: still invisible to others, and noindex for its author's own view.
    assert ada.post(f"/projects/{pid}/publish").status_code == 204
    assert ada.post(f"/projects/{pid}/visibility", {"visibility": "private"}).status_code == 200
    drain(app)
    for client in (bob, anonymous):
        hidden_from(client)
    own = ada.get(url)
    assert own.headers.get("X-Robots-Tag") == "noindex" and 'content="noindex, nofollow"' in own.get_data(as_text=True)

    assert ada.post(f"/projects/{pid}/visibility", {"visibility": "public"}).status_code == 200
    drain(app)
    assert "hidden words" in bob.get(url).get_data(as_text=True)
    assert url in anonymous.get("/sitemaps/projects-1.xml").get_data(as_text=True)


def test_only_the_author_edits(app, ada):
    url = new_project(ada)
    pid = project_id(ada, url)
    add(ada, pid, "heading", text="Mine")
    bob = WebClient(app).login("bob")
    assert bob.post(f"/projects/{pid}/blocks", {"kind": "heading", "text": "Vandal"}).status_code == 403
    assert bob.post(f"/projects/{pid}/details", {"title": "Vandalised"}).status_code == 403
    assert "Vandal" not in bob.get(url).get_data(as_text=True)
    assert "Add a block" not in bob.get(url).get_data(as_text=True)


def test_title_description_and_topics_are_edited_in_place_and_the_url_stays(app, ada):
    url = new_project(ada, topics="rag")
    pid = project_id(ada, url)
    form = ada.get(f"/projects/{pid}/details").get_data(as_text=True)
    assert 'value="Retrieval notebook"' in form and 'value="rag"' in form
    refused = ada.post(f"/projects/{pid}/details", {"title": "", "topics": "rag"})
    assert refused.status_code == 422 and "Titles are 1 to 120 characters." in refused.get_data(as_text=True)
    saved = ada.post(f"/projects/{pid}/details", {"title": "Retrieval notebook, v2", "description": "Now with evals.",
                                                  "topics": "rag, evals"})
    assert saved.status_code == 200 and "Retrieval notebook, v2" in saved.get_data(as_text=True)
    page = WebClient(app).get(url).get_data(as_text=True)  # same URL: shared links keep working
    assert "<h1>Retrieval notebook, v2</h1>" in page and "Now with evals." in page and "<li>evals</li>" in page


def test_public_pages_are_seo_ready(app, ada):
    url = new_project(ada, "Agent evaluation harness", topics="agents, evals")
    pid = project_id(ada, url)
    add(ada, pid, "image", url="https://example.org/shot.png", alt="The harness dashboard")
    assert url == "/@ada/agent-evaluation-harness"
    html = WebClient(app).get(url).get_data(as_text=True)
    assert "<title>Agent evaluation harness by @ada · AllThrive</title>" in html
    assert '<meta name="description" content="What I built.">' in html
    assert '<meta property="og:title" content="Agent evaluation harness">' in html
    assert '<meta property="og:image" content="https://example.org/shot.png">' in html
    assert '<link rel="canonical" href="http://localhost/@ada/agent-evaluation-harness">' in html
    assert "noindex" not in html
    share = re.search(r'href="(https://twitter.com/intent/tweet\?[^"]+)"', html).group(1)
    assert "Agent+evaluation+harness" in share and "%2F%40ada%2Fagent-evaluation-harness" in share
    assert "linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Flocalhost%2F%40ada" in html

    index = WebClient(app).get("/sitemap.xml")
    assert index.status_code == 200 and index.content_type.startswith("application/xml")
    assert "<loc>http://localhost/sitemaps/projects-1.xml</loc>" in index.get_data(as_text=True)
    sitemap = WebClient(app).get("/sitemaps/projects-1.xml").get_data(as_text=True)
    assert "<loc>http://localhost/@ada/agent-evaluation-harness</loc>" in sitemap
    assert "Sitemap: http://localhost/sitemap.xml" in WebClient(app).get("/robots.txt").get_data(as_text=True)


def test_views_are_counted_in_redis_then_folded_into_postgres_once(app, ada):
    from app.extensions import db
    from app.models import Project
    from tests.conftest import statements
    from workers.views import flush_views

    url = new_project(ada)
    pid = project_id(ada, url)
    readers = [WebClient(app).login("bob"), WebClient(app).login("mod"), WebClient(app)]
    with statements(app) as ran:
        for client in readers:
            client.get(url)
            client.get(url)  # a reload within half an hour is the same view
    assert not [s for s in ran if s in ("INSERT", "UPDATE")]
    ada.get(url)  # the author's own views don't count
    assert "3 views" in ada.get(url).get_data(as_text=True)
    with app.app_context():
        assert flush_views() == 3
        assert flush_views() == 0
        assert db.session.get(Project, pid).view_count == 3
    assert "3 views" in ada.get(url).get_data(as_text=True)


def test_a_batch_left_by_a_dead_flusher_is_counted_once(app, ada):
    from app.extensions import db, store
    from app.models import Project
    from app.read import keys
    from commands.projects import record_views
    from workers.views import flush_views

    pid = project_id(ada, new_project(ada))
    with app.app_context():
        r = store().client
        r.hset(keys.views_flushing(), mapping={"batch": "b1", str(pid): 5})
        record_views({"batch_id": "b1", "counts": {pid: 5}})  # committed, then the worker died
        r.hset(keys.views_pending(), str(pid), 2)
        assert flush_views() == 2  # the old batch is dropped (already counted), the new one folded
        db.session.expire_all()
        assert db.session.get(Project, pid).view_count == 7
