"""Importing a project from elsewhere: the repository address a member gives.

The import itself (app/imports) reads GitHub and asks the AI provider first, outside any
transaction, then creates the draft with `commands.projects.create_project`.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, post_load, validates

from commands.base import CommandSchema

OWNER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
REPO_RE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
EXAMPLE = "https://github.com/owner/repository"


class ImportRepositorySchema(CommandSchema):
    url = fields.String(required=True, error_messages={"required": f"Paste a repository's address, like {EXAMPLE}."})

    @validates("url")
    def check_url(self, url: str, **kwargs) -> None:
        repository(url)

    @post_load
    def split(self, data, **kwargs):
        owner, name = repository(data["url"])
        return {"owner": owner, "name": name}


def repository(url: str) -> tuple[str, str]:
    """OWNER and REPO of https://github.com/OWNER/REPO (a trailing slash or .git is fine); a
    ValidationError saying what is wrong otherwise."""
    url = url.strip()
    if not url:
        raise ValidationError(f"Paste a repository's address, like {EXAMPLE}.")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise ValidationError(f"That is not a web address. Paste one like {EXAMPLE}.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ValidationError(f"That is not a web address. Paste one like {EXAMPLE}.")
    if host not in ("github.com", "www.github.com"):
        raise ValidationError(f"Only public GitHub repositories can be imported (github.com, not {host[:60]}).")
    if parts.scheme != "https" or parts.port or parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError(f"Give the repository's plain address, like {EXAMPLE}.")
    segments = parts.path.removesuffix("/").split("/")[1:]
    if len(segments) == 2:
        owner, name = segments[0], segments[1].removesuffix(".git")
        if OWNER_RE.match(owner) and REPO_RE.match(name) and name not in (".", ".."):
            return owner, name
    raise ValidationError(f"That is not a repository's address: it should look like {EXAMPLE}.")
