"""The tool directory in the web layer: filters, sorts, compare, tool pages, reviews, the picker."""
import re

from sqlalchemy import select, update

from app.extensions import db
from app.models import Project, Tool, ToolReview, User
from tests.conftest import WRITES, WebClient, drain, make_member, statements


def _titles(html: str) -> list[str]:
    return re.findall(r'class="title" href="/tools/([^"]+)"', html)


def test_directory_filters_sorts_searches_and_swaps_results_only(app, web):
    make_member(app, "ada")
    page = web.get("/tools")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="tool-filters"' in html and 'id="tool-results"' in html
    assert re.search(r'data-total="(\d+)"', html).group(1) == str(_count(app))
    assert 'href="/tools">Tools</a>' in html  # the header link

    fragment = web.get("/tools?category=vector-databases&sort=name", htmx=True).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="tool-results"')
    slugs = _titles(fragment)
    with app.app_context():
        expected = sorted(db.session.execute(select(Tool.name, Tool.slug).where(Tool.category == "vector-databases")),
                          key=lambda r: r.name.lower())
    assert slugs == [r.slug for r in expected]

    free = _titles(web.get("/tools?pricing=open-source&category=local-inference&sort=name").get_data(as_text=True))
    with app.app_context():
        assert all(db.session.scalar(select(Tool.pricing).where(Tool.slug == s)) == "open-source" for s in free)
    assert "ollama" in free and "lm-studio" not in free  # LM Studio is free, not open source

    assert set(_titles(web.get("/tools?q=LLAMA").get_data(as_text=True))) >= {"llama-cpp", "llamaindex", "ollama"}
    assert 'No tools match' in web.get("/tools?q=zzzznothing").get_data(as_text=True)
    # Unknown filter values fall back to everything rather than failing.
    assert web.get("/tools?category=nope&pricing=nope&sort=nope&page=x").status_code == 200
    pages = web.get("/tools?sort=name&page=2").get_data(as_text=True)
    assert 'aria-current="page">2<' in pages


def _count(app) -> int:
    with app.app_context():
        return db.session.query(Tool).count()


def test_compare_two_to_four_tools_or_say_why_not(app, web):
    ok = web.get("/tools/compare?tools=ollama,vllm&tools=llama-cpp")
    html = ok.get_data(as_text=True)
    assert ok.status_code == 200 and 'id="compare-table"' in html
    for name in ("Ollama", "vLLM", "llama.cpp", "Projects using it", "Use cases", "Average rating"):
        assert name in html
    one = web.get("/tools/compare?tools=ollama")
    assert one.status_code == 400 and "at least 2 tools" in one.get_data(as_text=True)
    five = web.get("/tools/compare?tools=ollama,vllm,llama-cpp,chroma,qdrant")
    assert five.status_code == 400 and "at most 4 tools" in five.get_data(as_text=True)
    unknown = web.get("/tools/compare?tools=ollama,made-up-tool")
    assert unknown.status_code == 404 and "made-up-tool" in unknown.get_data(as_text=True)
    assert web.get("/tools/compare").status_code == 400
    # The directory's checkboxes submit to the compare page.
    assert 'id="compare-form"' in web.get("/tools").get_data(as_text=True)


def test_tool_page_lists_only_published_public_projects_and_reviews(app, web):
    from commands.projects import publish_project
    from commands.tools import review_tool, set_project_tools

    ada, bob = make_member(app, "ada"), make_member(app, "bob")
    with app.app_context():
        ada_u, bob_u = db.session.get(User, ada), db.session.get(User, bob)
        shown = publish_project(ada_u, {"title": "Shown to all"})
        draft = publish_project(ada_u, {"title": "Draft thing"})
        private = publish_project(bob_u, {"title": "Private thing"})
        db.session.execute(update(Project).where(Project.id == draft.id).values(status="draft"))
        db.session.execute(update(Project).where(Project.id == private.id).values(visibility="private"))
        db.session.commit()
        for member, project in ((ada_u, shown), (ada_u, draft), (bob_u, private)):
            set_project_tools(member, {"project_id": project.id, "tools": ["ollama"]})
        tool_id = db.session.scalar(select(Tool.id).where(Tool.slug == "ollama"))
        review_tool(bob_u, {"tool_id": tool_id, "rating": 4, "body": "Great <b>offline</b>."})
    drain(app)
    with statements(app) as ran:
        page = web.get("/tools/ollama")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and not [s for s in ran if s in WRITES]
    assert "Shown to all" in html and "Draft thing" not in html and "Private thing" not in html
    assert 'rel="noopener nofollow"' in html and 'href="https://ollama.com"' in html
    assert "Great &lt;b&gt;offline&lt;/b&gt;." in html  # escaped
    assert 'data-reviews="1"' in html and "used in 1 project" in html
    assert "Log in</a> to rate and review" in html
    assert web.get("/tools/no-such-tool").status_code == 404
    # Even the author does not see their draft listed on a public tool page.
    assert "Draft thing" not in WebClient(app).login("ada").get("/tools/ollama").get_data(as_text=True)


def test_reviewing_through_the_page_answers_with_the_fresh_rating(app):
    make_member(app, "ada")
    web = WebClient(app).login("ada")
    bad = web.post("/tools/ollama/review", {"rating": "9", "body": "hm"})
    assert bad.status_code == 422 and "Ratings are 1 to 5 stars." in bad.get_data(as_text=True)
    missing = web.post("/tools/ollama/review", {"body": "no stars"})
    assert missing.status_code == 422 and "Pick a rating" in missing.get_data(as_text=True)

    ok = web.post("/tools/ollama/review", {"rating": "4", "body": "Works offline."})
    html = ok.get_data(as_text=True)
    assert ok.status_code == 200 and 'id="review-form"' in html and "Edit your review" in html
    assert re.search(r'id="tool-rating"[^>]*hx-swap-oob="true"', html) and 'data-average="4.00"' in html
    assert 'id="tool-reviews"' in html and "Works offline." in html
    again = web.post("/tools/ollama/review", {"rating": "2", "body": "Slower than I hoped."}).get_data(as_text=True)
    assert 'data-average="2.00"' in again and 'data-reviews="1"' in again
    with app.app_context():
        assert db.session.query(ToolReview).count() == 1
    gone = web.post("/tools/ollama/review", method="DELETE")
    assert gone.status_code == 200 and "No reviews yet" in gone.get_data(as_text=True)
    # Without JavaScript: a plain form post redirects back to the tool page.
    plain = web.post("/tools/ollama/review", {"rating": "5"}, htmx=False)
    assert plain.status_code == 302 and plain.headers["Location"].endswith("/tools/ollama")
    anonymous = WebClient(app).post("/tools/ollama/review", {"rating": "5"})
    assert anonymous.status_code in (302, 401) and "/login" in anonymous.headers.get("Location", "/login")
    with app.app_context():
        assert db.session.query(ToolReview).count() == 1


def test_the_project_tool_picker_is_for_the_author_only(app):
    from commands.projects import publish_project

    ada = make_member(app, "ada")
    make_member(app, "bob")
    with app.app_context():
        project = publish_project(db.session.get(User, ada), {"title": "Speech diary"})
        pid = project.id
    owner, other = WebClient(app).login("ada"), WebClient(app).login("bob")
    assert other.get(f"/projects/{pid}/tools/edit").status_code == 403
    assert other.post(f"/projects/{pid}/tools", {"tools": "whisper"}).status_code == 403
    picker = owner.get(f"/projects/{pid}/tools/edit", htmx=True).get_data(as_text=True)
    assert picker.lstrip().startswith('<form id="tool-picker"') and "No tools chosen yet" in picker

    found = owner.get(f"/projects/{pid}/tools/suggest?q=whis", htmx=True).get_data(as_text=True)
    assert 'value="whisper"' in found and 'value="whisper-cpp"' in found
    added = owner.get(f"/projects/{pid}/tools/edit?picking=1&tools=ollama&add=whisper",
                      htmx=True).get_data(as_text=True)
    assert re.findall(r'name="tools" value="([^"]+)"', added) == ["ollama", "whisper"]
    removed = owner.get(f"/projects/{pid}/tools/edit?picking=1&tools=ollama&tools=whisper&remove=ollama",
                        htmx=True).get_data(as_text=True)
    assert re.findall(r'name="tools" value="([^"]+)"', removed) == ["whisper"]
    assert 'value="whisper"' not in owner.get(f"/projects/{pid}/tools/suggest?q=whis&tools=whisper",
                                              htmx=True).get_data(as_text=True)

    saved = owner.post(f"/projects/{pid}/tools", {"tools": ["whisper", "pyannote-audio"]})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and '<section id="built-with"' in html
    assert html.index("Whisper") < html.index("pyannote.audio") and "Edit tools" in html
    bad = owner.post(f"/projects/{pid}/tools", {"tools": ["whisper", "nonsense-tool"]})
    assert bad.status_code == 422 and "nonsense-tool" in bad.get_data(as_text=True)
    plain = owner.get(f"/projects/{pid}/tools/edit")
    assert plain.status_code == 200 and "<html" in plain.get_data(as_text=True)

    with app.test_request_context("/"):  # the fragment the project page includes, read-only for others
        from flask import render_template

        with app.app_context():
            project = db.session.get(Project, pid)
            html = render_template("fragments/tools/built_with.html", project=project)
    assert "Built with" in html and "/tools/whisper" in html and "Edit tools" not in html
