"""The write model: one module per domain. Import here so Alembic sees every table."""
from app.models.accounts import User
from app.models.events import Event
from app.models.gamification import (
    Achievement, ActiveDay, MemberAchievement, MemberQuest, MemberStreak, MemberTopic, Milestone, PointsEntry,
    Quest,
)
from app.models.notifications import Block, Mute, Notification, NotificationCause, NotificationSettings
from app.models.projects import Project, ProjectTopic
from app.models.social import Follow, Like, Repost

__all__ = [
    "Achievement", "ActiveDay", "Event", "Follow", "Like", "MemberAchievement", "MemberQuest", "MemberStreak",
    "MemberTopic", "Milestone", "PointsEntry", "Project", "ProjectTopic", "Quest", "User",
    "Block", "Mute", "Notification", "NotificationCause", "NotificationSettings", "Repost",
]
