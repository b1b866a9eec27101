"""The AI tool directory: review a tool, and say which tools a project was built with."""
from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates
from sqlalchemy import delete, select, update

from app import events
from app.config import ROOT
from app.extensions import db
from app.models import Event, Project, ProjectTool, Tool, ToolReview, User
from app.models.tools import CATEGORIES, PRICING
from app.models.types import utcnow
from app.rules import LIMITS
from commands.base import CommandRejected, CommandSchema, handler, insert_returning_id, parse
from commands.projects import slugify

DATA = ROOT / "app" / "data"


class ReviewToolSchema(CommandSchema):
    tool_id = fields.Integer(required=True, strict=False, error_messages={
        "invalid": "Which tool? The id must be a number."})
    rating = fields.Integer(required=True, strict=False, validate=validate.Range(
        1, 5, error="Ratings are 1 to 5 stars."), error_messages={
        "required": "Pick a rating from 1 to 5 stars.", "invalid": "Ratings are 1 to 5 stars."})
    body = fields.String(load_default="", validate=validate.Length(
        max=LIMITS["review_max"], error="Reviews are at most {max} characters."))

    @pre_load
    def normalise(self, data, **kwargs):
        data = dict(data)
        if isinstance(data.get("body"), str):
            data["body"] = data["body"].strip()
        rating = data.get("rating")
        if rating in ("", None):
            data.pop("rating", None)
        elif isinstance(rating, float) or (isinstance(rating, str) and not rating.strip().lstrip("-").isdigit()):
            data["rating"] = "invalid"  # whole stars only: 4.5 is refused, not rounded down
        return data


class ToolRefSchema(CommandSchema):
    tool_id = fields.Integer(required=True, strict=False, error_messages={
        "invalid": "Which tool? The id must be a number."})


def _tool(tool_id: int) -> Tool:
    tool = db.session.get(Tool, tool_id)
    if tool is None:
        raise CommandRejected("tool_id", "That tool is not in the directory.", status=404)
    return tool


def _tool_payload(tool: Tool) -> dict:
    """What a feed item needs to render "reviewed <tool>" without another lookup."""
    return {"tool_id": tool.id, "tool_slug": tool.slug, "tool_name": tool.name, "tool_category": tool.category}


@handler
def review_tool(actor: User, data: dict) -> ToolReview:
    """Write the actor's one review of a tool, or edit it if they already wrote one.

    Two submissions racing each other still leave one review: the insert skips on the unique
    (tool, member) pair, and the loser updates the winner's row instead.
    """
    values = parse(ReviewToolSchema, data)
    tool = _tool(values["tool_id"])
    now = utcnow()
    review_id = insert_returning_id(ToolReview, tool_id=tool.id, user_id=actor.id, rating=values["rating"],
                                    body=values["body"], created_at=now, updated_at=now)
    previous = None
    if review_id is None:
        row = db.session.execute(
            select(ToolReview.id, ToolReview.rating, ToolReview.body)
            .where(ToolReview.tool_id == tool.id, ToolReview.user_id == actor.id).with_for_update()
        ).one()
        if (row.rating, row.body) == (values["rating"], values["body"]):
            return db.session.get(ToolReview, row.id)  # nothing changed: no event
        review_id, previous = row.id, row.rating
        db.session.execute(update(ToolReview).where(ToolReview.id == review_id).values(
            rating=values["rating"], body=values["body"], updated_at=now))
    events.record("ToolReviewed", actor.id, **_tool_payload(tool), review_id=review_id, user_id=actor.id,
                  rating=values["rating"], previous_rating=previous, edited=previous is not None,
                  excerpt=values["body"][:LIMITS["review_excerpt"]])
    review = db.session.get(ToolReview, review_id)
    db.session.refresh(review)
    return review


@handler
def delete_review(actor: User, data: dict) -> bool:
    """Take back the actor's review of a tool (a moderator may pass user_id to remove anyone's).
    Return whether a review was removed."""
    tool = _tool(parse(ToolRefSchema, data)["tool_id"])
    user_id = actor.id
    if data.get("user_id") not in (None, "", actor.id, str(actor.id)):
        if not actor.is_moderator:
            raise CommandRejected("user_id", "Only its author can delete this review.", status=403)
        try:
            user_id = int(data["user_id"])
        except (TypeError, ValueError):
            raise CommandRejected("user_id", "Which member? The id must be a number.") from None
    row = db.session.execute(
        delete(ToolReview).where(ToolReview.tool_id == tool.id, ToolReview.user_id == user_id)
        .returning(ToolReview.id, ToolReview.rating)
    ).first()
    if row is None:
        return False
    from commands.projects import reposters

    # Its "reviewed" activity (and reposts of it) leave every feed, as a deleted project's do.
    activity_ids = list(db.session.scalars(select(Event.id).where(
        Event.type == "ToolReviewed", Event.payload["review_id"].as_integer() == row.id)))
    events.record("ToolReviewDeleted", actor.id, **_tool_payload(tool), review_id=row.id, user_id=user_id,
                  rating=row.rating, author_id=user_id, activity_ids=activity_ids,
                  reposted_by=reposters(activity_ids))
    return True


class SetProjectToolsSchema(CommandSchema):
    project_id = fields.Integer(required=True, strict=False, error_messages={
        "invalid": "Which project? The id must be a number."})
    tools = fields.List(fields.String(), load_default=list)

    @pre_load
    def normalise(self, data, **kwargs):
        data = dict(data)
        raw = data.get("tools") or []
        items = raw if isinstance(raw, list) else str(raw).split(",")
        slugs: list[str] = []
        for item in items:
            for part in str(item).split(","):
                slug = part.strip().lower()
                if slug and slug not in slugs:
                    slugs.append(slug)
        data["tools"] = slugs
        return data

    @validates("tools")
    def check_count(self, tools: list[str], **kwargs) -> None:
        if len(tools) > LIMITS["project_tools_max"]:
            raise ValidationError(f"A project lists at most {LIMITS['project_tools_max']} tools "
                                  f"({len(tools)} chosen).")


@handler
def set_project_tools(actor: User, data: dict) -> list[Tool]:
    """Replace the list of AI tools a project was built with (its author only), in the given order."""
    values = parse(SetProjectToolsSchema, data)
    project = db.session.scalar(
        select(Project).where(Project.id == values["project_id"]).with_for_update(of=Project))
    if project is None:
        raise CommandRejected("project_id", "That project does not exist.", status=404)
    if project.author_id != actor.id:
        raise CommandRejected("project_id", "Only its author can change a project's tools.", status=403)
    slugs = values["tools"]
    found = {t.slug: t for t in db.session.scalars(select(Tool).where(Tool.slug.in_(slugs)))} if slugs else {}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise CommandRejected("tools", "Not in the tool directory: " + ", ".join(f"“{s[:60]}”" for s in unknown)
                              + ". Pick tools from the list.")
    chosen = [found[s] for s in slugs]
    before = list(db.session.scalars(
        select(ProjectTool.tool_id).where(ProjectTool.project_id == project.id).order_by(ProjectTool.position)))
    after = [t.id for t in chosen]
    if before == after:
        return chosen
    db.session.execute(delete(ProjectTool).where(ProjectTool.project_id == project.id))
    db.session.add_all(ProjectTool(project_id=project.id, tool_id=t.id, position=i) for i, t in enumerate(chosen))
    events.record("ProjectToolsChanged", actor.id, project_id=project.id, author_id=project.author_id,
                  tools=[t.slug for t in chosen], tool_ids=after,
                  added=[i for i in after if i not in before], removed=[i for i in before if i not in after])
    return chosen


# The catalog ------------------------------------------------------------------------------------

RESERVED_SLUGS = frozenset({"compare", "suggest", "search", "new"})  # /tools/<slug> must not hide a route


class ToolEntrySchema(Schema):
    """One [[tool]] entry of app/data/tools.toml."""

    name = fields.String(required=True, validate=validate.Length(1, 80))
    slug = fields.String(load_default=None, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,79}$"))
    vendor = fields.String(required=True, validate=validate.Length(1, 80))
    category = fields.String(required=True, validate=validate.OneOf(tuple(CATEGORIES)))
    website = fields.Url(required=True, schemes={"http", "https"}, require_tld=True)
    pricing = fields.String(required=True, validate=validate.OneOf(tuple(PRICING)))
    description = fields.String(required=True, validate=validate.Length(30, 400))
    use_cases = fields.List(fields.String(validate=validate.Length(5, 200)), required=True,
                            validate=validate.Length(2, 4))
    best_practices = fields.List(fields.String(validate=validate.Length(5, 240)), required=True,
                                 validate=validate.Length(2, 4))


class CatalogInvalid(Exception):
    pass


def read_catalog(path: Path | None = None) -> list[dict]:
    """Read and check the tool data file; every entry gets its deterministic slug."""
    path = path or DATA / "tools.toml"
    with open(path, "rb") as handle:
        raw = tomllib.load(handle).get("tool", [])
    try:
        items = ToolEntrySchema().load(raw, many=True)
    except ValidationError as exc:
        problems = {raw[i].get("name", f"#{i}") if isinstance(i, int) and i < len(raw) else i: m
                    for i, m in exc.messages.items()}
        raise CatalogInvalid(f"{path.name}: {problems}") from None
    for item in items:
        item["slug"] = item["slug"] or slugify(item["name"])
    for field in ("slug", "name", "description"):
        seen: set[str] = set()
        for item in items:
            value = item[field].lower()
            if value in seen:
                raise CatalogInvalid(f"{path.name}: two tools share the {field} “{item[field][:60]}”")
            seen.add(value)
    reserved = [item["slug"] for item in items if item["slug"] in RESERVED_SLUGS]
    if reserved:
        raise CatalogInvalid(f"{path.name}: reserved slug(s) {reserved}; give the tool a slug")
    return items


FIELDS = ("name", "vendor", "category", "website", "pricing", "description", "use_cases", "best_practices")


def load_tools(path: Path | None = None, progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Upsert every tool of the data file by slug, in one transaction; return what changed.

    Running it again with the same file changes nothing. A tool dropped from the file stays (its
    reviews and project links keep pointing at it).
    """
    items = read_catalog(path)
    existing = {t.slug: t for t in db.session.scalars(select(Tool))}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    now = utcnow()
    for item in items:
        tool = existing.get(item["slug"])
        if tool is None:
            db.session.add(Tool(slug=item["slug"], created_at=now, updated_at=now,
                                **{f: item[f] for f in FIELDS}))
            counts["added"] += 1
        elif any(getattr(tool, f) != item[f] for f in FIELDS):
            for f in FIELDS:
                setattr(tool, f, item[f])
            tool.updated_at = now
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        progress(1)
    db.session.commit()
    counts["total"] = len(items)
    return counts
