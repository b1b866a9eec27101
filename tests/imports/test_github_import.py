"""Importing a public GitHub repository (a stand-in for GitHub's REST API on 127.0.0.1) as a draft."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.ai.local import LocalProvider
from app.extensions import db
from app.imports import import_repository
from app.models import Event, Project, User
from commands.base import CommandRejected
from tests.conftest import make_member
from tests.standins.github import repository

URL = "https://github.com/octo/tiny-rag"


def projects_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Project))


def test_a_repository_becomes_a_draft_with_its_readme_as_blocks(app, ctx, github_api):
    alice = db.session.get(User, make_member(app, "alice"))
    imported = import_repository(alice, {"url": URL})
    project = db.session.get(Project, imported.project.id)

    assert (project.status, project.visibility, project.author_id) == ("draft", "public", alice.id)
    assert (project.title, project.slug, project.source_url) == ("tiny-rag", "tiny-rag", URL)
    assert project.description == "Retrieval augmented generation on a laptop"
    assert project.ai_summary and project.ai_summary == LocalProvider().summarise(project.ai_summary, max_words=60)
    assert project.topics == ["rag", "llm", "embeddings", "python"]
    assert imported.notes == []
    assert [(b.kind, b.data) for b in project.blocks] == [
        ("link", {"url": URL, "label": "octo/tiny-rag on GitHub"}),
        ("link", {"url": "https://tiny-rag.example", "label": "Homepage"}),
        ("text", {"markdown": "★ 1,234 stars · Languages: Python, Shell · License: MIT"}),
        ("heading", {"text": "Tiny RAG", "level": 2}),
        ("image", {"url": "https://img.shields.io/badge/ci-passing-green.svg", "alt": "CI", "caption": ""}),
        ("text", {"markdown": "Tiny RAG answers questions about your notes. It indexes them with embeddings and "
                              "retrieves the\nclosest passages for a small local model."}),
        ("heading", {"text": "Features", "level": 2}),
        ("text", {"markdown": "- Indexes Markdown notes\n- Answers with sources"}),
        ("code", {"language": "python",
                  "code": 'from tiny_rag import ask\nprint(ask("What did I learn about agents?"))'}),
        ("heading", {"text": "How it fits together", "level": 2}),
        ("mermaid", {"source": "graph TD\n  Notes --> Index --> Answer"}),
        ("image", {"url": "https://raw.githubusercontent.com/octo/tiny-rag/HEAD/docs/architecture.png",
                   "alt": "Architecture diagram", "caption": "The pipeline"}),
        ("text", {"markdown": '<script>alert("pwned")</script>'}),
        ("heading", {"text": "Licence", "level": 3}),
        ("text", {"markdown": "MIT, see LICENSE."}),
    ]
    assert [b.position for b in project.blocks] == list(range(15))
    assert db.session.scalar(select(Event.type).where(Event.type.in_(["ProjectDrafted", "ProjectPublished"]))) \
        == "ProjectDrafted"  # a draft reaches no feed and earns no points until it is published
    assert [r["path"] for r in github_api.requests] == [
        "/repos/octo/tiny-rag", "/repos/octo/tiny-rag/languages", "/repos/octo/tiny-rag/readme"]

    again = import_repository(alice, {"url": URL + ".git"})
    assert again.project.slug == "tiny-rag-2"


def test_the_draft_is_only_its_authors(app, ctx, github_api):
    alice = db.session.get(User, make_member(app, "alice"))
    bob = db.session.get(User, make_member(app, "bob"))
    project = import_repository(alice, {"url": URL}).project
    assert project.visible_to(alice) and not project.visible_to(bob) and not project.visible_to(None)


@pytest.mark.parametrize("url, message", [
    ("https://github.com/octo", "That is not a repository's address"),
    ("https://gitlab.com/octo/tiny-rag", "Only public GitHub repositories can be imported (github.com, not gitlab.com)."),
    ("github.com/octo/tiny-rag", "That is not a web address."),
    ("https://github.com/octo/tiny-rag/tree/main", "That is not a repository's address"),
    ("", "Paste a repository's address"),
])
def test_a_malformed_address_is_refused_before_github_is_asked(app, ctx, github_api, url, message):
    alice = db.session.get(User, make_member(app, "alice"))
    with pytest.raises(CommandRejected) as refused:
        import_repository(alice, {"url": url})
    assert refused.value.status == 422 and message in refused.value.errors["url"][0]
    assert github_api.requests == [] and projects_count() == 0


@pytest.mark.parametrize("failure, status, message", [
    ("404", 404, "GitHub has no public repository octo/missing."),
    ("403", 429, "GitHub is limiting how often we may ask."),
    ("429", 429, "GitHub is limiting how often we may ask."),
    ("500", 502, "GitHub could not be read just now."),
])
def test_githubs_refusals_are_clear_and_save_nothing(app, ctx, github_api, failure, status, message):
    alice = db.session.get(User, make_member(app, "alice"))
    url = "https://github.com/octo/missing" if failure == "404" else URL
    if failure != "404":
        github_api.fail_next(failure)
    with pytest.raises(CommandRejected) as refused:
        import_repository(alice, {"url": url})
    assert refused.value.status == status and refused.value.errors["url"][0].startswith(message)
    assert projects_count() == 0 and db.session.scalar(select(func.count()).select_from(Event).where(
        Event.type == "ProjectDrafted")) == 0


def test_a_huge_readme_is_cut_to_the_limits_with_a_note(app, ctx, github_api):
    sections = "\n\n".join(f"## Step {n}\n\nDo thing {n}." for n in range(150))
    giant = "x = 1\n" * 5000
    github_api.repos["octo/big"] = repository("octo", "big", readme=f"```python\n{giant}```\n\n{sections}",
                                              homepage="", license=None, topics=[])
    alice = db.session.get(User, make_member(app, "alice"))
    imported = import_repository(alice, {"url": "https://github.com/octo/big"})
    blocks = db.session.get(Project, imported.project.id).blocks
    assert len(blocks) == 200
    assert blocks[2].kind == "code" and len(blocks[2].data["code"]) == 20_000
    assert blocks[2].data["code"].endswith("(cut here: the rest is in the repository)")
    assert blocks[-1].data == {"markdown": "*The rest of the README is on [GitHub](https://github.com/octo/big).*"}
    assert imported.notes == ["A very long part of the README was cut to fit a block.",
                              "The README makes 301 blocks: the first 197 were imported."]
    assert blocks[1].data == {"markdown": "★ 1,234 stars · Languages: Python, Shell"}


def test_a_repository_without_a_readme_still_imports(app, ctx, github_api):
    github_api.repos["octo/bare"] = repository("octo", "bare", readme=None, topics=["Computer Vision"],
                                               languages={"Jupyter Notebook": 10})
    alice = db.session.get(User, make_member(app, "alice"))
    project = import_repository(alice, {"url": "https://github.com/octo/bare"}).project
    assert project.topics == ["computer-vision", "jupyter-notebook"]
    assert [b.kind for b in project.blocks] == ["link", "link", "text"]
    assert project.ai_summary is None


def test_the_summary_comes_from_the_configured_vendor_or_says_it_was_offline(app, ctx, github_api, use_openai,
                                                                              monkeypatch):
    alice = db.session.get(User, make_member(app, "alice"))
    imported = import_repository(alice, {"url": URL})
    assert imported.project.ai_summary.startswith("A stand-in summary: Tiny RAG") and imported.notes == []

    monkeypatch.setitem(app.config, "AI_MEMBER_DAILY_CAP_USD", 0.0)
    imported = import_repository(alice, {"url": URL})
    assert not imported.project.ai_summary.startswith("A stand-in summary")
    assert imported.notes == ["The summary was written by the offline assistant: "
                              "Your AI budget for today is used up."]
