"""What a comment's text means: who it mentions, and how it renders (markdown-lite, sanitized)."""
from __future__ import annotations

import re

from markupsafe import Markup

from app.markup import render_markdown
from app.rules import COMMENTS, LIMITS

# "@alice" but not an e-mail address ("bob@example.com") or a path ("/@alice").
MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{%d,%d})\b" % (LIMITS["username_min"], LIMITS["username_max"]))
ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
TAG = re.compile(r"(<[^>]+>)")


def mentioned_usernames(body: str) -> list[str]:
    """The usernames a text mentions, lower-cased, in order of first mention, at most mentions_max."""
    names = dict.fromkeys(name.lower() for name in MENTION.findall(body))
    return list(names)[:COMMENTS["mentions_max"]]


def render(body: str, members: set[str]) -> Markup:
    """Markdown-lite to safe HTML: emphasis, code, lists, quotes and links; @mentions of members link
    to their profiles. Anything else (raw HTML, images, scripts) is removed by the sanitizer."""
    html = render_markdown(body, tags=ALLOWED_TAGS, attributes={"a": {"href"}})
    return Markup(_link_mentions(str(html), members))


def _link_mentions(html: str, members: set[str]) -> str:
    """Link @username in text (not inside a link or code) for names that are members."""
    out, inside = [], 0
    for part in TAG.split(html):
        if TAG.fullmatch(part):
            name = part.strip("</>").split()[0].lower()
            if name in ("a", "code", "pre"):
                inside += -1 if part.startswith("</") else 1
        elif not inside:
            part = MENTION.sub(lambda m: _mention(m, members), part)
        out.append(part)
    return "".join(out)


def _mention(match: re.Match, members: set[str]) -> str:
    name = match.group(1).lower()
    if name not in members:
        return match.group(0)
    return f'<a class="mention" href="/@{name}">@{match.group(1)}</a>'
