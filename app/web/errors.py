"""One place for errors: a fragment for htmx, a page otherwise; never a stack trace."""
from __future__ import annotations

import logging

from flask import Blueprint, make_response, render_template
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.web.htmx import is_htmx
from commands.base import CommandRejected

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

MESSAGES = {
    400: "That request was not understood. Reload the page and try again.",
    401: "Please log in to do that.",
    403: "You are not allowed to do that.",
    404: "We could not find that page.",
    405: "That action is not available here.",
    413: "That was too large to accept. Shorten it and try again.",
    429: "Too many attempts. Wait a minute, then try again.",
    500: "Something went wrong on our side. Nothing you saved was lost; try again.",
}


def error_response(status: int, message: str):
    if is_htmx():
        response = make_response(
            render_template("fragments/toast.html", message=message, kind="error", oob=False), status
        )
        # Show the message as a toast instead of replacing whatever the request targeted.
        response.headers["HX-Retarget"] = "#toasts"
        response.headers["HX-Reswap"] = "beforeend"
        return response
    return make_response(render_template("pages/error.html", status=status, message=message), status)


@bp.app_errorhandler(CommandRejected)
def command_rejected(exc: CommandRejected):
    db.session.rollback()
    return error_response(exc.status, exc.message)


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    status = exc.code or 500
    message = MESSAGES.get(status) or exc.description or MESSAGES[500]
    if status == 400 and "CSRF" in (exc.description or ""):
        message = "Your form expired. Reload the page and try again."
    return error_response(status, message)


@bp.app_errorhandler(Exception)
def unexpected(exc: Exception):
    db.session.rollback()
    log.exception("unhandled error")
    return error_response(500, MESSAGES[500])
