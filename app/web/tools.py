"""The AI tool directory: browse, compare, review; and the project editor's "built with" picker."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Project
from app.models.tools import CATEGORIES, PRICING
from app.read import tools
from app.rules import LIMITS
from app.web.htmx import is_htmx, page_or_fragment, toast
from commands.base import CommandRejected
from commands.tools import delete_review, review_tool, set_project_tools

bp = Blueprint("tools", __name__)


@bp.app_context_processor
def tool_helpers():
    """`project_tools(project_id)` lets any page include fragments/tools/built_with.html."""
    return {"project_tools": tools.for_project}


def _page_arg(name: str = "page") -> int:
    value = request.args.get(name, "1")
    return max(1, int(value)) if value.isdigit() else 1


@bp.route("/tools")
def index():
    """The directory: filter by category and pricing, search by name, sort; htmx swaps the results."""
    result = tools.directory(tools.DirectoryQuery.from_args(request.args))
    return page_or_fragment("pages/tools/index.html", "fragments/tools/results.html", result=result,
                            categories=CATEGORIES, pricing=PRICING, sorts=tools.SORTS)


@bp.route("/tools/compare")
def compare():
    """Two to four tools side by side (?tools=a,b,c or ?tools=a&tools=b)."""
    slugs: list[str] = []
    for value in request.args.getlist("tools"):
        for part in value.split(","):
            slug = part.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    error, status, found = None, 200, {}
    if len(slugs) < LIMITS["compare_min"]:
        error, status = f"Pick at least {LIMITS['compare_min']} tools to compare.", 400
    elif len(slugs) > LIMITS["compare_max"]:
        error, status = f"Compare at most {LIMITS['compare_max']} tools at a time ({len(slugs)} picked).", 400
    else:
        found = tools.by_slugs(slugs)
        unknown = [s for s in slugs if s not in found]
        if unknown:
            error, status = "Not in the directory: " + ", ".join(f"“{s[:60]}”" for s in unknown) + ".", 404
    items = [found[s] for s in slugs] if not error else []
    return render_template("pages/tools/compare.html", items=items, error=error), status


@bp.route("/tools/<slug>")
def show(slug: str):
    """One tool: what it is for, how to use it well, its rating, reviews and the projects built with it."""
    tool = tools.find(slug) or abort(404)
    viewer = current_user.id if current_user.is_authenticated else None
    return render_template("pages/tools/show.html", tool=tool, card=tools.card(tool),
                           reviews=tools.reviews_page(tool.id), mine=tools.review_by(tool.id, viewer),
                           projects=tools.projects_using(tool.id), form={}, errors={})


@bp.route("/tools/<slug>/reviews")
def reviews(slug: str):
    """A further page of a tool's reviews (the "more reviews" button, or a plain link)."""
    return _further_page(slug, tools.reviews_page, "reviews")


@bp.route("/tools/<slug>/projects")
def projects(slug: str):
    """A further page of the listed projects built with a tool."""
    return _further_page(slug, tools.projects_using, "projects")


def _further_page(slug: str, read, name: str):
    """Page N of a tool's list: its items for htmx's "more" button, a whole page otherwise."""
    tool = tools.find(slug) or abort(404)
    page = read(tool.id, _page_arg())
    template = f"fragments/tools/{name[:-1]}_items.html" if is_htmx() else f"pages/tools/{name}.html"
    return render_template(template, tool=tool, **{name: page})


@bp.route("/tools/<slug>/review", methods=["POST"])
@login_required
def review(slug: str):
    """Write or edit your review; answer with the form, the fresh rating and the first reviews."""
    tool = tools.find(slug) or abort(404)
    form = request.form.to_dict()
    try:
        mine = review_tool(current_user, {**form, "tool_id": tool.id})
    except CommandRejected as exc:
        if exc.status != 422:
            raise
        return render_template("fragments/tools/review_form.html", tool=tool, mine=tools.review_by(
            tool.id, current_user.id), form=form, errors=exc.errors), 422
    return _after_review(tool, mine, "Your review is saved.")


@bp.route("/tools/<slug>/review", methods=["DELETE"])
@bp.route("/tools/<slug>/review/delete", methods=["POST"])
@login_required
def unreview(slug: str):
    """Delete your review of a tool."""
    tool = tools.find(slug) or abort(404)
    delete_review(current_user, {"tool_id": tool.id})
    return _after_review(tool, None, "Your review is deleted.")


def _after_review(tool, mine, message: str):
    if not is_htmx():
        from flask import redirect, url_for

        return redirect(url_for("tools.show", slug=tool.slug))
    # Straight after the write the projection may not have run yet: the rating comes from Postgres.
    return (render_template("fragments/tools/review_form.html", tool=tool, mine=mine, form={}, errors={})
            + render_template("fragments/tools/rating.html", card=tools.card(tool, fresh=True), oob=True)
            + render_template("fragments/tools/reviews.html", tool=tool, reviews=tools.reviews_page(tool.id),
                              oob=True)
            + toast(message))


# The project editor's picker ---------------------------------------------------------------------

def _own_project(project_id: int) -> Project:
    project = db.session.get(Project, project_id) or abort(404)
    if project.author_id != current_user.id:
        abort(403)
    return project


def _picked() -> list[str]:
    """The slugs the picker currently holds (from its form), with an addition or removal applied."""
    slugs = [s for s in request.values.getlist("tools") if s]
    add, remove = request.values.get("add", ""), request.values.get("remove", "")
    if add and add not in slugs:
        slugs.append(add)
    return [s for s in slugs if s != remove]


@bp.route("/projects/<int:project_id>/tools/edit")
@login_required
def edit_project_tools(project_id: int):
    """The picker: the tools chosen so far, a search box, and suggestions as you type."""
    project = _own_project(project_id)
    if request.args.get("picking"):
        slugs = _picked()
        found = tools.by_slugs(slugs)
        chosen = [found[s] for s in slugs if s in found]
    else:
        chosen = tools.for_project(project.id)
    q = request.args.get("q", "") if not request.args.get("add") else ""
    return page_or_fragment("pages/tools/picker.html", "fragments/tools/picker.html", project=project,
                            chosen=chosen, errors={}, limit=LIMITS["project_tools_max"], q=q,
                            suggestions=tools.suggest(q, exclude=[c.slug for c in chosen]) if q else [])


@bp.route("/projects/<int:project_id>/tools/suggest")
@login_required
def suggest(project_id: int):
    """Tools whose names match what the author typed, not already chosen."""
    project = _own_project(project_id)
    matches = tools.suggest(request.args.get("q", ""), exclude=_picked())
    return render_template("fragments/tools/suggestions.html", project=project, matches=matches,
                           q=request.args.get("q", ""))


@bp.route("/projects/<int:project_id>/tools", methods=["POST"])
@login_required
def set_tools(project_id: int):
    """Save the picker's tools; answer with the project's read-only "Built with" list."""
    project = _own_project(project_id)
    slugs = _picked()
    try:
        set_project_tools(current_user, {"project_id": project.id, "tools": slugs})
    except CommandRejected as exc:
        if exc.status != 422:
            raise
        found = tools.by_slugs(slugs)
        return page_or_fragment("pages/tools/picker.html", "fragments/tools/picker.html", exc.status,
                                project=project, chosen=[found[s] for s in slugs if s in found],
                                errors=exc.errors, limit=LIMITS["project_tools_max"], q="", suggestions=[])
    if not is_htmx():
        from flask import redirect, url_for

        return redirect(url_for("projects.show", username=project.author.username, slug=project.slug))
    return (render_template("fragments/tools/built_with.html", project=project,
                            tools=tools.for_project(project.id), editable=True)
            + toast("Saved the tools this project was built with."))
