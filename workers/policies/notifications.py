"""Notification policy: turn events into notifications (batched or real-time) and send the
critical ones by e-mail at once."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.models import Event, Project, User
from commands.base import handler
from commands.notifications import Delivery, deliver_all, retract
from workers.mailer import send_critical


class Notifier:
    """What one batch of events notifies: the projects and members the events name are read once
    for the whole batch, and each recipient's deliveries are delivered together (deliver_all)."""

    def __init__(self, events: list[Event]) -> None:
        project_ids = {e.payload["project_id"] for e in events if e.type in HANDLERS and "project_id" in e.payload}
        self.projects = {row.id: (row.title, f"/@{row.username}/{row.slug}") for row in db.session.execute(
            select(Project.id, Project.title, Project.slug, User.username).join(User, User.id == Project.author_id)
            .where(Project.id.in_(project_ids)))} if project_ids else {}
        follower_ids = {e.payload["follower_id"] for e in events if e.type == "MemberFollowed"}
        self.usernames = dict(db.session.execute(select(User.id, User.username).where(
            User.id.in_(follower_ids))).all()) if follower_ids else {}
        self.pending: dict[int, list[Delivery]] = defaultdict(list)

    def project(self, project_id: int) -> tuple[str, str] | None:
        """A project's title and link."""
        return self.projects.get(project_id)

    def deliver(self, user_id: int, type_key: str, event_id: int, **details) -> None:
        self.pending[user_id].append(Delivery(type_key, event_id, **details))

    def flush(self) -> None:
        """Deliver what waits, recipient by recipient (in id order, as their locks are taken)."""
        for user_id, deliveries in sorted(self.pending.items()):
            deliver_all(user_id, deliveries)
        self.pending.clear()


def _on_like(event: Event, out: Notifier) -> None:
    project = out.project(event.payload["project_id"])
    if project:
        out.deliver(event.payload["author_id"], "project_like", event.id, actor_id=event.actor_id,
                    object_type="project", object_id=event.payload["project_id"], data={"title": project[0]},
                    link=project[1], group_key=f"like:project:{event.payload['project_id']}")


def _on_unlike(event: Event, out: Notifier) -> None:
    out.flush()  # the like it takes back may be waiting
    retract(event.payload["author_id"], f"like:project:{event.payload['project_id']}", event.actor_id)


def _on_comment_approved(event: Event, out: Notifier) -> None:
    """Mentions first (a project author who is mentioned hears it as a mention), then the author,
    batched per project, on the comment's first approval only."""
    p = event.payload
    project = out.project(p["project_id"])
    if not project:
        return
    details = {"actor_id": p["author_id"], "data": {"title": project[0]},
               "link": f"{project[1]}#comment-{p['comment_id']}"}
    for user_id in p["mentioned_ids"]:
        out.deliver(user_id, "mention", event.id, object_type="comment", object_id=p["comment_id"], **details)
    if p["first"]:
        out.deliver(p["project_author_id"], "project_comment", event.id, object_type="project",
                    object_id=p["project_id"], group_key=f"comment:project:{p['project_id']}", **details)


def _on_follow(event: Event, out: Notifier) -> None:
    follower_id = event.payload["follower_id"]
    if follower_id in out.usernames:
        out.deliver(event.payload["followee_id"], "new_follower", event.id, actor_id=follower_id,
                    object_type="member", object_id=follower_id, link=f"/@{out.usernames[follower_id]}",
                    group_key="followers")


def _on_unfollow(event: Event, out: Notifier) -> None:
    out.flush()
    retract(event.payload["followee_id"], "followers", event.payload["follower_id"])


def _personal(type_key: str, link: str, fields: tuple[str, ...]):
    def handle(event: Event, out: Notifier) -> None:
        out.deliver(event.payload["user_id"], type_key, event.id, data={f: event.payload.get(f) for f in fields},
                    link=link)
    return handle


def _on_dropped(event: Event, out: Notifier) -> None:
    p = event.payload
    out.deliver(p["user_id"], "dropped_top100", event.id, data={
        "rank": p.get("rank"), "gap": max(0, (p.get("cutoff_points") or 0) - (p.get("points") or 0) + 1)},
        link="/leaderboard")


def _on_overtaken(event: Event, out: Notifier) -> None:
    p = event.payload
    out.deliver(p["user_id"], "overtaken", event.id, actor_id=p.get("by_user_id"), data={"rank": p.get("rank")},
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
    member's projects is delivered together and commits once, not once per like."""
    by_recipient: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.type in HANDLERS:
            by_recipient[event.payload[RECIPIENT.get(event.type, "user_id")]].append(event)
    if by_recipient:
        notifier = Notifier([e for group in by_recipient.values() for e in group])
        for _, group in sorted(by_recipient.items()):
            _notify_recipient(group, notifier)
    for event in events:
        if event.type == "NotificationSent" and event.payload.get("email") == "critical":
            send_critical(event.payload["notification_id"])


@handler
def _notify_recipient(events: list[Event], notifier: Notifier) -> None:
    for event in events:
        HANDLERS[event.type](event, notifier)
    notifier.flush()
