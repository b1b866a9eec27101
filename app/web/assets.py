"""Serve front-end libraries installed from the npm registry (never committed, never a CDN)."""
from __future__ import annotations

from flask import Blueprint, abort, send_from_directory

from app.config import ROOT

bp = Blueprint("assets", __name__)

NODE_MODULES = ROOT / "node_modules"
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "htmx-ws.min.js": "htmx-ext-ws/dist/ws.min.js",
    "confetti.js": "canvas-confetti/dist/confetti.browser.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "sortable.min.js": "sortablejs/Sortable.min.js",
}


@bp.route("/vendor/<name>")
def vendor(name: str):
    """Send one whitelisted file from node_modules, cached for a day."""
    path = VENDOR.get(name)
    if path is None or not (NODE_MODULES / path).is_file():
        abort(404)
    return send_from_directory(NODE_MODULES, path, max_age=86400)


@bp.route("/assets/highlight.css")
def highlight_css():
    """Colours for code blocks highlighted on the server."""
    from app.markup import highlight_css as css

    return css(), 200, {"Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=86400"}
