"""Projects: publish, show and edit a page of blocks, like, make private, share."""
from __future__ import annotations

import hashlib

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Project, ProjectBlock
from app.models.projects import BLOCK_KINDS, manages
from app.read import projects
from app.read.comments import thread_topic
from app.web import member_checked_by_command
from app.web.htmx import page_or_fragment, redirect_to, toast
from commands import projects as commands
from commands.base import CommandRejected
from commands.social import like_project, unlike_project

bp = Blueprint("projects", __name__)

# The form fields each kind of block has (the rest of a submitted form is ignored).
BLOCK_FIELDS = {"text": ("markdown",), "heading": ("text", "level"), "image": ("url", "alt", "caption"),
                "code": ("language", "code"), "mermaid": ("source",), "link": ("url", "label")}
SITEMAP_PAGE = 10_000


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a project: publish it at once, or save a draft to build its page first."""
    form, errors, status = request.form.to_dict(), {}, 200
    if request.method == "POST":
        try:
            project = commands.create_project(current_user, form)
        except CommandRejected as exc:
            errors, status = exc.errors, exc.status
        else:
            return redirect_to(url_for("projects.show", username=current_user.username, slug=project.slug))
    return page_or_fragment("pages/projects/new.html", "fragments/projects/project_form.html", status,
                            form=form, errors=errors)


@bp.route("/@<username>/<slug>")
def show(username: str, slug: str):
    """A project's page; its editor too, for its author."""
    project = projects.find(username, slug, current_user) or abort(404)
    viewer = current_user.id if current_user.is_authenticated else None
    if viewer != project.author_id:
        projects.count_view(project.id, _viewer_key())
    response = make_response(render_template(
        "pages/projects/show.html", project=project, editing=_may_edit(project), views=projects.views(project),
        topics=[thread_topic(project.id)],
        liked=project.id in projects.liked_by(viewer, [project.id]), block_kinds=BLOCK_KINDS))
    if not project.is_listed:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _viewer_key() -> str:
    """Who is viewing, for counting a view once: the member, or a hash of address and browser."""
    if current_user.is_authenticated:
        return f"m{current_user.id}"
    raw = f"{request.remote_addr}|{request.headers.get('User-Agent', '')}"
    return "a" + hashlib.blake2b(raw.encode(), digest_size=10).hexdigest()


def _may_edit(project: Project) -> bool:
    return manages(current_user, project.author_id)


def _editable(project_id: int) -> Project:
    """The project for an editing request: 404 unless the member may see it, 403 unless edit it."""
    project = db.session.get(Project, project_id)
    if project is None or not project.visible_to(current_user):
        abort(404)
    if not _may_edit(project):
        abort(403)
    return project


def _rejected(exc: CommandRejected, template: str, **context):
    """Answer a refused edit with the form again (messages beside the fields) and its status."""
    return render_template(template, errors=exc.errors, **context), exc.status


@bp.route("/projects/<int:project_id>/details", methods=["GET", "POST"])
@login_required
def details(project_id: int):
    """Edit title, description and topics in place."""
    project = _editable(project_id)
    if request.method == "GET" and request.args.get("cancel") is None:
        return render_template("fragments/projects/details_form.html", project=project, errors={},
                               form={"title": project.title, "description": project.description,
                                     "topics": ", ".join(project.topics)})
    if request.method == "POST":
        try:
            project = commands.update_project(current_user, {**request.form.to_dict(), "project_id": project_id})
        except CommandRejected as exc:
            return _rejected(exc, "fragments/projects/details_form.html", project=project,
                             form=request.form.to_dict())
    return render_template("fragments/projects/details.html", project=project, editing=True)


def _block_data(kind: str) -> dict:
    """The submitted fields of a kind of block; empty ones are left out (required → "write …")."""
    return {name: request.form[name] for name in BLOCK_FIELDS.get(kind, ()) if request.form.get(name, "").strip()}


@bp.route("/projects/<int:project_id>/blocks/new")
@login_required
def new_block(project_id: int):
    """The form for a new block of a kind (nothing is saved until it is submitted)."""
    project = _editable(project_id)
    kind = request.args.get("kind", "")
    if kind not in BLOCK_FIELDS:
        abort(404)
    return render_template("fragments/projects/block_form.html", block=None, kind=kind, project=project,
                           form={}, errors={})


@bp.route("/projects/<int:project_id>/blocks", methods=["POST"])
@login_required
def add_block(project_id: int):
    """Add a block at the end; answer with the whole list, so positions stay right. A refused
    block answers with its form again, in place of the new-block form."""
    project = _editable(project_id)
    kind = request.form.get("kind", "")
    try:
        block = commands.add_block(current_user, {
            "project_id": project_id, "kind": kind, "data": _block_data(kind)})
    except CommandRejected as exc:
        body = render_template("fragments/projects/block_form.html", block=None, kind=kind, project=project,
                               form=request.form.to_dict(), errors=exc.errors)
        return body, exc.status, {"HX-Retarget": "#new-block-form", "HX-Reswap": "outerHTML"}
    db.session.refresh(project)
    return render_template("fragments/projects/blocks.html", project=project, editing=True,
                           block_kinds=BLOCK_KINDS, errors={}, created=block.id)


@bp.route("/projects/blocks/<int:block_id>", methods=["GET", "PUT", "DELETE"])
@login_required
def block(block_id: int):
    """One block: GET its edit form (or, with ?view, the block again), PUT new fields, DELETE it."""
    block = db.session.get(ProjectBlock, block_id) or abort(404)
    project = _editable(block.project_id)
    if request.method == "DELETE":
        commands.delete_block(current_user, {"block_id": block_id})
        return ""
    if request.method == "PUT":
        try:
            block = commands.update_block(current_user, {"block_id": block_id, "data": _block_data(block.kind)})
        except CommandRejected as exc:
            return _rejected(exc, "fragments/projects/block_form.html", block=block, project=project,
                             form=request.form.to_dict())
    elif request.args.get("view") is None:
        return render_template("fragments/projects/block_form.html", block=block, project=project,
                               form=dict(block.data), errors={})
    return render_template("fragments/projects/block.html", block=block, project=project, editing=True)


@bp.route("/projects/<int:project_id>/blocks/order", methods=["POST"])
@login_required
def reorder(project_id: int):
    """Save the order the author dragged the blocks into (or moved one with its ↑ ↓ buttons)."""
    project = _editable(project_id)
    order = request.form.getlist("order")
    move, direction = request.form.get("move"), request.form.get("direction")
    if move and direction in ("up", "down"):
        order = _moved([str(b.id) for b in project.blocks], move, direction)
    try:
        commands.reorder_blocks(current_user, {"project_id": project_id, "order": order})
    except CommandRejected as exc:
        db.session.refresh(project)
        return render_template("fragments/projects/blocks.html", project=project, editing=True,
                               block_kinds=BLOCK_KINDS, errors=exc.errors), exc.status
    db.session.refresh(project)
    return render_template("fragments/projects/blocks.html", project=project, editing=True,
                           block_kinds=BLOCK_KINDS, errors={})


def _moved(order: list[str], block_id: str, direction: str) -> list[str]:
    if block_id not in order:
        return order + [block_id]  # not this project's block: the command says so
    i = order.index(block_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


@bp.route("/projects/<int:project_id>/publish", methods=["POST"])
@login_required
def publish(project_id: int):
    """Publish a draft."""
    project = _editable(project_id)
    commands.publish_draft(current_user, {"project_id": project_id})
    return redirect_to(url_for("projects.show", username=project.author.username, slug=project.slug))


@bp.route("/projects/<int:project_id>/visibility", methods=["POST"])
@login_required
def visibility(project_id: int):
    """Make the project public or private; answer with the status bar and a toast."""
    _editable(project_id)
    project = commands.set_visibility(current_user, {"project_id": project_id,
                                                     "visibility": request.form.get("visibility", "")})
    message = ("Private: only you (and moderators) can see it now." if project.visibility == "private"
               else "Public: everyone can see it.")
    return render_template("fragments/projects/status_bar.html", project=project) + toast(message)


@bp.route("/projects/<int:project_id>", methods=["DELETE"])
@login_required
def delete(project_id: int):
    """Delete a project (its author or a moderator) and go back to the author's profile."""
    project = db.session.get(Project, project_id) or abort(404)
    username = project.author.username
    commands.delete_project(current_user, {"project_id": project_id})
    return redirect_to(url_for("members.profile", username=username))


@bp.route("/projects/<int:project_id>/like", methods=["POST", "DELETE"])
@member_checked_by_command  # the commands read the member (401 if gone)
@login_required
def like(project_id: int):
    """Like (POST) or unlike (DELETE) a project; answer with the new like button."""
    command = like_project if request.method == "POST" else unlike_project
    state = command(current_user, {"project_id": project_id})  # 404 if this member may not see it
    return render_template("fragments/projects/like_button.html", project=state,
                           liked=request.method == "POST")


@bp.route("/sitemap.xml")
def sitemap_index():
    """The sitemap index: one sitemap per range of project ids (each well under the 50,000 limit)."""
    body = render_template("pages/seo/sitemap_index.xml", pages=range(1, projects.sitemap_pages(SITEMAP_PAGE) + 1))
    return body, 200, {"Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=600"}


@bp.route("/sitemaps/projects-<int:page>.xml")
def sitemap(page: int):
    """Public, published projects with ids in the page's range."""
    if page < 1:
        abort(404)
    body = render_template("pages/seo/sitemap.xml", rows=projects.sitemap_page(page, SITEMAP_PAGE))
    return body, 200, {"Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=600"}


@bp.route("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /projects/\nDisallow: /notifications\nSitemap: {url_for('projects.sitemap_index', _external=True)}\n"
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}
