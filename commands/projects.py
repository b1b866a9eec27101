"""Projects: publish what you built."""
from __future__ import annotations

import re
import unicodedata

from marshmallow import ValidationError, fields, pre_load, validate, validates
from sqlalchemy import select

from app import events
from app.extensions import db
from app.models import Project, ProjectTopic, User
from app.models.types import utcnow
from app.rules import LIMITS
from commands.base import CommandRejected, CommandSchema, handler, parse
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


@handler
def publish_project(actor: User, data: dict) -> Project:
    """Publish a project by the actor."""
    values = parse(PublishProjectSchema, data)
    base = slugify(values["title"])
    taken = set(db.session.scalars(
        select(Project.slug).where(Project.author_id == actor.id, Project.slug.like(f"{base}%"))
    ))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    project = Project(author_id=actor.id, title=values["title"], slug=slug,
                      description=values["description"], likes_count=0, published_at=utcnow())
    project.topic_rows = [ProjectTopic(topic=t, position=i) for i, t in enumerate(values["topics"])]
    db.session.add(project)
    db.session.flush()
    event = events.record("ProjectPublished", actor.id, project_id=project.id, author_id=actor.id,
                          topics=values["topics"])
    award_points(actor.id, "project_published", event, f"Published “{project.title}”",
                 subject=f"project:{project.id}")
    return project


class ProjectRefSchema(CommandSchema):
    project_id = fields.Integer(required=True, strict=False)


@handler
def delete_project(actor: User, data: dict) -> None:
    """Delete a project (its author, or a moderator): its likes go, the points they and the
    project earned are taken back, and its activities leave every feed."""
    from sqlalchemy import delete as sql_delete

    from app.models import Event, Like, Repost
    from commands.gamification import withdraw_points

    project_id = parse(ProjectRefSchema, data)["project_id"]
    project = db.session.get(Project, project_id)
    if project is None:
        raise CommandRejected("project_id", "That project does not exist.", status=404)
    if project.author_id != actor.id and not actor.is_moderator:
        raise CommandRejected("project_id", "Only its author can delete this project.", status=403)
    published = [e.id for e in db.session.scalars(select(Event).where(Event.type == "ProjectPublished"))
                 if (e.payload or {}).get("project_id") == project_id]
    reposts = db.session.execute(select(Repost.user_id, Repost.activity_id).where(
        Repost.activity_id.in_(published))).all() if published else []
    like_ids = list(db.session.scalars(select(Like.id).where(Like.project_id == project_id)))
    event = events.record("ProjectDeleted", actor.id, project_id=project_id, author_id=project.author_id,
                          title=project.title, activity_ids=published,
                          reposted_by=sorted({u for u, _ in reposts}))
    for like_id in like_ids:
        withdraw_points(project.author_id, f"like:{like_id}", event, f"“{project.title}” was deleted")
    withdraw_points(project.author_id, f"project:{project_id}", event, f"“{project.title}” was deleted")
    if published:
        db.session.execute(sql_delete(Repost).where(Repost.activity_id.in_(published)))
    db.session.delete(project)
