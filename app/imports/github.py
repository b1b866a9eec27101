"""The only code that talks to GitHub: read a public repository's metadata and README through the
REST API (PyGithub), at GITHUB_API_URL with an optional GITHUB_TOKEN."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import github
import requests
from flask import current_app

from commands.base import CommandRejected

log = logging.getLogger(__name__)

# A README longer than this (characters) is cut before it is parsed; the member is told.
README_CHARS_MAX = 300_000


@dataclass(frozen=True)
class Repository:
    owner: str
    name: str
    url: str
    description: str
    topics: list[str]
    languages: list[str]  # by bytes of code, most first
    stars: int
    homepage: str
    license: str
    readme: str
    readme_path: str  # where the README lives in the repository ("" without one)
    readme_truncated: bool


def client() -> github.Github:
    config = current_app.config
    auth = github.Auth.Token(config["GITHUB_TOKEN"]) if config["GITHUB_TOKEN"] else None
    # No retries and no throttle: a member is waiting, and a rate limit is reported, not slept through.
    return github.Github(base_url=config["GITHUB_API_URL"].rstrip("/"), auth=auth, timeout=config["GITHUB_TIMEOUT"],
                         retry=None, seconds_between_requests=None, per_page=100)


def fetch_repository(owner: str, name: str) -> Repository:
    """Read a public repository; GitHub's refusals become CommandRejected on "url" with a 4xx
    (not found, rate limited) or a 502 (GitHub failed or could not be reached)."""
    try:
        repo = client().get_repo(f"{owner}/{name}")
        # PyGithub adds the request's "url" to every answer: keep only the byte counts.
        languages = {k: v for k, v in repo.get_languages().items() if isinstance(v, int)}
        readme, path = _readme(repo)
    except github.UnknownObjectException:
        raise CommandRejected("url", f"GitHub has no public repository {owner}/{name}.", status=404) from None
    except github.RateLimitExceededException:
        raise _rate_limited() from None
    except github.GithubException as exc:
        if exc.status in (403, 429):
            raise _rate_limited() from None
        log.warning("GitHub answered %s for %s/%s", exc.status, owner, name)
        raise CommandRejected("url", "GitHub could not be read just now. Try again in a minute.", status=502) from None
    except requests.RequestException as exc:
        log.warning("GitHub unreachable for %s/%s: %s", owner, name, exc)
        raise CommandRejected("url", "GitHub could not be reached just now. Try again in a minute.", status=502) from None
    return Repository(
        owner=repo.owner.login, name=repo.name, url=repo.html_url, description=(repo.description or "").strip(),
        topics=list(repo.topics or []), languages=sorted(languages, key=lambda lang: -languages[lang]),
        stars=repo.stargazers_count or 0, homepage=(repo.homepage or "").strip(),
        license=(repo.license.spdx_id or repo.license.name) if repo.license else "",
        readme=readme[:README_CHARS_MAX], readme_path=path, readme_truncated=len(readme) > README_CHARS_MAX)


def _readme(repo) -> tuple[str, str]:
    try:
        content = repo.get_readme()
    except github.UnknownObjectException:
        return "", ""
    return content.decoded_content.decode("utf-8", errors="replace"), content.path


def _rate_limited() -> CommandRejected:
    return CommandRejected("url", "GitHub is limiting how often we may ask. Try again in a few minutes.", status=429)
