"""Likes and follows."""
from __future__ import annotations

from dataclasses import dataclass

from marshmallow import fields
from sqlalchemy import BigInteger, Integer, String, bindparam, column, delete, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY

from app import events
from app.extensions import db, on_postgres
from app.models import Block, Follow, Like, Project, User
from app.models.accounts import MODERATOR_ROLES
from app.models.projects import manages
from app.models.types import UTCDateTime, utcnow
from commands.base import (
    CommandRejected,
    CommandSchema,
    handler,
    insert_ignoring_duplicates,
    insert_returning_id,
    parse,
)
from commands.gamification import award_points, withdraw_points


class ProjectRefSchema(CommandSchema):
    project_id = fields.Integer(required=True, strict=False, error_messages={
        "invalid": "Which project? The id must be a number."})


class MemberRefSchema(CommandSchema):
    user_id = fields.Integer(required=True, strict=False, error_messages={
        "invalid": "Which member? The id must be a number."})


# A like is the hottest write there is: its statements are built once (values bound at execution)
# and run on the session's connection, not through the ORM (bench/like_profile.py shows why).
_P = Project.__table__
_U = User.__table__
_LIKES = Like.__table__
_PROJECT = select(_P.c.id, _P.c.author_id, _P.c.title, _P.c.status, _P.c.visibility,
                  _P.c.likes_count).where(_P.c.id == bindparam("project_id"))
# A like is not an edit: the project's updated_at (its "last edited", the sitemap's lastmod) stays.
_COUNT_LIKE = (update(_P).where(_P.c.id == bindparam("project_id"))
               .values(likes_count=_P.c.likes_count + bindparam("by"), updated_at=_P.c.updated_at)
               .returning(_P.c.likes_count))
_DELETE_LIKE = (delete(_LIKES).where(_LIKES.c.user_id == bindparam("user_id"),
                                     _LIKES.c.project_id == bindparam("project_id"))
                .returning(_LIKES.c.id))


@dataclass(frozen=True)
class Liker:
    """The member a (un)like is for, as read by the command itself: the session's member is not
    read before the command (app.web's member_checked_by_command), so the like's statement reads
    it, and one who is gone (deleted) is refused there."""
    id: int
    username: str
    is_moderator: bool
    is_authenticated = True


_MEMBER = select(_U.c.id, _U.c.username, _U.c.role).where(_U.c.id == bindparam("user_id"))


def _liker(user_id: int) -> Liker:
    """The acting member, read now: refused (401) if the account is gone."""
    row = db.session.connection().execute(_MEMBER, {"user_id": user_id}).one_or_none()
    return _checked(*(row or (None, None, None)))


def _checked(member_id: int | None, username: str | None, role: str | None) -> Liker:
    if member_id is None:
        raise CommandRejected("_", "Please log in to do that.", status=401)
    return Liker(member_id, username, role in MODERATOR_ROLES)


@dataclass(frozen=True)
class LikeState:
    """A project's like button after a (un)like: true when the command changed something."""
    id: int
    title: str
    likes_count: int
    changed: bool

    def __bool__(self) -> bool:
        return self.changed


def _project(project_id: int, actor: User):
    """What a like needs of a project (id, author, title, count): not the author and topics a
    Project loads."""
    return _visible(db.session.connection().execute(_PROJECT, {"project_id": project_id}).one_or_none(), actor)


def _visible(project, actor: User):
    """The project, if the member may see it: a draft or private project exists only for its
    author and moderators."""
    hidden = project is not None and (project.status, project.visibility) != ("published", "public")
    if project is None or (hidden and not manages(actor, project.author_id)):
        raise CommandRejected("project_id", "That project does not exist.", status=404)
    return project


def _count(project_id: int, by: int) -> int:
    return db.session.connection().execute(_COUNT_LIKE, {"project_id": project_id, "by": by}).scalar_one()


# On PostgreSQL the like is one statement: read the member and the project, insert the like if the
# member may see it, count it, append its ProjectLiked event, and lock the author's row for the
# points award (award_points' own first statement). Six round trips and six statements' worth of
# Python become one. The event's payload is what events.record would write. The member is read here
# (not by the session's user_loader first): with no row (a deleted account) nothing is written and
# the like is refused.
_LIKE_IN_ONE = text("""
WITH m AS (
    SELECT id, username, role FROM users WHERE id = :user_id
), p AS (
    SELECT id, author_id, title, status, visibility, likes_count FROM projects WHERE id = :project_id
), new_like AS (
    INSERT INTO likes (user_id, project_id, created_at)
    SELECT m.id, p.id, :now FROM p, m
    WHERE (p.status = 'published' AND p.visibility = 'public') OR p.author_id = m.id
       OR m.role = ANY(:moderator_roles)
    ON CONFLICT DO NOTHING
    RETURNING id, project_id
), counted AS (
    UPDATE projects SET likes_count = projects.likes_count + 1
    FROM new_like WHERE projects.id = new_like.project_id
    RETURNING projects.likes_count
), event AS (
    INSERT INTO events (type, actor_id, payload, created_at)
    SELECT 'ProjectLiked', :user_id,
           json_build_object('project_id', p.id, 'author_id', p.author_id, 'like_id', new_like.id), :now
    FROM p, new_like
    RETURNING id
), author AS (
    SELECT users.points, users.created_at, users.time_zone FROM users, p, new_like
    WHERE users.id = p.author_id AND users.id <> :user_id
    FOR NO KEY UPDATE OF users
)
SELECT m.id AS member_id, m.username, m.role,
       p.id, p.author_id, p.title, p.status, p.visibility, p.likes_count,
       new_like.id AS like_id, counted.likes_count AS new_count, event.id AS event_id,
       author.points AS points, author.created_at AS created_at, author.time_zone AS time_zone
FROM (SELECT) AS one LEFT JOIN m ON true LEFT JOIN p ON true LEFT JOIN new_like ON true
     LEFT JOIN counted ON true LEFT JOIN event ON true LEFT JOIN author ON true
""").bindparams(bindparam("project_id", type_=BigInteger()), bindparam("user_id", type_=BigInteger()),
               bindparam("now", type_=UTCDateTime()),
               bindparam("moderator_roles", value=list(MODERATOR_ROLES), type_=ARRAY(String()))).columns(
    column("member_id", BigInteger), column("username", String), column("role", String),
    column("id", BigInteger), column("author_id", BigInteger), column("title", String), column("status", String),
    column("visibility", String), column("likes_count", Integer), column("like_id", BigInteger),
    column("new_count", Integer), column("event_id", BigInteger), column("points", Integer), column("created_at", UTCDateTime()),
    column("time_zone", String))


@handler
def like_project(actor, data: dict) -> LikeState:
    """Heart a project once; its author earns points (not for liking your own). The state is
    true if the like is new (liking twice changes nothing). Only the actor's id is used: the
    member is read (and refused if gone) here."""
    project_id = parse(ProjectRefSchema, data)["project_id"]
    if not on_postgres():
        return _like_step_by_step(_liker(actor.id), project_id)
    now = utcnow()
    row = db.session.connection().execute(_LIKE_IN_ONE, {
        "project_id": project_id, "user_id": actor.id, "now": now}).one()
    liker = _checked(row.member_id, row.username, row.role)
    _visible(row if row.id is not None else None, liker)
    if row.like_id is None:
        return LikeState(row.id, row.title, row.likes_count, False)
    event = events.recorded(row.event_id, "ProjectLiked", liker.id, {
        "project_id": row.id, "author_id": row.author_id, "like_id": row.like_id}, now)
    author = row if row.created_at is not None else None  # locked in the statement (None: your own)
    return _liked(liker, row, row.like_id, row.new_count, author, event)


def _like_step_by_step(actor: Liker, project_id: int) -> LikeState:
    """The same like, one statement at a time (SQLite has no INSERT or UPDATE inside WITH)."""
    project = _project(project_id, actor)
    like_id = _insert_like(actor.id, project.id)
    if like_id is None:
        return LikeState(project.id, project.title, project.likes_count, False)
    count = _count(project.id, 1)
    event = events.record("ProjectLiked", actor.id, project_id=project.id, author_id=project.author_id,
                          like_id=like_id)
    return _liked(actor, project, like_id, count, None, event)


def _liked(actor: Liker, project, like_id: int, count: int, author, event) -> LikeState:
    """What a new like earns: the author's points (not for your own project)."""
    if project.author_id != actor.id:
        award_points(project.author_id, "like_received", event,
                     f"@{actor.username} liked “{project.title}”", subject=f"like:{like_id}", locked=author)
    return LikeState(project.id, project.title, count, True)


def _insert_like(user_id: int, project_id: int) -> int | None:
    """Insert the like unless it exists; return the new like's id (None if it existed)."""
    return insert_returning_id(Like, user_id=user_id, project_id=project_id, created_at=utcnow())


@handler
def unlike_project(actor, data: dict) -> LikeState:
    """Take a heart back; the points it earned go back too. The state is true if a like was removed.
    As for a like, only the actor's id is used: the member is read (and refused if gone) here."""
    project_id = parse(ProjectRefSchema, data)["project_id"]
    actor = _liker(actor.id)
    project = _project(project_id, actor)
    like_id = db.session.connection().execute(
        _DELETE_LIKE, {"user_id": actor.id, "project_id": project.id}).scalar()
    if like_id is None:
        return LikeState(project.id, project.title, project.likes_count, False)
    count = _count(project.id, -1)
    event = events.record("ProjectUnliked", actor.id, project_id=project.id, author_id=project.author_id,
                          like_id=like_id)
    withdraw_points(project.author_id, f"like:{like_id}", event,
                    f"@{actor.username} took back a like on “{project.title}”")
    return LikeState(project.id, project.title, count, True)


@handler
def follow_member(actor: User, data: dict) -> bool:
    """Follow another member. Return whether this is a new follow."""
    user_id = parse(MemberRefSchema, data)["user_id"]
    if user_id == actor.id:
        raise CommandRejected("user_id", "You cannot follow yourself.")
    if db.session.get(User, user_id) is None:
        raise CommandRejected("user_id", "That member does not exist.", status=404)
    if db.session.scalar(select(Block.blocker_id).where(or_(
            (Block.blocker_id == user_id) & (Block.blocked_id == actor.id),
            (Block.blocker_id == actor.id) & (Block.blocked_id == user_id)))) is not None:
        raise CommandRejected("user_id", "You cannot follow this member.", status=403)
    if not insert_ignoring_duplicates(Follow, follower_id=actor.id, followee_id=user_id, created_at=utcnow()):
        return False
    events.record("MemberFollowed", actor.id, follower_id=actor.id, followee_id=user_id)
    return True


@handler
def unfollow_member(actor: User, data: dict) -> bool:
    """Stop following a member. Return whether a follow was removed."""
    user_id = parse(MemberRefSchema, data)["user_id"]
    removed = db.session.execute(
        delete(Follow).where(Follow.follower_id == actor.id, Follow.followee_id == user_id)
    ).rowcount
    if removed:
        events.record("MemberUnfollowed", actor.id, follower_id=actor.id, followee_id=user_id)
    return bool(removed)



class ActivityRefSchema(CommandSchema):
    activity_id = fields.Integer(required=True, strict=False, error_messages={
        "invalid": "Which activity? The id must be a number."})


def _activity(activity_id: int):
    """An activity that may be reposted: shown in feeds (not of a deleted, draft or private project)."""
    from app.feed import ACTIVITY_TYPES, still_shown
    from app.models import Event

    event = db.session.get(Event, activity_id)
    if (event is None or event.type not in ACTIVITY_TYPES or event.type == "ActivityReposted"
            or not still_shown([event])):
        raise CommandRejected("activity_id", "That activity does not exist.", status=404)
    return event


@handler
def repost_activity(actor: User, data: dict) -> bool:
    """Share someone's activity with your followers. Return whether it is a new repost."""
    from app.models import Repost

    activity = _activity(parse(ActivityRefSchema, data)["activity_id"])
    if activity.actor_id == actor.id:
        raise CommandRejected("activity_id", "You cannot repost your own activity.")
    if not insert_ignoring_duplicates(Repost, user_id=actor.id, activity_id=activity.id, created_at=utcnow()):
        return False
    events.record("ActivityReposted", actor.id, user_id=actor.id, activity_id=activity.id,
                  original_author_id=activity.actor_id)
    return True


@handler
def withdraw_repost(actor: User, data: dict) -> bool:
    """Take a repost back: it leaves every feed it reached."""
    from app.models import Repost

    activity_id = parse(ActivityRefSchema, data)["activity_id"]
    removed = db.session.execute(
        delete(Repost).where(Repost.user_id == actor.id, Repost.activity_id == activity_id)).rowcount
    if removed:
        events.record("RepostWithdrawn", actor.id, user_id=actor.id, activity_id=activity_id)
    return bool(removed)
