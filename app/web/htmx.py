"""Small helpers for answering htmx and plain browsers alike."""
from __future__ import annotations

from flask import make_response, redirect, render_template, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect_to(url: str):
    """Redirect a plain request; tell htmx to navigate (a 3xx would be followed invisibly)."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def toast(message: str, kind: str = "info") -> str:
    """An out-of-band toast to append to any fragment response."""
    return render_template("fragments/toast.html", message=message, kind=kind, oob=True)


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render the whole page, or only its fragment when htmx asks."""
    return render_template(fragment if is_htmx() else page, **context), status
