"""Projects: publish what you built."""
from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields, pre_load, validate, validates
from sqlalchemy import select, update

from app import events
from app.extensions import db
from app.models import Project, ProjectBlock, ProjectTopic, User, ViewTally
from app.models.projects import BLOCK_KINDS, STATUSES, VISIBILITIES, manages
from app.models.types import utcnow
from app.rules import LIMITS
from commands.base import CommandRejected, CommandSchema, handler, insert_ignoring_duplicates, parse
from commands.gamification import award_points

TOPIC_RE = re.compile(r"^[a-z0-9][a-z0-9+#.\-]*$")


def slugify(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "project"


def parse_topics(raw) -> list[str]:
    """Turn "LLM agents, RAG" or a list into normalised, unique topic tags, in order."""
    items = raw if isinstance(raw, list) else str(raw or "").split(",")
    topics: list[str] = []
    for item in items:
        tag = re.sub(r"\s+", "-", str(item).strip().lower())
        if tag and tag not in topics:
            topics.append(tag)
    return topics


class PublishProjectSchema(CommandSchema):
    title = fields.String(required=True, validate=validate.Length(
        1, LIMITS["title_max"], error="Titles are 1 to {max} characters."))
    description = fields.String(load_default="", validate=validate.Length(
        max=LIMITS["description_max"], error="Descriptions are at most {max} characters."))
    topics = fields.List(fields.String(), load_default=list)

    @pre_load
    def normalise(self, data, **kwargs):
        data = dict(data)
        for key in ("title", "description"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip()
        data["topics"] = parse_topics(data.get("topics", ""))
        return data

    @validates("topics")
    def check_topics(self, topics: list[str], **kwargs) -> None:
        if len(topics) > LIMITS["topics_max"]:
            raise ValidationError(f"At most {LIMITS['topics_max']} topics.")
        for tag in topics:
            if len(tag) > LIMITS["topic_max"] or not TOPIC_RE.match(tag):
                raise ValidationError(
                    f"Topics are short tags of letters, digits and - + # . (“{tag[:40]}” is not)."
                )


def unique_slug(author_id: int, title: str) -> str:
    """The title's slug, numbered if the author already has it (URLs are /@username/slug)."""
    base = slugify(title)
    taken = set(db.session.scalars(
        select(Project.slug).where(Project.author_id == author_id, Project.slug.like(f"{base}%"))
    ))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class CreateProjectSchema(PublishProjectSchema):
    status = fields.String(load_default="published", validate=validate.OneOf(
        STATUSES, error="A project is a draft or published."))
    visibility = fields.String(load_default="public", validate=validate.OneOf(
        VISIBILITIES, error="A project is public or private."))
    blocks = fields.List(fields.Dict(), load_default=list, validate=validate.Length(
        max=LIMITS["blocks_max"], error="At most {max} blocks."))
    source_url = fields.Url(load_default=None, allow_none=True, schemes={"https"},
                            validate=validate.Length(max=300))
    ai_summary = fields.String(load_default=None, allow_none=True, validate=validate.Length(
        max=LIMITS["description_max"]))


@handler
def publish_project(actor: User, data: dict) -> Project:
    """Publish a project by the actor (a form with title, description and topics)."""
    return create_project.__wrapped__(actor, {**data, "status": "published"})


@handler
def create_project(actor: User, data: dict) -> Project:
    """Create a project, published at once or as a draft, with its page blocks.

    Only publishing records ProjectPublished (feeds, points, boards); a draft records
    ProjectDrafted and stays the author's until `publish_draft`.
    """
    values = parse(CreateProjectSchema, data)
    blocks = [parse_block(block, index) for index, block in enumerate(values["blocks"])]
    project = Project(author_id=actor.id, title=values["title"], slug=unique_slug(actor.id, values["title"]),
                      description=values["description"], likes_count=0, status=values["status"],
                      visibility=values["visibility"], source_url=values["source_url"],
                      ai_summary=values["ai_summary"])
    project.topic_rows = [ProjectTopic(topic=t, position=i) for i, t in enumerate(values["topics"])]
    project.blocks = [ProjectBlock(kind=kind, data=fields_, position=i) for i, (kind, fields_) in enumerate(blocks)]
    db.session.add(project)
    db.session.flush()
    if project.status == "published":
        _record_published(actor, project)
    else:
        events.record("ProjectDrafted", actor.id, project_id=project.id, author_id=actor.id)
    return project


def _record_published(actor: User, project: Project) -> None:
    project.published_at = utcnow()
    event = events.record("ProjectPublished", actor.id, project_id=project.id, author_id=actor.id,
                          topics=project.topics, visibility=project.visibility)
    award_points(actor.id, "project_published", event, f"Published “{project.title}”",
                 subject=f"project:{project.id}")


class ProjectRefSchema(CommandSchema):
    project_id = fields.Integer(required=True, strict=False)


@handler
def delete_project(actor: User, data: dict) -> None:
    """Delete a project (its author, or a moderator): its likes go, the points they and the
    project earned are taken back, and its activities leave every feed."""
    from sqlalchemy import delete as sql_delete

    from app.models import Like, Repost
    from commands.gamification import withdraw_points

    project_id = parse(ProjectRefSchema, data)["project_id"]
    project = _own_project(actor, project_id)
    published = _published_activity_ids(project_id)
    like_ids = list(db.session.scalars(select(Like.id).where(Like.project_id == project_id)))
    event = events.record("ProjectDeleted", actor.id, project_id=project_id, author_id=project.author_id,
                          title=project.title, activity_ids=published,
                          reposted_by=reposters(published))
    for like_id in like_ids:
        withdraw_points(project.author_id, f"like:{like_id}", event, f"“{project.title}” was deleted")
    withdraw_points(project.author_id, f"project:{project_id}", event, f"“{project.title}” was deleted")
    if published:
        db.session.execute(sql_delete(Repost).where(Repost.activity_id.in_(published)))
    db.session.delete(project)


# -- Page blocks -------------------------------------------------------------------------------

def _http_url(required: bool = True) -> fields.Url:
    return fields.Url(required=required, schemes={"http", "https"}, validate=validate.Length(
        max=LIMITS["url_max"]), error_messages={"invalid": "Give a full http(s):// address.",
                                                "required": "Give an address."})


def _text(maximum: str, required: bool = True, message: str = "This can't be empty.") -> fields.String:
    if not required:
        return fields.String(load_default="", validate=validate.Length(
            max=LIMITS[maximum], error="At most {max} characters."))
    return fields.String(required=True, validate=validate.Length(
        1, LIMITS[maximum], error=f"{message} (at most {{max}} characters)"),
        error_messages={"required": message})


class TextBlock(CommandSchema):
    markdown = _text("block_text_max", message="Write some text.")


class HeadingBlock(CommandSchema):
    text = _text("title_max", message="Write the heading.")
    level = fields.Integer(load_default=2, strict=False, validate=validate.OneOf(
        (2, 3), error="Headings are level 2 or 3."))


class ImageBlock(CommandSchema):
    url = _http_url()
    alt = _text("alt_max", message="Describe the image for people who can't see it.")
    caption = _text("alt_max", required=False)


class CodeBlock(CommandSchema):
    language = fields.String(load_default="", validate=validate.Regexp(
        r"^[A-Za-z0-9+#._-]{0,30}$", error="A language name like python or typescript."))
    code = _text("block_text_max", message="Paste some code.")


class MermaidBlock(CommandSchema):
    source = _text("block_text_max", message="Write the diagram (Mermaid syntax).")


class LinkBlock(CommandSchema):
    url = _http_url()
    label = _text("title_max", required=False)


BLOCK_SCHEMAS: dict[str, type[CommandSchema]] = {
    "text": TextBlock, "heading": HeadingBlock, "image": ImageBlock,
    "code": CodeBlock, "mermaid": MermaidBlock, "link": LinkBlock,
}


def parse_block(block: dict, index: int | None = None) -> tuple[str, dict]:
    """Validate one block ({"kind": ..., "data": {...}}); return its kind and clean fields."""
    kind = block.get("kind") if isinstance(block, dict) else None
    where = f"Block {index + 1}: " if index is not None else ""
    if kind not in BLOCK_SCHEMAS:
        raise CommandRejected("kind", f"{where}a block is one of: {', '.join(BLOCK_KINDS)}.")
    fields_ = block.get("data", {})
    values = parse(BLOCK_SCHEMAS[kind], {k: v.strip() if isinstance(v, str) and k != "code" else v
                                         for k, v in (fields_ if isinstance(fields_, dict) else {}).items()})
    return kind, values


def _own_project(actor: User, project_id, lock: bool = False) -> Project:
    """The project, if the actor may edit it (its author, or a moderator); else a 404/403."""
    try:
        project_id = int(project_id)
    except (TypeError, ValueError):
        raise CommandRejected("project_id", "Which project? The id must be a number.") from None
    query = select(Project).where(Project.id == project_id)
    if lock:  # serialise edits of one project (block positions); reload what the session holds
        query = query.with_for_update(of=Project).execution_options(populate_existing=True)
    project = db.session.scalar(query)
    if project is None or not project.visible_to(actor):
        raise CommandRejected("project_id", "That project does not exist.", status=404)
    if not manages(actor, project.author_id):
        raise CommandRejected("project_id", "Only its author can change this project.", status=403)
    return project


def _edited(actor: User, project: Project, change: str, **details) -> None:
    project.updated_at = utcnow()
    events.record("ProjectEdited", actor.id, project_id=project.id, author_id=project.author_id,
                  change=change, **details)


@handler
def add_block(actor: User, data: dict) -> ProjectBlock:
    """Add a block at the end of the page (the author drags it where it belongs)."""
    project = _own_project(actor, data.get("project_id"), lock=True)
    kind, fields_ = parse_block({"kind": data.get("kind"), "data": data.get("data", {})})
    if len(project.blocks) >= LIMITS["blocks_max"]:
        raise CommandRejected("kind", f"A project has at most {LIMITS['blocks_max']} blocks.")
    block = ProjectBlock(kind=kind, data=fields_, position=len(project.blocks))
    project.blocks.append(block)
    db.session.flush()
    _edited(actor, project, "block_added", block_id=block.id, kind=kind)
    return block


def _own_block(actor: User, block_id) -> tuple[Project, ProjectBlock]:
    try:
        block = db.session.get(ProjectBlock, int(block_id))
    except (TypeError, ValueError):
        block = None
    if block is None:
        raise CommandRejected("block_id", "That block does not exist.", status=404)
    return _own_project(actor, block.project_id, lock=True), block


@handler
def update_block(actor: User, data: dict) -> ProjectBlock:
    """Replace a block's fields (its kind stays)."""
    project, block = _own_block(actor, data.get("block_id"))
    _, block.data = parse_block({"kind": block.kind, "data": data.get("data", {})})
    _edited(actor, project, "block_updated", block_id=block.id)
    return block


@handler
def delete_block(actor: User, data: dict) -> int:
    """Remove a block; the ones after it move up. Return the project id."""
    project, block = _own_block(actor, data.get("block_id"))
    project.blocks = [b for b in project.blocks if b.id != block.id]
    for position, each in enumerate(project.blocks):
        each.position = position
    _edited(actor, project, "block_deleted", block_id=block.id)
    return project.id


class ReorderSchema(CommandSchema):
    project_id = fields.Integer(required=True, strict=False)
    order = fields.List(fields.Integer(strict=False), required=True, error_messages={
        "required": "Give the blocks' new order."})


@handler
def reorder_blocks(actor: User, data: dict) -> list[ProjectBlock]:
    """Put the blocks in the given order, which must name every block of the project once."""
    values = parse(ReorderSchema, data)
    project = _own_project(actor, values["project_id"], lock=True)
    by_id = {b.id: b for b in project.blocks}
    if sorted(values["order"]) != sorted(by_id):
        raise CommandRejected("order", "The page changed meanwhile: reload it and move the block again.",
                              status=409)
    for position, block_id in enumerate(values["order"]):
        by_id[block_id].position = position
    _edited(actor, project, "blocks_reordered", order=values["order"])
    return sorted(by_id.values(), key=lambda b: b.position)


# -- The project itself ------------------------------------------------------------------------

class UpdateProjectSchema(PublishProjectSchema):
    project_id = fields.Integer(required=True, strict=False)


@handler
def update_project(actor: User, data: dict) -> Project:
    """Change title, description and topics (the URL keeps its slug, so shared links stay good)."""
    values = parse(UpdateProjectSchema, data)
    project = _own_project(actor, values["project_id"], lock=True)
    project.title, project.description = values["title"], values["description"]
    project.topic_rows = [ProjectTopic(topic=t, position=i) for i, t in enumerate(values["topics"])]
    _edited(actor, project, "details", topics=values["topics"])
    return project


@handler
def publish_draft(actor: User, data: dict) -> Project:
    """Publish a draft: from now on it is in feeds, boards and (if public) search and sitemap."""
    project = _own_project(actor, data.get("project_id"), lock=True)
    if project.status == "published":
        raise CommandRejected("project_id", "This project is already published.", status=409)
    if project.author_id != actor.id:
        raise CommandRejected("project_id", "Only its author can publish this project.", status=403)
    project.status = "published"
    _record_published(actor, project)
    return project


class VisibilitySchema(CommandSchema):
    project_id = fields.Integer(required=True, strict=False)
    visibility = fields.String(required=True, validate=validate.OneOf(
        VISIBILITIES, error="A project is public or private."))


@handler
def set_visibility(actor: User, data: dict) -> Project:
    """Make a project private (only its author and moderators see it, anywhere) or public again."""
    values = parse(VisibilitySchema, data)
    project = _own_project(actor, values["project_id"], lock=True)
    if project.visibility == values["visibility"]:
        return project
    project.visibility = values["visibility"]
    published = _published_activity_ids(project.id)
    _edited(actor, project, "visibility", visibility=project.visibility, activity_ids=published,
            reposted_by=reposters(published))
    return project


def reposters(activity_ids: list[int]) -> list[int]:
    """Who reposted these activities (their reposts leave feeds with them)."""
    from app.models import Repost

    if not activity_ids:
        return []
    return sorted(set(db.session.scalars(select(Repost.user_id).where(Repost.activity_id.in_(activity_ids)))))


def _published_activity_ids(project_id: int) -> list[int]:
    """The ProjectPublished events of a project (its activities in feeds)."""
    from app.models import Event

    return list(db.session.scalars(select(Event.id).where(
        Event.type == "ProjectPublished", Event.payload["project_id"].as_integer() == project_id)))


@handler
def record_views(data: dict) -> bool:
    """Add a batch of views (project id -> views) to the projects, once per batch id."""
    counts = {project: n for project, n in data["counts"].items() if n > 0}
    if not insert_ignoring_duplicates(ViewTally, batch_id=data["batch_id"], views=sum(counts.values()),
                                      counted_at=utcnow()):
        return False  # this batch was counted before its worker could clear it
    for project_id, n in counts.items():
        db.session.execute(update(Project).where(Project.id == project_id)
                           .values(view_count=Project.view_count + n))
    return True
