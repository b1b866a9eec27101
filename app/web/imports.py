"""Import a project from a public GitHub repository."""
from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_login import current_user, login_required

from app.imports import import_repository
from app.web.htmx import page_or_fragment, redirect_to
from commands.base import CommandRejected

bp = Blueprint("imports", __name__)


@bp.route("/projects/import", methods=["GET", "POST"])
@login_required
def new():
    """Import a repository as a draft, then open it in the editor."""
    form, errors, status = request.form.to_dict(), {}, 200
    if request.method == "POST":
        try:
            imported = import_repository(current_user, form)
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
        else:
            for note in imported.notes:
                flash(note)
            return redirect_to(url_for("projects.show", username=current_user.username, slug=imported.project.slug))
    return page_or_fragment("pages/imports/new.html", "fragments/imports/import_form.html", status,
                            form=form, errors=errors)
