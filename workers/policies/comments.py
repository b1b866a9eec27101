"""Comment moderation policy: check every posted or edited comment (profanity filter and the AI
provider), then record the verdict through `moderate_comment`.

It runs in the policy job, so a comment committed while the workers were down is checked when the
outbox relay hands its event on; the verdict applies only to the revision that was checked.
"""
from __future__ import annotations

from app.extensions import db
from app.models import Comment, Event
from app.moderation import screen
from commands.comments import moderate_comment

CHECKED = ("CommentPosted", "CommentEdited")


def apply_comment_moderation(events: list[Event]) -> None:
    for event in events:
        if event.type not in CHECKED:
            continue
        comment = db.session.get(Comment, event.payload["comment_id"])
        if comment is None or comment.status != "pending" or comment.revision != event.payload["revision"]:
            continue  # deleted, edited again (that event checks the new text) or already moderated
        moderate_comment(comment.id, comment.revision, screen(comment.body, member_id=comment.author_id))
