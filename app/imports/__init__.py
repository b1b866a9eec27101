"""Import a project from a public GitHub repository: read it, turn its README into blocks, let
the AI provider summarise it, then create a draft for the member in one short command.

The network calls (GitHub, the AI vendor) all happen before the transaction opens, so a slow
vendor never holds database locks, and a failed read leaves nothing behind.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.ai import provider
from app.imports.blocks import readme_blocks
from app.imports.github import Repository, fetch_repository
from app.models import Project, User
from app.rules import LIMITS
from commands.base import CommandRejected, parse
from commands.imports import ImportRepositorySchema
from commands.projects import TOPIC_RE, create_project, parse_block, parse_topics

TRUNCATED = "\n\n… (cut here: the rest is in the repository)"


@dataclass
class Imported:
    project: Project
    notes: list[str] = field(default_factory=list)  # what the member should know about the import


def import_repository(actor: User, data: dict) -> Imported:
    """Create a draft project from the repository at data["url"], owned by the actor."""
    where = parse(ImportRepositorySchema, data)
    repo = fetch_repository(where["owner"], where["name"])
    notes: list[str] = []
    about = repository_blocks(repo)
    readme = readme_part(repo, LIMITS["blocks_max"] - len(about), notes)
    ai = provider()
    prose = "\n\n".join(b["data"].get("markdown") or b["data"].get("text", "") for b in readme
                        if b["kind"] in ("heading", "text"))
    summary = ai.summarise(prose, member_id=actor.id).strip() if prose.strip() else ""
    if summary and ai.fallback:
        notes.append(f"The summary was written by the offline assistant: {ai.fallback}")
    project = create_project(actor, {
        "title": repo.name[:LIMITS["title_max"]],
        "description": (repo.description or summary)[:LIMITS["description_max"]],
        "topics": suggested_topics(repo),
        "status": "draft",
        "visibility": "public",
        "blocks": about + readme,
        "source_url": f"https://github.com/{repo.owner}/{repo.name}",
        "ai_summary": summary[:LIMITS["description_max"]] or None,
    })
    return Imported(project, list(dict.fromkeys(notes)))


def suggested_topics(repo: Repository) -> list[str]:
    """The repository's topics and its main language, as project topic tags (valid ones only)."""
    language = parse_topics(repo.languages[:1])
    tags = [t for t in parse_topics(repo.topics) if t not in language][:LIMITS["topics_max"] - len(language)]
    return [t for t in tags + language if len(t) <= LIMITS["topic_max"] and TOPIC_RE.match(t)]


def repository_blocks(repo: Repository) -> list[dict]:
    """The top of the page: a link to the repository (and its homepage), and its facts."""
    blocks = [{"kind": "link", "data": {"url": repo.url, "label": f"{repo.owner}/{repo.name} on GitHub"}}]
    if repo.homepage.startswith(("https://", "http://")):
        blocks.append({"kind": "link", "data": {"url": repo.homepage, "label": "Homepage"}})
    facts = [f"★ {repo.stars:,} stars"]
    if repo.languages:
        facts.append("Languages: " + ", ".join(repo.languages[:5]))
    if repo.license and repo.license != "NOASSERTION":
        facts.append(f"License: {repo.license}")
    return blocks + [{"kind": "text", "data": {"markdown": " · ".join(facts)}}]


def readme_part(repo: Repository, room: int, notes: list[str]) -> list[dict]:
    """The README as at most `room` blocks, each within the editor's limits."""
    if repo.readme_truncated:
        notes.append("The README is very long: only its beginning was imported.")
    readme = [fitted for block in readme_blocks(repo.readme, repo.owner, repo.name, repo.readme_path or "README.md")
              if (fitted := _fitted(block, notes)) is not None]
    if len(readme) > room:
        notes.append(f"The README makes {len(readme)} blocks: the first {room - 1} were imported.")
        rest = f"*The rest of the README is on [GitHub]({repo.url}).*"
        readme = readme[:room - 1] + [{"kind": "text", "data": {"markdown": rest}}]
    return readme


def _fitted(block: dict, notes: list[str]) -> dict | None:
    """The block cut to the editor's limits, or None when it still would not be a valid block."""
    kind, data = block["kind"], dict(block["data"])
    longest = LIMITS["block_text_max"]
    for key in ("markdown", "code", "source"):
        if len(data.get(key, "")) > longest:
            data[key] = data[key][:longest - len(TRUNCATED)] + TRUNCATED
            notes.append("A very long part of the README was cut to fit a block.")
    if kind == "heading":
        data["text"] = data["text"][:LIMITS["title_max"]]
    if kind == "image":
        data["alt"] = (data["alt"] or data["url"].rsplit("/", 1)[-1] or "Image from the README")[:LIMITS["alt_max"]]
        data["caption"] = data["caption"][:LIMITS["alt_max"]]
    for attempt in (data, {**data, "language": ""}) if kind == "code" else (data,):
        try:
            kind, clean = parse_block({"kind": kind, "data": attempt})
        except CommandRejected:
            continue  # a fence's info string that is no language name: keep the code, drop the name
        return {"kind": kind, "data": clean}
    return None  # an empty fence, an address too long to keep: nothing the member would miss
