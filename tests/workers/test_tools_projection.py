"""The tool directory's read model: stats, averages and sorts, live projection equals a rebuild."""
from sqlalchemy import select, update

from app.extensions import db
from app.models import Event, Project, Tool, User
from app.read import tools as read_tools
from tests.conftest import drain, make_member, redis_snapshot


def _ids(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(Tool.slug, Tool.id)).all())


def _community(app):
    """Three members review and use a handful of tools; one project is a draft, one private."""
    from commands.projects import publish_project
    from commands.tools import review_tool, set_project_tools

    ids = _ids(app)
    members = [make_member(app, n) for n in ("ada", "bob", "cyd")]
    with app.app_context():
        ada, bob, cyd = (db.session.get(User, m) for m in members)
        for member, ratings in ((ada, {"ollama": 5, "vllm": 3, "pinecone": 2}),
                                (bob, {"ollama": 4, "vllm": 5}),
                                (cyd, {"ollama": 3, "qdrant": 4})):
            for slug, rating in ratings.items():
                review_tool(member, {"tool_id": ids[slug], "rating": rating, "body": f"{slug} review"})
        review_tool(cyd, {"tool_id": ids["qdrant"], "rating": 5})  # an edit: still one review
        listed = [publish_project(m, {"title": f"Listed by {m.username}"}) for m in (ada, bob, cyd)]
        draft = publish_project(ada, {"title": "Still a draft"})
        secret = publish_project(bob, {"title": "Only for me"})
        db.session.execute(update(Project).where(Project.id == draft.id).values(status="draft"))
        db.session.execute(update(Project).where(Project.id == secret.id).values(visibility="private"))
        db.session.commit()
        set_project_tools(ada, {"project_id": listed[0].id, "tools": ["qdrant", "ollama"]})
        set_project_tools(bob, {"project_id": listed[1].id, "tools": ["qdrant"]})
        set_project_tools(cyd, {"project_id": listed[2].id, "tools": ["qdrant", "vllm"]})
        set_project_tools(ada, {"project_id": draft.id, "tools": ["pinecone", "vllm"]})
        set_project_tools(bob, {"project_id": secret.id, "tools": ["pinecone"]})
        return ids, [p.id for p in listed], draft.id, secret.id


def test_averages_usage_and_sorts_come_from_the_read_model(app):
    ids, listed, draft, secret = _community(app)
    drain(app)
    with app.app_context():
        stats = read_tools.stats_of([ids[s] for s in ("ollama", "vllm", "qdrant", "pinecone", "chroma")])
        assert stats[ids["ollama"]] == read_tools.ToolStats(reviews=3, rating_sum=12, projects=1)
        assert stats[ids["ollama"]].average == 4.0
        assert stats[ids["vllm"]] == read_tools.ToolStats(2, 8, 1)  # the draft's use does not count
        assert stats[ids["qdrant"]] == read_tools.ToolStats(1, 5, 3)
        assert stats[ids["pinecone"]] == read_tools.ToolStats(1, 2, 0)  # draft and private only
        assert stats[ids["chroma"]] == read_tools.ToolStats()

        by_rating = read_tools.directory(read_tools.DirectoryQuery(sort="rating"))
        assert [t.slug for t in by_rating.items[:4]] == ["qdrant", "ollama", "vllm", "pinecone"]
        by_usage = read_tools.directory(read_tools.DirectoryQuery(sort="usage"))
        assert [t.slug for t in by_usage.items[:3]] == ["qdrant", "ollama", "vllm"]  # 3, then 1 and 1 by name
        assert by_rating.total == by_usage.total == db.session.query(Tool).count()
        assert [t.slug for t in read_tools.top("rating", 2)] == ["qdrant", "ollama"]

    # At the same average, more reviews rank first: qdrant (5, 5) above chroma (5).
    from commands.tools import review_tool

    dee = make_member(app, "dee")
    with app.app_context():
        for slug in ("chroma", "qdrant"):
            review_tool(db.session.get(User, dee), {"tool_id": ids[slug], "rating": 5})
    drain(app)
    with app.app_context():
        by_rating = read_tools.directory(read_tools.DirectoryQuery(sort="rating"))
        assert [t.slug for t in by_rating.items[:3]] == ["qdrant", "chroma", "ollama"]
        only_vectors = read_tools.directory(read_tools.DirectoryQuery(category="vector-databases", sort="rating"))
        assert [t.slug for t in only_vectors.items[:3]] == ["qdrant", "chroma", "pinecone"]


def test_listing_changes_and_deletions_move_the_usage_counts(app):
    from commands.projects import delete_project

    ids, listed, draft, secret = _community(app)
    drain(app)
    from commands.projects import publish_draft, set_visibility

    def author_of(project_id):
        return db.session.get(User, db.session.get(Project, project_id).author_id)

    with app.app_context():
        publish_draft(author_of(draft), {"project_id": draft})  # the draft is published: its tools count
    drain(app)
    with app.app_context():
        assert read_tools.stats_of([ids["pinecone"]])[ids["pinecone"]].projects == 1
        set_visibility(author_of(draft), {"project_id": draft, "visibility": "private"})
    drain(app)
    with app.app_context():
        assert read_tools.stats_of([ids["pinecone"]])[ids["pinecone"]].projects == 0  # private: not counted
        set_visibility(author_of(draft), {"project_id": draft, "visibility": "public"})
    drain(app)
    with app.app_context():
        assert read_tools.stats_of([ids["pinecone"]])[ids["pinecone"]].projects == 1
        delete_project(db.session.get(User, db.session.get(Project, listed[2]).author_id), {"project_id": listed[2]})
    drain(app)
    with app.app_context():
        stats = read_tools.stats_of([ids["qdrant"], ids["vllm"]])
        assert stats[ids["qdrant"]].projects == 2 and stats[ids["vllm"]].projects == 1  # vllm: the draft now


def test_projecting_twice_changes_nothing_and_a_rebuild_equals_live(app):
    from workers.jobs import rebuild
    from workers.projectors import PROJECTORS
    from workers.projectors import tools as projector

    _community(app)
    drain(app)
    live = {k: v for k, v in redis_snapshot(app).items() if k.startswith(("at:tool:", "at:tools:"))}
    assert "at:tools:by_rating" in live and "at:tools:by_usage" in live
    with app.app_context():
        assert PROJECTORS["tools"] is projector and projector.STAGE == "live"
        projector.project(list(db.session.scalars(select(Event).order_by(Event.id))))
    assert {k: v for k, v in redis_snapshot(app).items() if k.startswith(("at:tool:", "at:tools:"))} == live
    with app.app_context():
        assert projector.count() == db.session.query(Tool).count()
        rebuild(["tools"])
    assert {k: v for k, v in redis_snapshot(app).items() if k.startswith(("at:tool:", "at:tools:"))} == live
    result = app.test_cli_runner().invoke(args=["projections", "rebuild", "tools"])
    assert result.exit_code == 0 and "tools: rebuilt from" in result.output
    assert {k: v for k, v in redis_snapshot(app).items() if k.startswith(("at:tool:", "at:tools:"))} == live


def test_the_directory_copes_with_redis_being_down(app, services):
    _community(app)
    drain(app)
    services["redis"].stop()
    try:
        with app.app_context():
            page = read_tools.directory(read_tools.DirectoryQuery(sort="rating"))
            assert page.stale and page.items[0].stats is None
            assert [t.name.lower() for t in page.items] == sorted(t.name.lower() for t in page.items)
    finally:
        services["redis"].start()
