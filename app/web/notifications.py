"""Notifications: the bell, its dropdown, the full page, settings, and unsubscribe links."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from app import mail
from app.extensions import csrf
from app.read import notifications as read
from app.rules import NOTIFICATION_TYPES, NOTIFICATIONS
from app.web.htmx import is_htmx, redirect_to, toast
from commands.base import CommandRejected
from commands.notifications import (
    mark_all_read, mark_read, settings_of, unsubscribe as unsubscribe_member, update_notification_settings,
)

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index():
    """All your notifications, newest first; htmx loads older pages as you scroll."""
    before = request.args.get("before", type=int)
    rows = read.recent(current_user.id, NOTIFICATIONS["page_size"], before)
    items = read.describe(rows, current_user.id)
    more = rows[-1].id if len(rows) == NOTIFICATIONS["page_size"] else None
    template = "fragments/notifications/page_items.html" if is_htmx() and before else "pages/notifications/index.html"
    return render_template(template, items=items, more=more)


@bp.route("/notifications/menu")
@login_required
def menu():
    """The bell's dropdown: the latest few."""
    items = read.describe(read.recent(current_user.id, 8), current_user.id)
    return render_template("fragments/notifications/menu.html", items=items)


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_(notification_id: int):
    """Mark a notification read and go where it points."""
    mark_read(current_user, {"notification_id": notification_id})
    rows = [n for n in read.recent(current_user.id, 200) if n.id == notification_id]
    return redirect_to(rows[0].link if rows else "/notifications")


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    changed = mark_all_read(current_user)
    items = read.describe(read.recent(current_user.id, 8), current_user.id)
    return (render_template("fragments/notifications/menu.html", items=items)
            + render_template("fragments/notifications/bell.html", unread=0, oob=True)
            + toast(f"{changed} notification(s) marked read."))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings():
    """Choose what you hear about, where, and your quiet hours."""
    errors, status = {}, 200
    if request.method == "POST":
        data = {"email_enabled": request.form.get("email_enabled") == "on",
                "quiet_start": request.form.get("quiet_start", ""), "quiet_end": request.form.get("quiet_end", ""),
                "enabled": request.form.getlist("enabled")}
        try:
            update_notification_settings(current_user, data)
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
    current = settings_of(current_user.id)
    html = render_template("pages/notifications/settings.html", settings=current, types=NOTIFICATION_TYPES.values(),
                           errors=errors, form=request.form if errors else None)
    if request.method == "POST" and not errors:
        html += toast("Notification settings saved.")
    return html, status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # authorised by the signed token; mail clients' one-click POST carries no CSRF token
def unsubscribe(token: str):
    """Stop an e-mail from its link, without logging in (GET confirms, POST unsubscribes)."""
    parsed = mail.read_unsubscribe_token(token)
    if parsed is None:
        abort(404)
    user_id, scope = parsed
    label = "all e-mails" if scope == "all" else NOTIFICATION_TYPES.get(scope, None)
    if label is None:
        abort(404)
    label = label if isinstance(label, str) else f"e-mails about {label.label.lower()}"
    done = False
    if request.method == "POST":
        done = unsubscribe_member(user_id, scope)
    return render_template("pages/notifications/unsubscribe.html", token=token, label=label, done=done)
