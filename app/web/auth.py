"""Sign up, log in, log out."""
from __future__ import annotations

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.extensions import limiter
from app.web.htmx import page_or_fragment, redirect_to
from commands.accounts import authenticate_member, sign_up_member, time_zones
from commands.base import CommandRejected

bp = Blueprint("auth", __name__)


def auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def _safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def signup():
    """Create an account and log in."""
    form, errors, status = request.form.to_dict(), {}, 200
    if request.method == "POST":
        try:
            user = sign_up_member(form)
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
        else:
            login_user(user, remember=True)
            return redirect_to(url_for("members.profile", username=user.username, welcome=1))
    return page_or_fragment("pages/auth/signup.html", "fragments/auth/signup_form.html", status,
                            form=form, errors=errors, time_zones=sorted(time_zones()))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(auth_limit, methods=["POST"])
def login():
    """Log in with a username (or e-mail) and password."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect_to(_safe_next(url_for("home.index")))
    form, errors, status = request.form.to_dict(), {}, 200
    if request.method == "POST":
        try:
            user = authenticate_member(form)
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
        else:
            login_user(user, remember=bool(form.get("remember")))
            return redirect_to(_safe_next(url_for("home.index")))
    form.pop("password", None)
    return page_or_fragment("pages/auth/login.html", "fragments/auth/login_form.html", status,
                            form=form, errors=errors, next=_safe_next(""))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out."""
    logout_user()
    return redirect_to(url_for("home.index"))
