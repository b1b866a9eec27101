"""Notification policy: turn events into notifications (batched or real-time) and send the
critical ones by e-mail at once."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.models import Event, Project, User
from commands.base import handler
from commands.notifications import deliver, retract
from workers.mailer import send_critical


def _project(project_id: int) -> tuple[str, str] | None:
    row = db.session.execute(select(Project.title, Project.slug, User.username).join(
        User, User.id == Project.author_id).where(Project.id == project_id)).one_or_none()
    return (row.title, f"/@{row.username}/{row.slug}") if row else None


def _on_like(event: Event) -> None:
    project = _project(event.payload["project_id"])
    if project:
        deliver(event.payload["author_id"], "project_like", event.id, actor_id=event.actor_id,
               object_type="project", object_id=event.payload["project_id"], data={"title": project[0]},
               link=project[1], group_key=f"like:project:{event.payload['project_id']}")


def _on_unlike(event: Event) -> None:
    retract(event.payload["author_id"], f"like:project:{event.payload['project_id']}",
                          event.actor_id)


def _on_comment_approved(event: Event) -> None:
    """Mentions first (a project author who is mentioned hears it as a mention), then the author,
    batched per project, on the comment's first approval only."""
    p = event.payload
    project = _project(p["project_id"])
    if not project:
        return
    details = {"actor_id": p["author_id"], "data": {"title": project[0]},
               "link": f"{project[1]}#comment-{p['comment_id']}"}
    for user_id in p["mentioned_ids"]:
        deliver(user_id, "mention", event.id, object_type="comment", object_id=p["comment_id"], **details)
    if p["first"]:
        deliver(p["project_author_id"], "project_comment", event.id, object_type="project",
               object_id=p["project_id"], group_key=f"comment:project:{p['project_id']}", **details)


def _on_follow(event: Event) -> None:
    follower = db.session.get(User, event.payload["follower_id"])
    if follower:
        deliver(event.payload["followee_id"], "new_follower", event.id, actor_id=follower.id,
               object_type="member", object_id=follower.id, link=f"/@{follower.username}",
               group_key="followers")


def _on_unfollow(event: Event) -> None:
    retract(event.payload["followee_id"], "followers", event.payload["follower_id"])


def _personal(type_key: str, link: str, fields: tuple[str, ...]):
    def handle(event: Event) -> None:
        deliver(event.payload["user_id"], type_key, event.id, data={f: event.payload.get(f) for f in fields},
               link=link)
    return handle


def _on_dropped(event: Event) -> None:
    p = event.payload
    deliver(p["user_id"], "dropped_top100", event.id, data={
        "rank": p.get("rank"), "gap": max(0, (p.get("cutoff_points") or 0) - (p.get("points") or 0) + 1)},
        link="/leaderboard")


def _on_overtaken(event: Event) -> None:
    p = event.payload
    deliver(p["user_id"], "overtaken", event.id, actor_id=p.get("by_user_id"), data={"rank": p.get("rank")},
           link="/leaderboard")


HANDLERS = {
    "DroppedOutOfTop100": _on_dropped,
    "OvertakenByFollowee": _on_overtaken,
    "ProjectLiked": _on_like,
    "ProjectUnliked": _on_unlike,
    "CommentApproved": _on_comment_approved,
    "MemberFollowed": _on_follow,
    "MemberUnfollowed": _on_unfollow,
    "AchievementUnlocked": _personal("achievement", "/achievements", ("name", "rarity")),
    "TierReached": _personal("tier_up", "/dashboard", ("name", "points")),
    "LevelReached": _personal("level_up", "/dashboard", ("name",)),
    "WeeklyGoalMet": _personal("weekly_goal", "/dashboard", ("title",)),
}


# Whom an event notifies (the payload field), when not "user_id". An approved comment notifies
# the project's author and the members it mentions; it is grouped under the project's author.
RECIPIENT = {"ProjectLiked": "author_id", "ProjectUnliked": "author_id", "MemberFollowed": "followee_id",
             "MemberUnfollowed": "followee_id", "CommentApproved": "project_author_id"}


def apply_notifications(events: list[Event]) -> None:
    """Notify per recipient in one transaction (their events in order): a batch of likes on one
    member's projects locks their row and commits once, not once per like."""
    by_recipient: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.type in HANDLERS:
            by_recipient[event.payload[RECIPIENT.get(event.type, "user_id")]].append(event)
    for _, group in sorted(by_recipient.items()):
        _notify_recipient(group)
    for event in events:
        if event.type == "NotificationSent" and event.payload.get("email") == "critical":
            send_critical(event.payload["notification_id"])


@handler
def _notify_recipient(events: list[Event]) -> None:
    for event in events:
        HANDLERS[event.type](event)
