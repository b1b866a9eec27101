"""The write model: one module per domain. Import here so Alembic sees every table."""
from app.models.accounts import User
from app.models.events import Event
from app.models.gamification import PointsEntry
from app.models.projects import Project, ProjectTopic
from app.models.social import Follow, Like

__all__ = ["Event", "Follow", "Like", "PointsEntry", "Project", "ProjectTopic", "User"]
