"""The web layer: one blueprint per domain. Views parse, call one command or read, render."""
from __future__ import annotations

from flask import Flask

from app.extensions import db, login_manager
from app.models import User
from app.rules import tier_for, tier_progress


def register_blueprints(app: Flask) -> None:
    from app.web import assets, auth, errors, gamification, home, leaderboards, members, projects

    for module in (errors, assets, auth, home, members, projects, leaderboards, gamification):
        app.register_blueprint(module.bp)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to do that."

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    app.jinja_env.filters["tier"] = tier_for
    app.jinja_env.filters["thousands"] = lambda n: f"{int(n or 0):,}"
    app.jinja_env.globals["tier_progress"] = tier_progress
