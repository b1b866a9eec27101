"""The tool directory's write side: the catalog loader, one review per member, project tools."""
import threading
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, ProjectTool, Tool, ToolReview, User
from app.models.tools import CATEGORIES, PRICING
from commands.base import CommandRejected
from tests.conftest import make_member


def _tool(slug: str) -> Tool:
    return db.session.scalar(select(Tool).where(Tool.slug == slug))


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def test_catalog_has_250_real_looking_tools_with_valid_fields(app):
    from commands.tools import read_catalog

    items = read_catalog()
    assert len(items) >= 250
    slugs = [i["slug"] for i in items]
    assert len(slugs) == len(set(slugs))
    assert len({i["description"].lower() for i in items}) == len(items)
    assert len({i["name"].lower() for i in items}) == len(items)
    for item in items:
        url = urlparse(item["website"])
        assert url.scheme in ("http", "https") and url.netloc, item["website"]
        assert item["pricing"] in PRICING and item["category"] in CATEGORIES
        assert 2 <= len(item["use_cases"]) <= 4 and 2 <= len(item["best_practices"]) <= 4
    # Use cases and best practices are written per tool, not pasted across the directory.
    practices = [p for i in items for p in i["best_practices"]]
    assert len(set(practices)) == len(practices)
    assert {i["category"] for i in items} == set(CATEGORIES)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Tool)) == len(items)


def test_loading_again_changes_nothing_and_an_edit_is_an_update(app, tmp_path):
    from commands.tools import load_tools

    with app.app_context():
        before = dict(db.session.execute(select(Tool.slug, Tool.id)).all())
        stamps = dict(db.session.execute(select(Tool.slug, Tool.updated_at)).all())
        counts = load_tools()
        assert counts["added"] == counts["updated"] == 0 and counts["unchanged"] == len(before)
        assert dict(db.session.execute(select(Tool.slug, Tool.id)).all()) == before
        assert dict(db.session.execute(select(Tool.slug, Tool.updated_at)).all()) == stamps

        from app.config import ROOT

        text = (ROOT / "app" / "data" / "tools.toml").read_text()
        edited = tmp_path / "tools.toml"
        edited.write_text(text.replace('vendor = "Ollama"', 'vendor = "Ollama Inc."', 1))
        try:
            assert load_tools(edited)["updated"] == 1
            assert _tool("ollama").vendor == "Ollama Inc." and _tool("ollama").id == before["ollama"]
        finally:
            load_tools()
        assert _tool("ollama").vendor == "Ollama"


def test_the_cli_loads_with_a_progress_bar_and_rejects_a_bad_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["tools", "load"])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[[tool]]\nname = "X"\nvendor = "Y"\ncategory = "nonsense"\nwebsite = "ftp://x.example"\n'
                   'pricing = "cheap"\ndescription = "too short"\nuse_cases = []\nbest_practices = []\n')
    result = app.test_cli_runner().invoke(args=["tools", "load", "--file", str(bad)])
    assert result.exit_code != 0 and "bad.toml" in result.output


def test_a_member_writes_one_review_and_edits_it(app):
    from commands.tools import review_tool

    ada = make_member(app, "ada")
    with app.app_context():
        tool = _tool("ollama")
        first = review_tool(_user(ada), {"tool_id": tool.id, "rating": "4", "body": "  Runs well offline.  "})
        assert (first.rating, first.body) == (4, "Runs well offline.")
        edited = review_tool(_user(ada), {"tool_id": tool.id, "rating": 2, "body": "Slower on my old laptop."})
        assert edited.id == first.id and edited.rating == 2 and edited.updated_at >= edited.created_at
        review_tool(_user(ada), {"tool_id": tool.id, "rating": 2, "body": "Slower on my old laptop."})  # no change
        assert db.session.scalar(select(func.count()).select_from(ToolReview)) == 1
        reviewed = list(db.session.scalars(select(Event).where(Event.type == "ToolReviewed").order_by(Event.id)))
        assert len(reviewed) == 2
        assert reviewed[0].payload | {} == reviewed[0].payload
        assert {k: reviewed[1].payload[k] for k in ("tool_id", "tool_slug", "tool_name", "rating", "previous_rating",
                                                    "edited", "user_id")} == {
            "tool_id": tool.id, "tool_slug": "ollama", "tool_name": "Ollama", "rating": 2, "previous_rating": 4,
            "edited": True, "user_id": ada}
        assert reviewed[0].payload["edited"] is False and reviewed[0].payload["excerpt"] == "Runs well offline."


@pytest.mark.parametrize("rating", [0, 6, -1, "abc", "", None, 4.5])
def test_ratings_are_one_to_five_stars(app, rating):
    from commands.tools import review_tool

    ada = make_member(app, "ada")
    with app.app_context():
        data = {"tool_id": _tool("ollama").id, "body": "hm"}
        if rating is not None:
            data["rating"] = rating
        with pytest.raises(CommandRejected) as exc:
            review_tool(_user(ada), data)
        assert exc.value.status == 422 and "rating" in exc.value.errors
        assert db.session.scalar(select(func.count()).select_from(ToolReview)) == 0


def test_the_database_refuses_a_rating_out_of_range(app):
    from sqlalchemy.exc import IntegrityError

    ada = make_member(app, "ada")
    with app.app_context():
        db.session.add(ToolReview(tool_id=_tool("ollama").id, user_id=ada, rating=6, body=""))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_unknown_tools_and_overlong_reviews_are_refused(app):
    from commands.tools import review_tool

    ada = make_member(app, "ada")
    with app.app_context():
        with pytest.raises(CommandRejected) as exc:
            review_tool(_user(ada), {"tool_id": 999_999, "rating": 3})
        assert exc.value.status == 404
        with pytest.raises(CommandRejected) as exc:
            review_tool(_user(ada), {"tool_id": _tool("ollama").id, "rating": 3, "body": "x" * 2001})
        assert "at most 2000" in exc.value.message


def test_a_double_submit_racing_itself_leaves_one_review(app):
    from commands.tools import review_tool

    ada = make_member(app, "ada")
    with app.app_context():
        tool_id = _tool("vllm").id
    barrier, errors = threading.Barrier(4), []

    def submit(rating):
        with app.app_context():
            try:
                barrier.wait()
                review_tool(_user(ada), {"tool_id": tool_id, "rating": rating, "body": f"take {rating}"})
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(r,)) for r in (2, 3, 4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        rows = list(db.session.scalars(select(ToolReview).where(ToolReview.tool_id == tool_id)))
        assert len(rows) == 1 and rows[0].body == f"take {rows[0].rating}"


def test_reviews_are_deleted_by_their_author_or_a_moderator(app):
    from commands.tools import delete_review, review_tool

    ada, bob, mod = make_member(app, "ada"), make_member(app, "bob"), make_member(app, "mod", role="moderator")
    with app.app_context():
        tool_id = _tool("ollama").id
        review_tool(_user(ada), {"tool_id": tool_id, "rating": 5})
        assert delete_review(_user(bob), {"tool_id": tool_id}) is False  # bob has none
        with pytest.raises(CommandRejected) as exc:
            delete_review(_user(bob), {"tool_id": tool_id, "user_id": ada})
        assert exc.value.status == 403
        assert delete_review(_user(ada), {"tool_id": tool_id}) is True
        review_tool(_user(ada), {"tool_id": tool_id, "rating": 1})
        assert delete_review(_user(mod), {"tool_id": tool_id, "user_id": ada}) is True
        deleted = db.session.scalars(select(Event).where(Event.type == "ToolReviewDeleted")).all()
        assert [e.payload["rating"] for e in deleted] == [5, 1]


def test_only_the_author_sets_a_projects_tools_from_the_directory(app):
    from commands.projects import publish_project
    from commands.tools import set_project_tools

    ada, bob = make_member(app, "ada"), make_member(app, "bob")
    with app.app_context():
        project = publish_project(_user(ada), {"title": "Voice notes"})
        chosen = set_project_tools(_user(ada), {"project_id": project.id,
                                                "tools": ["Whisper", "ollama", "whisper", " pyannote-audio "]})
        assert [t.slug for t in chosen] == ["whisper", "ollama", "pyannote-audio"]
        rows = db.session.execute(select(ProjectTool.tool_id, ProjectTool.position)
                                  .where(ProjectTool.project_id == project.id).order_by(ProjectTool.position)).all()
        assert [r.tool_id for r in rows] == [t.id for t in chosen]
        event = db.session.scalar(select(Event).where(Event.type == "ProjectToolsChanged"))
        assert event.payload["tools"] == ["whisper", "ollama", "pyannote-audio"]
        assert event.payload["added"] == [t.id for t in chosen] and event.payload["removed"] == []

        set_project_tools(_user(ada), {"project_id": project.id, "tools": "whisper,ollama,pyannote-audio"})
        assert db.session.scalar(select(func.count()).select_from(Event)
                                 .where(Event.type == "ProjectToolsChanged")) == 1  # unchanged: no event

        with pytest.raises(CommandRejected) as exc:
            set_project_tools(_user(bob), {"project_id": project.id, "tools": ["vllm"]})
        assert exc.value.status == 403
        with pytest.raises(CommandRejected) as exc:
            set_project_tools(_user(ada), {"project_id": project.id, "tools": ["ollama", "not-a-tool"]})
        assert exc.value.status == 422 and "not-a-tool" in exc.value.message
        eleven = list(db.session.scalars(select(Tool.slug).order_by(Tool.slug).limit(11)))
        with pytest.raises(CommandRejected) as exc:
            set_project_tools(_user(ada), {"project_id": project.id, "tools": eleven})
        assert "at most 10" in exc.value.message
        with pytest.raises(CommandRejected) as exc:
            set_project_tools(_user(ada), {"project_id": 424242, "tools": []})
        assert exc.value.status == 404
        assert set_project_tools(_user(ada), {"project_id": project.id, "tools": []}) == []
        assert db.session.scalar(select(func.count()).select_from(ProjectTool)) == 0
