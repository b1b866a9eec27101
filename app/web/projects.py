"""Projects: publish, show, like and unlike."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Project
from app.read import projects
from app.read.comments import thread_topic
from app.web.htmx import page_or_fragment, redirect_to
from commands.base import CommandRejected
from commands.projects import publish_project
from commands.social import like_project, unlike_project

bp = Blueprint("projects", __name__)


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new():
    """Publish a project."""
    form, errors, status = request.form.to_dict(), {}, 200
    if request.method == "POST":
        try:
            project = publish_project(current_user, form)
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
        else:
            return redirect_to(url_for("projects.show", username=current_user.username, slug=project.slug))
    return page_or_fragment("pages/projects/new.html", "fragments/projects/project_form.html", status,
                            form=form, errors=errors)


@bp.route("/@<username>/<slug>")
def show(username: str, slug: str):
    """Show one project."""
    project = projects.find(username, slug) or abort(404)
    viewer = current_user.id if current_user.is_authenticated else None
    return render_template("pages/projects/show.html", project=project, topics=[thread_topic(project.id)],
                           liked=project.id in projects.liked_by(viewer, [project.id]))


@bp.route("/projects/<int:project_id>", methods=["DELETE"])
@login_required
def delete(project_id: int):
    """Delete a project (its author or a moderator) and go back to the author's profile."""
    from commands.projects import delete_project

    project = db.session.get(Project, project_id) or abort(404)
    username = project.author.username
    delete_project(current_user, {"project_id": project_id})
    return redirect_to(url_for("members.profile", username=username))


@bp.route("/projects/<int:project_id>/like", methods=["POST", "DELETE"])
@login_required
def like(project_id: int):
    """Like (POST) or unlike (DELETE) a project; answer with the new like button."""
    command = like_project if request.method == "POST" else unlike_project
    command(current_user, {"project_id": project_id})
    project = db.session.get(Project, project_id) or abort(404)
    return render_template("fragments/projects/like_button.html", project=project,
                           liked=request.method == "POST")
