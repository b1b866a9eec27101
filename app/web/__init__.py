"""The web layer: one blueprint per domain. Views parse, call one command or read, render."""
from __future__ import annotations

from functools import cache

from flask import Flask, abort, has_request_context, request, url_for
from flask_login import UserMixin
from sqlalchemy import Select, bindparam, select

from app.extensions import db, login_manager
from app.markup import highlight_code, render_markdown
from app.models import User
from app.rules import tier_for, tier_progress


@cache
def _member_by_id() -> Select:
    """Built once: `Session.get` builds its statement and cache key on every call (0.29 ms of CPU for
    a member's load against 0.24, app context included: bench/README.md, feeds.py)."""
    return select(User).where(User.id == bindparam("id"))


def member_checked_by_command(view):
    """Mark a view whose command reads the session's member in its own statement and refuses one
    who is gone (a deleted account): for it the session's member is not read first, which saves a
    round trip and the load (a like's hottest cost after the command, bench/README.md)."""
    view.member_checked_by_command = True
    return view


class UncheckedMember(UserMixin):
    """The session's member known by id only, for a view marked member_checked_by_command. Anything
    else asked of it reads the member then; one who is gone by then is refused (401)."""

    def __init__(self, user_id: int) -> None:
        self.id = user_id

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "member":
            raise AttributeError(name)
        member = self.__dict__["member"] = _load_member(self.id)
        if member is None:
            abort(401)
        return getattr(member, name)


def _load_member(user_id: int) -> User | None:
    return db.session.scalars(_member_by_id(), {"id": user_id}).one_or_none()


_ID_MARK = 918273645546372819  # an id no route sees: where the real one goes in a cached path
_ID_PATHS: dict[tuple[str, str, str], str] = {}


def id_url(endpoint: str, name: str, value: int) -> str:
    """url_for(endpoint, name=value) for an integer id, built by Werkzeug once per endpoint (and
    script root) and then only formatted: a feed page asks for 40 of these (5 µs each, 0.2 µs so)."""
    key = (endpoint, name, request.script_root if has_request_context() else "")
    path = _ID_PATHS.get(key)
    if path is None:
        path = _ID_PATHS[key] = url_for(endpoint, **{name: _ID_MARK}).replace(str(_ID_MARK), "{}")
    return path.format(int(value))


def register_blueprints(app: Flask) -> None:
    from app.web import (
        assets, auth, comments, errors, feeds, gamification, home, imports, leaderboards, members, moderation,
        notifications, projects, tools,
    )

    for module in (errors, assets, auth, home, feeds, members, projects, imports, comments, moderation, leaderboards,
                   gamification, notifications, tools):
        app.register_blueprint(module.bp)

    @app.before_request
    def read_path() -> None:
        """GET and HEAD only read (invariant 5): they use the read-only bind where there is one."""
        if request.method in ("GET", "HEAD") and "read" in db.engines:
            db.session.info["reading"] = True

    @app.teardown_request
    def end_read_path(_error: BaseException | None) -> None:
        db.session.info.pop("reading", None)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to do that."

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The session's member, read on every request: a deleted member's session finds no row and
        is logged out at once. A view marked member_checked_by_command gets the id alone: its
        command reads the member and refuses a deleted one in the same statement."""
        if not user_id.isdigit():
            return None
        view = app.view_functions.get(request.endpoint) if has_request_context() else None
        if getattr(view, "member_checked_by_command", False):
            return UncheckedMember(int(user_id))
        return _load_member(int(user_id))

    app.jinja_env.filters["tier"] = tier_for
    app.jinja_env.filters["thousands"] = lambda n: f"{int(n or 0):,}"
    app.jinja_env.globals["tier_progress"] = tier_progress
    app.jinja_env.globals["id_url"] = id_url
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["highlight"] = highlight_code

    @app.context_processor
    def bell():
        def unread_notifications() -> int:
            from flask_login import current_user

            from app.read.notifications import count_unread_in_postgres, unread_count

            if not current_user.is_authenticated:
                return 0
            count = unread_count(current_user.id)
            return count if count is not None else count_unread_in_postgres([current_user.id])[current_user.id]

        return {"unread_notifications": unread_notifications}

    @app.route("/sw.js")
    def service_worker():
        """The service worker, served from the root so it may control every page (installable PWA)."""
        from flask import send_from_directory

        response = send_from_directory(app.static_folder, "sw.js", max_age=0)
        response.headers["Service-Worker-Allowed"] = "/"
        return response
